"""Timings of the tool against bare docxtpl, all in one run: python bench/run.py [--batch 100] [--repeat 5]

(a) bare docxtpl: the same context, the same template, a fresh DocxTemplate and Jinja environment per report;
(b) our validate + render in-process (read → validate → context → render → finish → write);
(c) the command line on the 丽江 sample, a fresh `python fill.py render` process (import time counts), next to
    a fresh minimal script doing the same job by hand (import openpyxl and docxtpl, read the workbook, render
    the same content with the same template, save), interleaved, best of --repeat runs each;
(d) `fill.py render DIR` on --batch workbooks with -j 1 and with all cores;
(e) --pdf-batch of them with --pdf on all cores, per report, against bare LibreOffice converting the same .docx
    files on the same cores (bench/layout_timings.py), with their ratio;
(f) one laid-out report on a warm LibreOffice in process (what a warm server does per .docx download);
(g) the web page (`fill.py serve`, through HTTP only): a download with layout once warm, and the home page's
    answer times while 16 downloads with layout wait.
(a)-(d) run with --no-layout, like bare docxtpl without LibreOffice; (c) is also timed with the default
layout pass, which starts LibreOffice for the contents' page numbers.
Workbooks are the two samples under other names, figures scaled, narrative up to three times as long.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import jinja2  # noqa: E402
import layout_timings  # noqa: E402
from corpus import variant, write_submission  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from annual_report.layout.libreoffice import available  # noqa: E402
from annual_report.pipeline.options import RenderOptions  # noqa: E402
from annual_report.pipeline.single import render_workbook  # noqa: E402
from annual_report.report.context import build_context  # noqa: E402
from annual_report.report.render import TEMPLATE_PATH  # noqa: E402
from annual_report.workbook.validate import validate_workbook  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS = {"ratio": 1.3, "cold": 1.3, "cli": 0.6, "batch": 20.0, "pdf_ratio": 1.3, "web": 1.0, "home": 1.0}
MINIMAL_SCRIPT = """\
import json, sys
import jinja2, openpyxl
from docxtpl import DocxTemplate
workbook, context, template, target = sys.argv[1:]
book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
with open(context, encoding="utf-8") as file:
    context = json.load(file)  # the report's content, as the script's own code would build it from `sheets`
document = DocxTemplate(template)
document.render(context, jinja2.Environment(autoescape=True), autoescape=True)
document.save(target)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workbooks", type=int, default=10, help="distinct workbooks for (a) and (b)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over them for (a) and (b), runs of (c)")
    parser.add_argument("--batch", type=int, default=100, help="workbooks in the batch of (d)")
    parser.add_argument("--pdf-batch", type=int, default=30, help="workbooks in the batch of (e)")
    parser.add_argument("--pdf-repeat", type=int, default=2, help="runs of (e), ours and bare LibreOffice interleaved")
    parser.add_argument("--no-web", action="store_true", help="leave out (g) (needs Flask and waitress)")
    options = parser.parse_args()
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        scratch = Path(scratch)
        print(f"生成 {options.batch} 个工作簿 …", file=sys.stderr)
        folder = scratch / "in"
        paths = make_workbooks(folder, max(options.batch, options.workbooks), cores)
        sample = paths[: options.workbooks]
        print("测量 (a)(b) …", file=sys.stderr)
        bare, ours = time_in_process(sample, scratch / "b", options.repeat)
        print("测量 (c) …", file=sys.stderr)
        cold_script, cold_cli = time_cold(scratch / "cold", options.repeat)
        cli = time_cli(sample[0], scratch / "c.docx", options.repeat, "--no-layout")
        cli_layout = time_cli(sample[0], scratch / "c.docx", options.repeat) if available() else None
        print("测量 (d) …", file=sys.stderr)
        batch_one = layout_timings.timed_render(folder, scratch / "d1", 1, options.batch, "--no-layout", ".docx")
        batch_all = layout_timings.timed_render(folder, scratch / "d2", cores, options.batch, "--no-layout", ".docx")
        layout = {}
        if available():
            print("测量 (e) …", file=sys.stderr)
            pdf_folder = scratch / "e-in"
            pdf_folder.mkdir()
            for path in paths[: options.pdf_batch]:
                (pdf_folder / path.name).write_bytes(path.read_bytes())
            shutil.copytree(folder / "图片", pdf_folder / "图片")  # the photo the 曲阜 variants name
            pdf, pdf_bare = layout_timings.pdf_batch_against_bare(pdf_folder, scratch / "e", cores, options.pdf_repeat)
            layout = {"pdf": pdf, "pdf_bare": pdf_bare, "pdf_ratio": pdf / pdf_bare}
            print("测量 (f) …", file=sys.stderr)
            layout["warm"] = layout_timings.warm_pool(ROOT / "inputs" / "丽江市图书馆-2020.xlsx", options.repeat)
            if not options.no_web:
                print("测量 (g) …", file=sys.stderr)
                layout |= layout_timings.web(ROOT / "inputs" / "丽江市图书馆-2020.xlsx", options.repeat)
    measured = {
        "bare": bare,
        "ours": ours,
        "ratio": ours / bare,
        "cold_script": cold_script,
        "cold_cli": cold_cli,
        "cold_ratio": cold_cli / cold_script,
        "cli": cli,
        "cli_layout": cli_layout,
        "batch_one": batch_one,
        "batch_all": batch_all,
        **layout,
        "machine": machine(),
        "load": [load_before, os.getloadavg()],
        "batch": options.batch,
        "cores": cores,
    }
    shown = table(measured)
    print(shown)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(measured, ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS / f"{stamp}.md").write_text(shown + "\n", encoding="utf-8")


