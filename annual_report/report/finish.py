"""Finish a rendered document: charts and pictures, merged group cells, bookmarks and the contents."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from annual_report.report.chartxml import add_chart
from annual_report.report.ooxml import (
    ContentsEntry,
    add_bookmark,
    caption_field,
    contents_field,
    drop_columns,
    keep_with_next,
    mark_fields_dirty,
    merge_down,
    set_contents_pages,
    style_id,
    style_names,
    table_grid,
    text_of,
)
from annual_report.report.pictures import add_picture
from annual_report.report.widths import fit_columns, text_width

CONTENTS_LEVELS = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}
CONTENTS_DEPTH = 2  # the contents list headings down to this level unless the workbook's 目录级别 says otherwise
FIGURE_STYLE = "Figure"
CAPTION_STYLES = ("Caption", "Figure Caption")
CAPTION = re.compile(r"^(?P<label>[图表])\s*(?P<number>\d+)(?P<rest>.*)$", re.S)
GROUP_MARK = "合并第1列相同单元格"
KEEP_MARK = "保留列："  # the template's tables list, in their alt-text description, the columns always printed
EMPTY_CELLS = ("", "—")
WHOLE_TABLE_ROWS = 8  # a table this short stays on one page; a longer one keeps its header and first rows together
HEAD_ROWS = 3
SIGNATURE_STYLE, DATE_STYLE = "Closing Signature", "Closing Date"  # 署名 and 成文日期 (the template may drop them)
# The styles the report needs by name, with what each is for and what in a template needs it: a block it places
# (heading, figure, a table's block: "table"), or "contents" (a paragraph in TOC Heading, where the contents go).
REQUIRED_STYLES = {
    **{name: ("标题", "heading") for name in CONTENTS_LEVELS},
    "toc 1": ("目录的条目", "contents"),
    FIGURE_STYLE: ("图表和图片的位置", "figure"),
    "Figure Caption": ("图注", "figure"),
    "Caption": ("表题", "table"),
}


def finish_document(
    document, figures: Mapping[str, object] | None = None, contents_depth: int = CONTENTS_DEPTH
) -> None:
    """Place figures, merge group cells, bookmark the headings down to contents_depth and write the contents.

    figures: what each Figure paragraph's name stands for, as the context built it (figure_contents).

    The contents' page numbers stay empty, and Word is asked to update them on opening, until a
    layout pass gives them through fill_contents.
    """
    styles = style_names(document)
    if figures:
        place_figures(document, styles, figures)
    drop_empty_columns(document)
    fit_columns(document, KEEP_MARK)
    merge_groups(document)
    place_closing(document, styles)
    keep_table_heads(document)
    break_heading_lists(document, styles)
    caption_fields(document, styles)
    ids = {name: style_id for style_id, name in styles.items()}
    entries = []
    title = None
    for paragraph in document.element.body.iter(qn("w:p")):
        name = styles.get(style_id(paragraph), "")
        if name == "TOC Heading" and title is None:
            title = paragraph
        level = CONTENTS_LEVELS.get(name)
        if level and level <= contents_depth:
            bookmark = f"_Toc{len(entries) + 1:08d}"
            add_bookmark(paragraph, bookmark, 9000 + len(entries))
            entries.append(ContentsEntry(level, Paragraph(paragraph, document).text, bookmark))
    if title is not None:
        anchor = title
        for paragraph in contents_field(entries, _contents_styles(ids), contents_depth):
            anchor.addnext(paragraph)
            anchor = paragraph
    mark_fields_dirty(document.settings.element)


def _contents_styles(ids: dict[str, str]) -> dict[int, str]:
    """The style of each contents level: toc 1 to toc 4, or the deepest one a restyled template has."""
    styles = {}
    for level in range(1, 5):
        styles[level] = ids.get(f"toc {level}") or styles.get(level - 1) or ids.get("toc 1", "")
    return styles


def contents_entries(document) -> list[ContentsEntry]:
    """The contents entries of a finished document: its bookmarked headings, in order."""
    styles = style_names(document)
    entries = []
    for paragraph in document.element.body.iter(qn("w:p")):
        level = CONTENTS_LEVELS.get(styles.get(style_id(paragraph), ""))
        start = paragraph.find(qn("w:bookmarkStart"))
        if level and start is not None and start.get(qn("w:name"), "").startswith("_Toc"):
            entries.append(ContentsEntry(level, Paragraph(paragraph, document).text, start.get(qn("w:name"))))
    return entries


def fill_contents(document, pages: dict[str, str]) -> None:
    """Write laid-out page numbers into the contents and stop asking Word to update fields on opening."""
    set_contents_pages(document.element.body, pages)
    update = document.settings.element.find(qn("w:updateFields"))
    if update is not None:
        update.getparent().remove(update)


def figure_contents(body: list[dict]) -> dict[str, object]:
    """The content (ChartData or picture bytes) of each figure block of the context's body, by its name."""
    return {block["figure"]: block["content"] for block in body if block["kind"] == "figure"}


