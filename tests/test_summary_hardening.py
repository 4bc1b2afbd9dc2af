"""The summary counts each library once and never writes over a submitted workbook."""

from __future__ import annotations

import hashlib
import os

import hostile
from click.testing import CliRunner
from openpyxl import load_workbook

from annual_report.cli.main import main
from annual_report.pipeline.summary import LIBRARIES_SHEET


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def libraries(path) -> list[tuple]:
    sheet = load_workbook(path)[LIBRARIES_SHEET]
    return [row[:4] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]


def test_a_resubmission_is_counted_once_and_the_newer_file_wins(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    old = hostile.good(folder / "丽江-第一次.xlsx", "丽江市\u200b图书馆")
    new = hostile.good(folder / "丽江-改正.xlsx", "丽江市图书馆")
    hostile.good(folder / "玉龙.xlsx", "玉龙县图书馆")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    os.utime(new, (1_700_000_000, 1_700_000_000))
    result = run("summary", folder, "-o", tmp_path / "汇总.xlsx", "-j", "1")
    assert result.exit_code == 0, result.output
    assert [row[0] for row in libraries(tmp_path / "汇总.xlsx")] == ["丽江市图书馆", "玉龙县图书馆"]
    assert "丽江-第一次.xlsx 与 丽江-改正.xlsx 是同一馆同一年度" in result.output
    problems = [row for row in load_workbook(tmp_path / "汇总.xlsx")["问题清单"].iter_rows(values_only=True)]
    assert any(row[4] == "resubmitted" and row[0] == "丽江-第一次.xlsx" for row in problems)


def test_the_summary_never_writes_over_a_submitted_workbook_even_with_force(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    target = hostile.good(folder / "丽江.xlsx")
    hostile.good(folder / "玉龙.xlsx", "玉龙县图书馆")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    result = run("summary", folder, "-o", target, "--force")
    assert result.exit_code == 1 and "不是本工具生成的汇总工作簿" in result.output and "丽江.xlsx" in result.output
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_an_earlier_summary_is_replaced_with_force(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.good(folder / "丽江.xlsx")
    target = folder / "汇总.xlsx"
    assert run("summary", folder, "-o", target, "-j", "1").exit_code == 0
    assert run("summary", folder, "-o", target, "-j", "1").exit_code == 1  # not without --force
    again = run("summary", folder, "-o", target, "--force", "-j", "1")
    assert again.exit_code == 0, again.output
    assert [row[0] for row in libraries(target)] == ["丽江市图书馆"]
