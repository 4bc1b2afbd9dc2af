"""Import a Word report into next year's workbook data, and write that workbook with its import report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from annual_report.core.errors import InputUnreadable, OutputError
from annual_report.core.messages import message
from annual_report.core.refusals import refused
from annual_report.core.schema import Schema, load_schema
from annual_report.core.write import report_path, write_via
from annual_report.importer.cover import (
    CHINESE,
    REPORT_WORDS,
    SENTENCE_END,
    is_cover_field,
    is_text,
    is_title,
    next_title,
    read_cover,
    typed_contents,
)
from annual_report.importer.indicators import from_table, indicator_pairs, indicators_from_text
from annual_report.importer.levels import Guess
from annual_report.importer.mending import checked_import
from annual_report.importer.narrative import build_narrative
from annual_report.importer.numbers import split_number
from annual_report.importer.reader import Paragraph, Picture, read_blocks
from annual_report.importer.report import SHEETS, ImportReport
from annual_report.importer.source import opened_document
from annual_report.workbook.blank import write_workbook
from annual_report.workbook.paste import paste_pictures, readable
from annual_report.workbook.text_numbers import UNIT_FORMS
from annual_report.workbook.years import report_year

CLOSING_DATE = re.compile(r"^[0-9０-９〇零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月"
                          r"\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日$")
CLOSING_STYLES = ("Closing Signature", "Closing Date")  # the styles of the closing in reports this tool made
SIGNATURE_LENGTH = 30  # characters: the longest issuing organ's name taken as a 署名
ENDING = re.compile(r"^[（(]?\s*完\s*[）)]?$|^全文完$")
TABLE_PARTS = ("organisation", "party_branch", "awards", "projects")
MIN_CHINESE = 8  # characters of Chinese text a report has at the least (and a quarter of all its text)
_COVER_MARKS = re.compile(r"[（()）:：]|(?:局|单位|编|内部资料)$")  # "（盖章）", "联系人：…", "…文旅局", "…编"
REPORTS_FROM_MONTH = 10  # a report written from October on is that year's; before, the year before's
LABEL_LENGTH = 12  # characters of a section's label that may open a report without a title ("基本情况")
PROSE_LENGTH = 40  # characters from which an unnumbered paragraph is the report's text, whatever its ending
LABEL_LINE = re.compile(r"\s*[\u4e00-\u9fff（）()]{2,16}\s*[:：]?\s*")  # a line that is only a label: "进馆人次"
NUMBER_LINE = re.compile(  # a line that is only a number with its unit: "12.5万人次"
    rf"\s*(?:约|近)?[0-9０-９]+(?:[.,，][0-9０-９]+)*\s*(?:万|亿)?\s*(?:余|多)?\s*(?:{'|'.join(UNIT_FORMS)})?\s*"
)


@dataclass
class Imported:
    """Next year's workbook data made from a Word report, its pictures and the import report."""

    data: dict
    pictures: list[dict]  # 图片 rows with the picture's bytes
    report: ImportReport


def import_document(path: Path | str, year: int | None = None, schema: Schema | None = None) -> Imported:
    """Read a Word report into the data of next year's workbook (year: the new workbook's year, if given)."""
    schema = schema or load_schema()
    path = Path(path)
    with opened_document(path) as document:
        read = read_blocks(document)
    if not _chinese_report(read.blocks):
        raise refused("not-a-report", path, name=path.name)
    blocks, dropped = _without_contents(_joined_label_lines(read.blocks))
    start = _text_start(blocks)
    cover_lines = [b.text for b in blocks[:start] if isinstance(b, Paragraph)]
    opening = [b.text for b in blocks[start : start + 5] if isinstance(b, Paragraph)]
    cover, found_year = read_cover(cover_lines, opening)
    body, guesses = _body_blocks(blocks[start:], cover.get("title", ""))
    body, dropped["结尾的署名和成文日期"] = _without_closing(body)
    narrative = build_narrative(body, schema, year - 1 if year is not None else found_year)
    if not narrative.body and not any(row.get("title") for row in narrative.rows):
        raise InputUnreadable(message("import-no-text", name=path.name))
    if year is None and found_year is None:
        found_year, guess = _year_from_text(body)
        guesses.append(guess)
    new_year = year if year is not None else found_year + 1
    source_year = found_year if found_year is not None else new_year - 1
    if "title" in cover:
        cover["title"] = next_title(cover["title"], source_year, new_year)
    data: dict = {"cover": cover | {"year": new_year}, "narrative": narrative.rows}
    table_figures: dict = {}
    for table in narrative.tables:
        if table.part in TABLE_PARTS:
            data.setdefault(table.part, []).extend(table.rows)
        elif table.part == "indicators":
            table_figures |= table.values
        else:
            data.setdefault(table.part, {}).update(table.values)
    in_text, indicator_guesses = indicators_from_text(narrative, source_year, schema)
    in_table = from_table(table_figures, schema)
    taken = in_table + [f for f in in_text if f.key not in table_figures]
    data["indicators"] = indicator_pairs(taken)
    data["pictures"] = [{k: v for k, v in row.items() if k in ("name", "caption")} for row in narrative.pictures]
    report = ImportReport(source=path.name, year=new_year, source_year=source_year)
    _fill_report(report, narrative, data, cover, taken, len(cover_lines), dropped, read.empty_paragraphs)
    report.add_guesses(guesses + narrative.guesses + indicator_guesses)
    return Imported(data, narrative.pictures, report)


