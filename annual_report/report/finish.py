"""Finish a rendered document: charts and pictures, merged group cells, bookmarks and the contents."""

from __future__ import annotations

from collections.abc import Mapping

from docx.oxml.ns import qn

from annual_report.report.ooxml import (
    ContentsEntry,
    add_bookmark,
    contents_field,
    mark_fields_dirty,
    merge_down,
    set_contents_pages,
)

CONTENTS_LEVELS = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}
CONTENTS_DEPTH = 2  # the contents list headings down to this level unless the workbook's 目录级别 says otherwise
FIGURE_STYLE = "Figure"
GROUP_MARK = "合并第1列相同单元格"


def finish_document(
    document, figures: Mapping[str, object] | None = None, contents_depth: int = CONTENTS_DEPTH
) -> None:
    """Place figures, merge group cells, bookmark the headings down to contents_depth and write the contents.

    figures: what each Figure paragraph's name stands for, as the context built it (figure_contents).

    The contents' page numbers stay empty, and Word is asked to update them on opening, until a
    layout pass gives them through fill_contents.
    """
    styles = {style.style_id: style.name for style in document.styles}
    if figures:
        place_figures(document, styles, figures)
    merge_groups(document)
    ids = {name: style_id for style_id, name in styles.items()}
    entries = []
    title = None
    for paragraph in document.element.body.iter(qn("w:p")):
        name = styles.get(paragraph.style, "")
        if name == "TOC Heading" and title is None:
            title = paragraph
        level = CONTENTS_LEVELS.get(name)
        if level and level <= contents_depth:
            bookmark = f"_Toc{len(entries) + 1:08d}"
            add_bookmark(paragraph, bookmark, 9000 + len(entries))
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            entries.append(ContentsEntry(level, text, bookmark))
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
    styles = {style.style_id: style.name for style in document.styles}
    entries = []
    for paragraph in document.element.body.iter(qn("w:p")):
        level = CONTENTS_LEVELS.get(styles.get(paragraph.style, ""))
        start = paragraph.find(qn("w:bookmarkStart"))
        if level and start is not None and start.get(qn("w:name"), "").startswith("_Toc"):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            entries.append(ContentsEntry(level, text, start.get(qn("w:name"))))
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
        if styles.get(paragraph.style, "") == FIGURE_STYLE:
            name = "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()
            content = figures.get(name)
            if isinstance(content, bytes):
                from annual_report.report.pictures import add_picture

                add_picture(document, paragraph, content)
            elif content is not None:
                from annual_report.report.charts import add_chart

                add_chart(document, paragraph, content)


def merge_groups(document) -> None:
    """In tables marked for it, merge consecutive equal cells of the first column (below the header)."""
    for table in document.element.body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if caption is not None and caption.get(qn("w:val")) == GROUP_MARK:
            merge_down(table, column=0, skip=1)
