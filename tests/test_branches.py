"""A 总馆 with its branches: the checks across the set and the 全馆 totals."""

from __future__ import annotations

import copy
import dataclasses
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import table_after
from docx import Document
from make_samples import attach_pictures, write_test_workbook
from make_samples import fixture as sample

from annual_report.cli.main import main
from annual_report.pipeline.batch import validate_folder
from annual_report.pipeline.branches import validate_network
from annual_report.pipeline.summary import build_summary
from annual_report.report.blocks import Material, build
from annual_report.workbook.inserts import registered
from annual_report.workbook.read import read_workbook
from annual_report.workbook.validate import validate_workbook

BRANCHES = ("古城区分馆", "玉龙县分馆", "华坪县分馆")


def _library(data: dict, name: str, visits: int, previous: int | None = None) -> dict:
    data["cover"]["name"] = name
    data["indicators"]["visits"] = {"current": visits, **({"previous": previous} if previous is not None else {})}
    return data


@pytest.fixture(scope="module")
def built_network(tmp_path_factory) -> Path:
    """A 总馆 workbook that lists three branches, and a folder 分馆 with their three workbooks (built once)."""
    root = tmp_path_factory.mktemp("network")
    head = _library(copy.deepcopy(sample("lijiang_2020")), "丽江市图书馆", 30000, 80400)
    head["cover"]["branch_names"] = "、".join(BRANCHES)
    write_test_workbook(root / "总馆.xlsx", head)
    attach_pictures(root / "总馆.xlsx", head)
    (root / "分馆").mkdir()
    for index, name in enumerate(BRANCHES, start=1):
        branch = _library(copy.deepcopy(sample("lijiang_2020")), name, 1000 * index, 900 * index)
        write_test_workbook(root / "分馆" / f"{name}.xlsx", branch | {"pictures": []})
    return root


@pytest.fixture
def network(built_network, tmp_path, lijiang):
    """A fresh copy of the 总馆 workbook and its branch folder, for a test to change."""
    shutil.copytree(built_network, tmp_path, dirs_exist_ok=True)
    return tmp_path / "总馆.xlsx", tmp_path / "分馆", lijiang


def _codes(result) -> list[str]:
    return [p.code for p in result.problems if p.code.startswith(("branch", "network"))]


def test_a_complete_network_has_no_problems_and_sums_to_the_whole(network, schema):
    head_path, folder, _ = network
    _, result, found = validate_network(head_path, folder, schema)
    assert _codes(result) == []
    assert [b.name for b in found.branches] == list(BRANCHES)  # in the order the 总馆 lists them
    book = read_workbook(head_path, schema)
    [row] = [r for r in Material(book, schema, found).indicator_rows if r["label"] == "进馆人次"]
    assert row["network"].value == 30000 + 1000 + 2000 + 3000 and len(row["network"].cells) == 4


def test_a_branch_of_another_year_is_an_error_naming_its_file_and_cell(network, schema):
    from openpyxl import load_workbook

    head_path, folder, _ = network
    path = folder / "玉龙县分馆.xlsx"
    book = load_workbook(path)
    sheet = book["封面"]
    row = next(r for r in range(1, 20) if sheet.cell(r, 1).value and "报告年度" in str(sheet.cell(r, 1).value))
    sheet.cell(row, 2).value = 2019
    book.save(path)
    _, result, _ = validate_network(head_path, folder, schema)
    other = [p for p in result.problems if p.code == "branch-other-year"]
    assert len(other) == 1
    assert other[0].message.startswith(f"玉龙县分馆.xlsx 封面!B{row}：")
    assert "2019" in other[0].message and "2020" in other[0].message


