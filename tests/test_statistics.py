"""The statistics public libraries report: new indicators, their 口径, and where they flow."""

from __future__ import annotations

from docx import Document
from openpyxl import load_workbook

from annual_report.core.schema import load_schema
from annual_report.pipeline.batch import validate_folder
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.summary import build_summary
from annual_report.report.blocks import Material
from annual_report.report.context import build_body
from annual_report.workbook.blank import write_workbook
from annual_report.workbook.model import Workbook
from annual_report.workbook.read import read_workbook
from annual_report.workbook.validate import validate_workbook

SCHEMA = load_schema()
NEW_LABELS = [
    "馆舍面积（平方米）", "阅览室坐席", "年开馆天数", "报刊订阅种数", "电子图书（册）", "数字资源总量（TB）", "流通点",
    "阅览人次", "讲座次数", "讲座参加人次", "展览次数", "展览参观人次", "培训班次数", "培训参加人次",
]  # fmt: skip
NEW_FIGURES = {
    "floor_area": {"current": 5860.5, "previous": 5860.5, "basis": "不含分馆"},
    "seats": {"current": 800, "previous": 760},
    "opening_days": {"current": 300, "previous": 360},
    "periodicals": {"current": 800, "previous": 780, "basis": "约"},
    "ebooks": {"current": 165000, "previous": 150000},
    "digital_resources": {"current": 12.5, "previous": 10},
    "lectures": {"current": 12, "previous": 30},
    "lecture_participants": {"current": 1500, "previous": 4500, "basis": "截至10月"},
}


def by_cell(path, sheet_name: str) -> dict[str, list]:
    """The rows of a form sheet by their label."""
    rows = load_workbook(path)[sheet_name].iter_rows(min_row=2, values_only=True)
    return {row[0].rstrip(" *"): list(row) for row in rows if row[0]}


def test_blank_workbook_has_every_new_indicator_with_its_definition(tmp_path):
    rows = by_cell(write_workbook(tmp_path / "blank.xlsx"), "主要数据")
    header = next(load_workbook(tmp_path / "blank.xlsx")["主要数据"].iter_rows(max_row=1, values_only=True))
    assert header == ("指标", "本年", "上年", "口径", "全馆（总馆填）", "单位", "填写说明")
    for label in NEW_LABELS:
        assert label in rows, label
    for label, row in rows.items():
        assert row[5] and row[6] and len(row[6]) >= 10, label  # a unit and a definition for every figure


def test_every_field_of_every_sheet_has_a_definition():
    for part in SCHEMA.parts:
        for item in part.fields:
            assert item.hint and item.hint not in ("可选", "人数", "姓名"), (part.sheet, item.label)


def test_new_counts_must_be_whole_non_negative_and_days_at_most_366(qufu, make_workbook):
    qufu["indicators"] |= {"seats": {"current": -1}, "lectures": {"current": 2.5}, "opening_days": {"current": 400}}
    _, result = validate_workbook(make_workbook(qufu))
    found = {(p.code, p.field) for p in result.errors}
    assert found == {
        ("negative", "indicators.seats.current"),
        ("not-an-integer", "indicators.lectures.current"),
        ("too-large", "indicators.opening_days.current"),
    }


def test_more_borrowers_than_visitors_is_a_warning_and_renders(qufu, make_workbook, tmp_path):
    qufu["indicators"]["visits"] = {"current": 47000}
    qufu["indicators"]["loans_people"] = {"current": 49800}
    outcome = render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / "r.docx"))
    warned = [p for p in outcome.result.warnings if p.code == "loans-exceed-visits"]
    assert len(warned) == 1 and "口径" in warned[0].message
    assert outcome.result.errors == [] and outcome.output.exists()


def test_new_indicators_are_compared_with_last_year(qufu, make_workbook):
    qufu["indicators"] |= NEW_FIGURES
    _, result = validate_workbook(make_workbook(qufu))
    changed = {p.field for p in result.warnings if p.code == "yoy-change"}
    assert {"indicators.lecture_participants"} <= changed
    assert {"indicators.floor_area"} <= {p.field for p in result.warnings if p.code == "same-as-last-year"}


