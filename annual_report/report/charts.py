"""Native, editable Word charts: the data from the workbook, the XML from chartxml.

A chart is a part word/charts/chartN.xml with its data as an embedded workbook (so Word's
"编辑数据" works), shown by an inline drawing in its own paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from annual_report.core.schema import Field

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WIDTH, HEIGHT = Mm(150), Mm(80)


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: categories and one or more named series of numbers, all of one unit."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    horizontal: bool = False
    unit: str = ""
    caption: str = ""  # when the data decides what the chart shows; else the insert's own caption


def staff_chart(counts: dict, categories: tuple[tuple[str, str], ...]) -> ChartData | None:
    """Staff by category (people), or None when no category is given."""
    present = [(label, counts[key]) for key, label in categories if key in counts]
    if not present:
        return None
    return ChartData("staff", tuple(label for label, _ in present), (("人数", tuple(v for _, v in present)),))


def comparison_chart(figures: dict, fields: tuple[Field, ...], year, unit: str | None = None) -> ChartData | None:
    """This year against last year for the figures of one unit given for both years, or None.

    unit: the figures' x-unit; None takes the unit shared by most such figures (on a tie, the first in
    schema order), so a chart never puts 人次 beside 册 or 小时 on one axis.
    """
    pairs = [(item, figures[item.key]) for item in fields if {"current", "previous"} <= set(figures.get(item.key, {}))]
    if unit is None and pairs:
        counts = Counter(item.unit for item, _ in pairs)
        unit = max(counts, key=counts.__getitem__)  # the first of the largest groups
    pairs = [(item, pair) for item, pair in pairs if item.unit == unit]
    if not pairs:
        return None
    names = (f"{year}年", f"{year - 1}年") if isinstance(year, int) else ("本年", "上年")
    categories = tuple(item.label.removeprefix("其中：") for item, _ in pairs)
    current = tuple(pair["current"] for _, pair in pairs)
    previous = tuple(pair["previous"] for _, pair in pairs)
    return ChartData("comparison", categories, ((names[0], current), (names[1], previous)), True, unit)


def network_chart(libraries: list[tuple[str, float]], item: Field) -> ChartData:
    """One figure of the 总馆 and of each branch, as bars in the order given (the 总馆 first)."""
    label = re.sub(r"（[^）]*）$", "", item.label)  # 读者活动场次（合计） → 读者活动场次
    categories = tuple(name for name, _ in libraries)
    values = tuple(value for _, value in libraries)
    return ChartData("network", categories, ((label, values),), True, item.unit, f"总馆与各分馆{label}")


def add_chart(document, paragraph, chart: ChartData) -> None:
    """Replace the paragraph's content with the chart, as a new chart part of the document."""
    package = document.part.package
    number = 1 + sum(1 for part in package.iter_parts() if str(part.partname).startswith("/word/charts/chart"))
    from annual_report.report.chartxml import chart_xml

    xml, workbook = chart_xml(chart)
    sheet = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"), XLSX_CONTENT_TYPE, workbook, package
    )
    part = XmlPart(PackURI(f"/word/charts/chart{number}.xml"), CHART_CONTENT_TYPE, parse_xml(xml), package)
    data_id = part.relate_to(sheet, RT.PACKAGE)
    part.element.append(
        parse_xml(
            f'<c:externalData xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{data_id}">'
            '<c:autoUpdate val="0"/></c:externalData>'
        )
    )
    chart_id = document.part.relate_to(part, RT.CHART)
    drawing_id = document.part.next_id
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    paragraph.append(
        parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{WIDTH}" cy="{HEIGHT}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{drawing_id}" name="图表 {number}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{chart_id}"/>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
    )
