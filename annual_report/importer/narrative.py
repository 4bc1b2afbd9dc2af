"""The 正文 rows from the report's text: headings, items and unnumbered parts with their text, opening
paragraphs, tables and pictures placed through 在此插入; unrecognised tables kept as text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from annual_report.core.schema import CHART, Schema
from annual_report.importer.levels import (
    BODY,
    DEEPEST,
    HEADING,
    ITEM,
    UNNUMBERED_HEADING,
    Entry,
    Guess,
    infer_structure,
)
from annual_report.importer.numbers import split_number
from annual_report.importer.reader import Paragraph, Picture, Table
from annual_report.importer.tables import Recognised, party_lines, recognise
from annual_report.workbook.inserts import showing

KIND_OF_ROW = {ITEM: "条目", UNNUMBERED_HEADING: "无编号"}
CAPTION = re.compile(r"^(?:图|表)\s*\d+(?:[-.．]\d+)?\s*[:：.．]?\s*")
CAPTION_STYLES = ("caption", "figure caption", "题注")
CHART_FIELDS = (("职称", "staff.title_*"), ("学历", "staff.edu_*"))  # a chart caption's word → what it shows
SENTENCE_END = "。！？；：…”’）)」』.!?;:"
INSERT_SEPARATORS = re.compile(r"[、\n\r\t]+")  # what separates the names in a 在此插入 cell: never in a picture's name


@dataclass
class Narrative:
    """What the report's text became: the rows of 正文 and what was read along the way."""

    rows: list[dict] = field(default_factory=list)
    tables: list[Recognised] = field(default_factory=list)
    pictures: list[dict] = field(default_factory=list)  # 图片 rows, with the picture's bytes under "data"
    body: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, text) of every body paragraph
    sources: list[list[int]] = field(default_factory=list)  # for each row: the paragraph of its title, then of
    # each line of its text
    guesses: list[Guess] = field(default_factory=list)
    tables_as_text: int = 0

    def paragraph_of(self, row: int, column: str, at: int) -> int:
        """The document's paragraph that a place in a row's title or text comes from."""
        source = self.sources[row]
        if column == "title" or len(source) < 2:
            return source[0]
        line = bisect_right(_line_starts(self.rows[row]["text"]), at) - 1
        return source[min(1 + line, len(source) - 1)]


@lru_cache(maxsize=64)
def _line_starts(text: str) -> tuple[int, ...]:
    """Where each line of a cell's text starts."""
    return (0, *(at + 1 for at, char in enumerate(text) if char == "\n"))


def build_narrative(blocks: list, schema: Schema, year: int | None = None) -> Narrative:
    """正文 rows from the blocks of the report's text (after the cover and contents); year: the report's, if known
    (a key-figures table's column)."""
    narrative = Narrative()
    blocks = _join_broken_lines(_tab_tables(blocks), narrative)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    captions = _captions(blocks)
    text_paragraphs = [p for p in paragraphs if id(p) not in captions]
    structure = infer_structure(text_paragraphs)
    narrative.guesses += structure.guesses
    entries = {id(p): e for p, e in zip(text_paragraphs, structure.entries, strict=True)}
    builder = _Builder(narrative, schema)
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and id(block) in entries:
            builder.paragraph(entries[id(block)])
        elif isinstance(block, Table):
            builder.table(block, captions.get(id(block), ""), schema, year)
        elif isinstance(block, Picture):
            builder.picture(block, captions.get(id(block), ""), index)
    builder.party_from_text()
    _within_cells(narrative, schema.part("narrative").field("text").max_length)
    return narrative


