"""The insert registry is the one place that knows what 在此插入 can name; charts keep to one unit."""

from __future__ import annotations

import copy
import re

from conftest import headings, table_after
from docx import Document
from docx.oxml.ns import qn
from make_samples import README, ROOT, readme_with_inserts, write_test_workbook
from openpyxl import load_workbook

from annual_report.core.schema import CHART, FIGURE_BLOCK, TABLE, Schema, load_schema
from annual_report.pipeline import single
from annual_report.pipeline.options import RenderOptions
from annual_report.report.blocks import Material, build
from annual_report.report.context import build_context
from annual_report.report.finish import figure_contents, finish_document
from annual_report.report.render import load_template, render_document
from annual_report.report.template_check import check_template
from annual_report.workbook.inserts import insert_names, registered
from annual_report.workbook.model import Workbook
from annual_report.workbook.read import read_workbook


def test_the_workbook_offers_exactly_the_registry_names(tmp_path, schema):
    sheet = load_workbook(write_test_workbook(tmp_path / "空白.xlsx"))[schema.part("narrative").sheet]
    column = next(c.column_letter for c in sheet[1] if c.value == schema.part("narrative").field("insert").label)
    first = 2 + len(schema.part("narrative").examples)  # below the example rows
    rules = [rule for rule in sheet.data_validations.dataValidation if str(rule.sqref).startswith(f"{column}{first}")]
    assert [rule.formula1 for rule in rules] == ['"' + ",".join(insert_names(schema)) + '"']


def test_nothing_outside_the_registry_names_an_insertable_item():
    keys = {entry.block for entry in INSERTS if entry.block not in ("", FIGURE_BLOCK)}
    words = [*NAMES, *keys, "indicators_chart", "staff_by_title_chart", "plan_items"]
    builders = ROOT / "annual_report" / "report" / "blocks.py"  # the registry itself is schema.json's x-inserts
    sources = [p for p in (ROOT / "annual_report").rglob("*.py") if p != builders] + [ROOT / "fill.py"]
    texts = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sources}
    named = {(name, w) for name, text in texts.items() for w in words if re.search(rf"(?<![\w]){w}(?![\w])", text)}
    assert named == set()


def test_readme_lists_every_insertable_item():
    text = README.read_text(encoding="utf-8")
    assert readme_with_inserts(text) == text, "run: python tests/make_samples.py"
    assert all(f"| {name} |" in text for name in NAMES)


INSERTS = load_schema().inserts
NAMES = insert_names()
SAMPLE = {"integer": 3, "number": 2.5, "date": "2020-06-01", "text": "示例"}


def _every_insert(data: dict, schema: Schema) -> dict:
    """The data with every registry item inserted after its first row; a part an item needs gets a sample if empty."""
    data["plan"] = [{"title": "推进总分馆建设", "text": "新建分馆两个。"}, {"title": "办好全民阅读活动"}]
    for pair in data["indicators"].values():
        pair["previous"] = pair["current"] * 2
    for part in (schema.part(key) for entry in INSERTS for key in entry.parts):
        if not data.get(part.key):
            row = {item.key: item.choices[0] if item.choices else SAMPLE[item.kind] for item in part.fields}
            data[part.key] = [row] if part.layout == "table" else row
    for row in data["narrative"]:
        row.pop("insert", None)
    data["narrative"][0]["insert"] = "、".join(NAMES)
    return data


def test_every_registry_item_is_placed_by_the_shipped_template(qufu, schema, make_workbook, tmp_path):
    data = _every_insert(qufu, schema)
    workbook = make_workbook(data)
    branch = copy.deepcopy(data) | {"pictures": [], "narrative": [{"level": "正文", "text": "分馆。"}]}
    branch["cover"] = branch["cover"] | {"name": "某某分馆"}
    (tmp_path / "分馆").mkdir()
    write_test_workbook(tmp_path / "分馆" / "某某分馆.xlsx", branch)  # the branch table needs a branch,
    other = branch | {"cover": branch["cover"] | {"name": "另一分馆"}}  # the chart by library two (chart-too-small)
    write_test_workbook(tmp_path / "分馆" / "另一分馆.xlsx", other)
    outcome = single.render_workbook(workbook, RenderOptions(output=tmp_path / "报告.docx", branches=tmp_path / "分馆"))
    assert outcome.output, [p.message for p in outcome.result.problems if p.severity == "error"]
    document = Document(outcome.output)
    for entry in INSERTS:
        if entry.kind == TABLE:
            assert len(table_after(document, entry.caption)) > 1, entry.name
    figures = [p.text for p in document.paragraphs if p.style.name == "Figure Caption"]
    by_data = {"分馆对比图": "总馆与各分馆进馆人次"}  # a chart whose data decides its caption: the figure it shows
    charts = [by_data.get(entry.name, entry.caption) for entry in INSERTS if entry.kind == CHART]
    assert [re.sub(r"^图\d+ |（单位：.*）$", "", text) for text in figures[: len(charts)]] == charts
    drawn = [
        p for p in document.paragraphs if p.style.name == "Figure" and p._p.find(f".//{qn('c:chart')}") is not None
    ]
    assert len(drawn) == len(charts)
    plan = [row["title"] for row in qufu["plan"]]
    assert [(level, text) for level, text in headings(document) if text.endswith(tuple(plan))] == [
        (1, "一、推进总分馆建设"),  # the first narrative row is a paragraph: the plan's items are level 1
        (1, "二、办好全民阅读活动"),
    ]


