"""The layout's timings for bench/run.py: the PDF batch against bare LibreOffice, and the web page with layout.

- pdf_batch_against_bare: `fill.py render DIR --pdf` on the cores, against bare LibreOffice converting the same
  .docx files (as many `soffice --convert-to pdf` processes as cores, an equal share of the files each, the same
  fonts), interleaved, best of `repeat` runs each; per report.
- warm_pool: one report rendered and laid out on a warm OfficePool in this process (the .docx, as the web page's
  download): what a server with warm LibreOffice instances does per download, HTTP aside.
- web: a `fill.py serve` process driven only through its public HTTP interface (upload on the home page's form,
  the result page's .docx link): a download with layout once the server is warm, and the home page's answer time
  while 16 downloads with layout wait.
"""

from __future__ import annotations

import html
import http.client
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
import zipfile
from pathlib import Path

from annual_report.layout.libreoffice import FONTS_CONF, find_soffice
from annual_report.layout.pool import OfficePool
from annual_report.pipeline.options import render_options
from annual_report.pipeline.single import render_report

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WAITING_DOWNLOADS = 16


def pdf_batch_against_bare(folder: Path, scratch: Path, cores: int, repeat: int) -> tuple[float, float]:
    """Best seconds per report of our PDF batch and of bare LibreOffice on its .docx files, interleaved."""
    count = len(list(folder.glob("*.xlsx")))
    ours, bare = [], []
    for round_ in range(repeat):
        out = scratch / f"pdf-{round_}"
        ours.append(timed_render(folder, out, cores, count, "--pdf", ".pdf") / count)
        bare.append(_bare_libreoffice(sorted(out.glob("*.docx")), scratch / f"bare-{round_}", cores) / count)
    return min(ours), min(bare)