def write_imported(
    source: Path | str, output: Path | str | None = None, force: bool = False, year: int | None = None
) -> tuple[Path, ImportReport]:
    """Write next year's workbook from a Word report (by default <馆名>-<年度>-年报填报.xlsx here)."""
    schema = load_schema()
    imported = import_document(source, year, schema)
    output = Path(output) if output else report_path(imported.data["cover"], Path("."), "填报.xlsx")
    if output.resolve() == Path(source).resolve():
        raise OutputError(message("import-onto-itself", file=output))
    sheet = schema.part("pictures").sheet

    def make(draft: Path) -> None:
        write_workbook(draft, imported.data, schema)
        if imported.pictures:
            paste_pictures(draft, imported.pictures, sheet)

    def checked(draft: Path) -> None:
        imported.report.changes = checked_import(draft, imported.data, imported.pictures, schema, make, imported.report.source)

    written = write_via(output, checked, force=force)
    imported.report.output = str(written)
    return written, imported.report


def _year_from_text(body: list) -> tuple[int, Guess]:
    """The report's year where neither cover nor title names it: the year its text names as its own (or names most
    outside history, no later than this year), else the year a report written today reports on; said as a guess."""
    texts = [b.text for b in body if isinstance(b, Paragraph)]
    today = dt.date.today()
    named = report_year(texts, latest=today.year)
    if named:
        year, words = named
        first = next(b.number for b in body if isinstance(b, Paragraph) and words in b.text)
        why = f"按正文“{words}”"
    else:
        year = today.year if today.month >= REPORTS_FROM_MONTH else today.year - 1
        first = next((b.number for b in body if isinstance(b, Paragraph)), 1)
        why = f"正文中也没有年度，按今天的日期（{today.year}年{today.month}月）"
    return year, Guess(
        first, f"封面和标题中没有年度，{why}定为 {year} 年度的报告（新工作簿为 {year + 1} 年度）；不对时请用 --year 指定"
    )


def _joined_label_lines(blocks: list) -> list:
    """A table typed as text, a label on one line and its number on the next ("进馆人次" / "12.5万人次"), as one
    line "进馆人次：12.5万人次", so that the figure is read with its label."""
    joined: list = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph) and isinstance(previous, Paragraph) and NUMBER_LINE.fullmatch(block.text)
            and LABEL_LINE.fullmatch(previous.text) and split_number(previous.text)[0] is None
            and not is_title(previous.text)
        ):  # fmt: skip
            joined[-1] = dataclasses.replace(previous, text=f"{previous.text.strip()}：{block.text.strip()}")
        else:
            joined.append(block)
    return joined


def _chinese_report(blocks: list) -> bool:
    """Whether the document has a report's worth of Chinese text (a report in English, or no text, is none)."""
    text = "".join(block.text for block in blocks if isinstance(block, Paragraph))
    chinese = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return chinese >= MIN_CHINESE and chinese * 4 >= len(text.replace(" ", ""))


def _without_contents(blocks: list) -> tuple[list, dict[str, int]]:
    """The blocks without the contents page (Word's or typed) and the closing （完）."""
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    typed = {id(paragraphs[i]) for i in typed_contents(paragraphs)}
    kept, contents, endings = [], 0, 0
    for block in blocks:
        if isinstance(block, Paragraph) and (block.contents or id(block) in typed):
            contents += 1
        elif isinstance(block, Paragraph) and ENDING.match(block.text.strip()):
            endings += 1
        else:
            kept.append(block)
    return kept, {"目录": contents, "结尾的“完”": endings}