def _with_figures(schema: Schema, figures: dict[str, str]) -> Schema:
    """The schema with more figures (key → unit) added to the figures part, as a later statistic would be."""
    raw = copy.deepcopy(schema.raw)
    properties = raw["properties"]["indicators"]["properties"]
    for key, unit in figures.items():
        properties[key] = {"$ref": "#/$defs/count_pair", "x-label": key, "x-unit": unit}
    return Schema(raw)


def _both_years(schema: Schema) -> dict:
    return {item.key: {"current": 10, "previous": 8} for item in schema.part("indicators").fields}


def _chart(schema: Schema, indicators: dict):
    return build(registered("主要数据图"), Material(Workbook.of({"indicators": indicators, "cover": {"year": 2020}}), schema))


def test_a_chart_takes_the_largest_group_of_one_unit(schema):
    larger = _with_figures(schema, {f"storage_{n}": "TB" for n in range(12)})
    chart = _chart(larger, _both_years(larger))
    assert chart.unit == "TB"
    tb = [item.label for item in schema.part("indicators").fields if item.unit == "TB"]  # the schema's own TB figures
    assert chart.categories == (*tb, *(f"storage_{n}" for n in range(12)))
    assert [name for name, _ in chart.series] == ["2020年", "2019年"]


def test_a_chart_never_mixes_units(schema):
    fields = schema.part("indicators").fields
    units = {item.label.removeprefix("其中："): item.unit for item in fields}
    for unit in {item.unit for item in fields}:  # one unit given for both years, every other unit for one year
        indicators = {item.key: {"current": 5} | ({"previous": 4} if item.unit == unit else {}) for item in fields}
        chart = _chart(schema, indicators)
        assert {units[label] for label in chart.categories} == {unit}
    chart = _chart(schema, _both_years(schema))
    assert {units[label] for label in chart.categories} == {chart.unit}


def test_on_a_tie_the_first_unit_in_schema_order_is_drawn(schema):
    fields = schema.part("indicators").fields
    first, later = fields[0], next(item for item in fields if item.unit != fields[0].unit)
    chart = _chart(schema, {item.key: {"current": 1, "previous": 2} for item in (later, first)})
    assert chart.unit == first.unit and chart.categories == (first.label,)
    assert _chart(schema, {first.key: {"current": 1}}) is None


def test_pictures_are_read_with_the_workbook_and_charts_built_with_the_context(tmp_path, schema):
    """Finishing places what the context built: once the workbook is read its picture files may be gone."""
    for name in ("曲阜市图书馆-2020.xlsx", "图片"):
        source = ROOT / "inputs" / name
        target = tmp_path / name
        target.write_bytes(source.read_bytes()) if source.is_file() else target.mkdir()
    for photo in (ROOT / "inputs" / "图片").iterdir():
        (tmp_path / "图片" / photo.name).write_bytes(photo.read_bytes())
    book = read_workbook(tmp_path / "曲阜市图书馆-2020.xlsx", schema)
    for photo in (tmp_path / "图片").iterdir():
        photo.unlink()
    context = build_context(book, schema)
    charts = [block for block in context["body"] if block["kind"] == "figure" and not isinstance(block["content"], bytes)]
    assert len(charts) == 2
    document = render_document(context, load_template())
    finish_document(document.docx, figure_contents(context["body"]))
    body = document.docx.element.body
    assert len(body.findall(f".//{qn('c:chart')}")) == 2
    assert len(body.findall(f".//{qn('pic:pic')}")) == 2  # the pasted organisation chart and the photo from its file


def test_template_check_counts_an_insert_block_as_showing_its_fields(tmp_path, schema):
    document = Document()
    document.add_paragraph(
        '{% for block in body %}{% if block.kind == "awards_table" %}'
        "{% for r in block.rows %}{{ r.title }}{% endfor %}{% endif %}{% endfor %}"
    )
    path = tmp_path / "只有荣誉表.docx"
    document.save(path)
    unused = {p.field for p in check_template(path, schema) if p.code == "template-unused-field"}
    assert not {f"awards.{item.key}" for item in schema.part("awards").fields} & unused
    assert {"organisation.department", "budget.income"} <= unused
