"""The raw WordprocessingML the friendly APIs lack: bookmarks, fields and the contents."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.table import Table


def contents_instruction(depth: int) -> str:
    """The TOC field's instruction: headings of levels 1 to depth, linked."""
    return f' TOC \\o "1-{depth}" \\h \\z \\u '


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents: a heading and its bookmark (the page comes later, from a layout pass)."""

    level: int
    text: str
    bookmark: str


def add_bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """Wrap a paragraph's content in a bookmark, as Word does for headings in its contents."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph.find(qn("w:pPr"))
    paragraph.insert(paragraph.index(ppr) + 1 if ppr is not None else 0, start)
    paragraph.append(end)


def contents_field(entries: list[ContentsEntry], styles: dict[int, str], depth: int = 2) -> list:
    """Paragraphs of a TOC field listing the entries, each with a PAGEREF field whose page is still empty."""
    paragraphs = []
    for index, entry in enumerate(entries):
        paragraph = _paragraph(styles[entry.level])
        if index == 0:
            _field_char(paragraph, "begin")
            _instruction(paragraph, contents_instruction(depth))
            _field_char(paragraph, "separate")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), entry.bookmark)
        link.set(qn("w:history"), "1")
        link.append(_run(entry.text))
        link.append(_tab())
        _field_char(link, "begin")
        _instruction(link, f" PAGEREF {entry.bookmark} \\h ")
        _field_char(link, "separate")
        link.append(_run(""))  # the page: filled by set_contents_pages, or by Word on opening
        _field_char(link, "end")
        paragraph.append(link)
        paragraphs.append(paragraph)
    if not paragraphs:
        paragraph = _paragraph(styles[1])
        _field_char(paragraph, "begin")
        _instruction(paragraph, contents_instruction(depth))
        _field_char(paragraph, "separate")
        paragraphs.append(paragraph)
    _field_char(paragraphs[-1], "end")
    return paragraphs


def mark_fields_dirty(settings) -> None:
    """Ask Word to update fields (the contents) when the document is opened."""
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        later = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
        if later is not None:
            later.addprevious(update)
        else:
            settings.append(update)
    update.set(qn("w:val"), "true")


