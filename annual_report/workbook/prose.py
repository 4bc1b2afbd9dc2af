"""Figures stated in prose, read as a person reads them: an indicator named in its usual words (schema.json's
x-text-names, see wording.py) with its number, and never a part, a difference, a rate, a plan, a period of the
year, one place or kind, or one event taken for the figure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from annual_report.core.schema import Schema
from annual_report.workbook.exclusions import (
    NameAt,
    change_in,
    excluded,
    has,
    printed_part,
    split_network,
    to_date,
)
from annual_report.workbook.listed import people_of_events, summed_kinds
from annual_report.workbook.mentions import CLAUSE_END, IndicatorMention, mention_at
from annual_report.workbook.text_numbers import UNIT_FORMS, TextNumber, numbers_in
from annual_report.workbook.wording import (
    ALL_CHANNELS,
    CHANGE_WORDS,
    EXAMPLE_WORDS,
    LEFT_OUT_MARKS,
    RATE_WORDS,
    STOCK_CHANGE_WORDS,
    SUBSET_WORDS,
    TOTAL_WORDS,
    Wording,
    wordings,
)
from annual_report.workbook.years import around, clause_around, is_history, opens_clause, years_in

__all__ = ["UNIT_FORMS", "IndicatorMention", "Quote", "TextNames", "indicators_in_text", "mention_column"]
TextNames = Wording  # how prose names one figure (the name it had before it grew into Wording)
_SENTENCE_END = "。；;！!？?\n"
_CHINESE = re.compile(r"[\u4e00-\u9fff“”《》（）]")
_LABEL_GAP = re.compile(r"[\s:：为达是共计累仍已到总合约]*")  # between a label and its number written without a unit
_COMPARED = re.compile(r"(?:比|较|与|和|同|由|从)\s*$")  # "比2013年增加…", "由2019年的…增至": names no column
_PLAN_TITLE = re.compile(r"计划|打算|思路|展望|设想|下一步|明年")
_SUMMARY_TITLE = re.compile(r"总结|回顾|概况|成效|完成情况")  # "2022年工作总结及2023年工作计划": the summary first
_SAME_COUNT = re.compile(r"\s*[（(,，、]?\s*")  # between a count of titles (种) and the same in volumes (册)
_AND = ("和", "与", "及", "以及", "、")
_RESULT = re.compile(r"(?:增长|增加|提高|上升|提升|增|升)(?:至|到)")  # a change's result: "增长至", "提高到"
_FROM = re.compile(r"(?<![事业而自])(?:由|从)[^\d，,。；;]{0,5}$")  # "由（上年的）38万册…": the number after it is a start
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_TOTALLED = re.compile(r"\s*[，,]\s*(?:共计|合计|总计|总共|共)\s*(?:达到|达|为|有)?\s*")  # "订阅杂志、报纸，共计286种"
_ALL_CHANNELS = re.compile("|".join(ALL_CHANNELS))
_NUMBERING = re.compile(r"\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]?\s*、")
_EXAMPLE = re.compile(f"(?:^|[：:，,（(])\\s*(?:{'|'.join(EXAMPLE_WORDS)})(?![期实今何此约])")  # an example follows
_TO = re.compile(r"\s*(?:(?:增长|增加|提高|上升|提升|下降|减少|降低|增|升|降|减)?(?:至|到|为)|变为|变成)\s*")
MAX_GAP_AFTER = 10  # characters between a name and the number that follows it (a note in brackets not counted)
MAX_GAP_BEFORE = 4  # characters between a number (with its unit) and the name that follows it ("94个基层社区服务点")
MAX_QUOTE = 60  # characters of a clause quoted in a message


@dataclass(frozen=True)
class Quote:
    """A figure the narrative states: its 正文 row and column, the cell's text, the mention and the year's column."""

    row: int
    column: str  # the 正文 column: title or text
    text: str
    mention: IndicatorMention
    which: str  # the figures' column it speaks of: current or previous

    @property
    def written(self) -> str:
        """The number as the text writes it, with its unit ("3万余人次")."""
        return self.text[self.mention.start : self.mention.end].strip()

    @property
    def to_date(self) -> str:
        """"截至11月" when the sentence counts the figure up to a date before the year's end, else ""."""
        begin, _ = around(self.text, self.mention.start, self.mention.start, _SENTENCE_END)
        return to_date(self.text[begin : self.mention.start]) or ""

    def excerpt(self, width: int = MAX_QUOTE) -> str:
        """The whole clause the number stands in (at most width characters, the number never cut)."""
        mention = self.mention
        begin = mention.clause_start if mention.clause_start >= 0 else mention.start
        end = max(mention.clause_end, mention.end)
        begin = max(begin, min(mention.start, end - width))
        return self.text[begin:end].strip().replace("\n", " ")


