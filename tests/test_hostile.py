"""Workbooks from others cannot hurt the office: each hostile input is refused alone, in bounded memory and time."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest
from click.testing import CliRunner
from forked import ForkedCommandLine
from make_samples import fixture, readme_with_limits, write_test_workbook
from openpyxl import load_workbook

import annual_report.workbook.validate
from annual_report.cli.main import main
from annual_report.core import limits
from annual_report.pipeline import batch
from annual_report.pipeline.summary import LIBRARIES_SHEET

ROOT = Path(__file__).resolve().parent.parent
PEAK_MB = 500
GOOD_COUNT = 6  # good workbooks among the hostile ones of a batch


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def command_line():
    """Fresh processes for the command line, forked from one prepared process."""
    runner = ForkedCommandLine()
    yield runner
    runner.close()


def _ratio_bomb(path):
    return hostile.zip_bomb(path, inflated=20 * 1024 * 1024)


def _declared_huge(path):
    """A directory that claims 300 MB for the shared strings (the bytes are not there)."""
    hostile.good(path)
    data = bytearray(path.read_bytes())
    name = b"xl/workbook.xml"
    start = data.rfind(name)  # its central directory entry
    data[start - 46 + 24 : start - 46 + 28] = (300 * 1024 * 1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def _many_cells(path):
    """Over 200000 cells that carry only a style (Excel writes them when formatting is pasted on a range)."""
    hostile.good(path)
    columns = [f"{a}{b}" for a in ("", "A") for b in "ABCDEFGHIJKLMNOPQRSTUVWXY"][:49]

    def row(number: int) -> bytes:
        cells = "".join(f'<c r="{column}{number}" s="1"/>' for column in columns)
        return f'<row r="{number}">{cells}</row>'.encode()

    rows = b"".join(row(number) for number in range(2, 4300))
    return hostile.rewrite(
        path, hostile.sheet_part(path, "项目"), lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")
    )


def _wide_on_two_sheets(path):
    hostile.far_cell(path, "AX40000")
    return hostile.add_cell(path, "正文", "AX40000")


def _entity_expansion(path):
    """A "billion laughs" document type in one of the package's XML parts."""
    hostile.good(path)
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return hostile.rewrite(path, "docProps/app.xml", lambda xml: laughs + xml.split(b"?>", 1)[-1])


