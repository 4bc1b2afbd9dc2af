"""The cover and title lines before the report's text: library name, title, year, compiling office,
e-mail and phone; and where the text of the report begins."""

from __future__ import annotations

import re

from annual_report.core.numerals import digits_of
from annual_report.importer.levels import UNNUMBERED
from annual_report.importer.numbers import split_number
from annual_report.importer.reader import Paragraph
from annual_report.workbook.years import title_year, years_in

# The words of a report's title: 年报, 年度报告, 工作总结, 年度计划, 工作要点, 数据统计, 年度回顾…
REPORT_WORDS = re.compile(r"年报|年報|报告|報告|报表|總結|总结|计划|要点|统计|年鉴|回顾|汇报|大事记|纪事|工作情况")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:电话|联系电话|Tel|TEL)?\s*[:：]?\s*((?:\d{3,4}[-－ ]?)?\d{7,8}(?:[-－转]\d{1,5})?|1\d{10})")
DATE = re.compile(r"^\s*\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?\s*$")
LIBRARY = re.compile(r"([\u4e00-\u9fff（）()]{2,30}?图书馆)")
# the labels of a cover's fields, with or without a colon after them: "联系人 张三", "报送单位：…"
COVER_LABELS = ("联系人", "联系电话", "联系方式", "电话", "传真", "邮编", "地址", "填报人", "填报单位", "填报日期", "报送单位",
                "报送日期", "审核人", "负责人", "签发", "经办人", "制表人", "单位负责人")  # fmt: skip
COMPILER = re.compile(r"^(?:编制单位|编制|编印单位)\s*[:：]\s*(.+)$|^(.+?)(?:编制|编印)$")
CONTENTS_TITLE = re.compile(r"^(?:目\s*录|目\s*次)$|^contents$", re.IGNORECASE)
# an entry with its page, or its pages, after a tab, spaces or dot leaders: "一、概况……1", "（二）活动\t3-5"
CONTENTS_LINE = re.compile(r"^.{1,120}?(?:\t|\s{2,}|[.·…—_\-]{3,}|…+)\s*\d{1,3}(?:\s*[-–—~～]\s*\d{1,3})?\s*$")
PAGES = re.compile(r"(?:\t|\s{2,}|[.·…—_\-]{3,}|…+)\s*\d{1,3}(?:\s*[-–—~～]\s*\d{1,3})?\s*$")
MAX_ENTRY = 60  # characters of a contents entry without its page number
MAX_ENTRIES = 300  # entries of a contents page at most
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = "。！？；：…!?;:"
MAX_TITLE = 50  # characters of a title line


def is_text(paragraph: Paragraph) -> bool:
    """Whether a paragraph belongs to the report's text rather than to a cover: numbered, long, or a sentence."""
    text = paragraph.text.strip()
    if paragraph.title or paragraph.style.lower().startswith(("cover", "封面")) or not CHINESE.search(text):
        return False
    number, _ = split_number(text)
    if number is not None or UNNUMBERED.match(text) or (paragraph.label is not None and paragraph.label.text):
        return True
    return len(text) >= 40 or text.endswith(tuple(SENTENCE_END)) or paragraph.style_level is not None


