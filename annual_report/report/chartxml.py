"""A native Word chart written directly: the DrawingML chart part and the small workbook behind it.

A clustered bar (horizontal, categories top-down) or column chart with data labels, 宋体 10.5 pt,
and a legend at the bottom when there are several series. The embedded workbook holds the same data
on Sheet1 (categories in column A, one series per column), which Word's "编辑数据" opens.
"""

from __future__ import annotations

import io
import zipfile

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from annual_report.core.cells import column_letter
from annual_report.report.charts import ChartData

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WIDTH, HEIGHT = Mm(150), Mm(80)
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = "宋体"
FONT_SIZE = 1050  # hundredths of a point
GAP_WIDTH = 80
CATEGORY_AXIS, VALUE_AXIS = "1001", "1002"
SHEET = "Sheet1"


def chart_xml(chart: ChartData) -> tuple[bytes, bytes]:
    """The chart part's XML (without its link to the data) and its embedded workbook."""
    return _chart_space(chart), _workbook(chart)


def _chart_space(chart: ChartData) -> bytes:
    space = etree.Element(f"{{{C}}}chartSpace", nsmap={"c": C, "a": A, "r": R})
    _value(space, "date1904", "0")
    body = etree.SubElement(space, f"{{{C}}}chart")
    _value(body, "autoTitleDeleted", "1")
    plot = etree.SubElement(body, f"{{{C}}}plotArea")
    bars = etree.SubElement(plot, f"{{{C}}}barChart")
    _value(bars, "barDir", "bar" if chart.horizontal else "col")
    _value(bars, "grouping", "clustered")
    _value(bars, "varyColors", "0")
    rows = len(chart.categories)
    for index, (name, values) in enumerate(chart.series):
        column = _letter(index + 1)
        series = etree.SubElement(bars, f"{{{C}}}ser")
        _value(series, "idx", str(index))
        _value(series, "order", str(index))
        _strings(etree.SubElement(series, f"{{{C}}}tx"), f"{SHEET}!${column}$1", [name])
        _value(series, "invertIfNegative", "0")
        _strings(etree.SubElement(series, f"{{{C}}}cat"), f"{SHEET}!$A$2:$A${rows + 1}", chart.categories)
        _numbers(etree.SubElement(series, f"{{{C}}}val"), f"{SHEET}!${column}$2:${column}${rows + 1}", values)
    labels = etree.SubElement(bars, f"{{{C}}}dLbls")
    for flag, on in (("LegendKey", 0), ("Val", 1), ("CatName", 0), ("SerName", 0), ("Percent", 0), ("BubbleSize", 0)):
        _value(labels, f"show{flag}", str(on))
    _value(bars, "gapWidth", str(GAP_WIDTH))
    _value(bars, "axId", CATEGORY_AXIS)
    _value(bars, "axId", VALUE_AXIS)
    top_down = chart.horizontal  # first category at the top, as a reader scans a table
    _axis(plot, "catAx", CATEGORY_AXIS, VALUE_AXIS, "l" if chart.horizontal else "b", top_down, "autoZero")
    _axis(
        plot,
        "valAx",
        VALUE_AXIS,
        CATEGORY_AXIS,
        "b" if chart.horizontal else "l",
        False,
        "max" if top_down else "autoZero",
    )
    if len(chart.series) > 1:
        legend = etree.SubElement(body, f"{{{C}}}legend")
        _value(legend, "legendPos", "b")
        _value(legend, "overlay", "0")
    _value(body, "plotVisOnly", "1")
    _value(body, "dispBlanksAs", "gap")
    text = etree.SubElement(space, f"{{{C}}}txPr")
    etree.SubElement(text, f"{{{A}}}bodyPr")
    etree.SubElement(text, f"{{{A}}}lstStyle")
    paragraph = etree.SubElement(text, f"{{{A}}}p")
    run = etree.SubElement(etree.SubElement(paragraph, f"{{{A}}}pPr"), f"{{{A}}}defRPr", sz=str(FONT_SIZE))
    etree.SubElement(run, f"{{{A}}}latin", typeface=FONT)
    etree.SubElement(run, f"{{{A}}}ea", typeface=FONT)
    etree.SubElement(paragraph, f"{{{A}}}endParaRPr", lang="zh-CN")
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _axis(plot, kind: str, own: str, other: str, position: str, reversed_: bool, crosses: str) -> None:
    axis = etree.SubElement(plot, f"{{{C}}}{kind}")
    _value(axis, "axId", own)
    _value(etree.SubElement(axis, f"{{{C}}}scaling"), "orientation", "maxMin" if reversed_ else "minMax")
    _value(axis, "delete", "0")
    _value(axis, "axPos", position)
    if kind == "valAx":
        etree.SubElement(axis, f"{{{C}}}majorGridlines")
        etree.SubElement(axis, f"{{{C}}}numFmt", formatCode="General", sourceLinked="1")
    _value(axis, "majorTickMark", "out")
    _value(axis, "minorTickMark", "none")
    _value(axis, "tickLblPos", "nextTo")
    _value(axis, "crossAx", other)
    _value(axis, "crosses", crosses)
    if kind == "catAx":
        _value(axis, "auto", "1")
        _value(axis, "lblAlgn", "ctr")
        _value(axis, "lblOffset", "100")
        _value(axis, "noMultiLvlLbl", "0")
    else:
        _value(axis, "crossBetween", "between")


