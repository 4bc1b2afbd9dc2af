"""Years in a report's text: which are history (a founding, a former name or building, an award, a document, a
span of past years) and which year the text names as the one it reports on."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from annual_report.core.numerals import parse_digits

_YEAR = re.compile(r"(?<![\d.])(?P<digits>(?:19|20)\d{2})\s*年|(?P<chinese>[一二][〇零○一二三四五六七八九]{3})\s*年")
_CLAUSE_MARKS = "，,。；;！!？?\n：:"
_SENTENCE_MARKS = "。；;！!？?\n"
REACH = 300  # characters around a place within which its clause or sentence is looked for
# What a clause says happened at a past time, by meaning rather than by phrase: a library or building founded,
# built, moved or renamed; an award, title or rating received; a document, edition or anniversary; a span since.
HISTORY_WORDS = {
    "founding": ("成立", "建立", "建馆", "始建", "创建", "创办", "创立", "组建", "筹建", "设立", "挂牌", "揭牌", "建成",
                 "落成", "竣工", "开馆", "开放以来", "投入使用", "启用", "诞生"),
    "name or building": ("更名", "改名", "原名", "前身", "命名", "旧馆", "老馆", "原馆", "迁", "改建", "扩建", "重建",
                         "新建", "修建", "维修", "改造", "翻修", "装修"),
    "award": ("荣获", "获得", "获评", "获", "评为", "评选", "授予", "称号", "荣誉", "奖", "先进", "优秀", "最佳", "示范",
              "一级馆", "二级馆", "三级馆", "达标"),
    "document or anniversary": ("版", "文件", "通知", "条例", "办法", "标准", "规范", "纲要", "周年", "诞辰", "纪念"),
    "the past": ("曾", "历年", "历史", "回顾"),
}  # fmt: skip
_HISTORY = re.compile("|".join(re.escape(w) for words in HISTORY_WORDS.values() for w in words))
# A year that starts a time up to now: "自2015年以来", "从2018年起", "2011年至今".
_SINCE_BEFORE = re.compile(r"(?:自|从|早在|始于|曾于|曾在)\s*$")
_SINCE_AFTER = re.compile(r"^\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?\s*(?:以来|至今|起|开始|以前|之前)")
# A span of years ("2019—2021年", "2016年至2020年"): a period named as a whole, not a leftover.
_SPAN = re.compile(r"\s*[-－—–~～至到]\s*(?:19|20)\d{2}")
# Where a text names its own year: "现将2022年度工作总结如下", "2022年工作总结", "截至2022年底".
_REPORT_WORDS = re.compile(r"^(?:度)?\s*(?:的)?\s*(?:工作|年度|全年)?\s*(?:总结|年报|报告|工作|计划|要点|统计)")
_AS_OF = re.compile(r"(?:截至|截止|现将)\s*$")


@dataclass(frozen=True)
class YearInText:
    """A year written in a text ("2022年", "二〇二二年") and where it stands."""

    year: int
    start: int
    end: int


def years_in(text: str, start: int = 0, end: int | None = None) -> Iterator[YearInText]:
    """Every year text[start:end] writes, in digits or in Chinese numerals, with 年 after it."""
    for match in _YEAR.finditer(text, start, len(text) if end is None else end):
        year = int(match.group("digits")) if match.group("digits") else parse_digits(match.group("chinese"))
        yield YearInText(year, match.start(), match.end())


_BARE_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d.%％余多万千册人名个件种场次])")  # in a title: "大事记（2017）", "2017 工作总结"


def title_year(title: str) -> int | None:
    """The year a title names: written with 年, else a bare year ("沧图大事记(2017)"); None if it names none."""
    found = next(years_in(title), None)
    if found is not None:
        return found.year
    bare = _BARE_YEAR.search(title)
    return int(bare.group()) if bare else None


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause (between commas, full stops, colons or line breaks) holding text[start:end],
    looked for within REACH characters on either side (a long cell is read in bounded time)."""
    return around(text, start, end, _CLAUSE_MARKS)