def _malformed_styles(path):
    hostile.good(path)
    return hostile.rewrite(path, "xl/styles.xml", lambda xml: xml[: len(xml) // 2])


def _pasted_picture_bomb(path):
    from make_samples import org_chart, paste_picture

    data = copy.deepcopy(fixture("lijiang_2020"))
    data["pictures"] = [{"name": "组织结构图", "caption": "组织结构"}]
    write_test_workbook(path, data)
    paste_picture(path, org_chart(data), row=2)
    return hostile.rewrite(path, "xl/media/image1.png", lambda old: hostile.picture_bomb())


def _fifo(path):
    os.mkfifo(path)
    return path


HOSTILE = {
    "value in XFD1048576": (lambda p: hostile.far_cell(p, "XFD1048576"), ["封面", "XFD1048576"]),
    "value in XFD3000": (lambda p: hostile.far_cell(p, "XFD3000"), ["封面", "XFD3000"]),
    "value in row 2000000": (lambda p: hostile.far_cell(p, "A2000000"), ["封面", "A2000000"]),
    "zip bomb": (_ratio_bomb, ["压缩炸弹"]),
    "directory claims 300 MB": (_declared_huge, ["300 MB"]),
    "part larger than its directory says": (hostile.lying_size, ["篡改"]),
    "malformed sheet XML": (hostile.malformed_sheet, ["已损坏"]),
    "malformed styles": (_malformed_styles, ["已损坏"]),
    "too many styled cells": (_many_cells, ["200000 个单元格", "项目"]),
    "wide on two sheets": (_wide_on_two_sheets, ["行列范围合计", "正文"]),
    "entity expansion": (_entity_expansion, ["文档类型声明"]),
    "a pipe named .xlsx": (_fifo, ["不是普通文件"]),
    "lone surrogate": (
        lambda p: hostile.raw_text(hostile.good(p), "正文", "C2", "半个_xD83D_表情"),
        ["正文!C2", "U+D83D"],
    ),
    "NaN": (lambda p: hostile.raw_number(hostile.good(p), "主要数据", "B2", "NaN"), ["主要数据!B2"]),
    "escape sequence in a number": (
        lambda p: hostile.raw_text(hostile.good(p), "主要数据", "B2", "_x001B_[2J12"),
        ["主要数据!B2"],
    ),
    "pasted picture bomb": (_pasted_picture_bomb, ["图片!B2", "万像素"]),
    "line break in 馆名": (
        lambda p: hostile.raw_text(hostile.good(p), "封面", "B2", "丽江_x000A_图书馆"),
        ["封面!B2", "换行"],
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_workbook_is_refused_in_bounded_memory(name, hostile_folder, command_line):
    path = hostile_folder / f"{name}.xlsx"
    result, peak = command_line.run("validate", path, cwd=hostile_folder)
    said = result.stdout + result.stderr
    assert result.returncode in (1, 2), said
    assert path.name in said and "错误" in said
    for words in HOSTILE[name][1]:
        assert words in said
    assert "Traceback" not in said and "\x1b" not in said
    assert peak < PEAK_MB


def test_a_good_workbook_still_reads(tmp_path, command_line):
    result, peak = command_line.run("validate", hostile.good(tmp_path / "好.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert peak < PEAK_MB


@pytest.fixture(scope="module")
def mixed_folder(hostile_folder, tmp_path_factory) -> tuple[Path, list[str]]:
    """Six good workbooks, every hostile one, a symbolic-link loop, an undecodable name and a very long 馆名."""
    folder = tmp_path_factory.mktemp("mixed")
    names = [f"第{index + 1}号图书馆" for index in range(GOOD_COUNT - 1)] + ["图" * 90 + "馆"]
    for index, library in enumerate(names):
        hostile.good(folder / f"馆{index + 1}.xlsx", library)
    for path in hostile_folder.iterdir():
        target = folder / path.name
        if path.is_fifo():
            os.mkfifo(target)
        else:
            target.write_bytes(path.read_bytes())
    os.symlink("环.xlsx", folder / "环.xlsx")
    descriptor = os.open(os.fsencode(folder) + b"/\xff\xfe.xlsx", os.O_CREAT | os.O_WRONLY)
    os.close(descriptor)
    return folder, names


def test_a_batch_with_every_hostile_file_renders_the_good_ones(mixed_folder, tmp_path, command_line):
    folder, _ = mixed_folder
    out = tmp_path / "reports"
    result, peak = command_line.run("render", folder, "-o", out, "--no-layout", "-j", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == GOOD_COUNT
    assert any(len(p.name.encode()) <= 255 and "…" in p.name for p in reports)  # the long 馆名, shortened
    assert "循环的符号链接" in result.stdout and "无法显示的字符" in result.stdout
    assert not list(out.glob(".tmp-*"))
    assert peak < PEAK_MB


def test_the_summary_of_that_batch_has_every_good_library(mixed_folder, tmp_path, command_line):
    folder, names = mixed_folder
    target = tmp_path / "汇总.xlsx"
    result, _ = command_line.run("summary", folder, "-o", target, "-j", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(target)[LIBRARIES_SHEET]
    rows = {row[0]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert all(rows.get(name) == "通过" for name in names)
    problems = [row[6] for row in load_workbook(target)["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert any("XFD1048576" in str(text) for text in problems)


def _misbehave(real):
    """validate_workbook that kills its own process for 杀.xlsx and hangs for 卡.xlsx (tests only)."""

    def validate_workbook(path, *args, **kwargs):
        if Path(path).name == "杀.xlsx":
            os.kill(os.getpid(), 9)
        if Path(path).name == "卡.xlsx":
            time.sleep(3600)
        return real(path, *args, **kwargs)

    return validate_workbook


def test_a_worker_that_dies_or_hangs_fails_only_its_file(tmp_path, monkeypatch):
    for index in range(4):
        hostile.good(tmp_path / f"好{index}.xlsx", f"好{index}馆")
    hostile.good(tmp_path / "杀.xlsx", "杀馆")
    hostile.good(tmp_path / "卡.xlsx", "卡馆")
    monkeypatch.setattr(limits, "FILE_SECONDS", 3)
    real = annual_report.workbook.validate.validate_workbook
    monkeypatch.setattr(annual_report.workbook.validate, "validate_workbook", _misbehave(real))
    results = {r.file: r for r in batch.validate_folder(tmp_path, jobs=2)}
    assert [results[f"好{i}.xlsx"].status for i in range(4)] == ["ok"] * 4
    assert "意外终止" in results["杀.xlsx"].first_problem
    assert "3 秒" in results["卡.xlsx"].first_problem
    assert {results[name].problems[0].code for name in ("杀.xlsx", "卡.xlsx")} == {"file-aborted"}


def test_one_worker_serves_several_files_in_order(tmp_path):
    for index in range(5):
        hostile.good(tmp_path / f"{index}.xlsx", f"第{index}馆")
    results = batch.validate_folder(tmp_path, jobs=1)
    assert [r.library for r in results] == [f"第{i}馆" for i in range(5)]


def test_a_symbolic_link_loop_and_a_pipe_are_skipped_with_a_message(tmp_path):
    hostile.good(tmp_path / "好.xlsx")
    os.symlink("环.xlsx", tmp_path / "环.xlsx")
    os.mkfifo(tmp_path / "管道.xlsx")
    result = run("validate", tmp_path, "-j", "1")
    assert result.exit_code == 1
    assert "环.xlsx：是循环的符号链接，已跳过" in result.output
    assert "管道.xlsx：不是普通文件" in result.output
    assert "通过" in result.output


def test_a_single_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "管道.xlsx")
    result = run("validate", tmp_path / "管道.xlsx")
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_stale_scratch_folders_of_dead_processes_are_removed(tmp_path, monkeypatch):
    from annual_report.core import scratch

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f"annual-report-office-{pid}-abc"
    mine = tmp_path / f"annual-report-{os.getpid()}-abc"
    other = tmp_path / "something-else"
    for folder in (stale, mine, other):
        folder.mkdir()
    assert scratch.remove_stale(tmp_path) == [stale]
    assert mine.exists() and other.exists()


def _processes_mentioning(text: str) -> list[int]:
    """Running processes whose command line contains the text (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.libreoffice
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_leaves_no_soffice_and_no_scratch_folder(tmp_path):
    from annual_report.layout.libreoffice import available

    if not available():
        pytest.skip("LibreOffice is not installed")
    folder, scratch, out = tmp_path / "in", tmp_path / "scratch", tmp_path / "out"
    folder.mkdir()
    scratch.mkdir()
    for index in range(3):
        hostile.good(folder / f"{index}.xlsx", f"第{index}馆")
    environment = os.environ | {"PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "annual_report", "render", folder, "-o", out, "--pdf", "-j", "1"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1200):  # until LibreOffice runs with its profile in our scratch folder
            if len(_processes_mentioning(str(scratch))) >= 2:  # the helper and soffice
                break
            time.sleep(0.1)
        assert process.poll() is None, "the run ended before LibreOffice was started"
        process.terminate()
        assert process.wait(timeout=60) != 0
    finally:
        if process.poll() is None:
            process.kill()
    assert _processes_mentioning(str(scratch)) == []
    assert list(scratch.iterdir()) == []
    assert list(out.glob(".tmp-*")) == []


def test_the_readme_lists_every_limit_with_its_value():
    named = {name for _, names in limits.TABLE for name in names}
    assert named == {name for name in vars(limits) if name.isupper() and name not in ("KB", "MB", "TABLE")}
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_limits(text) == text, "run: python tests/make_samples.py"
