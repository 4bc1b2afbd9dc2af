"""Native, editable Word charts: the data from the workbook, the XML from chartxml.

A chart is a part word/charts/chartN.xml with its data as an embedded workbook (so Word's
"编辑数据" works), shown by an inline drawing in its own paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE, with_senior_total

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WIDTH, HEIGHT = Mm(150), Mm(80)

CAPTIONS = {
    "staff_by_title_chart": "人员职称结构",
    "staff_by_education_chart": "人员学历结构",
    "figures_chart": "主要业务数据本年与上年对比",
}


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: categories and one or more named series of numbers."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    horizontal: bool = False


def chart_data(kind: str, data: dict, labels: dict[str, str] | None = None) -> ChartData | None:
    """The chart of this kind for a report's data, or None when the workbook has nothing to draw."""
    if kind == "staff_by_title_chart":
        return _staff_chart(kind, with_senior_total(data.get("staff", {})), STAFF_BY_TITLE)
    if kind == "staff_by_education_chart":
        return _staff_chart(kind, data.get("staff", {}), tuple(reversed(STAFF_BY_EDUCATION)))  # lowest first, as 曲阜
    if kind == "figures_chart":
        pairs = [
            (key, pair) for key, pair in data.get("figures", {}).items() if {"current", "previous"} <= set(pair.keys())
        ]
        if not pairs:
            return None
        year = data.get("cover", {}).get("year")
        names = (f"{year}年", f"{year - 1}年") if isinstance(year, int) else ("本年", "上年")
        categories = tuple((labels or {}).get(key, key) for key, _ in pairs)
        current = tuple(pair["current"] for _, pair in pairs)
        previous = tuple(pair["previous"] for _, pair in pairs)
        return ChartData(kind, categories, ((names[0], current), (names[1], previous)), horizontal=True)
    raise ValueError(f"unknown chart {kind!r}")


def _staff_chart(kind: str, counts: dict, categories: tuple[tuple[str, str], ...]) -> ChartData | None:
    present = [(label, counts[key]) for key, label in categories if key in counts]
    if not present:
        return None
    return ChartData(kind, tuple(label for label, _ in present), (("人数", tuple(v for _, v in present)),))


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