def make_workbooks(folder: Path, count: int, jobs: int) -> list[Path]:
    """count realistic workbooks with distinct library names, written in parallel."""
    folder.mkdir(parents=True)
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_write_variant, [folder] * count, range(count)))


def _write_variant(folder: Path, index: int) -> Path:
    data = variant(index, seed=1)
    return write_submission(folder / f"{index:03d}-{data['cover']['name']}.xlsx", data)


def time_in_process(paths: list[Path], out: Path, repeat: int) -> tuple[float, float]:
    """Median seconds a report for (a) bare docxtpl and (b) our pipeline, interleaved to share the noise."""
    out.mkdir()
    contexts = [build_context(validate_workbook(path)[0]) for path in paths]
    bare, ours = [], []
    for round_ in range(repeat + 1):  # round 0 warms both up
        for index, (path, context) in enumerate(zip(paths, contexts, strict=True)):
            start = time.perf_counter()
            _bare_render(context, out / f"bare-{index}.docx")
            middle = time.perf_counter()
            render_workbook(path, RenderOptions(output=out / f"ours-{index}.docx", force=True))
            end = time.perf_counter()
            if round_:
                bare.append(middle - start)
                ours.append(end - middle)
    return statistics.median(bare), statistics.median(ours)


def _bare_render(context: dict, target: Path) -> None:
    """What a docxtpl user writes: open the template, render with a strict escaping environment, save."""
    template = DocxTemplate(TEMPLATE_PATH)
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    template.render(context, environment, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    target.write_bytes(buffer.getvalue())


def time_cold(folder: Path, repeat: int) -> tuple[float, float]:
    """Best wall seconds of a fresh minimal script and of a fresh `fill.py render --no-layout`, on the 丽江 sample.

    Interleaved so that both share the machine's noise; a first round of each warms the disk cache (and the
    tool's cache of the checked template, kept in this folder) and is not counted.
    """
    folder.mkdir()
    workbook = folder / "丽江.xlsx"
    shutil.copy(ROOT / "inputs" / "丽江市图书馆-2020.xlsx", workbook)
    context = folder / "context.json"
    built = build_context(validate_workbook(workbook)[0])
    # a chart's or picture's content is placed by the finisher, which the minimal script does not have
    context.write_text(json.dumps(built, ensure_ascii=False, default=lambda content: None), "utf-8")
    script = folder / "minimal.py"
    script.write_text(MINIMAL_SCRIPT, encoding="utf-8")
    commands = {
        "script": [sys.executable, str(script), str(workbook), str(context), str(TEMPLATE_PATH), str(folder / "s.docx")],
        "cli": [sys.executable, "fill.py", "render", str(workbook), "--no-layout", "-o", str(folder / "c.docx"), "--force"],
    }  # fmt: skip
    environment = {**os.environ, "NIANBAO_CACHE_DIR": str(folder / "cache")}
    best = {name: float("inf") for name in commands}
    for round_ in range(repeat + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=environment)
            if round_:
                best[name] = min(best[name], time.perf_counter() - start)
    return best["script"], best["cli"]


def time_cli(path: Path, target: Path, repeat: int, *extra: str) -> float:
    """Median wall seconds of a fresh `python fill.py render` process on one workbook."""
    command = [sys.executable, "fill.py", "render", str(path), "-o", str(target), "--force", *extra]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def layout_rows(m: dict, mark) -> list[tuple[str, str, str, str]]:
    """(e)-(g): the layout against bare LibreOffice, on a warm instance, and on the web page."""
    if "pdf" not in m:
        return [("(e)–(g) 排版、PDF、网页版", "跳过", "", "没有 LibreOffice")]
    rows = [
        ("(e) 批量 --pdf，全部核（每份，取最快的一次）", f"{m['pdf']:.2f} s", "", ""),
        ("(e) 同样的核上 LibreOffice 直接转换同样的 .docx（每份）", f"{m['pdf_bare']:.2f} s", "基准", ""),
        ("(e) 两者之比", f"{m['pdf_ratio']:.2f}", f"≤ {TARGETS['pdf_ratio']}", mark(m["pdf_ratio"] <= TARGETS["pdf_ratio"])),
        ("(f) 进程内用已在运行的 LibreOffice 生成并排版丽江一份（网页下载的工作，不含 HTTP；中位数）", f"{m['warm']:.2f} s", "", ""),
    ]
    if "web" not in m:
        return [*rows, ("(g) 网页版", "跳过", "", "")]
    return [
        *rows,
        ("(g) 网页版：服务已在运行时下载一份排好版的 .docx（中位数）", f"{m['web']:.2f} s", f"≤ {TARGETS['web']} s", mark(m["web"] <= TARGETS["web"])),
        (
            f"(g) 16 个排版下载排队时首页的应答（最慢；{m['home_count']} 次中 {m['home_slow']} 次 ≥ 1 s）",
            f"{m['home_max']:.2f} s",
            f"< {TARGETS['home']} s",
            mark(m["home_max"] < TARGETS["home"]),
        ),
    ]  # fmt: skip


def machine() -> dict:
    model = platform.processor() or ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(), "system": platform.platform()}


