"""Finish a rendered document: bookmarks on the headings and the contents page that lists them."""

from __future__ import annotations

from docx.oxml.ns import qn

from .ooxml import ContentsEntry, add_bookmark, contents_field, mark_fields_dirty

CONTENTS_LEVELS = {"Heading 1": 1, "Heading 2": 2}


def finish_document(document, pages: dict[str, str] | None = None) -> list[ContentsEntry]:
    """Bookmark level-1/2 headings and write the contents after the 目录 title; returns its entries.

    With page numbers (from a layout pass) the contents are final; without, Word is asked to
    update them on opening.
    """
    styles = {style.style_id: style.name for style in document.styles}
    ids = {name: style_id for style_id, name in styles.items()}
    entries = []
    title = None
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.style
        name = styles.get(style, "")
        if name == "TOC Heading" and title is None:
            title = paragraph
        level = CONTENTS_LEVELS.get(name)
        if level:
            bookmark = f"_Toc{len(entries) + 1:08d}"
            add_bookmark(paragraph, bookmark, 9000 + len(entries))
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            entries.append(ContentsEntry(level, text, bookmark, (pages or {}).get(bookmark, "")))
    if title is not None:
        anchor = title
        for paragraph in contents_field(entries, {1: ids["toc 1"], 2: ids["toc 2"]}):
            anchor.addnext(paragraph)
            anchor = paragraph
    if pages is None:
        mark_fields_dirty(document.settings.element)
    return entries
