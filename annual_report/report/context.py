"""Build the template's context from validated data: the cover, numbered headings and the inserts' data."""

from __future__ import annotations

from collections.abc import Mapping

from annual_report.core.schema import Schema, load_schema
from annual_report.report.formatting import as_text, format_date
from annual_report.report.inserts import FIGURE_BLOCK, PLAN, Source, body_sources, lookup, split_inserts
from annual_report.report.numbering import Numberer
from annual_report.report.properties import default_title

# Template variables computed here rather than copied from the schema, and the fields each is made from;
# the insert blocks' own fields come from the registry (inserts.block_sources).
DERIVED_SOURCES = {
    "body": ("narrative.*", *body_sources()),
    "cover.date_text": ("cover.report_date",),
    "document_title": ("cover.title", "cover.name", "cover.year"),
}
DERIVED_VARIABLES = frozenset(name for name in DERIVED_SOURCES if "." not in name)

ITEM, UNNUMBERED = "条目", "无编号"  # the 级别 of a numbered list item and of an unnumbered heading (前言, 结语)
HEADING_TRAILING = "。．.，,、；;：:"
CLOSING_MARKS = ("。", "．", ".", "！", "!", "？", "?", "；", ";", "：", ":", "…")


def build_context(
    data: dict,
    schema: Schema | None = None,
    images: Mapping[tuple, bytes] | None = None,
    network=None,
) -> dict:
    """Everything the template places, already formatted as text.

    images: the pictures read from the workbook; network: a 总馆's branches (pipeline.branches.Network).
    """
    schema = schema or load_schema()
    cover = dict(data.get("cover", {}))
    context = {part.key: data.get(part.key, [] if part.layout == "table" else {}) for part in schema.parts}
    context.update(
        cover=_cover(cover, schema),
        document_title=cover.get("title") or default_title(cover.get("name", ""), cover.get("year", "")),
        body=build_body(Source(data, schema, images or {}, network)),
    )
    return context


def build_body(source: Source) -> list[dict]:
    """The narrative as a flat list of blocks (heading, paragraph, a table's own block, figure), headings numbered.

    Each insert's data is built here, once: a table block carries its rows (and total), a figure block its
    content (ChartData or picture bytes) under the name its Figure paragraph shows, for finish.py to place.
    """
    numberer = Numberer()
    blocks: list[dict] = []
    tables = figures = 0
    for row in source.data.get("narrative", []):
        level = row.get("level")
        blocks += row_blocks(row, numberer)
        for name in split_inserts(row.get("insert", ""), source.data):
            insert = lookup(name, source.data)
            content = insert.build(source) if insert else None
            if content is None:
                continue
            if insert.kind == PLAN:
                deeper = min(level + 1, 4) if isinstance(level, int) else 1
                for item in content:
                    blocks.append(_heading(deeper, numberer.next(deeper), item["title"]))
                    blocks += [{"kind": "paragraph", "text": text} for text in paragraphs(item.get("text", ""))]
            elif insert.block == FIGURE_BLOCK:
                figures += 1
                unit = getattr(content, "unit", "")
                shows = getattr(content, "caption", "") or insert.caption
                caption = f"图{figures} {shows}" + (f"（单位：{unit}）" if unit else "")
                blocks.append({"kind": "figure", "figure": f"figure-{figures}", "caption": caption, "content": content})
            else:
                tables += 1
                blocks.append({"kind": insert.block, "caption": f"表{tables} {insert.caption}", **content})
    return blocks


def row_blocks(row: dict, numberer: Numberer) -> list[dict]:
    """The blocks of one 正文 row by its kind (级别): a numbered or unnumbered heading and its paragraphs, a list item
    (条目) as one body paragraph starting with its number, or paragraphs (正文; a title there runs into the text).
    """
    level, title, lines = row.get("level"), row.get("title", ""), paragraphs(row.get("text", ""))
    blocks = []
    if isinstance(level, int):
        blocks.append(_heading(level, numberer.next(level), heading_title(title)))
    elif level == UNNUMBERED:
        numberer.unnumbered()
        blocks.append(_heading(1, "", heading_title(title)) | {"unnumbered": True})
    elif (level == ITEM and (title or lines)) or title:
        number = numberer.item() if level == ITEM else ""
        lead = f"{number}{run_in(title, bool(lines))}"
        lines = [lead + (lines[0] if lines else ""), *lines[1:]]
    return blocks + [{"kind": "paragraph", "text": text} for text in lines]


def heading_title(title: str) -> str:
    """A heading's title without the full stop or colon typed at its end (the number and style mark it already)."""
    return title.rstrip().rstrip(HEADING_TRAILING).rstrip()


def run_in(title: str, followed: bool) -> str:
    """A title that runs into its paragraph: closed with 。 when text follows and it has no closing mark."""
    title = title.strip()
    if title and followed and not title.endswith(CLOSING_MARKS):
        return f"{title}。"
    return title


def _heading(level: int, number: str, title: str) -> dict:
    return {"kind": "heading", "level": level, "number": number, "title": title, "text": f"{number}{title}"}


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a cell's text: one per non-empty line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _cover(cover: dict, schema: Schema) -> dict:
    keys = [item.key for item in schema.part("cover").fields]
    return {key: as_text(cover.get(key)) for key in keys} | {"date_text": format_date(cover.get("report_date"))}