def _without_closing(blocks: list) -> tuple[list, int]:
    """The body without its closing (GB/T 9704's 署名 and 成文日期): a last paragraph that is a date, and a short
    line without a sentence's punctuation right above it (the organ's name); the next year's report prints its own."""
    styled = [b for b in blocks if not (isinstance(b, Paragraph) and b.style in CLOSING_STYLES)]  # this tool's own
    if len(styled) < len(blocks):
        return styled, len(blocks) - len(styled)
    paragraphs = [index for index, block in enumerate(blocks) if isinstance(block, Paragraph) and block.text.strip()]
    if not paragraphs or paragraphs[-1] != len(blocks) - 1 or not CLOSING_DATE.match(blocks[-1].text.strip()):
        return blocks, 0
    cut = len(blocks) - 1
    if len(paragraphs) > 1 and paragraphs[-2] == cut - 1:
        name = blocks[cut - 1].text.strip()
        if len(name) <= SIGNATURE_LENGTH and not re.search(r"[。；;：:，,！？]", name):
            cut -= 1
    return blocks[:cut], len(blocks) - cut


def _text_start(blocks: list) -> int:
    """Where the report's text begins: the first numbered, long or sentence paragraph, table or picture; and after
    the last title line ("…图书馆二〇一六年工作要点") that stands before the first paragraph of prose."""
    start = next((i for i, b in enumerate(blocks) if not isinstance(b, Paragraph) or is_text(b)), len(blocks))
    prose = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and _is_prose(b.text)), len(blocks))
    number = split_number(blocks[start].text)[0] if start < len(blocks) and isinstance(blocks[start], Paragraph) else None
    if number is not None and number.value == 1:
        return start  # "一、2020年工作计划", then the plan's own title: the first section begins the text
    titles = [i for i in range(start, prose) if isinstance(blocks[i], Paragraph) and is_title(blocks[i].text)]
    if titles:
        return titles[-1] + 1
    before = [i for i in range(start) if isinstance(blocks[i], Paragraph) and is_title(blocks[i].text)]
    if before:  # after the title, the first short line that is no cover field opens the text ("基本情况")
        after = range(before[-1] + 1, start)
        return next((i for i in after if isinstance(blocks[i], Paragraph) and not _cover_line(blocks[i])), start)
    # no title at all: a label right above the text opens it ("【工作概况】" before its paragraph)
    above = next((i for i in range(start - 1, -1, -1) if isinstance(blocks[i], Paragraph) and blocks[i].text.strip()), None)
    return above if above is not None and _opening_label(blocks[above].text) else start


def _opening_label(text: str) -> bool:
    """Whether a short line is a section's label, not a cover's line: 【…】, or a few words naming no report or year."""
    text = text.strip()
    if re.fullmatch(r"【[^】]{2,20}】", text):
        return True
    return len(text) <= LABEL_LENGTH and not REPORT_WORDS.search(text) and not is_cover_field(text) and not (
        re.search(r"\d|年|图书馆|[—–-]{2}|资料", text)
    )


def _cover_line(paragraph: Paragraph) -> bool:
    """Whether a short paragraph before the text belongs to the cover: a field of it, or blank, or in a cover style."""
    text = paragraph.text.strip()
    return not text or is_cover_field(text) or paragraph.title or bool(_COVER_MARKS.search(text)) or (
        paragraph.style.lower().startswith(("cover", "封面"))
    )


def _is_prose(text: str) -> bool:
    text = text.strip()
    return bool(CHINESE.search(text)) and (len(text) >= PROSE_LENGTH or text.endswith(tuple(SENTENCE_END)))


def _body_blocks(blocks: list, title: str) -> tuple[list, list[Guess]]:
    """The report's text: the title repeated above it dropped, pictures the workbook cannot hold left out."""
    squashed = re.sub(r"\s+", "", title)
    kept, guesses = [], []
    for block in blocks:
        if isinstance(block, Paragraph) and squashed and re.sub(r"\s+", "", block.text) == squashed:
            continue
        if isinstance(block, Picture) and not block.chart and not readable(block.data):
            guesses.append(
                Guess(block.number, "这里的图片格式无法放入工作簿（如 EMF/WMF），请另存为 PNG 或 JPG 后贴到“图片”表")
            )
            continue
        kept.append(block)
    return kept, guesses


def _fill_report(report, narrative, data, cover, taken, cover_lines, dropped, empty) -> None:
    for row in narrative.rows:
        level = row.get("level")
        if isinstance(level, int):
            report.headings[str(level)] = report.headings.get(str(level), 0) + 1
        elif level == "条目":
            report.items += 1
        elif level == "无编号":
            report.unnumbered += 1
    report.body_paragraphs = len(narrative.body)
    report.cover = [key for key in cover if key != "year"]
    report.tables = [{"sheet": SHEETS[t.part], "rows": t.size} for t in narrative.tables]
    report.tables_as_text = narrative.tables_as_text
    report.add_figures(taken)
    report.pictures = len(data["pictures"])
    report.dropped = dropped | {"封面和标题": cover_lines, "空段落": empty}
