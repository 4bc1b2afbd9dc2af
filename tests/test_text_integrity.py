"""What the report contains is exactly the text that was validated: normalised once at read time, nothing lost."""

from __future__ import annotations

import copy
import unicodedata

import hostile
import pytest
from click.testing import CliRunner
from docx import Document
from make_samples import fixture, write_test_workbook
from openpyxl import load_workbook

from annual_report.cli.main import main
from annual_report.workbook.validate import validate_workbook

TEXT_CELL = ("正文", "C2")  # the first narrative row's 正文


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def codes(path) -> dict[tuple[str, str], set[str]]:
    _, result = validate_workbook(path)
    found: dict = {}
    for item in result.problems:
        found.setdefault((item.sheet, item.cell), set()).add(item.code)
    return found


def test_a_lone_surrogate_is_refused_with_its_cell_and_nothing_is_rendered(tmp_path):
    path = hostile.raw_text(hostile.good(tmp_path / "代理.xlsx"), *TEXT_CELL, "开头_xD83D_结尾")
    result = run("render", path, "-o", tmp_path / "报告.docx", "--no-layout")
    assert result.exit_code == 1
    assert "正文!C2" in result.output and "U+D83D" in result.output
    assert "已生成" not in result.output and not (tmp_path / "报告.docx").exists()


def test_a_surrogate_pair_written_as_escapes_renders_whole(tmp_path):
    path = hostile.raw_text(hostile.good(tmp_path / "表情.xlsx"), *TEXT_CELL, "开头_xD83D__xDE00_结尾")
    result = run("render", path, "-o", tmp_path / "报告.docx", "--no-layout")
    assert result.exit_code == 0, result.output
    assert "开头😀结尾" in [p.text for p in Document(tmp_path / "报告.docx").paragraphs]


@pytest.mark.parametrize(
    ("sheet", "ref", "written"),
    [("主要数据", "B2", "12_x000B_"), ("正文", "A2", "正文_x001B_[31m"), ("封面", "B2", "丽江_x0007_市图书馆")],
    ids=["number", "choice", "text"],
)
def test_control_characters_are_removed_in_every_kind_of_cell(sheet, ref, written, tmp_path):
    path = hostile.raw_text(hostile.good(tmp_path / "控制.xlsx"), sheet, ref, written)
    assert "control-characters" in codes(path)[(sheet, ref)]
    result = run("validate", path)
    assert not any(ch in result.output for ch in "\x0b\x1b\x07")
    summary = run("summary", tmp_path, "-o", tmp_path / "汇总.xlsx")
    assert summary.exit_code == 0, summary.output
    assert load_workbook(tmp_path / "汇总.xlsx")["各馆数据"]["A3"].value == "丽江市图书馆"


@pytest.mark.parametrize("written", ["NaN", "INF", "-inf"])
def test_nan_and_infinities_are_refused(written, tmp_path):
    path = hostile.raw_number(hostile.good(tmp_path / "无穷.xlsx"), "主要数据", "B2", written)
    assert codes(path)[("主要数据", "B2")] == {"not-finite"}
    result = run("render", path, "-o", tmp_path / "报告.docx", "--no-layout")
    assert result.exit_code == 1 and "主要数据!B2" in result.output and "不是可用的数字" in result.output


def test_a_line_break_in_the_library_name_is_an_error(tmp_path):
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["cover"]["name"] = "丽江市\n图书馆"
    path = write_test_workbook(tmp_path / "换行.xlsx", data)
    assert codes(path)[("封面", "B2")] == {"line-break"}


TRICKY = [
    "模板标记照原样：{_{ cover.name }_} 和 {_% if x %_}，还有 {{ 7*7 }}",
    "XML 特殊字符 <b>&amp; 'single' \"double\"",
    "表情 😀、组合字符 e\u0301 与 Å、全角　空格",
    "第一段\n第二段\n\n第四段",
    "带制表符\t的文字",
]


def test_every_text_cell_is_in_the_report_exactly(tmp_path):
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["narrative"] += [{"level": "正文", "text": text} for text in TRICKY]
    path = write_test_workbook(tmp_path / "正文.xlsx", data)
    out = tmp_path / "报告.docx"
    result = run("render", path, "-o", out, "--no-layout")
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in Document(out).paragraphs]
    sheet = load_workbook(path)["正文"]
    texts = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]]
    assert len(texts) >= len(TRICKY) + 5
    position = 0
    for text in texts:
        for line in unicodedata.normalize("NFC", text).split("\n"):
            if line.strip():
                # each in order and whole; an item's first line follows its number and title (1.标题。正文)
                position = next(i for i in range(position, len(paragraphs)) if paragraphs[i].endswith(line.strip())) + 1
