"""render --trace and fill.py trace: every printed number with the cell it comes from, or its formula."""

from __future__ import annotations

import functools
import json

import pytest
from click.testing import CliRunner
from conftest import INPUTS, table_after
from docx import Document
from make_samples import SAMPLES
from openpyxl import load_workbook

from annual_report.cli.main import main


@functools.cache
def _opened(workbook):
    return load_workbook(workbook, data_only=True)


def _cell_value(workbook, reference: str):
    """The value openpyxl reads from 工作表!单元格 of a workbook (opened once per test run)."""
    sheet, cell = reference.split("!")
    return _opened(workbook)[sheet][cell].value


def _same(printed: str, value) -> bool:
    return isinstance(value, int | float) and float(printed.replace(",", "")) == float(value)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_key_figure_of_the_report_is_traced_to_a_cell_holding_it(name, tmp_path):
    workbook = INPUTS / SAMPLES[name]
    output = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["render", str(workbook), "-o", str(output), "--no-layout", "--trace"])
    assert result.exit_code == 0, result.output
    document = Document(output)
    assert any(p.text == "附：数据来源" and p.style.name == "Heading 1" for p in document.paragraphs)
    sources = {row[0]: row[1:] for row in table_after(document, "报告中数字的来源")[1:]}
    assert any(item.startswith("正文：") for item in sources)  # figures the narrative quotes
    figures = table_after(document, "主要业务数据")
    assert len(figures) > 1
    header = figures[0]
    for row in figures[1:]:
        label = row[0]
        for column in ("本年", "上年"):
            printed = row[header.index(column)] if column in header else "—"  # a column empty in every row is left out
            if printed == "—":
                continue
            value, source = sources[f"主要数据：{label}（{column}）"]
            assert value == printed
            assert _same(printed, _cell_value(workbook, source)), (label, column, source)


def test_derived_figures_carry_their_formula_in_words():
    output = CliRunner().invoke(main, ["trace", str(INPUTS / SAMPLES["lijiang_2020"]), "--format", "json"]).stdout
    sources = json.loads(output)
    change = next(s for s in sources if s["item"] == "进馆人次（同比）")
    assert change["value"] == "-62.7%" and change["formula"].startswith("同比 =（本年 主要数据!B2 − 上年 主要数据!C2）")
    plain = [s for s in sources if not s["formula"]]
    assert plain and all(len(s["cells"]) == 1 for s in plain)
    for source in plain[:20]:
        assert _same(source["value"], _cell_value(INPUTS / SAMPLES["lijiang_2020"], source["cells"][0]))


def test_figures_quoted_in_the_narrative_are_traced_to_their_text_cell_and_the_field():
    workbook = INPUTS / SAMPLES["lijiang_2020"]
    sources = json.loads(CliRunner().invoke(main, ["trace", str(workbook), "--format", "json"]).stdout)
    quoted = [s for s in sources if s["section"] == "正文"]
    assert {"section": "正文", "item": "新办读者证（本年）", "value": "654 张", "cells": ["正文!C5", "主要数据!B6"],
            "formula": "正文!C5 中写的数，与 主要数据!B6 相符"} in quoted  # fmt: skip
    # last year's figure, by the year the sentence names
    assert ("进馆人次（上年）", "8.04 万余人次") in [(s["item"], s["value"]) for s in quoted]
    book = load_workbook(workbook, data_only=True)
    for source in quoted:
        text, figure = (book[sheet][cell].value for sheet, cell in (c.split("!") for c in source["cells"]))
        assert source["value"] in text and isinstance(figure, int | float), source


def test_a_narrative_figure_that_contradicts_its_field_is_not_traced_to_it(lijiang, make_workbook):
    from annual_report.core.schema import load_schema
    from annual_report.report.trace import trace_sources
    from annual_report.workbook.validate import validate_workbook

    text = lijiang["narrative"][3]["text"]
    lijiang["narrative"][3]["text"] = text.replace("新增读者证 654 张", "新增读者证 700 张")
    book, result = validate_workbook(make_workbook(lijiang))
    assert any(p.code == "text-contradicts-figure" and "700" in p.message for p in result.problems)
    items = [s.item for s in trace_sources(book, load_schema()) if s.section == "正文"]
    assert "新办读者证（本年）" not in items and "有效持证读者（本年）" in items


def test_trace_refuses_a_workbook_with_errors(bad_workbook):
    result = CliRunner().invoke(main, ["trace", str(bad_workbook)])
    assert result.exit_code == 1 and "人员!B3" in result.output