def text_names(schema: Schema) -> Mapping[str, Wording]:
    """Each figure the prose can name, by key (wording.wordings, kept under its first name)."""
    return wordings(schema)


def indicators_in_text(text: str, schema: Schema) -> list[IndicatorMention]:
    """Every figure the text states, in the order they stand."""
    named = wordings(schema)
    mentions: list[IndicatorMention] = []
    sentences = _spans(text, _SENTENCE_END)
    carried: list[IndicatorMention] = []  # the figures of the sentence before, when a semicolon joins them
    for index, (start, end) in enumerate(sentences):
        joined = index + 1 < len(sentences) and text[end : end + 1] in "；;"
        after = sentences[index + 1] if joined else None
        found = _in_sentence(text, start, end, after, named, carried)  # the carried ones again, maybe the network's
        mentions[len(mentions) - len(carried) :] = found
        carried = found[len(carried) :] if joined else []
    return sorted(mentions, key=lambda m: m.start)


def _spans(text: str, marks: str) -> list[tuple[int, int]]:
    """The stretches of text between marks; a full stop typed "." between Chinese words ends one too ("3个类型.共设")."""
    spans, begin = [], 0
    for at, char in enumerate(text):
        if char in marks or (char in ".．" and _CHINESE.match(text, at - 1) and _CHINESE.match(text, at + 1)):
            if at > begin:
                spans.append((begin, at))
            begin = at + 1
    if len(text) > begin:
        spans.append((begin, len(text)))
    return spans


def _in_sentence(
    text: str, start: int, end: int, after, named: Mapping[str, Wording], carried: list[IndicatorMention]
) -> list[IndicatorMention]:
    """The figures of one sentence: each name with the number after it (or before it), unless excluded; first the
    figures carried from the sentence before it, if a semicolon joins them ("…4600余人次；其中，外借…"), which this
    one may show to be the network's ("…；其中总馆…")."""
    numbers = numbers_in(text, start, end)
    if not numbers:
        return list(carried)
    names = _names(text, start, end, named)
    taken: set[int] = set()
    mentions = list(carried)
    for index, name in enumerate(names):
        wording = named[name.key]
        limit = next((n.start for n in names[index + 1 :] if n.start >= name.end and not n.part), end)
        number = _number_after(text, name, numbers, wording, limit, _last_listed(text, start, name, names))
        if number is None and wording.number_first and (not wording.people_of or has(text[name.start : name.end], TOTAL_WORDS)):
            # people before the verb ("12369人次参与各类活动") count all activities only when it says all
            floor = max((n.end for n in names[:index] if n.end <= name.start), default=start)
            number = _number_before(text, name, numbers, wording, floor)
        if number is None or number.start in taken:
            continue
        if excluded(text, start, name, number, (names, mentions), named):
            number = printed_part(text, number, numbers, wording)  # the printed part of a whole that counts more
            if number is None or number.start in taken:
                continue
        taken.add(number.start)
        mentions.append(mention_at(text, name.key, name.start, number))
    mentions += summed_kinds(text, start, end, numbers, named, (names, mentions))
    later = numbers_in(text, after[0], after[1]) if after else []
    mentions += people_of_events(text, mentions[len(carried) :], numbers + later, names, named, taken)
    return split_network(text, mentions, numbers, named, taken)


def _names(text: str, start: int, end: int, named: Mapping[str, Wording]) -> list[NameAt]:
    """Where the sentence names an indicator: longest names first, a name inside a longer one not counted, a name
    in "（不含…）" left out."""
    found, sentence = [], text[start:end]
    for wording in named.values():
        for patterns, part in ((wording.patterns, False), (wording.part_patterns, True)):
            for first, pattern in patterns:
                if first in sentence:
                    found += [NameAt(wording.key, m.start(), m.end(), part) for m in pattern.finditer(text, start, end)]
    both = [m.span() for m in _ALL_CHANNELS.finditer(text, start, end)]  # "线上线下参与": no name of 线上 alone
    found = [n for n in found if not any(a <= n.start < b for a, b in both)]
    kept: list[NameAt] = []  # of overlapping names the one ending later wins (the number follows it), then the longer
    for name in sorted(found, key=lambda n: (-n.end, n.start, n.part)):
        overlapping = [k for k in kept if k.start < name.end and name.start < k.end]
        same = all((k.start, k.end) == (name.start, name.end) and not name.part for k in overlapping)
        if same and not _left_out(text, start, name.start):
            kept.append(name)
    return sorted(kept, key=lambda n: (n.start, n.part))