class _Builder:
    def __init__(self, narrative: Narrative, schema: Schema) -> None:
        self.narrative = narrative
        self.row: dict | None = None
        self.open = False  # whether body text may still be added to the current row
        self.title_limit = schema.part("narrative").field("title").max_length or 500

    def paragraph(self, entry: Entry) -> None:
        if entry.kind in (HEADING, ITEM) and len(entry.title) > self.title_limit:
            typed = entry.number.typed if entry.number else ""
            self.narrative.guesses.append(
                Guess(entry.paragraph, f"「{entry.quote}」这一段有 {len(entry.title)} 个字，不像标题，已作为正文")
            )
            entry = Entry(entry.paragraph, BODY, text=" ".join(t for t in (f"{typed}{entry.title}", entry.text) if t))
        if entry.kind == HEADING and entry.level > DEEPEST:
            self.narrative.guesses.append(
                Guess(entry.paragraph, f"「{entry.quote}」是第 {entry.level} 级标题，工作簿最多四级，已作为四级标题")
            )
            entry.level = DEEPEST
        if entry.kind == BODY:
            self.narrative.body.append((entry.paragraph, entry.text))
            if self.row is not None and self.open:
                self.row["text"] = f"{self.row['text']}\n{entry.text}" if self.row.get("text") else entry.text
                self.narrative.sources[-1].append(entry.paragraph)
            else:
                self._start({"level": "正文", "text": entry.text}, entry.paragraph)
                self.narrative.sources[-1].append(entry.paragraph)
            return
        level = entry.level if entry.kind == HEADING else KIND_OF_ROW[entry.kind]
        row = {"level": level, "title": entry.title}
        if entry.text:
            self.narrative.body.append((entry.paragraph, entry.text))
            row["text"] = entry.text
        self._start(row, entry.paragraph)
        if entry.text:
            self.narrative.sources[-1].append(entry.paragraph)
        self.open = True  # body paragraphs after a heading or an item belong to it (they print the same either way)

    def table(self, table: Table, caption: str, schema: Schema, year: int | None) -> None:
        found = recognise(table.rows, schema, year)
        if found is None:
            self.narrative.tables_as_text += 1
            self.narrative.guesses.append(
                Guess(table.number, f"这一段之后的表格（{len(table.rows)} 行）不是工作簿中的表，已作为文字放入正文")
            )
            for row in table.rows:
                self.paragraph(Entry(table.number, BODY, text="　".join(cell for cell in row if cell)))
            return
        self.narrative.tables.append(found)
        self._insert(found.insert, table.number)

    def picture(self, picture: Picture, caption: str, index: int) -> None:
        if picture.chart:
            shown = next((field for word, field in CHART_FIELDS if word in caption), "indicators.*" if caption else "")
            insert = showing([shown], CHART) if shown else ""
            if insert:
                self._insert(insert, picture.number)
            return
        if not picture.data:
            return
        number = len(self.narrative.pictures) + 1
        name = INSERT_SEPARATORS.sub("，", caption).strip("，")[:16] or f"图片{number}"
        if any(row["name"] == name for row in self.narrative.pictures):
            name = f"{name[:12]}{number}"
        row = {"name": name, "data": picture.data, "extension": picture.extension}
        if caption:
            row["caption"] = caption
        self.narrative.pictures.append(row)
        self._insert(name, picture.number)

    def party_from_text(self) -> None:
        """A party branch typed as lines ("书记：孔德安") under a heading on 党组织 becomes the 党组织 table."""
        if any(t.part == "party_branch" for t in self.narrative.tables):
            return
        for row, source in zip(self.narrative.rows, self.narrative.sources, strict=True):
            lines = (row.get("text") or "").split("\n")
            members = party_lines(lines)
            if len(members) >= 2:
                kept = [line for line in lines if not party_lines([line])]
                source[1:] = [p for p, line in zip(source[1:], lines, strict=False) if not party_lines([line])]
                row["text"] = "\n".join(kept)
                if not row["text"]:
                    del row["text"]
                self.narrative.tables.append(Recognised("party_branch", showing(["party_branch.*"]), rows=members))
                _add_insert(row, showing(["party_branch.*"]))
                return

    def _start(self, row: dict, paragraph: int) -> None:
        self.narrative.rows.append(row)
        self.narrative.sources.append([paragraph])
        self.row, self.open = row, True

    def _insert(self, name: str, paragraph: int) -> None:
        if self.row is None:
            self._start({"level": "正文"}, paragraph)
        _add_insert(self.row, name)
        self.open = False


def _add_insert(row: dict, name: str) -> None:
    row["insert"] = f"{row['insert']}、{name}" if row.get("insert") else name


