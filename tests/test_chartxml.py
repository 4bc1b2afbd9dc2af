"""Our chart writer: the chart read back from the report (categories, values), its look, and its data workbook."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from openpyxl import load_workbook

from annual_report.report.charts import ChartData
from annual_report.report.chartxml import chart_xml
from annual_report.report.printed import Printed


def chart(kind: str, categories: tuple, series: tuple, **options) -> ChartData:
    """A chart of plain numbers (each a Printed of no cell)."""
    printed = tuple((name, tuple(Printed(str(v), name, (), v) for v in values)) for name, values in series)
    return ChartData(kind, categories, printed, **options)


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TWO_YEARS = chart("indicators_chart", ("进馆人次", "外借册次", "阅览人次"), (("2020年", (30000, 57588.5, 0)), ("2019年", (80400, 93008, 12))), horizontal=True)  # fmt: skip
ONE_SERIES = chart("staff_by_title_chart", ("高级职称", "中级职称"), (("人数", (2, 8)),))


def read_back(space) -> tuple[tuple[str, ...], list[tuple[str, tuple[float, ...]]]]:
    """The categories and (name, values) of every series, from the chart XML's caches."""
    series = space.findall(f".//{C}ser")
    categories = tuple(v.text for v in series[0].find(f"{C}cat").iter(f"{C}v"))
    named = [
        (s.find(f"{C}tx").find(f".//{C}v").text, tuple(float(v.text) for v in s.find(f"{C}val").iter(f"{C}v")))
        for s in series
    ]
    return categories, named


def test_the_report_carries_the_chart_it_was_given(rendered):
    document = rendered["qufu_2020"]
    parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype == f"{RELATIONSHIPS}/chart"]
    part = next(part for part in parts if read_back(etree.fromstring(part.blob))[0][0] == "高级职称")
    categories, series = read_back(etree.fromstring(part.blob))
    assert list(categories) == ["高级职称", "中级职称", "初级职称", "管理人员"]
    assert [name for name, _ in series] == ["人数"]
    assert list(series[0][1]) == [2, 8, 3, 1]
    workbook = part.part_related_by(f"{RELATIONSHIPS}/package")
    rows = list(load_workbook(io.BytesIO(workbook.blob)).active.values)
    assert rows[0] == (None, "人数")
    assert [row[0] for row in rows[1:]] == list(categories)
    assert [row[1:] for row in rows[1:]] == list(zip(*(values for _, values in series), strict=True))


@pytest.mark.parametrize("chart", [TWO_YEARS, ONE_SERIES], ids=["two series", "one series"])
def test_chart_xml_reads_back_and_its_workbook_holds_the_same_table(chart):
    xml, workbook = chart_xml(chart)
    categories, series = read_back(etree.fromstring(xml))
    assert categories == chart.categories
    assert series == [(name, tuple(map(float, values))) for name, values in chart.series]
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet.title == "Sheet1"
    rows = list(sheet.values)
    assert rows[0] == (None, *(name for name, _ in chart.series))
    assert rows[1:] == [
        (category, *(values[i] for _, values in chart.series)) for i, category in enumerate(chart.categories)
    ]
    formulas = [f.text for f in etree.fromstring(xml).iter(f"{C}f")]
    assert formulas[:3] == ["Sheet1!$B$1", f"Sheet1!$A$2:$A${len(chart.categories) + 1}", f"Sheet1!$B$2:$B${len(chart.categories) + 1}"]  # fmt: skip


def test_horizontal_bars_list_categories_top_down_with_a_legend_below():
    space = etree.fromstring(chart_xml(TWO_YEARS)[0])
    assert space.find(f".//{C}barDir").get("val") == "bar"
    assert space.find(f".//{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"
    assert space.find(f".//{C}valAx/{C}crosses").get("val") == "max"
    assert space.find(f".//{C}legend/{C}legendPos").get("val") == "b"
    axes = [int(axis.get("val")) for axis in space.iter(f"{C}axId")]
    assert len(set(axes)) == 2 and all(axis > 0 for axis in axes)


def test_one_series_is_a_column_chart_without_legend_in_songti_with_value_labels():
    space = etree.fromstring(chart_xml(ONE_SERIES)[0])
    assert space.find(f".//{C}barDir").get("val") == "col"
    assert space.find(f".//{C}catAx/{C}scaling/{C}orientation").get("val") == "minMax"
    assert space.find(f".//{C}legend") is None
    assert space.find(f".//{C}autoTitleDeleted").get("val") == "1"
    assert space.find(f".//{C}dLbls/{C}showVal").get("val") == "1"
    assert space.find(f".//{C}grouping").get("val") == "clustered"
    font = space.find(f"{C}txPr//{A}defRPr")
    assert font.get("sz") == "1050"
    assert font.find(f"{A}latin").get("typeface") == font.find(f"{A}ea").get("typeface") == "宋体"


def test_the_data_workbook_passes_the_ooxml_check(tmp_path):
    from openxml_audit import OpenXmlValidator

    path = tmp_path / "数据.xlsx"
    path.write_bytes(chart_xml(TWO_YEARS)[1])
    assert OpenXmlValidator().validate(str(path)).errors == []


def test_the_same_chart_gives_the_same_bytes():
    assert chart_xml(TWO_YEARS) == chart_xml(TWO_YEARS)