def _left_out(text: str, start: int, at: int) -> bool:
    """Whether a place is inside brackets that say what is not included: "（不含电子文献）"."""
    opened = max(text.rfind("（", start, at), text.rfind("(", start, at))
    closed = max(text.rfind("）", start, at), text.rfind(")", start, at))
    return opened > closed and text[opened + 1 : at].lstrip().startswith(LEFT_OUT_MARKS)


def _without_brackets(text: str) -> str:
    return re.sub(r"[（(][^（()）]*[）)]", "", text)


def _last_listed(text: str, start: int, name: NameAt, names: list[NameAt]) -> bool:
    """Whether the name ends a list of other things ("开展读书会、讲座"): a total after it is the list's."""
    before = text[start : name.start].rstrip()
    if not before.endswith("、") or _NUMBERING.fullmatch(before):
        return False  # "二、读者活动，共计120场次": a heading's number, no list
    item = next((n for n in reversed(names) if n.end <= name.start), None)
    return item is None or item.key != name.key or text[item.end : name.start].strip() != "、"


def _number_after(
    text: str, name: NameAt, numbers: list, wording: Wording, limit: int, listed: bool
) -> TextNumber | None:
    """The first number after the name, close to it, in one of its units (or bare right after it, as a label).

    listed: the name ends a list of other things, so a total after a comma is not its figure."""
    for position, number in enumerate(numbers):
        if number.start < name.end:
            continue
        if number.start >= limit:
            return None  # another name comes first: the number is that one's
        gap = text[name.end : number.start]
        following = numbers[position + 1] if position + 1 < len(numbers) else None
        between = text[number.end : following.start] if following else ""
        if _FROM.search(_YEAR.sub("", gap)) and not any(mark in gap for mark in CLAUSE_END):
            # "由（2019年的）38万册增长至42万册": the result, never the start; nothing from a range (…不等)
            result = following and following.start < limit and _TO.fullmatch(between)
            ranged = following and text.startswith("不等", following.end)
            return following if result and not ranged and following.unit in wording.units else None
        if _EXAMPLE.search(_without_brackets(gap)):
            return None  # "线上活动：如举办“连图讲坛”15场次": one example, not the figure
        bare = _RESULT.sub("达", _without_brackets(gap))  # "增长至136万册": what there is now, not the growth
        if len(bare) > MAX_GAP_AFTER or has(bare, CHANGE_WORDS + RATE_WORDS) or any(c.isdigit() for c in bare):
            return None
        totalled = not listed and _TOTALLED.fullmatch(gap)
        if (any(mark in gap for mark in CLAUSE_END) and not totalled) or bare.rstrip().endswith(_AND):
            return None  # "总馆和15个镇街分馆": after 和 the number begins another thing
        if number.unit in wording.units or (not number.unit and _LABEL_GAP.fullmatch(bare) and _bare(text, number)):
            return number
        if following and following.unit in wording.units and _SAME_COUNT.fullmatch(between) and number.unit == "种":
            return following  # "地方文献10多种(60余册)", "馆藏75274种,176359册": the titles, then the volumes
        return None
    return None


def _bare(text: str, number: TextNumber) -> bool:
    """Whether a number without a unit we know stands alone (a label's value), not with a unit in Latin letters
    ("电子图书284G"); the next words may follow without a stop ("建筑面积10000读者座席600个")."""
    following = text[number.end : number.end + 1]
    return not (following.isascii() and following.isalpha())


def _number_before(text: str, name: NameAt, numbers: list, wording: Wording, floor: int) -> TextNumber | None:
    """The number just before the name ("92个图书服务点"), in one of its units, with at most a few words between."""
    before = [number for number in numbers if floor <= number.start and number.end <= name.start]
    if not before:
        return None
    number = before[-1]
    gap = text[number.end : name.start]
    if number.unit not in wording.units or len(gap) > MAX_GAP_BEFORE or has(gap, CHANGE_WORDS + SUBSET_WORDS):
        return None
    changed = CHANGE_WORDS + (STOCK_CHANGE_WORDS if wording.stock else ())
    if any(mark in gap for mark in CLAUSE_END) or change_in(text[max(floor, number.start - 4) : number.start], changed):
        return None  # "新增 2 个公共阅读点", "设立了4个流通服务点": the new ones, not all
    return number


def narrative_texts(data: dict) -> Iterator[tuple[int, dict, str, str]]:
    """Every text of the 正文 rows: the row's index, the row, the column (title or text) and its text."""
    for index, row in enumerate(data.get("narrative", [])):
        if isinstance(row, dict):
            for column in ("title", "text"):
                if isinstance(row.get(column), str):
                    yield index, row, column, row[column]