def _captions(blocks: list) -> dict[int, str]:
    """Caption paragraphs next to pictures and tables: picture → caption below it, table → caption above it."""
    found: dict[int, str] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, Picture) and index + 1 < len(blocks) and _is_caption(blocks[index + 1], loose=True):
            found[id(blocks[index + 1])] = ""
            found[id(block)] = CAPTION.sub("", blocks[index + 1].text.strip())
        elif isinstance(block, Table) and index > 0 and _is_caption(blocks[index - 1], loose=False):
            found[id(blocks[index - 1])] = ""
            found[id(block)] = CAPTION.sub("", blocks[index - 1].text.strip())
        if isinstance(block, Table) and index + 1 < len(blocks) and _is_table_note(blocks[index + 1]):
            found[id(blocks[index + 1])] = ""  # "注：…" under a table belongs to the table (the 口径 of its figures)
    return found


def _is_table_note(block) -> bool:
    return isinstance(block, Paragraph) and block.text.strip().startswith(("注：", "注:")) and len(block.text) <= 300


def _is_caption(block, loose: bool) -> bool:
    if not isinstance(block, Paragraph):
        return False
    text = block.text.strip()
    if block.style.lower() in CAPTION_STYLES or CAPTION.match(text):
        return len(text) <= 60
    unnumbered = block.label is None and split_number(text)[0] is None
    return loose and unnumbered and len(text) <= 30 and not text.endswith(tuple(SENTENCE_END))


def _tab_tables(blocks: list) -> list:
    """Lines of tab-separated labels and numbers (a chart's data pasted as text) read as small tables."""
    result: list = []
    for block in blocks:
        cells = [c.strip() for c in block.text.split("\t")] if isinstance(block, Paragraph) else []
        cells = [c for c in cells if c]
        numbers = [c for c in cells if re.fullmatch(r"\d+(?:\.\d+)?", c)]
        if len(cells) >= 4 and len(numbers) * 2 == len(cells) and all(not c.isdigit() for c in cells[: len(numbers)]):
            half = len(numbers)
            if result and isinstance(result[-1], Paragraph) and block.text.count("\t") >= 2:
                previous = result[-1]
                if previous.text.rstrip("\t ") and previous.text.endswith("\t"):
                    result.pop()  # the chart's title, typed before its data
            result.append(Table(block.number, [cells[:half], cells[half:]]))
        else:
            result.append(block)
    return result


def _join_broken_lines(blocks: list, narrative: Narrative) -> list:
    """A long line of text cut in two (a page break of the PDF it was copied from) joined again."""
    result: list = []
    for block in blocks:
        previous = result[-1] if result else None
        if (
            isinstance(block, Paragraph)
            and isinstance(previous, Paragraph)
            and _plain(previous)
            and _plain(block)
            and len(previous.text.strip()) >= 30
            and not previous.text.rstrip().endswith(tuple(SENTENCE_END))
            and not block.text.lstrip()[:1].isdigit()
        ):
            narrative.guesses.append(
                Guess(previous.number, f"这一段没有结束就断开了，已与下一段「{block.text.strip()[:12]}…」连成一段")
            )
            result[-1] = Paragraph(previous.number, previous.text.rstrip() + block.text.strip())
        else:
            result.append(block)
    return result


def _plain(paragraph: Paragraph) -> bool:
    return paragraph.label is None and paragraph.style_level is None and split_number(paragraph.text)[0] is None


def _within_cells(narrative: Narrative, limit: int | None) -> None:
    """Rows whose text is longer than a cell may hold, continued in 正文 rows below them (the insert after the last)."""
    if not limit:
        return
    rows, sources = [], []
    for row, source in zip(narrative.rows, narrative.sources, strict=True):
        text = row.get("text") or ""
        if len(text) <= limit:
            rows.append(row)
            sources.append(source)
            continue
        pieces = _pieces(text, limit)
        insert = row.pop("insert", None)
        rows.append(row | {"text": pieces[0]})
        sources.append(source)
        for piece in pieces[1:]:
            rows.append({"level": "正文", "text": piece})
            sources.append([source[-1]])
        if insert:
            rows[-1]["insert"] = insert
        title = row.get("title") or text[:12]
        narrative.guesses.append(
            Guess(source[0], f"「{title}」下的正文有 {len(text)} 个字，超过一个单元格的上限 {limit}，已分成 {len(pieces)} 行“正文”")
        )
    narrative.rows, narrative.sources = rows, sources


def _pieces(text: str, limit: int) -> list[str]:
    """The text cut into pieces of at most limit characters, at paragraph ends (or sentence ends) where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = window.rfind("\n")
        if cut <= 0:
            cut = max(window.rfind(end) for end in "。！？；") + 1
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].strip("\n"))
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text else pieces
