"""Build the template's context from a validated workbook: the cover, numbered headings and every insert's content.

Each insert is built here, once (report.blocks); every number the report prints is a Printed in the context,
which the trace (report.trace) walks.
"""

from __future__ import annotations

from annual_report.core.schema import FIGURE_BLOCK, PLAN, Schema, load_schema
from annual_report.report.blocks import Material, build
from annual_report.report.charts import ChartData, chart_sentence
from annual_report.report.numbering import Numberer
from annual_report.report.printed import Printed, as_text, format_date
from annual_report.report.properties import default_title
from annual_report.workbook.charts import worth_a_chart
from annual_report.workbook.inserts import body_sources, lookup, picture_names, split_inserts
from annual_report.workbook.model import ITEM, UNNUMBERED, Workbook
from annual_report.workbook.prose import quoted_indicators

DERIVED_VARIABLES = frozenset({"body", "document_title"})  # template variables computed here, not the schema's parts


def derived_sources(schema: Schema) -> dict[str, tuple[str, ...]]:
    """The template variables computed here and the fields each is made from (the insert blocks' own fields come
    from the registry: inserts.block_sources)."""
    return {
        "body": ("narrative.*", *body_sources(schema), "cover.name", "cover.report_date"),
        "cover.date_text": ("cover.report_date",),
        "document_title": ("cover.title", "cover.name", "cover.year"),
    }

HEADING_TRAILING = "。．.，,、；;：:"
CLOSING_MARKS = ("。", "．", ".", "！", "!", "？", "?", "；", ";", "：", ":", "…")


def build_context(book: Workbook, schema: Schema | None = None, network=None) -> dict:
    """Everything the template places, already formatted as text; network: a 总馆's branches (pipeline.branches)."""
    schema = schema or load_schema()
    data = book.data
    context = {part.key: data.get(part.key, [] if part.layout == "table" else {}) for part in schema.parts}
    context.update(
        cover=_cover(book, schema),
        document_title=book.text("cover", "title") or default_title(book.text("cover", "name"), book.text("cover", "year")),
        body=build_body(Material(book, schema, network)),
    )
    return context


def build_body(material: Material) -> list[dict]:
    """The narrative as a flat list of blocks (heading, paragraph, a table's own block, figure), headings numbered,
    and the closing (署名 and 成文日期) last.

    A table block carries its rows (and total), a figure block its content (ChartData or picture bytes) under
    the name its Figure paragraph shows, for finish.py to place; the first block of a 正文 row lists the numbers
    its text quotes that agree with the indicators sheet (quoted).
    """
    book = material.book
    quoted = quoted_numbers(book, material.schema)
    numberer = Numberer()
    blocks: list[dict] = []
    tables = figures = 0
    pictures = picture_names(book)
    for index, row in book.table("narrative"):
        values = {key: found.value for key, found in row.items()}
        level = values.get("level")
        own = row_blocks(values, numberer)
        if own and quoted.get(index):
            own[0]["quoted"] = quoted[index]
        blocks += own
        for name in split_inserts(values.get("insert", ""), pictures):
            insert = lookup(name, book, material.schema)
            content = build(insert, material) if insert else None
            if content is None:
                continue
            if insert.kind == PLAN:
                deeper = min(level + 1, 4) if isinstance(level, int) else 1
                for item in content:
                    blocks.append(_heading(deeper, numberer.next(deeper), item["title"]))
                    blocks += [{"kind": "paragraph", "text": text} for text in paragraphs(item.get("text", ""))]
            elif isinstance(content, ChartData) and not worth_a_chart(len(content.categories), len(content.printed)):
                shows = content.caption or insert.caption  # check_chart_sizes warns of it
                said = chart_sentence(content, shows)
                blocks.append({"kind": "paragraph", "text": said, "caption": shows, "chart": content})
            elif insert.block == FIGURE_BLOCK:
                figures += 1
                unit = getattr(content, "unit", "")
                shows = getattr(content, "caption", "") or insert.caption
                caption = f"图{figures} {shows}" + (f"（单位：{unit}）" if unit else "")
                blocks.append({"kind": "figure", "figure": f"figure-{figures}", "caption": caption, "content": content})
            else:
                tables += 1
                blocks.append({"kind": insert.block, "caption": f"表{tables} {insert.caption}", **content})
    return [*blocks, closing(book)]


def closing(book: Workbook) -> dict:
    """The block after the last paragraph (GB/T 9704 7.3.5): the library's name as the issuing organ (署名) and the
    report's date (成文日期) in Arabic numerals; the date is empty without a 报告日期 (check_report_date asks for it)."""
    date = format_date(book.get("cover", "report_date"))
    return {"kind": "closing", "signature": book.text("cover", "name"), "date": date}


def quoted_numbers(book: Workbook, schema: Schema) -> dict[int, list[Printed]]:
    """By 正文 row: the numbers its text states that agree with the indicators sheet, with both cells."""
    labels = {item.key: item.label for item in schema.indicators.fields}
    found: dict[int, list[Printed]] = {}
    for quote in quoted_indicators(book.data, schema):
        key, which = quote.mention.key, quote.which
        stated = book.number("indicators", key, which)
        if stated is not None and quote.mention.agrees(stated.number):
            cells = (book.where("narrative", quote.row, quote.column), stated.cell)
            label = f"{labels[key]}（{schema.column(which).name}）"
            agreed = f"{cells[0]} 中写的数，与 {cells[1]} 相符"
            found.setdefault(quote.row, []).append(Printed(quote.written, label, cells, quote.mention.value, agreed))
    return found


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
        lead = f"{number}{run_in(title)}"
        lines = [lead + (lines[0] if lines else ""), *lines[1:]]
    return blocks + [{"kind": "paragraph", "text": text} for text in lines]


def heading_title(title: str) -> str:
    """A heading's title without the full stop or colon typed at its end (the number and style mark it already)."""
    return title.rstrip().rstrip(HEADING_TRAILING).rstrip()


def run_in(title: str) -> str:
    """A title that runs into its paragraph, or stands as one (a 条目 of a title only): closed with 。 unless it
    ends with a closing mark already."""
    title = title.strip()
    if title and not title.endswith(CLOSING_MARKS):
        return f"{title}。"
    return title


def _heading(level: int, number: str, title: str) -> dict:
    return {"kind": "heading", "level": level, "number": number, "title": title, "text": f"{number}{title}"}


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a cell's text: one per non-empty line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _cover(book: Workbook, schema: Schema) -> dict:
    cover = {item.key: as_text(book.get("cover", item.key)) for item in schema.part("cover").fields}
    return cover | {"date_text": format_date(book.get("cover", "report_date"))}