def around(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """Start and end of the stretch between marks holding text[start:end], within REACH on either side."""
    low, high = max(0, start - REACH), min(len(text), end + REACH)
    begin = max((text.rfind(mark, low, start) for mark in marks), default=-1)
    ends = [at for at in (text.find(mark, end, high) for mark in marks) if at != -1]
    return (begin + 1 if begin >= 0 else low), min(ends, default=high)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence holding text[start:end] (within REACH on either side)."""
    return around(text, start, end, _SENTENCE_MARKS)


def is_history(text: str, found: YearInText) -> bool:
    """Whether a year dates a past event or a document rather than the report's own work: its clause tells of a
    founding, building, renaming, award or document, it starts or ends a span of years, or it stands in a title."""
    begin, end = clause_around(text, found.start, found.end)
    before, after = text[begin : found.start], text[found.end : end]
    if _SPAN.match(text, found.end) or _SPAN_BEFORE.search(before):
        return True
    if _inside_title(text, found.start) or _SINCE_BEFORE.search(before) or _SINCE_AFTER.match(after):
        return True
    if _DATE_ONLY.fullmatch(after) and not before.strip() and end < len(text) and text[end] in "，,":
        _, end = clause_around(text, end + 1, end + 1)  # "2019年10月1日，…改扩建后对外开放": the date's event
        after = text[found.end : end]
    return bool(_HISTORY.search(before) or _HISTORY.search(after))


_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATE_ONLY = re.compile(f"\\s*(?:{_DAY}\\s*月\\s*(?:{_DAY}\\s*[日号])?|{_DAY}\\s*月\\s*[初底末]|年?\\s*[初底末])?\\s*")  # only a date
_SPAN_BEFORE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*)?[-－—–~～至到]\s*$")


def _inside_title(text: str, at: int) -> bool:
    """Whether a place of the text is inside 《…》 or “…” (a document's or an award's title)."""
    for opening, closing in (("《", "》"), ("“", "”"), ("「", "」")):
        low = max(0, at - REACH)
        if text.rfind(opening, low, at) > text.rfind(closing, low, at):
            return True
    return False


_FRAMED = re.compile(r"(?:[^，,。；;]{0,14}馆)?\s*(?:在|于|截至|截止|到|至|自|从|现将)?\s*")  # "我馆2021年，", "截至2021年底"


def opens_clause(text: str, found: YearInText) -> bool:
    """Whether a year stands at the head of its clause, as the time of what follows ("2021年，", "我馆2021年接待…",
    "截至2021年底") rather than inside an object ("完成2021年图书、2022年报刊采购工作": those two years' purchases)."""
    begin, _ = clause_around(text, found.start, found.end)
    return bool(_FRAMED.fullmatch(text[begin : found.start]))


def own_year(text: str, found: YearInText) -> bool:
    """Whether the text names this year as the one it reports on: at the start of a sentence or clause ("2022年，我馆",
    "在2022年，", a closing date "2022年12月"), after 现将 ("现将图书馆2022年工作…"), in "2022年工作总结", or after
    截至 (a year-end figure)."""
    if is_history(text, found):
        return False
    begin, _ = clause_around(text, found.start, found.end)
    before = text[begin : found.start].strip()
    framed = not before or before in ("在", "于") or "现将" in before
    return framed or bool(_REPORT_WORDS.match(text[found.end :]) or _AS_OF.search(before))


def report_year(texts: Iterable[str], latest: int | None = None) -> tuple[int, str] | None:
    """The year the texts most often name as their own, and the words where it is first named; else the year
    they most often name outside history (no later than latest); None if they name no such year."""
    texts = list(texts)
    return _most_named(texts, own_year, latest) or _most_named(texts, lambda t, y: not is_history(t, y), latest)


def _most_named(texts: list[str], counted, latest: int | None) -> tuple[int, str] | None:
    counts: Counter[int] = Counter()
    first: dict[int, str] = {}
    for text in texts:
        for found in years_in(text):
            if (latest is None or found.year <= latest) and counted(text, found):
                counts[found.year] += 1
                begin, end = clause_around(text, found.start, found.end)
                first.setdefault(found.year, text[begin:end].strip())
    if not counts:
        return None
    order = list(first)
    year = max(counts, key=lambda y: (counts[y], -order.index(y)))
    return year, first[year]