# The elements CT_Settings puts after w:updateFields (schema order).
_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in [
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def _paragraph(style_id: str):
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    paragraph.append(ppr)
    return paragraph


def _run(text: str):
    run = OxmlElement("w:r")
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    return run


def _tab():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:tab"))
    return run


def _field_char(parent, kind: str) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    parent.append(run)


def _instruction(parent, text: str) -> None:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    run.append(instruction)
    parent.append(run)


def set_contents_pages(body, pages: dict[str, str]) -> None:
    """Write each contents entry's page into its PAGEREF field's cached result."""
    for link in body.iter(qn("w:hyperlink")):
        page = pages.get(link.get(qn("w:anchor")))
        if page is None:
            continue
        runs = list(link.iter(qn("w:r")))
        for index, run in enumerate(runs[:-1]):
            char = run.find(qn("w:fldChar"))
            if char is not None and char.get(qn("w:fldCharType")) == "separate":
                text = runs[index + 1].find(qn("w:t"))
                if text is not None:
                    text.text = page
                break


def merge_down(table: Table, column: int, skip: int = 1) -> None:
    """Merge vertically the runs of equal, non-empty consecutive cells of one column (rows after `skip`)."""
    cells = [row.cells[column] for row in table.rows[skip:] if column < len(row.cells)]
    start = 0
    while start < len(cells):
        end = start + 1
        text = cells[start].text.strip()
        while end < len(cells) and text and cells[end].text.strip() == text:
            end += 1
        if end - start > 1:
            for cell in cells[start + 1 : end]:  # the text once, in the merged cell
                for paragraph in cell.paragraphs:
                    paragraph.clear()
            merged = cells[start].merge(cells[end - 1])
            for paragraph in merged.paragraphs[1:]:  # the emptied cells' paragraphs, moved in by the merge
                paragraph._p.getparent().remove(paragraph._p)
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        start = end


_STYLE_ID = f"{qn('w:pPr')}/{qn('w:pStyle')}"
_VAL, _STYLE, _NAME, _STYLE_KEY = qn("w:val"), qn("w:style"), qn("w:name"), qn("w:styleId")


def style_id(paragraph) -> str | None:
    """The style id of a paragraph element (w:p), None for the default style: as python-docx's CT_P.style, faster."""
    found = paragraph.find(_STYLE_ID)
    return found.get(_VAL) if found is not None else None


def style_names(document) -> dict[str, str]:
    """Each style's id → its name as Word shows it ("heading 1" is "Heading 1"), read straight from styles.xml."""
    names = {}
    for style in document.styles.element.iterchildren(_STYLE):
        name = style.find(_NAME)
        names[style.get(_STYLE_KEY)] = BabelFish.internal2ui(name.get(_VAL)) if name is not None else ""
    return names


_PPR, _KEEP_NEXT = qn("w:pPr"), qn("w:keepNext")


def keep_with_next(paragraph, keep: bool = True) -> None:
    """Set a paragraph element's keep-with-next, as python-docx's paragraph_format.keep_with_next does (faster: it
    is set on every paragraph of a table's first rows)."""
    ppr = paragraph.find(_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    element = ppr.find(_KEEP_NEXT)
    if element is None:
        element = OxmlElement("w:keepNext")
        ppr.insert(1 if len(ppr) and ppr[0].tag == qn("w:pStyle") else 0, element)  # right after the style
    if keep:
        element.attrib.pop(_VAL, None)
    else:
        element.set(_VAL, "0")


def text_of(element) -> str:
    """The text of a paragraph or table cell element, stripped."""
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def caption_field(paragraph, label: str, number: str, rest: str) -> None:
    """Rewrite a caption as label, a SEQ field showing number (Word's 题注, so Word can list it) and the rest."""
    runs = paragraph.findall(qn("w:r"))
    rpr = runs[0].find(qn("w:rPr")) if runs else None
    for run in runs:
        paragraph.remove(run)
    holder = OxmlElement("w:p")
    holder.append(_run(label))
    _field_char(holder, "begin")
    _instruction(holder, f" SEQ {label} \\* ARABIC ")
    _field_char(holder, "separate")
    holder.append(_run(number))
    _field_char(holder, "end")
    holder.append(_run(rest))
    for run in list(holder):
        if rpr is not None:
            run.insert(0, copy.deepcopy(rpr))
        paragraph.append(run)


def drop_columns(table, columns: set[int]) -> None:
    """Remove whole columns of a table without merged cells; the others widen to keep the table's width."""
    grid = table.find(qn("w:tblGrid"))
    widths = [int(column.get(qn("w:w"), "0")) for column in grid.findall(qn("w:gridCol"))]
    kept = [index for index in range(len(widths)) if index not in columns]
    if not kept:
        return
    scale = sum(widths) / max(sum(widths[index] for index in kept), 1)
    for row in table.findall(qn("w:tr")):
        cells = row.findall(qn("w:tc"))
        for index in sorted(columns, reverse=True):
            row.remove(cells[index])
    for index, column in reversed(list(enumerate(grid.findall(qn("w:gridCol"))))):
        if index in columns:
            grid.remove(column)
        else:
            column.set(qn("w:w"), str(round(widths[index] * scale)))
    for row in table.findall(qn("w:tr")):
        for cell, index in zip(row.findall(qn("w:tc")), kept, strict=True):
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is not None and width.get(qn("w:type"), "dxa") == "dxa":
                width.set(qn("w:w"), str(round(widths[index] * scale)))


def table_grid(table) -> list[list]:
    """The cells of each row, or [] when some row's cells do not match the grid (spans, missing cells)."""
    columns = len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
    rows = [row.findall(qn("w:tc")) for row in table.findall(qn("w:tr"))]
    spans = any(cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None for row in rows for cell in row)
    return [] if spans or any(len(row) != columns for row in rows) else rows


CELL_SIDES = ("top", "left", "bottom", "right")
WORD_CELL_MARGINS = {"top": 0, "bottom": 0, "left": 108, "right": 108}  # twips, where nothing says otherwise


def cell_margins(table, styles) -> dict[str, int]:
    """A table's default cell margins in twips: its own (tblCellMar), else its style's or the styles that one is
    based on (styles: the styles part's element), else Word's."""
    found: dict[str, int] = {}
    properties = [table.find(qn("w:tblPr"))]
    style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    current = style.get(qn("w:val")) if style is not None else None
    seen = set()
    while current and current not in seen:
        seen.add(current)
        element = next((e for e in styles.iter(qn("w:style")) if e.get(qn("w:styleId")) == current), None)
        if element is None:
            break
        properties.append(element.find(qn("w:tblPr")))
        based = element.find(qn("w:basedOn"))
        current = based.get(qn("w:val")) if based is not None else None
    for holder in properties:
        margins = holder.find(qn("w:tblCellMar")) if holder is not None else None
        for side in CELL_SIDES if margins is not None else ():
            element = margins.find(qn(f"w:{side}"))
            if element is None and side in ("left", "right"):
                element = margins.find(qn("w:start" if side == "left" else "w:end"))
            if element is not None and side not in found:
                found[side] = int(element.get(qn("w:w"), "0"))
    return WORD_CELL_MARGINS | found