def test_basis_is_read_and_printed_under_the_key_figures_table(qufu, make_workbook, tmp_path):
    qufu["indicators"] |= NEW_FIGURES
    qufu["narrative"].append({"level": "正文", "text": "主要数据如下。", "insert": "主要数据表"})
    path = make_workbook(qufu)
    assert read_workbook(path).data["indicators"]["lecture_participants"]["basis"] == "截至10月"
    document = Document(render_workbook(path, RenderOptions(output=tmp_path / "r.docx")).output)
    texts = [p.text for p in document.paragraphs]
    note = next(t for t in texts if t.startswith("注："))
    assert note == "注：报刊订阅种数为约数；讲座参加人次：截至10月；馆舍面积（平方米）：不含分馆。"
    assert next(p.style.name for p in document.paragraphs if p.text == note) == "Table Note"
    cells = {row.cells[0].text: [c.text for c in row.cells] for table in document.tables for row in table.rows}
    assert cells["讲座次数"] == ["讲座次数", "次", "12", "30", "-60.0%"]


def test_old_workbook_without_basis_column_or_new_rows_reads_the_same(qufu, make_workbook):
    """A workbook made before 口径, 全馆 and the new rows (指标 本年 上年 单位 填写说明) reads as before."""
    path = make_workbook(qufu)
    book = load_workbook(path)
    sheet = book["主要数据"]
    added = set(NEW_LABELS) - {"阅览人次"}  # 阅览人次 was there before
    for row in reversed([cell.row for cell in sheet["A"] if cell.value in added]):
        sheet.delete_rows(row)
    sheet.delete_cols(4, 2)  # 口径 and 全馆（总馆填）
    cover = book["封面"]
    cover.delete_rows(next(cell.row for cell in cover["A"] if cell.value == "目录级别"))
    book.save(path)
    assert [c.value for c in sheet[1]] == ["指标", "本年", "上年", "单位", "填写说明"]
    old, new = validate_workbook(path), validate_workbook(make_workbook(qufu, "new.xlsx"))
    assert old[0].data == new[0].data
    missing = [(p.code, p.sheet, p.cell) for p in old[1].problems if p.code == "rows-missing"]
    assert missing == [("rows-missing", "封面", ""), ("rows-missing", "主要数据", "")]  # a warning, nothing lost
    same = [(p.code, p.sheet, p.cell) for p in old[1].problems if p.code != "rows-missing"]
    assert same == [(p.code, p.sheet, p.cell) for p in new[1].problems]
    assert not old[1].errors


def test_summary_sums_the_new_indicators_and_notes_the_basis(qufu, make_workbook, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(2):
        qufu["cover"]["name"] = f"图书馆{index}"
        qufu["indicators"] |= NEW_FIGURES
        make_workbook(qufu, f"in/{index}.xlsx")
    sheet = build_summary(validate_folder(folder, jobs=1)).active
    header = [c.value for c in sheet[1]]
    column = header.index("讲座参加人次（人次）") + 1
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
    assert rows["合计"][column - 1].value == 3000
    assert rows["图书馆0"][column - 1].comment.text == "口径：截至10月"
    assert "馆舍面积（平方米）" in header


def test_the_indicators_chart_never_mixes_units(qufu):
    qufu["indicators"] |= NEW_FIGURES
    for key in ("visits", "loans_people"):  # with 讲座人次: three of 人次 with both years, the most of one unit
        qufu["indicators"][key]["previous"] = qufu["indicators"][key]["current"] - 1000
    qufu["narrative"] = [{"level": "正文", "text": "对比如下。", "insert": "主要数据图"}]
    charts = [b for b in build_body(Material(Workbook.of(qufu), SCHEMA)) if b["kind"] == "figure"]
    units = {item.label.removeprefix("其中："): item.unit for item in SCHEMA.part("indicators").fields}
    assert len(charts) == 1
    chart = charts[0]["content"]
    assert {units[label] for label in chart.categories} == {chart.unit}
    assert charts[0]["caption"].endswith(f"（单位：{chart.unit}）")