def _value(parent, name: str, value: str):
    return etree.SubElement(parent, f"{{{C}}}{name}", val=value)


def _strings(parent, reference: str, texts) -> None:
    ref = etree.SubElement(parent, f"{{{C}}}strRef")
    etree.SubElement(ref, f"{{{C}}}f").text = reference
    cache = etree.SubElement(ref, f"{{{C}}}strCache")
    _value(cache, "ptCount", str(len(texts)))
    for index, text in enumerate(texts):
        etree.SubElement(etree.SubElement(cache, f"{{{C}}}pt", idx=str(index)), f"{{{C}}}v").text = text


def _numbers(parent, reference: str, values) -> None:
    ref = etree.SubElement(parent, f"{{{C}}}numRef")
    etree.SubElement(ref, f"{{{C}}}f").text = reference
    cache = etree.SubElement(ref, f"{{{C}}}numCache")
    etree.SubElement(cache, f"{{{C}}}formatCode").text = "General"
    _value(cache, "ptCount", str(len(values)))
    for index, value in enumerate(values):
        etree.SubElement(etree.SubElement(cache, f"{{{C}}}pt", idx=str(index)), f"{{{C}}}v").text = _number(value)


def _letter(index: int) -> str:
    """The spreadsheet column letters of a 0-based column index (0 → A)."""
    return column_letter(index + 1)


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


# The embedded workbook ------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_SHEET_TYPE}.styles+xml"/>'
    '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
    f'Type="{_DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT}"><sheets>'
    f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOCUMENT}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOCUMENT}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId4" Type="{_DOCUMENT}/theme" Target="theme/theme1.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="{FONT}"/><family val="3"/>'
    '<charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
    '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SCHEME_COLOURS = (
    ("dk2", "44546A"),
    ("lt2", "E7E6E6"),
    ("accent1", "4472C4"),
    ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"),
    ("accent4", "FFC000"),
    ("accent5", "5B9BD5"),
    ("accent6", "70AD47"),
    ("hlink", "0563C1"),
    ("folHlink", "954F72"),
)
_COLOURS = (
    '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/>'
    "</a:lt1>" + "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in _SCHEME_COLOURS)
)
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = f'<a:ln w="9525">{_FILL}</a:ln>'
_THEME = (
    f'<a:theme xmlns:a="{A}" name="Office"><a:themeElements><a:clrScheme name="Office">{_COLOURS}</a:clrScheme>'
    '<a:fontScheme name="Office">'
    + "".join(
        f'<a:{kind}Font><a:latin typeface="{latin}"/><a:ea typeface=""/><a:cs typeface=""/></a:{kind}Font>'
        for kind, latin in (("major", "Calibri Light"), ("minor", "Calibri"))
    )
    + '</a:fontScheme><a:fmtScheme name="Office">'
    f"<a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>"
    f"<a:lnStyleLst>{_LINE * 3}</a:lnStyleLst>"
    f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
    f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"
)


def _workbook(chart: ChartData) -> bytes:
    """A minimal .xlsx with the chart's table: the series names in row 1, a category per row below."""
    sheet = etree.Element(f"{{{_MAIN}}}worksheet", nsmap={None: _MAIN})
    etree.SubElement(sheet, f"{{{_MAIN}}}cols").append(
        etree.Element(f"{{{_MAIN}}}col", min="1", max="1", width="24", customWidth="1")
    )
    data = etree.SubElement(sheet, f"{{{_MAIN}}}sheetData")
    header = [None, *(name for name, _ in chart.series)]
    rows = [header] + [
        [category, *(values[index] for _, values in chart.series)] for index, category in enumerate(chart.categories)
    ]
    strings: dict[str, int] = {}
    for number, values in enumerate(rows, start=1):
        row = etree.SubElement(data, f"{{{_MAIN}}}row", r=str(number))
        for index, value in enumerate(values):
            if value is None:
                continue
            ref = f"{_letter(index)}{number}"
            if isinstance(value, str):
                cell = etree.SubElement(row, f"{{{_MAIN}}}c", r=ref, t="s")
                value = strings.setdefault(value, len(strings))
            else:
                cell = etree.SubElement(row, f"{{{_MAIN}}}c", r=ref)
            etree.SubElement(cell, f"{{{_MAIN}}}v").text = _number(value)
    table = etree.Element(
        f"{{{_MAIN}}}sst", nsmap={None: _MAIN}, count=str(len(strings)), uniqueCount=str(len(strings))
    )
    for text in strings:
        etree.SubElement(etree.SubElement(table, f"{{{_MAIN}}}si"), f"{{{_MAIN}}}t").text = text
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": table,
        "xl/styles.xml": _STYLES,
        "xl/theme/theme1.xml": _THEME,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            xml = content if isinstance(content, str) else etree.tostring(content, encoding="unicode")
            declared = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), declared, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def add_chart(document, paragraph, chart: ChartData) -> None:
    """Replace the paragraph's content with the chart, as a new chart part of the document."""
    package = document.part.package
    number = 1 + sum(1 for part in package.iter_parts() if str(part.partname).startswith("/word/charts/chart"))
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
    paragraph = Paragraph(paragraph, document).clear()._p  # the figure's name goes, its style stays
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
