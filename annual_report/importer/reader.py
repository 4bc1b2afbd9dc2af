"""Read a .docx into blocks in reading order: paragraphs (with style evidence and Word's list numbers),
tables and pictures; text boxes are read as paragraphs, the contents page is marked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from annual_report.importer.wordlists import ListLabel, ListNumbering

HEADING_FONTS = ("黑体", "楷体", "小标宋", "Heiti", "SimHei", "KaiTi")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_CONTENTS_STYLE = re.compile(r"^(?:toc|目录)\s*\d*$|^toc heading$|^contents", re.IGNORECASE)
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_V_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TEXT_BOX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@dataclass
class Paragraph:
    """One paragraph (or one line of a paragraph broken with Shift+Enter) as typed."""

    number: int  # the paragraph's place in the document, counting every paragraph from 1
    text: str
    style: str = ""
    style_level: int | None = None  # 1–9 from a Heading style or an outline level
    bold: bool = False
    heading_font: bool = False  # 黑体, 楷体…: the fonts of headings in Chinese documents
    label: ListLabel | None = None  # the number Word prints before it (numPr)
    contents: bool = False  # part of the contents page (TOC field or TOC style)
    title: bool = False  # in Word's Title style


@dataclass
class Table:
    """A table's rows of cell texts (merged cells once)."""

    number: int  # the number of the paragraph it follows
    rows: list[list[str]]


@dataclass
class Picture:
    """A picture or chart placed in a paragraph."""

    number: int
    data: bytes = b""
    extension: str = "png"
    chart: bool = False


@dataclass
class DocumentText:
    """Everything read from one .docx, in reading order."""

    blocks: list = field(default_factory=list)
    empty_paragraphs: int = 0


def read_blocks(document) -> DocumentText:
    """The document's body as blocks: Paragraph, Table and Picture, in reading order."""
    reader = _Reader(document)
    reader.read(document.element.body)
    return reader.result


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.numbering = ListNumbering(document)
        self.result = DocumentText()
        self.count = 0
        self.fields: list[str] = []  # instructions of the complex fields open at this point
        self.styles = {s.style_id: s for s in document.styles if s.type == 1}  # paragraph styles

    def read(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.result.blocks.append(Table(self.count, _table_rows(child)))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                gallery = child.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
                if gallery is not None and "Contents" in (gallery.get(qn("w:val")) or ""):
                    self.count += len(content.findall(qn("w:p"))) if content is not None else 0
                elif content is not None:
                    self.read(content)

    def paragraph(self, element) -> None:
        self.count += 1
        number = self.count
        in_contents = self._fields_in(element)
        style_id = _style_id(element)
        style = self.styles.get(style_id)
        style_name = style.name if style is not None else ""
        label = self.numbering.label(element)
        text = _text(element)
        evidence = {
            "style": style_name,
            "style_level": _style_level(style, element),
            "bold": _bold(element, style),
            "heading_font": _heading_font(element, style),
            "contents": in_contents or bool(_CONTENTS_STYLE.match(style_name)),
            "title": style_name.lower() in ("title", "标题"),
        }
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            self.result.empty_paragraphs += 1
        for index, line in enumerate(lines):
            self.result.blocks.append(Paragraph(number, line, label=label if index == 0 else None, **evidence))
        for picture in self._pictures(element):
            self.result.blocks.append(picture)
        for box in element.iter(_TEXT_BOX):
            if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors()):
                for inner in box.iter(qn("w:p")):
                    for line in _text(inner).split("\n"):
                        if line.strip():
                            self.result.blocks.append(Paragraph(number, line))

    def _fields_in(self, element) -> bool:
        """Follow complex fields through the paragraph; True when any part of it is inside a TOC field."""
        inside = any(instruction.startswith("TOC") for instruction in self.fields)
        for node in element.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")):
            if node.tag == qn("w:fldSimple"):
                inside |= (node.get(qn("w:instr")) or "").strip().startswith("TOC")
            elif node.tag == qn("w:instrText") and self.fields:
                self.fields[-1] += node.text or ""
                self.fields[-1] = self.fields[-1].lstrip()
            elif node.get(qn("w:fldCharType")) == "begin":
                self.fields.append("")
            elif node.get(qn("w:fldCharType")) == "end" and self.fields:
                self.fields.pop()
            inside |= any(instruction.startswith("TOC") for instruction in self.fields)
        return inside

    def _pictures(self, element) -> list[Picture]:
        found = []
        part = self.document.part
        for node in element.iter(_A_BLIP, _V_IMAGE, _CHART):
            if any(ancestor.tag == _FALLBACK for ancestor in node.iterancestors()):
                continue
            if node.tag == _CHART:
                found.append(Picture(self.count, chart=True))
                continue
            rel_id = node.get(_R_EMBED) or node.get(_R_ID)
            related = part.related_parts.get(rel_id) if rel_id else None
            if related is not None and hasattr(related, "blob"):
                extension = related.partname.ext if hasattr(related, "partname") else "png"
                found.append(Picture(self.count, related.blob, extension.lower()))
        return found


def _text(element) -> str:
    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), _TEXT_BOX, qn("w:instrText")):
        if node.tag in (_TEXT_BOX, qn("w:instrText")) or _inside_text_box(node, element):
            continue
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag == qn("w:cr") or node.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts).replace("\u3000", " ").replace("\xa0", " ")


def _inside_text_box(node, paragraph) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == _TEXT_BOX:
            return True
    return False


def _style_id(element) -> str:
    props = element.find(qn("w:pPr"))
    style = props.find(qn("w:pStyle")) if props is not None else None
    return style.get(qn("w:val")) if style is not None else ""


def _style_level(style, element) -> int | None:
    props = element.find(qn("w:pPr"))
    outline = props.find(qn("w:outlineLvl")) if props is not None else None
    if outline is not None and (outline.get(qn("w:val")) or "").isdigit():
        level = int(outline.get(qn("w:val")))
        return level + 1 if level < 9 else None
    while style is not None:
        match = _HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1))
        outline = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None and (outline.get(qn("w:val")) or "").isdigit():
            level = int(outline.get(qn("w:val")))
            return level + 1 if level < 9 else None
        style = style.base_style
    return None


def _style_flag(style, read) -> bool | None:
    while style is not None:
        value = read(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def _runs(element):
    for run in element.iter(qn("w:r")):
        if not _inside_text_box(run, element) and "".join(t.text or "" for t in run.iter(qn("w:t"))).strip():
            yield run


def _bold(element, style) -> bool:
    runs = list(_runs(element))
    if not runs:
        return False
    style_bold = bool(_style_flag(style, lambda s: s.font.bold))
    for run in runs:
        mark = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if mark is None:
            if not style_bold:
                return False
        elif mark.get(qn("w:val")) in ("0", "false", "off"):
            return False
    return True


def _heading_font(element, style) -> bool:
    names = []
    for run in _runs(element):
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            names += [fonts.get(qn("w:eastAsia")) or "", fonts.get(qn("w:ascii")) or ""]
    fonts = _style_flag(style, lambda s: s.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}"))
    if fonts is not None:
        names.append(fonts.get(qn("w:eastAsia")) or "")
    return any(any(font in name for font in HEADING_FONTS) for name in names)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.findall(qn("w:tr")):
        cells = []
        for cell in row.findall(qn("w:tc")):
            merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            paragraphs = [_text(p).strip() for p in cell.findall(qn("w:p"))]
            cells.append("" if continued else "\n".join(p for p in paragraphs if p))
        if any(cells):
            rows.append(cells)
    return rows