def typed_contents(paragraphs: list[Paragraph]) -> set[int]:
    """Indexes of a typed contents page: 目录 and its entries, with page numbers or without.

    Entries without page numbers end where the text begins: the first entry comes again (the body's first
    heading), the numbering starts over, or a paragraph of prose follows."""
    found: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        if index in found or not CONTENTS_TITLE.match(paragraph.text.strip()):
            continue
        found.add(index)
        first, highest, pages = None, 0, False
        for later in range(index + 1, min(len(paragraphs), index + 1 + MAX_ENTRIES)):
            text = paragraphs[later].text.strip()
            if len(text) > 2 * MAX_ENTRY or CONTENTS_TITLE.match(text):
                break  # prose, or another contents page
            entry = _squash(PAGES.sub("", text))
            number, _ = split_number(entry)
            paged = bool(CONTENTS_LINE.match(text))
            if not paged:
                if pages:
                    break  # after entries with page numbers, the first line without one
                sentence = entry.endswith(tuple(SENTENCE_END)) and ("，" in entry or len(entry) > MAX_ENTRY // 2)
                if len(entry) > MAX_ENTRY or sentence:
                    break  # prose: the contents are over
                if first is not None and (entry == first[0] or _starts_over(number, first[1], highest)):
                    break  # the body begins with the first entry again
            if first is None:
                first = (entry, number)
            if number is not None and first[1] is not None and number.style == first[1].style:
                highest = max(highest, number.value)
            found.add(later)
            pages |= paged
    return found


def _starts_over(number, first, highest: int) -> bool:
    """Whether an entry's number begins the list of entries again (一、 after 三、)."""
    return number is not None and first is not None and number.style == first.style and number.value <= first.value < highest


def is_cover_field(text: str) -> bool:
    """Whether a short line reads as one of a cover's fields: the library's name, a date, the compiling office, a
    phone number, an e-mail address, a labelled field ("联系人 张三"), a line in English, or a date of writing
    ("二〇二三年一月")."""
    text = _squash(text)
    return (
        text.endswith("图书馆") or bool(DATE.match(text) or COMPILER.match(text) or EMAIL.search(text))
        or bool(PHONE.fullmatch(text)) or not CHINESE.search(text) or text.startswith(COVER_LABELS)
        or bool(re.fullmatch(r"[0-9０-９〇零一二三四五六七八九]{4}\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月.{0,4}", text))
    )  # fmt: skip


def is_title(text: str) -> bool:
    """Whether a line reads as a report's title: a year and a report word, short, unnumbered, no sentence."""
    text = _squash(text)
    return (
        len(text) <= MAX_TITLE
        and bool(REPORT_WORDS.search(text))
        and title_year(text) is not None
        and split_number(text)[0] is None
        and not text.endswith(tuple(SENTENCE_END))
    )


def read_cover(lines: list[str], opening: list[str]) -> tuple[dict, int | None]:
    """The cover fields found in the cover lines, and the report's year when a title names it."""
    squashed = [_squash(line) for line in lines]
    titles = [line for line in squashed if is_title(line)]
    title = next((t for t in titles if "图书馆" in t), titles[0] if titles else "")
    cover: dict = {}
    year = title_year(title) if title else None
    if title:
        cover["title"] = title
    name = _library_name(title) or next((line for line in squashed if line.endswith("图书馆") and len(line) <= 30), "")
    if not name:
        found = LIBRARY.search(re.sub(r"\d{4}\s*年度?", "", " ".join(opening[:3])))
        name = found.group(1) if found else ""
    if name:
        cover["name"] = name
    english = [line.strip() for line in lines if re.fullmatch(r"[A-Za-z][A-Za-z .,&'()-]{3,80}", line.strip())]
    name_en = next((line for line in english if "LIBRARY" in line.upper() and "REPORT" not in line.upper()), "")
    if name_en:
        cover["name_en"] = name_en
    for line in squashed:
        compiler = COMPILER.match(line)
        if compiler and "compiler" not in cover and not EMAIL.search(line):
            cover["compiler"] = (compiler.group(1) or compiler.group(2)).strip()
        email = EMAIL.search(line)
        if email and "email" not in cover:
            cover["email"] = email.group(0)
        phone = PHONE.search(line)
        if phone and "phone" not in cover and not DATE.match(line) and not email and next(years_in(line), None) is None:
            cover["phone"] = phone.group(1)
    if "compiler" in cover and cover["compiler"] == cover.get("name"):  # the cover prints the library's name when no 编制单位 is given
        del cover["compiler"]
    return cover, year


def next_title(title: str, year: int, next_year: int) -> str:
    """Last year's title for the next year: its year, and the plan's year after it, advanced (in digits, or in
    Chinese numerals as written): "2021年工作总结暨2022年工作计划" → "2022年工作总结暨2023年工作计划"."""
    moved = {str(y): str(y + next_year - year) for y in (year, year + 1)}
    moved |= {digits_of(y): digits_of(y + next_year - year) for y in (year, year + 1)}
    pattern = "|".join(map(re.escape, sorted(moved, key=len, reverse=True)))
    return re.sub(rf"(?<!\d)(?:{pattern})(?!\d)", lambda found: moved[found.group()], title)  # one pass: none twice


def _library_name(title: str) -> str:
    rest = title
    for found in reversed(list(years_in(title))):  # without its years (and a 度 after them)
        end = found.end + (1 if title[found.end : found.end + 1] == "度" else 0)
        rest = rest[: found.start] + rest[end:]
    found = LIBRARY.search(rest)
    return found.group(1) if found else ""


def _squash(text: str) -> str:
    """A cover line without the spaces typed between Chinese characters and digits."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])|(?<=\d)\s+(?=[\u4e00-\u9fff])", "", text.strip())
    return re.sub(r"\s+", " ", text)