def place_figures(document, styles: dict[str, str], figures: Mapping[str, object]) -> None:
    """Replace each Figure paragraph (its text names the figure) with its chart or picture, already built."""
    for paragraph in list(document.element.body.iter(qn("w:p"))):
        if styles.get(style_id(paragraph), "") == FIGURE_STYLE:
            name = text_of(paragraph)
            content = figures.get(name)
            if isinstance(content, bytes):
                add_picture(document, paragraph, content)
            elif content is not None:
                add_chart(document, paragraph, content)


def merge_groups(document) -> None:
    """In tables marked for it, merge consecutive equal cells of the first column (below the header)."""
    for table in document.element.body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if caption is not None and caption.get(qn("w:val")) == GROUP_MARK:
            merge_down(Table(table, document), column=0, skip=1)


def drop_empty_columns(document) -> None:
    """Leave out each table column that is empty (or only dashes) in every row below its header.

    Columns the template lists after 保留列： in the table's alt-text description always stay.
    """
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table_grid(table)
        if len(rows) < 2:
            continue
        description = table.find(f"{qn('w:tblPr')}/{qn('w:tblDescription')}")
        marked = description.get(qn("w:val"), "") if description is not None else ""
        required = set(marked.removeprefix(KEEP_MARK).split("、")) if marked.startswith(KEEP_MARK) else set()
        headers = [text_of(cell) for cell in rows[0]]
        empty = {
            index
            for index, header in enumerate(headers)
            if header not in required and all(text_of(row[index]) in EMPTY_CELLS for row in rows[1:])
        }
        drop_columns(table, empty)


def keep_table_heads(document) -> None:
    """Keep a short table whole, and a longer one's header with its first rows (its caption keeps with them)."""
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        kept = rows[:-1] if len(rows) <= WHOLE_TABLE_ROWS else rows[:HEAD_ROWS]
        for row in kept:
            for paragraph in row.iter(qn("w:p")):
                keep_with_next(paragraph)


def place_closing(document, styles: dict[str, str]) -> None:
    """Keep the 署名 and 成文日期 with the text above them and centre the name over the date (GB/T 9704 7.3.5.1).

    Only when both are right-aligned, as the shipped styles are: a template that aligns them otherwise is left as is.
    """
    body = list(document.element.body)
    for index, element in enumerate(body):
        if element.tag != qn("w:p") or styles.get(style_id(element), "") != SIGNATURE_STYLE:
            continue
        before = body[index - 1] if index else None
        if before is not None and before.tag == qn("w:tbl"):
            before = before.findall(qn("w:tr"))[-1]
        for paragraph in before.iter(qn("w:p")) if before is not None else ():
            keep_with_next(paragraph)
        following = body[index + 1] if index + 1 < len(body) else None
        if following is not None and following.tag == qn("w:p") and styles.get(style_id(following), "") == DATE_STYLE:
            _centre_over(Paragraph(element, document), Paragraph(following, document))


def _centre_over(name: Paragraph, date: Paragraph) -> None:
    """Move the name (right-aligned) so that its middle is over the middle of the date (right-aligned too)."""
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if _effective(name, "alignment") != right or _effective(date, "alignment") != right:
        return
    size = _effective(date, "size") or Pt(16)
    indent = _effective(date, "right_indent") or 0
    shift = (text_width(date.text) - text_width(name.text)) / 2 * size
    name.paragraph_format.right_indent = Emu(max(0, int(indent + shift)))


def _effective(paragraph: Paragraph, what: str):
    """A paragraph's alignment, right indent or font size: its own, else its style's or a base style's."""
    own = paragraph.paragraph_format.alignment if what == "alignment" else None
    if what == "right_indent":
        own = paragraph.paragraph_format.right_indent
    if own is not None:
        return own
    style = paragraph.style
    while style is not None:
        value = style.font.size if what == "size" else getattr(style.paragraph_format, what)
        if value is not None:
            return value
        style = style.base_style
    return None


def break_heading_lists(document, styles: dict[str, str]) -> None:
    """A heading followed by a heading of its own or a higher level (a list of titles) may end a page.

    Headings keep with what follows (their style says so); only a chain into deeper levels
    (一、 → （一） → 1.) and the text under it need to stay together.
    """
    levels = {name: int(name[-1]) for name in styles.values() if re.fullmatch(r"Heading [1-4]", name)}
    body = document.element.body
    for paragraph, following in itertools.pairwise(body):
        level = levels.get(styles.get(style_id(paragraph), "")) if paragraph.tag == qn("w:p") else None
        after = levels.get(styles.get(style_id(following), "")) if following.tag == qn("w:p") else None
        if level and after and after <= level:
            keep_with_next(paragraph, False)


def caption_fields(document, styles: dict[str, str]) -> None:
    """Make the number of each caption (表1 …, 图1 …) a SEQ field, as Word's 插入题注 does."""
    for paragraph in document.element.body.iter(qn("w:p")):
        if styles.get(style_id(paragraph), "") in CAPTION_STYLES:
            found = CAPTION.match(Paragraph(paragraph, document).text)
            if found:
                caption_field(paragraph, found["label"], found["number"], found["rest"])