def test_the_same_branch_twice_is_an_error(network, schema, lijiang):
    head_path, folder, _ = network
    again = _library(lijiang, "古城区\u200b分馆 ", 5)  # an invisible character and a space: the same library
    again["pictures"] = []
    write_test_workbook(folder / "古城区分馆-改正.xlsx", again)
    _, result, _ = validate_network(head_path, folder, schema)
    duplicate = [p for p in result.problems if p.code == "branch-duplicate"]
    assert len(duplicate) == 1 and "古城区分馆" in duplicate[0].message


def test_the_head_in_its_own_branch_folder_and_a_file_that_is_no_workbook_are_errors(network, schema):
    head_path, folder, _ = network
    (folder / "总馆副本.xlsx").write_bytes(head_path.read_bytes())
    (folder / "说明.xlsx").write_text("不是工作簿", encoding="utf-8")
    _, result, _ = validate_network(head_path, folder, schema)
    codes = {p.code: p for p in result.problems}
    assert "branch-is-head" in codes and "branch-unreadable" in codes
    assert codes["branch-unreadable"].sheet == "说明.xlsx"


def test_listed_branch_without_file_is_an_error_and_unlisted_file_a_warning(network, schema, lijiang):
    head_path, folder, _ = network
    (folder / "华坪县分馆.xlsx").unlink()
    extra = _library(lijiang, "永胜县分馆", 7)
    extra["pictures"] = []
    write_test_workbook(folder / "永胜县分馆.xlsx", extra)
    _, result, _ = validate_network(head_path, folder, schema)
    missing = [p for p in result.problems if p.code == "branch-missing"]
    unlisted = [p for p in result.problems if p.code == "branch-not-listed"]
    assert [p.severity for p in missing] == ["error"] and "华坪县分馆" in missing[0].message
    assert missing[0].sheet == "封面" and missing[0].cell
    assert [p.severity for p in unlisted] == ["warning"] and "永胜县分馆" in unlisted[0].message


def test_a_branch_with_errors_blocks_the_network(network, schema, lijiang):
    head_path, folder, _ = network
    broken = _library(lijiang, "古城区分馆", 1000)
    broken["pictures"] = []
    broken["indicators"]["visits"]["current"] = -5
    write_test_workbook(folder / "古城区分馆.xlsx", broken)
    _, result, _ = validate_network(head_path, folder, schema)
    assert "branch-has-errors" in _codes(result)
    assert result.blocks()


def test_an_empty_branch_folder_is_an_error(tmp_path, lijiang, make_workbook, schema):
    head = make_workbook(lijiang, "总馆.xlsx")
    (tmp_path / "空").mkdir()
    _, result, _ = validate_network(head, tmp_path / "空", schema)
    assert _codes(result) == ["branch-none"]


def test_a_head_report_lists_its_branches_with_a_total_and_shows_whole_network_figures(network, tmp_path):
    head_path, folder, _ = network
    data = read_workbook(head_path).data
    data["narrative"][2]["insert"] = "主要数据表、分馆情况表、分馆对比图"
    head_path = write_test_workbook(tmp_path / "总馆-插入.xlsx", data | {"pictures": []})
    result = CliRunner().invoke(main, ["render", str(head_path), "-o", str(tmp_path / "r.docx"), "--no-layout",
                                       "--branches", str(folder)])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = Document(tmp_path / "r.docx")
    branches = table_after(document, "分馆情况")
    assert branches[0][:2] == ["馆名", "进馆人次"]
    assert [row[0] for row in branches[1:]] == [*BRANCHES, "合计"]
    visits = {row[0]: row[1] for row in branches[1:]}
    assert visits == {"古城区分馆": "1000", "玉龙县分馆": "2000", "华坪县分馆": "3000", "合计": "6000"}
    figures = table_after(document, "主要业务数据")
    assert figures[0][:4] == ["指标", "单位", "本年", "全馆"]
    assert next(row for row in figures if row[0] == "进馆人次")[2:4] == ["30000", "36000"]  # 总馆 + 1000+2000+3000
    captions = [p.text for p in document.paragraphs if p.style.name == "Figure Caption"]
    assert "图1 总馆与各分馆进馆人次（单位：人次）" in captions
    categories, values = _chart(document, 1)
    assert categories == ["丽江市图书馆（总馆）", *BRANCHES]
    assert values == [30000, *(int(visits[name]) for name in BRANCHES)]


