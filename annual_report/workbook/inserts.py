"""What 在此插入 can name: schema.json's x-inserts (tables, charts, the plan) and the 图片 sheet's pictures by name.

The workbook's choices, the checks, the template check, the importer and README's list read the registry
here; report.blocks builds each entry's content, and a table of one part's rows needs no builder at all.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from annual_report.core.schema import CHART, FIGURE_BLOCK, PICTURE, PLAN, TABLE, Insert, Schema, load_schema
from annual_report.workbook.model import Workbook
from annual_report.workbook.pictures import PICTURES

KIND_LABELS = {TABLE: "表格", CHART: "图表", PLAN: "标题和段落"}
SEPARATORS = re.compile(r"[、\n]+")  # between the names of one 在此插入 cell, as its hint says
ALSO_SEPARATING = re.compile(r"[，,;；]+")  # as people type too, but a picture's name may hold them

def insert_names(schema: Schema | None = None) -> tuple[str, ...]:
    """The choices the workbook's 在此插入 column offers."""
    return tuple(entry.name for entry in (schema or load_schema()).inserts)


def registered(name: str, schema: Schema | None = None) -> Insert | None:
    """The registry's entry of this name."""
    return next((entry for entry in (schema or load_schema()).inserts if entry.name == name), None)


def lookup(name: str, book: Workbook, schema: Schema | None = None) -> Insert | None:
    """What a 在此插入 name means: a registry entry, else the 图片 row of that name (the last, if several)."""
    entry = registered(name, schema)
    if entry is not None:
        return entry
    named = [index for index in book.row_indexes(PICTURES) if book.get(PICTURES, index, "name") == name]
    if not named:
        return None
    index = named[-1]
    caption = book.text(PICTURES, index, "caption") or name
    return Insert(name, PICTURE, FIGURE_BLOCK, caption, (f"{PICTURES}.*",), index=index)


def has_data(book: Workbook, insert: Insert) -> bool:
    """Whether an insert has something to show, decided from what it needs (a part that could not be read counts:
    that is reported already; a picture's own trouble is reported by the picture checks)."""
    if insert.kind == PICTURE or any((part,) in book.unusable for part in insert.parts):
        return True
    if not insert.one_row:
        return any(book.given(pattern) for pattern in insert.needs)
    rows: dict[tuple, set[str]] = {}
    for path in book.values:
        if path[:2] in rows and len(rows[path[:2]]) == len(insert.needs):
            continue
        dotted = ".".join(str(step) for step in path if not isinstance(step, int))
        for pattern in insert.needs:
            if fnmatch.fnmatchcase(dotted, pattern):
                rows.setdefault(path[:2], set()).add(pattern)
    return any(len(found) == len(insert.needs) for found in rows.values())


def split_inserts(text, pictures: Iterable[str] = ()) -> list[str]:
    """The items a 在此插入 cell names: several are separated by 、 or line breaks, as its hint says.

    A comma or semicolon separates too (as people type), but not inside the name of one of the workbook's
    pictures (pictures: the names of its 图片 rows), which may hold commas.
    """
    if not isinstance(text, str):
        return []
    names = {name.strip() for name in pictures if isinstance(name, str)}
    items = []
    for piece in (piece.strip() for piece in SEPARATORS.split(text)):
        if piece in names:
            items.append(piece)
        elif piece:
            items += [item.strip() for item in ALSO_SEPARATING.split(piece) if item.strip()]
    return items


def picture_names(book: Workbook) -> list[str]:
    """The names of a workbook's 图片 rows (what its 在此插入 cells may name besides the registry)."""
    return [book.text(PICTURES, index, "name") for index in book.row_indexes(PICTURES)]


def block_sources(schema: Schema | None = None) -> dict[str, tuple[str, ...]]:
    """The fields each of the template's own insert blocks shows (charts, pictures, the plan are in the body)."""
    entries = (schema or load_schema()).inserts
    return {entry.block: entry.fields for entry in entries if entry.block and entry.block != FIGURE_BLOCK}


def body_sources(schema: Schema | None = None) -> tuple[str, ...]:
    """The fields the body's generic blocks (headings, paragraphs, figures) show for inserts."""
    generic = (entry for entry in (schema or load_schema()).inserts if entry.block in ("", FIGURE_BLOCK))
    return (*dict.fromkeys(pattern for entry in generic for pattern in entry.fields), f"{PICTURES}.*")


def showing(fields, kind: str = TABLE, schema: Schema | None = None) -> str:
    """The name of the first entry of this kind that shows every one of these part.field names ("" if none)."""
    fields = list(fields)
    for entry in (schema or load_schema()).inserts:
        if entry.kind == kind and all(any(fnmatch.fnmatch(f, p) for p in entry.fields) for f in fields):
            return entry.name
    return ""


def inserts_table(schema: Schema) -> str:
    """Every insertable name with what it is, shows and takes its data from, as README's Markdown table."""
    lines = ["| 名称 | 插入的是 | 内容 | 数据来自 |", "| --- | --- | --- | --- |"]
    for entry in schema.inserts:
        sheets_text = "、".join(f"“{schema.part(part).sheet}”表" for part in entry.parts)
        about = entry.about or "、".join(_labels(entry, schema))
        lines.append(f"| {entry.name} | {KIND_LABELS[entry.kind]} | {about} | {sheets_text} |")
    sheet = schema.part(PICTURES).sheet
    lines.append(f"| “{sheet}”表中图片的名称 | 图片 | 那一行粘贴的图片或它的文件，下方印图注 | “{sheet}”表 |")
    return "\n".join(lines)


def _labels(entry: Insert, schema: Schema) -> list[str]:
    """The labels of the fields an insert shows, in schema order."""
    found = []
    for pattern in entry.fields:
        part, _, key = pattern.partition(".")
        found += [item.label for item in schema.part(part).fields if fnmatch.fnmatch(item.key, key)]
    return found