def timed_render(folder: Path, out: Path, jobs: int, expected: int, layout_flag: str, suffix: str) -> float:
    """Wall seconds of `fill.py render DIR -j jobs <layout_flag>`; checks that every report's `suffix` file was written."""
    command = [sys.executable, "fill.py", "render", str(folder), "-o", str(out), "-j", str(jobs), layout_flag]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    written = len(list(out.glob(f"*{suffix}")))
    if done.returncode or written != expected:
        sys.exit(f"批量生成失败（{written}/{expected}）：\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def _bare_libreoffice(documents: list[Path], out: Path, processes: int) -> float:
    """Wall seconds of `soffice --convert-to pdf` in `processes` parallel processes, an equal share of files each."""
    soffice = find_soffice()
    shares = [documents[start::processes] for start in range(processes)]
    environment = os.environ | {"FONTCONFIG_FILE": str(FONTS_CONF)}  # the fonts our layout uses
    running = []
    start = time.perf_counter()
    for number, share in enumerate(share for share in shares if share):
        profile = (out / f"profile-{number}").resolve()
        command = [
            str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(out / "pdf"), *map(str, share),
        ]  # fmt: skip
        running.append(subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for process in running:
        process.wait()
    elapsed = time.perf_counter() - start
    if len(list((out / "pdf").glob("*.pdf"))) != len(documents):
        sys.exit("LibreOffice 没有转换全部文件")
    shutil.rmtree(out, ignore_errors=True)
    return elapsed


def warm_pool(workbook: Path, repeat: int) -> float:
    """Median seconds of one laid-out report on a warm OfficePool (its first start not counted)."""
    options = render_options(layout=True, thumbnail=False)
    times = []
    with OfficePool(1) as pool:
        for round_ in range(repeat + 1):
            start = time.perf_counter()
            report = render_report(workbook, options, pool)
            if round_:
                times.append(time.perf_counter() - start)
            assert report.laid_out
    return statistics.median(times)


def web(workbook: Path, repeat: int) -> dict:
    """A download with layout from a warm `fill.py serve`, and the home page's answers while 16 downloads wait.

    Every timed download is the first of a new upload (a server may keep a report it has made).
    """
    server = subprocess.Popen(
        [sys.executable, "fill.py", "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    try:
        base = _announced_address(server)
        _download(_report_link(base, workbook))  # warms the server (and its LibreOffice, where it keeps one)
        times = [_timed(_download, _report_link(base, workbook)) for _ in range(repeat)]
        home = _home_while_downloading(base, [_report_link(base, workbook) for _ in range(WAITING_DOWNLOADS)])
    finally:
        server.terminate()
        server.wait(60)
    return {"web": statistics.median(times), "web_all": times, **home}


def _download(url: str) -> None:
    """Download a report; it must be laid out (its contents carry page numbers, Word is not asked to update them)."""
    with zipfile.ZipFile(io.BytesIO(_get(url))) as report:
        if b"updateFields" in report.read("word/settings.xml"):
            sys.exit("网页版下载的报告没有排版（是否装有 LibreOffice？）")


def _announced_address(server: subprocess.Popen) -> str:
    """The http://host:port of the server, from its first line (网页版已启动：http://127.0.0.1:PORT/)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        found = re.search(r"http://[^/\s]+", line)
        if found:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its pipe drained
            return found.group(0)
        if not line and server.poll() is not None:
            break
    sys.exit("网页版没有启动（需要 pip install \".[web]\"）")


def _report_link(base: str, workbook: Path) -> str:
    """Upload the workbook through the home page's form; the address of the .docx download its result page links."""
    page = _get(base + "/").decode("utf-8")
    form = re.search(r"<form\b([^>]*multipart/form-data[^>]*)>(.*?)</form>", page, re.S)
    action = re.search(r'\baction="([^"]+)"', form.group(1)) if form else None
    field = _attribute(form.group(2), "input", 'type="file"', "name") if form else None
    if not action or not field:
        sys.exit("首页上没有找到上传工作簿的表单")
    boundary = uuid.uuid4().hex
    body = b""
    for element in re.findall(r"<input\b[^>]*>", form.group(2)):  # the form's hidden fields (e.g. its CSRF token)
        name, value = re.search(r'\bname="([^"]*)"', element), re.search(r'\bvalue="([^"]*)"', element)
        if 'type="hidden"' in element and name:
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name.group(1)}"\r\n\r\n'.encode()
            body += html.unescape(value.group(1) if value else "").encode() + b"\r\n"
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="report.xlsx"\r\n'
        f"Content-Type: {XLSX}\r\n\r\n"
    ).encode() + workbook.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    status, headers, _ = _request("POST", urllib.parse.urljoin(base + "/", html.unescape(action.group(1))), body, boundary)
    if status not in (302, 303) or "Location" not in headers:
        sys.exit(f"上传工作簿失败（HTTP {status}）")
    result_page = urllib.parse.urljoin(base + "/", headers["Location"])
    links = re.findall(r'href="([^"]+\.docx)"', _get(result_page).decode("utf-8"))
    if not links:
        sys.exit("结果页上没有下载 .docx 的链接")
    return urllib.parse.urljoin(result_page, html.unescape(links[0]))


def _attribute(page: str, tag: str, marker: str, name: str) -> str | None:
    """The attribute `name` of the first <tag …> of the page that contains marker."""
    for element in re.findall(rf"<{tag}\b[^>]*>", page):
        found = re.search(rf'\b{name}="([^"]+)"', element)
        if marker in element and found:
            return found.group(1)
    return None


def _home_while_downloading(base: str, links: list[str]) -> dict:
    """The home page's answer times while these downloads with layout are under way."""
    downloads = [threading.Thread(target=_download, args=(link,), daemon=True) for link in links]
    start = time.perf_counter()
    for thread in downloads:
        thread.start()
    answers = []
    while any(thread.is_alive() for thread in downloads):
        answers.append(_timed(_get, base + "/"))
        time.sleep(0.2)
    for thread in downloads:
        thread.join()
    return {
        "home_max": max(answers),
        "home_median": statistics.median(answers),
        "home_slow": sum(1 for a in answers if a >= 1.0),
        "home_count": len(answers),
        "downloads_seconds": time.perf_counter() - start,
    }


def _timed(call, *args) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def _get(url: str) -> bytes:
    status, _, body = _request("GET", url)
    if status != 200:
        sys.exit(f"{url}：HTTP {status}")
    return body


_cookies: dict[str, str] = {}  # what the server set (its session), sent back as a browser does
_cookies_lock = threading.Lock()


def _request(method: str, url: str, body: bytes | None = None, boundary: str | None = None) -> tuple:
    """One HTTP request on a fresh connection, with the session's cookies: status, headers, body (no redirects)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"} if boundary else {}
    with _cookies_lock:
        if _cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in _cookies.items())
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0].strip()
                with _cookies_lock:
                    _cookies[cookie.split("=", 1)[0]] = cookie.partition("=")[2]
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