def _chart(document, number: int) -> tuple[list[str], list[float]]:
    """The categories and the first series' values of the document's chart part number N."""
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if p.partname == f"/word/charts/chart{number}.xml")
    root = etree.fromstring(part.blob)
    c = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    categories = [v.text for v in root.findall(".//c:ser[1]/c:cat//c:pt/c:v", c)]
    values = [float(v.text) for v in root.findall(".//c:ser[1]/c:val//c:pt/c:v", c)]
    return categories, values


@pytest.mark.parametrize("name", ["分馆情况表", "分馆对比图"])
def test_the_branch_table_or_chart_without_branches_says_to_give_them(network, tmp_path, name):
    head_path, _, _ = network
    data = read_workbook(head_path).data
    data["narrative"][2]["insert"] = name
    path = write_test_workbook(tmp_path / "总馆-插入.xlsx", data | {"pictures": []})
    _, result = validate_workbook(path)
    [found] = [p for p in result.problems if p.code == "insert-needs-branches"]
    assert found.severity == "error" and "--branches" in found.message and found.sheet == "正文"
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 1


def test_summary_counts_a_head_and_its_branches_once_each(network, tmp_path):
    head_path, _, _ = network
    results = validate_folder(head_path.parent, jobs=1)
    libraries = [r.library for r in results if r.status == "ok"]
    assert sorted(libraries) == sorted(["丽江市图书馆", *BRANCHES])
    sheet = build_summary(results).active
    header = [c.value for c in sheet[1]]
    column = next(i for i, title in enumerate(header) if title and title.startswith("进馆人次"))
    total = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "合计")
    assert total[column] == 30000 + 1000 + 2000 + 3000  # the head's own figure, each branch once


def test_rates_of_one_library_are_not_summed_and_a_missing_branch_figure_is_not_a_zero(network, schema):
    head_path, folder, _ = network
    book = read_workbook(folder / "玉龙县分馆.xlsx")
    data = book.data | {"indicators": {k: v for k, v in book.data["indicators"].items() if k != "valid_cards"}}
    write_test_workbook(folder / "玉龙县分馆.xlsx", data | {"pictures": []})
    head, _, found = validate_network(head_path, folder, schema)
    rows = {row["label"]: row for row in Material(head, schema, found).indicator_rows}
    for rate in ("每周开放时间", "年开馆天数"):  # hours a week do not add up
        assert rows[rate]["network"] == ""
    table = build(registered("分馆情况表"), Material(head, schema, found))
    column = table["heads"].index("有效持证读者")
    assert [row["cells"][column] for row in table["rows"]].count("—") == 1
    given = [row["cells"][column] for row in table["rows"] if row["cells"][column] != "—"]
    assert table["total"][column].text == str(sum(int(value.text) for value in given))


def test_trace_with_branches_gives_each_branch_cell_and_the_sum(network, tmp_path):
    import json

    head_path, folder, _ = network
    data = read_workbook(head_path).data
    data["narrative"][2]["insert"] = "分馆情况表"  # the trace lists what the report prints
    head_path = write_test_workbook(tmp_path / "总馆-插入.xlsx", data | {"pictures": []})
    output = CliRunner().invoke(main, ["trace", str(head_path), "--branches", str(folder), "--format", "json"]).stdout
    sources = json.loads(output)
    rows = [s for s in sources if s["section"].endswith(" 分馆情况") and s["item"].endswith("分馆：进馆人次")]
    assert {s["item"]: s["value"] for s in rows} == {
        "华坪县分馆：进馆人次": "3000", "古城区分馆：进馆人次": "1000", "玉龙县分馆：进馆人次": "2000",
    }  # fmt: skip
    assert all(s["cells"][0].endswith("主要数据!B2") for s in rows)
    total = next(s for s in sources if s["item"] == "分馆合计：进馆人次")
    assert total["value"] == "6000" and len(total["cells"]) == 3
    assert all(cell.startswith(("古城区分馆.xlsx ", "玉龙县分馆.xlsx ", "华坪县分馆.xlsx ")) for cell in total["cells"])


