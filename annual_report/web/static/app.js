// The page's behaviour: upload forms that refuse too much before sending, report downloads that show their
// progress and are made once, and tables that sort and filter. Everything works without it, only plainer.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.upload").forEach(uploadForm);
  document.querySelectorAll("a.render").forEach(renderLink);
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("[data-filter], [data-status-filter]").forEach((control) => {
    control.addEventListener("input", () => filter(control.dataset.filter || control.dataset.statusFilter));
  });
});

const megabytes = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function uploadForm(form) {
  const input = form.querySelector("input[type=file]");
  const drop = form.querySelector(".drop");
  const chosen = form.querySelector(".chosen");
  const tooLarge = form.querySelector(".too-large");
  const submit = form.querySelector("button[type=submit]");
  const limit = Number(form.dataset.limit);
  const maxFiles = Number(form.dataset.maxFiles);

  function show() {
    const files = Array.from(input.files);
    chosen.replaceChildren(...files.map((file) => {
      const item = document.createElement("li");
      item.textContent = `${file.name}（${megabytes(file.size)} MB）`;
      return item;
    }));
    const total = files.reduce((sum, file) => sum + file.size, 0);
    let problem = "";
    if (total > limit) {
      problem = `所选文件共 ${megabytes(total)} MB，超过了每次 ${form.dataset.limitMb} MB 的上限：请压缩工作簿中的图片，或分几次上传。`;
    } else if (files.length > maxFiles) {
      problem = maxFiles === 1 ? "一次只能提交一个工作簿。" : `一次最多上传 ${maxFiles} 个工作簿，请分几次上传。`;
    }
    tooLarge.textContent = problem;
    tooLarge.hidden = !problem;
    submit.disabled = Boolean(problem) || files.length === 0;
  }

  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    show();
  });
  form.addEventListener("submit", () => {
    submit.disabled = true;
    submit.textContent = form.dataset.busy;
    waiting(submit, form.dataset.busy);
  });
  show();
}

// Counts the seconds on a button while the server works, so that nobody clicks again.
function waiting(element, text) {
  const started = Date.now();
  const timer = setInterval(() => {
    element.textContent = `${text}（已等 ${Math.round((Date.now() - started) / 1000)} 秒）`;
  }, 1000);
  return () => clearInterval(timer);
}

// A report link: the report is fetched once while the button shows the wait, then saved under its own name.
function renderLink(link) {
  const label = link.textContent;
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return; // a second click: the first one is still at work
    link.setAttribute("aria-busy", "true");
    link.classList.add("busy");
    const stop = waiting(link, "正在生成，请稍候");
    link.textContent = "正在生成，请稍候…";
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      const disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || !disposition.startsWith("attachment")) {
        window.location.href = response.url; // the page that explains (problems, busy, expired)
        return;
      }
      const blob = await response.blob();
      const save = document.createElement("a");
      save.href = URL.createObjectURL(blob);
      save.download = fileName(disposition);
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(save.href), 60000);
      link.textContent = `${label}（已下载）`;
    } catch (error) {
      link.textContent = `${label}（未完成，请重试）`;
    } finally {
      stop();
      link.removeAttribute("aria-busy");
      link.classList.remove("busy");
    }
  });
}

function fileName(disposition) {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : "report";
}

// Click a column's header to sort by it (again: the other way); numbers sort as numbers.
function sortable(table) {
  table.querySelectorAll("thead th").forEach((header, column) => {
    header.classList.add("sorts");
    header.tabIndex = 0;
    const sort = () => {
      const descending = header.getAttribute("aria-sort") === "ascending";
      table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (row) => (row.cells[column] ? row.cells[column].innerText.trim() : "");
      rows.sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const numbers = x !== "" && y !== "" && !isNaN(x) && !isNaN(y);
        const order = numbers ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
        return descending ? -order : order;
      });
      body.append(...rows);
    };
    header.addEventListener("click", sort);
    header.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
}

// Show only the rows whose text contains what was typed and whose status was chosen.
function filter(tableId) {
  const table = document.getElementById(tableId);
  const text = document.querySelector(`[data-filter="${tableId}"]`);
  const status = document.querySelector(`[data-status-filter="${tableId}"]`);
  const wanted = text ? text.value.trim().toLowerCase() : "";
  const chosen = status ? status.value : "";
  Array.from(table.tBodies[0].rows).forEach((row) => {
    const name = row.cells[0].innerText.toLowerCase() + " " + (row.cells[1] ? row.cells[1].innerText.toLowerCase() : "");
    row.hidden = Boolean((wanted && !name.includes(wanted)) || (chosen && row.dataset.status !== chosen));
  });
}