def plan_heading(title: str, year: int | None) -> bool:
    """Whether a heading opens a plan: it names a year after the report's, or 计划, 打算, 思路, 展望, 下一步…, and
    not the year's summary as well ("2022年工作总结及2023年工作计划" opens the summary; the plan has its own heading)."""
    if _SUMMARY_TITLE.search(title):
        return False
    return bool(_PLAN_TITLE.search(title)) or (year is not None and any(y.year > year for y in years_in(title)))


def in_plan(data: dict) -> set[int]:
    """The 正文 rows of plan sections: from a plan heading to the next heading of its level or above."""
    year = _year(data)
    rows, plan_level = set(), None
    for index, row in enumerate(data.get("narrative", [])):
        level = row.get("level") if isinstance(row, dict) else None
        level = 1 if level == "无编号" else level
        if isinstance(level, int):
            if plan_level is not None and level <= plan_level:
                plan_level = None
            if plan_level is None and plan_heading(str(row.get("title", "")), year):
                plan_level = level
        if plan_level is not None:
            rows.add(index)
    return rows


def _year(data: dict) -> int | None:
    year = data.get("cover", {}).get("year")
    return int(year) if isinstance(year, int | float) and not isinstance(year, bool) else None


def quoted_indicators(data: dict, schema: Schema) -> tuple[Quote, ...]:
    """Every figure the narrative states for the report year or the year before (plans and other years left out).

    Read once per workbook: the check and the report's trace ask for the same data, one after the other.
    """
    global _last_quoted
    if _last_quoted[0] is data and _last_quoted[1] is schema:
        return _last_quoted[2]
    year, plan = _year(data), in_plan(data)
    quotes = []
    for index, _row, column, text in narrative_texts(data):
        if index in plan:
            continue
        for mention in indicators_in_text(text, schema):
            which = mention_column(text, mention, year) if year is not None else "current"
            if mention.network:  # the 全馆 column holds the report year's network figures only
                which = "network" if which == "current" else None
            if which:
                quotes.append(Quote(index, column, text, mention, which))
    _last_quoted = (data, schema, tuple(quotes))
    return _last_quoted[2]


_last_quoted: tuple = (None, None, ())  # the data last read, its schema and its quotes


def mention_column(text: str, mention: IndicatorMention, year: int) -> str | None:
    """Which year's column a mention speaks of: the nearest year named before it in its sentence decides (a year of
    history or one compared with does not, nor one inside an earlier clause's object: "完成2022年报刊采购，新增…").

    "current" when no year or the report year is named, "previous" for the year before, None for any other year.
    """
    begin, _ = around(text, mention.start, mention.start, _SENTENCE_END)
    own_clause, _ = clause_around(text, mention.start, mention.start)
    years = [
        y for y in years_in(text, begin, mention.start)
        if not is_history(text, y) and not _COMPARED.search(text[max(begin, y.start - 3) : y.start])
        and (y.start >= own_clause or opens_clause(text, y))
    ]  # fmt: skip
    if years:
        return {year: "current", year - 1: "previous"}.get(years[-1].year)
    return "current"


@dataclass(frozen=True)
class Contradiction:
    """A figure the text states that the figures sheet does not hold: where, which figure and what the sheet says."""

    quote: Quote
    figure: float


def contradictions(data: dict, schema: Schema) -> Iterator[Contradiction]:
    """Every figure the narrative states that disagrees with 主要数据, once per text cell, figure and column."""
    figures = data.get("indicators", {})
    reported = set()
    for quote in quoted_indicators(data, schema):
        key = (quote.row, quote.column, quote.mention.key, quote.which)
        figure = figures.get(quote.mention.key, {}).get(quote.which) if isinstance(figures, dict) else None
        if isinstance(figure, bool) or not isinstance(figure, int | float) or key in reported:
            continue
        if not quote.mention.agrees(figure):
            reported.add(key)
            yield Contradiction(quote, figure)


@dataclass(frozen=True)
class StaleYears:
    """Years in a text cell other than the report year and its neighbours, and the clause of the first."""

    row: int
    column: str
    years: tuple[int, ...]
    clause: str


def stale_years(data: dict) -> Iterator[StaleYears]:
    """Years in the text that may be left from an old report: not the report year or its neighbours, not history
    (a founding, building, award, document or span of years); in a plan, the year after next is expected too."""
    year = _year(data)
    if year is None:
        return
    plan = in_plan(data)
    for index, _row, column, text in narrative_texts(data):
        allowed = {year - 1, year, year + 1} | ({year + 2} if index in plan else set())
        found = [y for y in years_in(text) if y.year not in allowed and not is_history(text, y)]
        if found:
            first = min(found, key=lambda y: y.year)
            begin, end = clause_around(text, first.start, first.end)
            words = text[begin:end].strip().replace("\n", " ")
            yield StaleYears(index, column, tuple(sorted({y.year for y in found})), words[:MAX_QUOTE])