def _with_typed_totals(head_path: Path, target: Path, **typed) -> Path:
    """The 总馆 workbook with 全馆 figures typed in its 全馆（总馆填） column."""
    data = read_workbook(head_path).data
    for key, value in typed.items():
        data["indicators"].setdefault(key, {})["network"] = value
    return write_test_workbook(target, data | {"pictures": []})


def test_a_wrong_typed_network_total_is_an_error_naming_both_cells_and_the_branches(network, schema, tmp_path):
    head_path, folder, _ = network
    path = _with_typed_totals(head_path, tmp_path / "总馆-全馆.xlsx", visits=40000)
    _, result, _ = validate_network(path, folder, schema)
    [found] = [p for p in result.problems if p.code == "network-total-mismatch"]
    assert found.severity == "error" and (found.sheet, found.cell, found.field) == (
        "主要数据",
        "E2",
        "indicators.visits.network",
    )
    assert found.message.startswith("主要数据!E2, 主要数据!B2：")  # the typed 全馆 cell and the 总馆's own 本年
    assert "40000" in found.message and "之和是 36000" in found.message and "总馆本年 30000" in found.message
    for index, name in enumerate(BRANCHES, start=1):  # every branch file and cell summed
        assert f"{name}.xlsx 主要数据!B2 的 {1000 * index}" in found.message
    output = tmp_path / "r.docx"
    refused = CliRunner().invoke(
        main, ["render", str(path), "-o", str(output), "--no-layout", "--branches", str(folder)]
    )
    assert refused.exit_code == 1 and "主要数据!E2" in refused.output and not output.exists()


def test_a_typed_network_total_no_library_gave_cannot_be_checked_and_is_an_error(network, schema, tmp_path):
    head_path, folder, _ = network
    path = _with_typed_totals(head_path, tmp_path / "总馆-全馆.xlsx", trainings=12)  # nobody gave 培训 本年
    assert [p.code for p in validate_workbook(path, schema)[1].errors] == []  # alone it is the 总馆's own figure
    _, result, _ = validate_network(path, folder, schema)
    [found] = [p for p in result.problems if p.code == "network-total-mismatch"]
    assert found.severity == "error" and found.message.startswith("主要数据!E")
    assert "12" in found.message and "无法核对" in found.message


def test_figures_the_libraries_share_are_not_summed(schema):
    summed = {item.key for item in schema.part("indicators").fields if item.sums_over_network}
    assert {"visits", "loans_items", "holdings_total"} <= summed
    assert summed.isdisjoint({"periodicals", "ebooks", "digital_resources", "wechat_followers", "opening_days"})


def test_a_typed_network_total_below_the_heads_own_figure_is_reported_once(network, schema, tmp_path):
    head_path, folder, _ = network
    path = _with_typed_totals(head_path, tmp_path / "总馆-全馆.xlsx", visits=20000)
    for result in (validate_workbook(path, schema)[1], validate_network(path, folder, schema)[1]):
        [found] = [p for p in result.problems if p.code == "network-total-mismatch"]
        assert found.message.startswith("主要数据!E2, 主要数据!B2：") and "少于总馆自己的本年数 30000" in found.message


