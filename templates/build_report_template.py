"""Build templates/年报模板.docx: the docxtpl template with the GB/T 9704-2012 styles.

The .docx is the template an office may restyle in Word; this script is how the shipped one
was made. Run it again after changing it: python templates/build_report_template.py
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "年报模板.docx"
sys.path.insert(0, str(HERE.parent))  # this checkout's package, whatever else is installed
from annual_report.core.schema import load_schema

LATIN = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
LINE_TWIPS = 579  # exactly 28.95 pt: 22 lines on the 225 mm text block
TEXT_WIDTH_MM = 156
CELL_MARGIN_TWIPS = (57, 108)  # 1 mm above and below, 1.9 mm at the sides
FOOTER_DISTANCE_MM = 26.5  # the page number's baseline 7 mm below the text block (GB/T 9704 7.5), measured in the PDF

# style name → (East Asian font, size in pt, bold, alignment, first-line indent in chars, line rule)
PARAGRAPH_STYLES = {
    "Normal": ("仿宋", 16, False, "both", 200, "body"),
    "Heading 1": ("黑体", 16, False, "both", 200, "body"),
    "Heading 2": ("楷体", 16, False, "both", 200, "body"),
    "Heading 3": ("仿宋", 16, True, "both", 200, "body"),
    "Heading 4": ("仿宋", 16, False, "both", 200, "body"),
    "Title": ("方正小标宋简体", 22, False, "center", 0, "title"),
    "Caption": ("黑体", 14, False, "center", 0, "single"),
    "Figure": ("仿宋", 12, False, "center", 0, "single"),
    "Figure Caption": ("黑体", 14, False, "center", 0, "single"),
    "TOC Heading": ("黑体", 22, False, "center", 0, "title"),
    "toc 1": ("黑体", 16, False, "both", 0, "body"),
    "toc 2": ("楷体", 16, False, "both", 0, "body"),
    "toc 3": ("仿宋", 16, False, "both", 0, "body"),
    "toc 4": ("仿宋", 16, False, "both", 0, "body"),
    "Table Text": ("仿宋", 12, False, "center", 0, "single"),
    "Table Number": ("仿宋", 12, False, "right", 0, "single"),
    "Table Text Left": ("仿宋", 12, False, "left", 0, "single"),
    "Table Heading": ("黑体", 12, False, "center", 0, "single"),
    "Table Note": ("仿宋", 12, False, "left", 0, "single"),
    "Cover Name": ("方正小标宋简体", 36, False, "center", 0, "single"),
    "Cover English": (LATIN, 16, True, "center", 0, "single"),
    "Cover Title": ("方正小标宋简体", 26, False, "center", 0, "single"),
    "Cover Info": ("仿宋", 16, False, "center", 0, "single"),
    "Cover Rule": ("仿宋", 8, False, "center", 0, "single"),
    "Footer": ("宋体", 14, False, "right", 0, "single"),
    "Closing Signature": ("仿宋", 16, False, "right", 0, "body"),
    "Closing Date": ("仿宋", 16, False, "right", 0, "body"),
}
TOC_PAGE_ROOM_CHARS = 2  # a contents entry wraps this far before the page number's column: dots always lead to it
CLOSING_INDENT_CHARS = 4  # GB/T 9704 7.3.5.1: the date 右空四字; finish.py centres the name above it


def build(path: Path = OUTPUT, schema=None) -> Path:
    """Write the template for the schema (the shipped schema.json by default) and return its path."""
    schema = schema or load_schema()
    doc = Document()
    _document_defaults(doc)
    for name, spec in PARAGRAPH_STYLES.items():
        _paragraph_style(doc, name, *spec)
    _table_style_margins(doc)
    _page_setup(doc.sections[0])
    _cover(doc)
    contents = doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("目  录", style="TOC Heading")
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _body(doc, schema)
    _page_numbers(doc, body)
    for section in (contents, body):
        _page_setup(section)
    _remove_first_empty_paragraph(doc)
    _font_table(doc)
    _drop_styles_with_effects(doc)
    _drop_unused_table_styles(doc)
    doc.core_properties.title = "公共图书馆年度工作报告"
    doc.core_properties.author = ""
    doc.save(path)
    return path


def _document_defaults(doc) -> None:
    """East Asian text in 仿宋 三号, zh-CN, no theme fonts anywhere."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, "仿宋")
    _child(rpr, "w:sz").set(qn("w:val"), str(BODY_SIZE.pt * 2).removesuffix(".0"))
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for element in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            element.attrib.pop(qn(attribute), None)
    settings = doc.settings.element
    _child(settings, "w:themeFontLang").set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(doc, name, font, size, bold, align, indent_chars, line) -> None:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
    style.hidden = False
    style.quick_style = True
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:i", "w:iCs", "w:spacing", "w:kern", "w:caps", "w:smallCaps"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)
    _set_fonts(rpr, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    _child(rpr, "w:szCs").set(qn("w:val"), str(size * 2))
    for element in rpr.findall(qn("w:bCs")):
        rpr.remove(element)
    if name == "Normal":
        _child(rpr, "w:spacing").set(qn("w:val"), "-5")  # 28 characters a line in LibreOffice
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing", "w:numPr", "w:ind", "w:spacing", "w:jc"):
        for element in ppr.findall(qn(tag)):
            ppr.remove(element)
    spacing = _child(ppr, "w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    if line == "body":
        spacing.set(qn("w:line"), str(LINE_TWIPS))
        spacing.set(qn("w:lineRule"), "exact")
    elif line == "title":
        spacing.set(qn("w:line"), str(LINE_TWIPS * 2))
        spacing.set(qn("w:lineRule"), "exact")
        spacing.set(qn("w:after"), str(LINE_TWIPS))
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    ind = _child(ppr, "w:ind")
    ind.set(qn("w:firstLineChars"), str(indent_chars))
    ind.set(qn("w:firstLine"), str(indent_chars * 16 // 10 * 2 if indent_chars else 0))
    _child(ppr, "w:jc").set(qn("w:val"), align)
    if name.startswith("Heading") or name == "Caption":  # table rows: finish.py keeps only the first ones
        style.paragraph_format.keep_with_next = True
    if name.startswith("Cover"):
        spacing.set(qn("w:after"), "240")
    if name == "Cover Name":
        spacing.set(qn("w:before"), "2400")
    if name == "Table Note":  # under its table, before the text goes on
        spacing.set(qn("w:before"), "60")
        spacing.set(qn("w:after"), "120")
    if name == "Caption":
        spacing.set(qn("w:before"), "120")
        spacing.set(qn("w:after"), "120")
    if name == "Figure":  # a chart or picture: keeps its caption (below it) on the same page
        style.paragraph_format.keep_with_next = True
        spacing.set(qn("w:before"), "120")
    if name == "Figure Caption":
        spacing.set(qn("w:after"), "240")
    if name.startswith("Closing"):  # after the last paragraph, with it on the last text page (finish.py)
        ind.set(qn("w:right"), str(CLOSING_INDENT_CHARS * size * 20))
        ind.set(qn("w:rightChars"), str(CLOSING_INDENT_CHARS * 100))
        style.paragraph_format.keep_together = True
    if name == "Closing Signature":  # 空一行 below the text, kept with its date
        spacing.set(qn("w:before"), str(LINE_TWIPS))
        style.paragraph_format.keep_with_next = True
    if name in ("toc 2", "toc 3", "toc 4"):  # each level two characters further in
        ind.set(qn("w:left"), str(640 * (int(name[-1]) - 1)))
    if name.startswith("toc"):  # the page number on a right tab with dots, past the entry's right indent
        ind.set(qn("w:right"), str(TOC_PAGE_ROOM_CHARS * size * 20))
        tabs = _child(ppr, "w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), str(int(Mm(TEXT_WIDTH_MM).twips) - 10))
        tabs.append(tab)
        _reorder(ppr)


def _set_fonts(rpr, east_asian: str) -> None:
    fonts = _child(rpr, "w:rFonts")
    for attribute in list(fonts.attrib):
        fonts.attrib.pop(attribute)
    latin = LATIN if east_asian != "宋体" else "宋体"
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
_RPR_ORDER = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]


def _child(parent, tag: str):
    """The parent's child with this tag, created in schema order if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
        _reorder(parent)
    return found


def _reorder(parent) -> None:
    local = parent.tag.split("}")[1]
    order = {"pPr": _PPR_ORDER, "rPr": _RPR_ORDER}.get(local)
    if not order:
        return
    rank = {qn(tag): index for index, tag in enumerate(order)}
    children = sorted(parent, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        parent.append(child)


def _page_setup(section) -> None:
    """A4, 天头 37 mm, 订口 28 mm, text block 156 × 225 mm."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.header_distance = Mm(15)


def _cover(doc) -> None:
    """Name and title between rules; at the foot who compiled it (else the library) and when (else the year)."""
    doc.add_paragraph("{{ cover.name }}", style="Cover Name")
    _conditional(doc, "cover.name_en", "{{ cover.name_en }}", "Cover English")
    _rule(doc.add_paragraph("", style="Cover Rule"))
    doc.add_paragraph("{{ document_title }}", style="Cover Title")
    _conditional(
        doc,
        "cover.name_en",
        "THE ANNUAL REPORT OF {{ cover.name_en }} IN THE YEAR OF {{ cover.year }}",
        "Cover English",
    )
    _rule(doc.add_paragraph("", style="Cover Rule"))
    spacer = doc.add_paragraph("", style="Cover Info")
    spacer.paragraph_format.space_before = Pt(90)
    doc.add_paragraph("{{ cover.compiler or cover.name }}编制", style="Cover Info")
    _conditional(doc, "cover.email", "电子邮箱：{{ cover.email }}", "Cover Info")
    _conditional(doc, "cover.phone", "联系电话：{{ cover.phone }}", "Cover Info")
    doc.add_paragraph("{{ cover.date_text or cover.year ~ '年度' }}", style="Cover Info")


def _rule(paragraph) -> None:
    """A double line across the middle two-thirds of the text block."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "double"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    border.append(bottom)
    ppr.append(border)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(int(Mm(TEXT_WIDTH_MM / 6).twips)))
    ind.set(qn("w:right"), str(int(Mm(TEXT_WIDTH_MM / 6).twips)))
    ppr.append(ind)
    _reorder(ppr)


def _conditional(doc, condition: str, text: str, style: str) -> None:
    doc.add_paragraph(f"{{%p if {condition} %}}")
    doc.add_paragraph(text, style=style)
    doc.add_paragraph("{%p endif %}")


def _body(doc, schema) -> None:
    doc.add_paragraph("{{ document_title }}", style="Title")
    doc.add_paragraph("{%p for block in body %}")
    doc.add_paragraph('{%p if block.kind == "paragraph" %}')
    doc.add_paragraph("{{ block.text }}", style="Normal")
    for level in range(1, 5):
        doc.add_paragraph(f'{{%p elif block.kind == "heading" and block.level == {level} %}}')
        doc.add_paragraph("{{ block.text }}", style=f"Heading {level}")
    doc.add_paragraph('{%p elif block.kind == "figure" %}')
    doc.add_paragraph("{{ block.figure }}", style="Figure")
    doc.add_paragraph("{{ block.caption }}", style="Figure Caption")
    own = [(*table, REQUIRED_COLUMNS.get(table[0], table[1]), False) for table in TABLES]
    for kind, headers, cells, widths, numeric, total, required, group in [*own, *part_tables(schema)]:
        doc.add_paragraph(f'{{%p elif block.kind == "{kind}" %}}')
        doc.add_paragraph("{{ block.caption }}", style="Caption")
        _table(doc, headers, cells, widths, numeric, total, group=group, required=required)
        if kind == "indicators_table":  # the 口径 of figures that have one
            _conditional(doc, "block.notes", "{{ block.notes }}", "Table Note")
    doc.add_paragraph('{%p elif block.kind == "closing" %}')  # 署名 and 成文日期: delete or restyle to change them
    doc.add_paragraph("{{ block.signature }}", style="Closing Signature")
    _conditional(doc, "block.date", "{{ block.date }}", "Closing Date")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


# Tables whose first column groups rows (x-inserts' group_first_column): finish.py merges equal consecutive
# cells (marked by tblCaption).
GROUP_MARK = "合并第1列相同单元格"
# Columns printed even when empty in every row (finish.py leaves out the other empty ones), in the table's
# alt-text description (Word: 表格属性 → 可选文字 → 说明), where an office can change them.
KEEP_MARK = "保留列："
REQUIRED_COLUMNS = {
    "indicators_table": ["指标", "单位", "本年"],
    "branches_table": ["馆名"],
    "trace_table": ["项目", "数值", "来源（工作表!单元格）或计算方法"],
    "projects_table": ["项目名称", "金额（万元）"],
}

# The block of each table with a builder of its own (annual_report/report/blocks.py), placing the block's rows
# and total: block key, headers, cell expressions (loop variable r), widths in mm, numeric columns, total row;
# the tables of one part's rows (x-inserts with a part) are made from the schema by part_tables.
TABLES = [
    (
        "indicators_table",
        ["指标", "单位", "本年", "全馆", "上年", "同比"],
        ["{{ r.label }}", "{{ r.unit }}", "{{ r.current }}", "{{ r.network }}", "{{ r.previous }}", "{{ r.change }}"],
        [44, 24, 24, 24, 22, 18],
        {2, 3, 4, 5},
        None,
    ),
    (  # a 总馆's branches: the figure columns are named by the data (block.heads)
        "branches_table",
        ["馆名", *(f"{{{{ block.heads[{i}] }}}}" for i in range(6))],
        ["{{ r.name }}", *(f"{{{{ r.cells[{i}] }}}}" for i in range(6))],
        [36, 20, 20, 20, 20, 20, 20],
        {1, 2, 3, 4, 5, 6},
        ["合计", *(f"{{{{ block.total[{i}] }}}}" for i in range(6))],
    ),
    (  # render --trace: where each number comes from (annual_report/report/trace.py)
        "trace_table",
        ["项目", "数值", "来源（工作表!单元格）或计算方法"],
        ["{{ r.item }}", "{{ r.value }}", "{{ r.source }}"],
        [50, 24, 82],
        {1},
        None,
    ),
    (
        "staff_by_title_table",
        ["职称", "人数"],
        ["{{ r.label }}", "{{ r.count }}"],
        [90, 66],
        {1},
        ["合计", "{{ block.total }}"],
    ),
    (
        "staff_by_education_table",
        ["学历", "人数"],
        ["{{ r.label }}", "{{ r.count }}"],
        [90, 66],
        {1},
        ["合计", "{{ block.total }}"],
    ),
    (
        "staff_summary_table",
        ["项目", "人数"],
        ["{{ r.label }}", "{{ r.value }}"],
        [90, 66],
        {1},
        None,
    ),
    (
        "budget_table",
        ["项目", "金额（万元）"],
        ["{{ r.label }}", "{{ r.amount }}"],
        [90, 66],
        {1},
        None,
    ),
    (
        "projects_table",
        ["项目名称", "金额（万元）", "进展", "备注"],
        ["{{ r.name }}", "{{ r.amount }}", "{{ r.status }}", "{{ r.note }}"],
        [66, 30, 24, 36],
        {1},
        ["合计", "{{ block.total }}", "", ""],
    ),
]


def part_tables(schema) -> list[tuple]:
    """The block of each table of one part's rows (x-inserts with a part): a column per field, as TABLES lists them,
    with the part's required fields as the columns always printed and the first column grouped where asked."""
    tables = []
    for entry in schema.inserts:
        if not entry.part:
            continue
        fields = schema.part(entry.part).fields
        scale = TEXT_WIDTH_MM / sum(item.width for item in fields)
        widths = [round(item.width * scale) for item in fields]
        widths[-1] += TEXT_WIDTH_MM - sum(widths)
        numeric = {index for index, item in enumerate(fields) if item.kind in ("integer", "number")}
        required = [item.heading for item in fields if item.required]
        cells = [f"{{{{ r.{item.key} }}}}" for item in fields]
        tables.append(
            (entry.block, [item.heading for item in fields], cells, widths, numeric, None, required, entry.group_first_column)
        )
    return tables


def _table_style_margins(doc) -> None:
    """Room between the text and the borders of every table made with Table Grid: 1 mm above and below, 1.9 mm at
    the sides (Word's default side margin; 0 above and below would make the text touch the lines)."""
    properties = doc.styles["Table Grid"].element.find(qn("w:tblPr"))
    for old in properties.findall(qn("w:tblCellMar")):
        properties.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", CELL_MARGIN_TWIPS[0]), ("left", CELL_MARGIN_TWIPS[1]),
                        ("bottom", CELL_MARGIN_TWIPS[0]), ("right", CELL_MARGIN_TWIPS[1])):  # fmt: skip
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _table(doc, headers, cells, widths, numeric, total, group=False, required=()) -> None:
    """A bordered table whose header repeats on each page and whose rows never split."""
    count = 4 + (1 if total else 0)
    table = doc.add_table(rows=count, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if group:
        caption = OxmlElement("w:tblCaption")
        caption.set(qn("w:val"), GROUP_MARK)
        table._tbl.tblPr.append(caption)
    description = OxmlElement("w:tblDescription")
    description.set(qn("w:val"), KEEP_MARK + "、".join(required))
    table._tbl.tblPr.append(description)
    contents = [headers, ["{%tr for r in block.rows %}"], cells, ["{%tr endfor %}"]] + ([total] if total else [])
    for row_index, (row, values) in enumerate(zip(table.rows, contents, strict=True)):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if row_index == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        for column, cell in enumerate(row.cells):
            cell.width = Mm(widths[column])
            text = values[column] if column < len(values) else ""
            if row_index == 0 or (total and row_index == 4 and column == 0):
                style = "Table Heading"
            elif column in numeric:
                style = "Table Number"
            elif widths[column] >= 58:  # long text reads better from the left
                style = "Table Text Left"
            else:
                style = "Table Text"
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = doc.styles[style]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))


def _page_numbers(doc, section) -> None:
    """ "— 1 —" in 四号 宋体: odd pages right, even pages left; numbering starts at the body."""
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = align
        paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else None
        paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
        paragraph.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run = copy.deepcopy(paragraph.runs[0]._r)
        run.find(qn("w:t")).text = "1"
        field.append(run)
        paragraph._p.append(field)
        paragraph.add_run(" —")
        for run_element in paragraph._p.iter(qn("w:r")):
            _set_fonts(run_element.get_or_add_rPr(), "宋体")
    sectpr = section._sectPr
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    sectpr.insert(sectpr.index(sectpr.find(qn("w:pgMar"))) + 1, number_type)


# name → (alternative name Word substitutes when the font is missing, charset, family)
FONTS = {
    LATIN: ("", "00", "roman"),
    "宋体": ("SimSun", "86", "auto"),
    "仿宋": ("FangSong", "86", "modern"),
    "黑体": ("SimHei", "86", "modern"),
    "楷体": ("KaiTi", "86", "modern"),
    "方正小标宋简体": ("华文中宋", "86", "roman"),  # Word's substitute: a Song of 小标宋's weight (with Office/WPS)
}


def _font_table(doc) -> None:
    """Only the fonts the styles use, each Chinese font with its GB2312 charset; 小标宋 falls back to 华文中宋."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    entries = []
    for name, (alternative, charset, family) in FONTS.items():
        alt = f'<w:altName w:val="{alternative}"/>' if alternative else ""
        entries.append(
            f'<w:font w:name="{name}">{alt}<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
            '<w:pitch w:val="variable"/></w:font>'
        )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "".join(entries)
        + "</w:fonts>"
    )
    part._blob = xml.encode("utf-8")


def _drop_styles_with_effects(doc) -> None:
    """Word 2010's copy of the styles: stale once the styles change (a schema checker flags it), Word rebuilds it."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)


KEPT_TABLE_STYLES = ("Normal Table", "Table Grid")  # the default table style and the one every table uses


def _drop_unused_table_styles(doc) -> None:
    """python-docx's blank document brings a hundred table styles (300 KB of styles.xml) that no table uses: every
    report would carry them, and every render would read and write them."""
    for style in list(doc.styles.element.iterchildren(qn("w:style"))):
        name = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "table" and (name is None or name.get(qn("w:val")) not in KEPT_TABLE_STYLES):
            style.getparent().remove(style)


def _remove_first_empty_paragraph(doc) -> None:
    first = doc.paragraphs[0]
    if not first.text and first._p.pPr is None:
        first._p.getparent().remove(first._p)


if __name__ == "__main__":
    print(build())
