// The upload form: drop files on it, see what was chosen, refuse too much before sending it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = document.getElementById("workbook");
  const drop = document.getElementById("drop");
  const chosen = document.getElementById("chosen");
  const tooLarge = document.getElementById("too-large");
  const submit = document.getElementById("submit");
  const limit = Number(form.dataset.limit);
  const maxFiles = Number(form.dataset.maxFiles);

  const megabytes = (bytes) => (bytes / 1024 / 1024).toFixed(1);

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
      problem = `一次最多上传 ${maxFiles} 个工作簿，请分几次上传。`;
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
    submit.textContent = "正在检查，请稍候…";
  });
  show();
});