def test_a_right_typed_network_total_renders_with_its_cell_in_the_trace(network, schema, tmp_path):
    import json

    head_path, folder, _ = network
    path = _with_typed_totals(head_path, tmp_path / "总馆-全馆.xlsx", visits=36000)
    _, result, _ = validate_network(path, folder, schema)
    assert "network-total-mismatch" not in {p.code for p in result.problems}
    output = CliRunner().invoke(main, ["trace", str(path), "--branches", str(folder), "--format", "json"]).stdout
    whole = next(s for s in json.loads(output) if s["item"] == "进馆人次（全馆）")
    assert whole["value"] == "36000" and whole["formula"].endswith("（与总馆填写的 主要数据!E2 相同）")
    assert len(whole["cells"]) == 4


def test_without_branches_a_typed_network_total_is_printed_and_traced_to_its_cell(network, tmp_path):
    from openpyxl import load_workbook

    head_path, _, _ = network
    path = _with_typed_totals(head_path, tmp_path / "总馆-全馆.xlsx", visits=123456, loans_items=250000)
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "r.docx"), "--no-layout", "--trace"])
    assert result.exit_code == 0, result.output
    document = Document(tmp_path / "r.docx")
    figures = table_after(document, "主要业务数据")
    assert figures[0][:4] == ["指标", "单位", "本年", "全馆"]
    rows = {row[0]: row[2:4] for row in figures[1:]}
    assert rows["进馆人次"] == ["30000", "123456"] and rows["外借册次"] == ["57588", "250000"]
    assert rows["新办读者证"] == ["654", ""]  # nothing typed, no branches: no 全馆 figure
    sources = {row[0]: row[1:] for row in table_after(document, "报告中数字的来源")[1:]}
    value, cell = sources["表1 主要业务数据：进馆人次（全馆）"]
    assert (value, cell) == ("123456", "主要数据!E2")
    assert load_workbook(path)["主要数据"]["E2"].value == 123456


def test_figures_that_do_not_add_up_have_no_network_cell_and_none_is_read(tmp_path, lijiang, schema):
    from openpyxl import load_workbook

    path = write_test_workbook(tmp_path / "总馆.xlsx", lijiang | {"pictures": []})
    book = load_workbook(path)
    sheet = book["主要数据"]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for label in ("年开馆天数", "每周开放时间", "总馆", "分馆"):
        assert sheet[f"E{rows[label]}"].protection.locked, label  # no 全馆 to type for a library's own rates
        sheet[f"E{rows[label]}"] = 5  # typed all the same (an unprotected copy): not read
    assert not sheet[f"E{rows['进馆人次']}"].protection.locked
    book.save(path)
    figures = read_workbook(path, schema).data["indicators"]
    assert not any("network" in pair for pair in figures.values())


def test_the_chart_by_library_takes_the_first_figure_everyone_gave_else_the_most_given(network, schema):
    head_path, folder, _ = network
    head, _, found = validate_network(head_path, folder, schema)
    chart = registered("分馆对比图")
    assert build(chart, Material(head, schema, found)).series[0][0] == "进馆人次"
    first = dataclasses.replace(found.branches[0], book=found.branches[0].book.without([("indicators", "visits")]))
    found = dataclasses.replace(found, branches=(first, *found.branches[1:]))  # one branch without 进馆人次
    shown = build(chart, Material(head, schema, found))  # 外借册次 is given by all
    assert shown.series[0][0] == "外借册次" and shown.caption == "总馆与各分馆外借册次" and len(shown.categories) == 4
    branches = tuple(dataclasses.replace(b, book=b.book.without([("indicators", "loans_items")])) for b in found.branches)
    found = dataclasses.replace(found, branches=branches)  # no indicator given by all: 进馆人次, given by most
    head = head.without([("indicators", item) for item in ("new_cards", "valid_cards", "holdings_total", "activities")])
    shown = build(chart, Material(head, schema, found))
    assert shown.series[0][0] == "进馆人次" and len(shown.categories) == 3  # without those that lack it
    assert build(chart, Material(head, schema)) is None  # no branches given: nothing to draw
