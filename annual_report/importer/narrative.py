"""The 正文 rows from the report's text: headings, items and unnumbered parts with their text, opening
paragraphs, tables and pictures placed through 在此插入; unrecognised tables kept as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annual_report.core.schema import CHART, Schema
from annual_report.importer.levels import BODY, HEADING, ITEM, UNNUMBERED_HEADING, Entry, Guess, infer_structure
from annual_report.importer.numbers import split_number
from annual_report.importer.reader import Paragraph, Picture, Table
from annual_report.importer.tables import Recognised, party_lines, recognise
from annual_report.workbook.inserts import showing

KIND_OF_ROW = {ITEM: "条目", UNNUMBERED_HEADING: "无编号"}
CAPTION = re.compile(r"^(?:图|表)\s*\d+(?:[-.．]\d+)?\s*[:：.．]?\s*")
CAPTION_STYLES = ("caption", "figure caption", "题注")
CHART_FIELDS = (("职称", "staff.title_*"), ("学历", "staff.edu_*"))  # a chart caption's word → what it shows
SENTENCE_END = "。！？；：…”’）)」』.!?;:"


@dataclass
class Narrative:
    """What the report's text became: the rows of 正文 and what was read along the way."""

    rows: list[dict] = field(default_factory=list)
    tables: list[Recognised] = field(default_factory=list)
    pictures: list[dict] = field(default_factory=list)  # 图片 rows, with the picture's bytes under "data"
    body: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, text) of every body paragraph
    guesses: list[Guess] = field(default_factory=list)
    tables_as_text: int = 0


def build_narrative(blocks: list, schema: Schema) -> Narrative:
    """正文 rows from the blocks of the report's text (after the cover and contents)."""
    narrative = Narrative()
    blocks = _join_broken_lines(_tab_tables(blocks), narrative)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    captions = _captions(blocks)
    text_paragraphs = [p for p in paragraphs if id(p) not in captions]
    structure = infer_structure(text_paragraphs)
    narrative.guesses += structure.guesses
    entries = {id(p): e for p, e in zip(text_paragraphs, structure.entries, strict=True)}
    builder = _Builder(narrative)
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and id(block) in entries:
            builder.paragraph(entries[id(block)])
        elif isinstance(block, Table):
            builder.table(block, captions.get(id(block), ""), schema)
        elif isinstance(block, Picture):
            builder.picture(block, captions.get(id(block), ""), index)
    builder.party_from_text()
    return narrative


class _Builder:
    def __init__(self, narrative: Narrative) -> None:
        self.narrative = narrative
        self.row: dict | None = None
        self.open = False  # whether body text may still be added to the current row

    def paragraph(self, entry: Entry) -> None:
        if entry.kind == BODY:
            self.narrative.body.append((entry.paragraph, entry.text))
            if self.row is not None and self.open:
                self.row["text"] = f"{self.row['text']}\n{entry.text}" if self.row.get("text") else entry.text
            else:
                self._start({"level": "正文", "text": entry.text})
            return
        level = entry.level if entry.kind == HEADING else KIND_OF_ROW[entry.kind]
        row = {"level": level, "title": entry.title}
        if entry.text:
            self.narrative.body.append((entry.paragraph, entry.text))
            row["text"] = entry.text
        self._start(row)
        self.open = True  # body paragraphs after a heading or an item belong to it (they print the same either way)

    def table(self, table: Table, caption: str, schema: Schema) -> None:
        found = recognise(table.rows, schema)
        if found is None:
            self.narrative.tables_as_text += 1
            self.narrative.guesses.append(
                Guess(table.number, f"这一段之后的表格（{len(table.rows)} 行）不是工作簿中的表，已作为文字放入正文")
            )
            for row in table.rows:
                self.paragraph(Entry(table.number, BODY, text="　".join(cell for cell in row if cell)))
            return
        self.narrative.tables.append(found)
        self._insert(found.insert)

    def picture(self, picture: Picture, caption: str, index: int) -> None:
        if picture.chart:
            shown = next((field for word, field in CHART_FIELDS if word in caption), "indicators.*" if caption else "")
            insert = showing([shown], CHART) if shown else ""
            if insert:
                self._insert(insert)
            return
        if not picture.data:
            return
        number = len(self.narrative.pictures) + 1
        name = (caption[:16] if caption else "") or f"图片{number}"
        if any(row["name"] == name for row in self.narrative.pictures):
            name = f"{name[:12]}{number}"
        row = {"name": name, "data": picture.data, "extension": picture.extension}
        if caption:
            row["caption"] = caption
        self.narrative.pictures.append(row)
        self._insert(name)

    def party_from_text(self) -> None:
        """A party branch typed as lines ("书记：孔德安") under a heading on 党组织 becomes the 党组织 table."""
        if any(t.part == "party_branch" for t in self.narrative.tables):
            return
        for row in self.narrative.rows:
            lines = (row.get("text") or "").split("\n")
            members = party_lines(lines)
            if len(members) >= 2:
                kept = [line for line in lines if not party_lines([line])]
                row["text"] = "\n".join(kept)
                if not row["text"]:
                    del row["text"]
                self.narrative.tables.append(Recognised("party_branch", showing(["party_branch.*"]), rows=members))
                _add_insert(row, showing(["party_branch.*"]))
                return

    def _start(self, row: dict) -> None:
        self.narrative.rows.append(row)
        self.row, self.open = row, True

    def _insert(self, name: str) -> None:
        if self.row is None:
            self._start({"level": "正文"})
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
