"""Nothing the tool writes into a spreadsheet or a CSV file runs as a formula."""

from __future__ import annotations

import csv

import hostile
from click.testing import CliRunner
from openpyxl import load_workbook

from annual_report.cli.main import main
from annual_report.core.formula_safe import csv_text, set_cell

NAME = '=HYPERLINK("http://example.com/x","点此查看")'


def formula_named(path):
    """A workbook whose 馆名 is a string cell that starts like a formula (as Excel saves text typed after ')."""
    return hostile.raw_text(hostile.good(path), "封面", "B2", NAME)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_summary_holds_the_name_as_a_string_cell(tmp_path):
    (tmp_path / "in").mkdir()
    formula_named(tmp_path / "in" / "公式.xlsx")
    result = run("summary", tmp_path / "in", "-o", tmp_path / "汇总.xlsx", "-j", "1")
    assert result.exit_code == 0, result.output
    cell = load_workbook(tmp_path / "汇总.xlsx")["各馆数据"]["A3"]
    assert (cell.value, cell.data_type) == (NAME, "s")


def test_next_years_workbook_holds_the_name_as_a_string_cell(tmp_path):
    source = formula_named(tmp_path / "上一年.xlsx")
    result = run("template", "--from", source, "-o", tmp_path / "下一年.xlsx")
    assert result.exit_code == 0, result.output
    cell = load_workbook(tmp_path / "下一年.xlsx")["封面"]["B2"]
    assert (cell.value, cell.data_type) == (NAME, "s")


def test_the_send_log_starts_the_name_with_an_apostrophe(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = formula_named(tmp_path / "公式.xlsx")
    assert run("render", source, "--no-layout").exit_code == 0
    [report] = (tmp_path / "outputs").glob("*.docx")
    result = run("send", report, "--eml", tmp_path / "草稿.eml", "--sender", "lib@example.com")
    assert result.exit_code == 0, result.output
    with (tmp_path / "outputs" / "发送记录.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["主题"].startswith("'=HYPERLINK(")
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_every_formula_start_is_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_text(f"{start}1+1").startswith("'")
    assert csv_text("丽江市图书馆") == "丽江市图书馆" and csv_text(None) == ""


def test_a_string_cell_keeps_its_text_but_never_its_formula():
    from openpyxl import Workbook

    cell = Workbook().active["A1"]
    set_cell(cell, "=1+1\x07")
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    set_cell(cell, 5)
    assert (cell.value, cell.data_type) == (5, "n")
