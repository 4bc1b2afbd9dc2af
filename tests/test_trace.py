"""render --trace and fill.py trace: every number the report prints, with the cell it comes from or its formula.

The trace is read against the rendered report: per table and chart, the numbers printed and the numbers traced
are the same, and each traced number is held by its cell (or made from its cells by its formula).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import INPUTS, table_after
from docx import Document
from docx.oxml.ns import qn
from make_samples import SAMPLES, attach_pictures, build_template, write_test_workbook
from openpyxl import load_workbook
from report_content import charts

from annual_report.cli.main import main
from annual_report.core.schema import Schema, load_schema
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook, trace_report
from annual_report.workbook.blank import write_workbook

NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")
NARRATIVE = "正文"


def document_numbers(path: Path) -> dict[str, Counter]:
    """Every number of every table (by the caption above it) and chart (by the caption below it), as printed."""
    document = Document(path)
    styles = {style.style_id: style.name for style in document.styles}
    drawn = iter(charts(path))
    found: dict[str, Counter] = {}
    caption, chart = None, None
    for element in document.element.body:
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        if element.tag == qn("w:tbl") and caption:
            cells = ("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in element.iter(qn("w:tc")))
            found[caption] = Counter(cell for cell in cells if NUMBER.match(cell))
            caption = None
        elif element.tag == qn("w:p") and styles.get(element.style) == "Caption":
            caption = text
        elif element.tag == qn("w:p") and element.find(f".//{qn('c:chart')}") is not None:
            chart = next(drawn)
        elif element.tag == qn("w:p") and styles.get(element.style) == "Figure Caption" and chart:
            found[text] = Counter(_number(v) for series in chart["series"] for v in series["values"])
            chart = None
    return {section: numbers for section, numbers in found.items() if numbers}


def traced_numbers(lines: list[dict]) -> dict[str, Counter]:
    """The traced numbers by section, as document_numbers gives them (a chart's as numbers)."""
    found: dict[str, Counter] = {}
    for line in lines:
        if line["section"].startswith(("表", "图")):
            value = _number(line["value"]) if line["section"].startswith("图") else line["value"]
            found.setdefault(line["section"], Counter())[value] += 1
    return found


def _number(text: str) -> float:
    return float(text.rstrip("%"))


@functools.cache
def _opened(path: Path):
    return load_workbook(path, data_only=True)


def _cell_value(workbook: Path, reference: str):
    """The value of a traced cell: 工作表!单元格 of the workbook, or 'file 工作表!单元格' of a branch beside it."""
    file, _, where = reference.rpartition(" ")
    path = next(workbook.parent.rglob(file)) if file else workbook
    sheet, cell = where.split("!")
    return _opened(path)[sheet][cell].value


def assert_traced_as_printed(workbook: Path, report: Path, lines: list[dict]) -> None:
    """The report's numbers are the trace's, section by section, and each traced number is held by its cells."""
    assert document_numbers(report) == traced_numbers(lines)
    paragraphs = [p.text for p in Document(report).paragraphs]
    for line in lines:  # a chart too small to draw is a sentence: its numbers are in the paragraph it makes
        if not line["section"].startswith(("表", "图")) and line["section"] != NARRATIVE:
            assert any(text.startswith(line["section"]) or line["value"] in text for text in paragraphs), line
    for line in lines:
        assert line["cells"], line
        values = [_cell_value(workbook, cell) for cell in line["cells"]]
        if line["section"] == NARRATIVE:  # the text cell states the number the indicator's cell holds
            assert line["value"] in values[0] and isinstance(values[1], int | float), line
        elif not line["formula"]:
            assert len(values) == 1 and isinstance(values[0], int | float), line
            assert round(values[0], 2) == round(_number(line["value"]), 2), line
        else:
            assert all(isinstance(value, int | float) for value in values), line
            if line["formula"].startswith(line["item"].split("：")[-1] + " ="):  # a sum: its cells add up to it
                assert round(sum(values), 2) == round(_number(line["value"]), 2), line


def _render_and_trace(workbook: Path, tmp_path: Path, *options: str) -> tuple[Path, list[dict]]:
    report = tmp_path / "报告.docx"
    rendered = CliRunner().invoke(main, ["render", str(workbook), "-o", str(report), "--no-layout", *options])
    assert rendered.exit_code == 0, rendered.output
    traced = CliRunner().invoke(main, ["trace", str(workbook), "--format", "json", *options])
    assert traced.exit_code == 0, traced.output
    return report, json.loads(traced.stdout)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_number_of_a_sample_report_is_traced_to_the_cells_holding_it(name, tmp_path):
    workbook = INPUTS / SAMPLES[name]
    report, lines = _render_and_trace(workbook, tmp_path)
    assert_traced_as_printed(workbook, report, lines)
    assert any(line["section"] == NARRATIVE for line in lines)  # numbers the narrative quotes
    charted = {line["section"] for line in lines if not line["section"].startswith("表")} - {NARRATIVE}
    assert charted  # and the charts' (丽江's one pair of bars is a sentence, traced as its chart)


def test_a_senior_total_made_of_its_parts_is_printed_and_traced_the_same(qufu, make_workbook, tmp_path):
    qufu["staff"].pop("title_senior", None)
    qufu["staff"] |= {"title_senior_full": 1, "title_senior_associate": 1}
    workbook = make_workbook(qufu)
    report, lines = _render_and_trace(workbook, tmp_path)
    assert_traced_as_printed(workbook, report, lines)
    senior = next(line for line in lines if line["item"] == "高级职称" and line["section"].endswith("人员职称结构"))
    assert senior["value"] == "2" and senior["formula"].startswith("高级职称 = 正高级 + 副高级")
    total = next(line for line in lines if line["item"] == "按职称合计")
    rows = table_after(Document(report), "人员职称结构")
    assert rows[-1] == ["合计", total["value"]]


def test_last_years_numbers_the_report_does_not_print_are_not_traced(lijiang, make_workbook, tmp_path):
    lijiang["indicators"]["seats"] = {"previous": 300}  # 上年 only: the table prints no row for it
    workbook = make_workbook(lijiang)
    report, lines = _render_and_trace(workbook, tmp_path)
    assert_traced_as_printed(workbook, report, lines)
    assert not any("阅览室坐席" in line["item"] for line in lines)


def test_a_head_library_with_its_branches_is_traced_to_every_branch_cell(lijiang, tmp_path):
    head = copy.deepcopy(lijiang)
    head["cover"]["branch_names"] = "古城区分馆、玉龙县分馆"
    head["narrative"][2]["insert"] = "主要数据表、分馆情况表、分馆对比图"
    workbook = write_test_workbook(tmp_path / "总馆.xlsx", head)
    attach_pictures(workbook, head)
    (tmp_path / "分馆").mkdir()
    for index, name in enumerate(("古城区分馆", "玉龙县分馆"), start=1):
        branch = copy.deepcopy(lijiang) | {"pictures": []}
        branch["cover"]["name"] = name
        branch["indicators"]["visits"] = {"current": 1000 * index, "previous": 900 * index}
        write_test_workbook(tmp_path / "分馆" / f"{name}.xlsx", branch)
    report, lines = _render_and_trace(workbook, tmp_path, "--branches", str(tmp_path / "分馆"))
    assert_traced_as_printed(workbook, report, lines)
    whole = next(line for line in lines if line["item"] == "进馆人次（全馆）")
    assert whole["value"] == str(30000 + 1000 + 2000) and len(whole["cells"]) == 3
    assert {cell.split(" ")[0] for cell in whole["cells"][1:]} == {"古城区分馆.xlsx", "玉龙县分馆.xlsx"}


def test_a_table_added_to_the_schema_is_printed_and_traced_with_no_code(qufu, tmp_path):
    raw = copy.deepcopy(load_schema().raw)
    raw["properties"]["events"] = {
        "type": "array", "x-sheet": "重点活动", "x-layout": "table", "x-rows": 10, "x-intro": "本年的重点活动。",
        "items": {"type": "object", "required": ["name"], "properties": {
            "name": {"$ref": "#/$defs/short_text", "x-label": "活动名称", "x-width": 40},
            "times": {"$ref": "#/$defs/count", "x-label": "场次", "x-width": 10},
            "people": {"$ref": "#/$defs/count", "x-label": "参与人次", "x-width": 12},
        }},
    }  # fmt: skip
    raw["x-inserts"].append({"name": "重点活动表", "kind": "table", "part": "events", "caption": "重点活动"})
    schema = Schema(raw)
    template = build_template(tmp_path / "模板.docx", schema)
    qufu["events"] = [{"name": "读书月", "times": 12, "people": 3400}, {"name": "少儿绘本周", "times": 5, "people": 800}]
    qufu["narrative"][1]["insert"] = "重点活动表"
    workbook = write_workbook(tmp_path / "年报.xlsx", qufu, schema)
    attach_pictures(workbook, qufu)
    outcome = render_workbook(workbook, RenderOptions(output=tmp_path / "报告.docx", template=template, schema=schema))
    assert outcome.output, [p.message for p in outcome.result.errors]
    _, lines = trace_report(workbook, schema=schema)
    lines = [line.to_dict() for line in lines]
    assert_traced_as_printed(workbook, outcome.output, lines)
    events = [line for line in lines if line["section"].endswith("重点活动")]
    assert [(line["item"], line["value"]) for line in events] == [
        ("读书月：场次", "12"), ("读书月：参与人次", "3400"), ("少儿绘本周：场次", "5"), ("少儿绘本周：参与人次", "800"),
    ]  # fmt: skip


def test_render_trace_appends_the_same_lines_as_the_trace_command(tmp_path):
    workbook = INPUTS / SAMPLES["lijiang_2020"]
    report = tmp_path / "报告.docx"
    assert CliRunner().invoke(main, ["render", str(workbook), "-o", str(report), "--no-layout", "--trace"]).exit_code == 0
    lines = json.loads(CliRunner().invoke(main, ["trace", str(workbook), "--format", "json"]).stdout)
    document = Document(report)
    assert any(p.text == "附：数据来源" and p.style.name == "Heading 1" for p in document.paragraphs)
    appendix = table_after(document, "报告中数字的来源")[1:]
    assert appendix == [
        [f"{line['section']}：{line['item']}", line["value"], line["formula"] or "、".join(line["cells"])] for line in lines
    ]


def test_derived_numbers_carry_their_formula_in_words():
    output = CliRunner().invoke(main, ["trace", str(INPUTS / SAMPLES["lijiang_2020"]), "--format", "json"]).stdout
    change = next(line for line in json.loads(output) if line["item"] == "进馆人次（同比）")
    assert change["value"] == "-62.7%" and change["formula"].startswith("同比 =（本年 主要数据!B2 − 上年 主要数据!C2）")


def test_numbers_quoted_in_the_narrative_are_traced_to_their_text_cell_and_the_indicator():
    workbook = INPUTS / SAMPLES["lijiang_2020"]
    lines = json.loads(CliRunner().invoke(main, ["trace", str(workbook), "--format", "json"]).stdout)
    quoted = [line for line in lines if line["section"] == NARRATIVE]
    assert {"section": "正文", "item": "新办读者证（本年）", "value": "654 张", "cells": ["正文!C5", "主要数据!B6"],
            "formula": "正文!C5 中写的数，与 主要数据!B6 相符"} in quoted  # fmt: skip
    assert ("进馆人次（上年）", "8.04 万余人次") in [(line["item"], line["value"]) for line in quoted]  # by the year named


def test_a_narrative_number_that_contradicts_its_indicator_is_not_traced_to_it(lijiang, make_workbook):
    text = lijiang["narrative"][3]["text"]
    lijiang["narrative"][3]["text"] = text.replace("新增读者证 654 张", "新增读者证 700 张")
    workbook = make_workbook(lijiang)
    result, lines = trace_report(workbook)
    assert any(p.code == "text-contradicts-figure" and "700" in p.message for p in result.problems)
    items = [line.item for line in lines if line.section == NARRATIVE]
    assert "新办读者证（本年）" not in items and "有效持证读者（本年）" in items


def test_trace_refuses_a_workbook_with_errors(bad_workbook):
    result = CliRunner().invoke(main, ["trace", str(bad_workbook)])
    assert result.exit_code == 1 and "人员!B3" in result.output