def table(m: dict) -> str:
    """The results as a Markdown table, in Chinese like the README."""

    def mark(ok: bool) -> str:
        return "达标" if ok else "未达标"

    cores, n = m["cores"], m["batch"]
    rows = [
        ("(a) 纯 docxtpl 渲染同一上下文（每份）", f"{m['bare'] * 1000:.0f} ms", "基准", ""),
        ("(b) 本工具检查 + 生成，进程内（每份）", f"{m['ours'] * 1000:.0f} ms", "", ""),
        ("(b)/(a)", f"{m['ratio']:.2f}", f"≤ {TARGETS['ratio']}", mark(m["ratio"] <= TARGETS["ratio"])),
        ("(c) 新进程：最简脚本（openpyxl + docxtpl）生成丽江一份", f"{m['cold_script']:.2f} s", "基准", ""),
        ("(c) 新进程：fill.py render --no-layout 生成丽江一份", f"{m['cold_cli']:.2f} s", "", ""),
        (
            "(c) 两者之比（各取多次中最快的一次）",
            f"{m['cold_ratio']:.2f}",
            f"≤ {TARGETS['cold']}",
            mark(m["cold_ratio"] <= TARGETS["cold"]),
        ),
        (
            "(c) 命令行生成一份仿真工作簿（新进程，中位数）",
            f"{m['cli']:.2f} s",
            f"< {TARGETS['cli']} s",
            mark(m["cli"] < TARGETS["cli"]),
        ),
        (f"(d) 批量 {n} 份，-j 1", f"{m['batch_one']:.1f} s", "", ""),
        (
            f"(d) 批量 {n} 份，-j {cores}（全部核）",
            f"{m['batch_all']:.1f} s",
            f"< {TARGETS['batch']:.0f} s（100 份）",
            mark(m["batch_all"] * 100 / n < TARGETS["batch"]),
        ),
    ]
    if m["cli_layout"] is not None:
        rows.insert(7, ("(c) 同上，默认用 LibreOffice 排版目录页码", f"{m['cli_layout']:.2f} s", "", ""))
    rows += layout_rows(m, mark)
    machine_line = f"{m['machine']['cores']} 核 {m['machine']['cpu']}，Python {m['machine']['python']}"
    load = "，".join(f"{a[0]:.2f}" for a in m["load"])
    lines = [
        f"机器：{machine_line}；开始/结束时的 1 分钟平均负载：{load}",
        "",
        "| 测量 | 结果 | 目标 | |",
        "| --- | ---: | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
