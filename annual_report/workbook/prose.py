"""Figures stated in prose: an indicator named by its label or a synonym, with a number in the same clause."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from annual_report.core.schema import Schema

# every unit form a number in a report may carry, longest first so that 人次 wins over 人
UNIT_FORMS = (
    "平方米", "万平方米", "人次", "册次", "场次", "万元", "小时", "余人", "TB", "GB",
    "个", "处", "人", "名", "册", "件", "种", "场", "期", "次", "讲", "张", "天", "台", "篇", "部", "家", "所", "座",
    "元", "米", "岁",
)  # fmt: skip
_UNIT = "|".join(sorted(map(re.escape, UNIT_FORMS), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<before>约|近|逾|超过|将近|大约|多达)?\s*"
    r"(?<![\d.,，第])(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?"
    r"\s*(?P<scale>万|千)?\s*(?P<after>余|多)?\s*(?P<unit>" + _UNIT + ")?"
)
_CLAUSE_END = "，,。；;！!？?\n、"
_SENTENCE_END = "。；;！!？?\n"
# words that make a number a change, a share, or a part rather than the figure itself
_CHANGE = re.compile(r"增|减|降|提高|比|较|同比|环比|占|其中|平均|每|第")
_SUBSET = ("线上", "线下", "少儿", "青少年", "其中", "分馆", "新增", "新建", "阅览室", "外借处", "自助")
_LABEL_GAP = re.compile(r"[\s:：为达是共计累仍已]*")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
MAX_GAP_AFTER = 10  # characters between a name and the number that follows it
MAX_GAP_BEFORE = 4  # characters between a number (with its unit) and the name that follows it ("94个基层社区服务点")


@dataclass(frozen=True)
class IndicatorMention:
    """A figure the prose states: which field, the number written, whether approximate, where it stands."""

    key: str
    value: float
    approximate: bool
    start: int
    end: int
    step: float = 1.0  # what the last written digit is worth (100 for "13.10万"); the rounding a reader allows

    def agrees(self, figure: float) -> bool:
        """Whether the number written (rounded, or approximate: 约, 余, 多) can be this figure."""
        if self.approximate:
            return abs(figure - self.value) <= max(self.step, 0.1 * self.value) + 1e-9
        return abs(figure - self.value) <= 0.5 * self.step + 1e-9


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

    def excerpt(self, width: int = 10) -> str:
        """The words around the mention, within its sentence."""
        begin = max(0, self.mention.start - width)
        return self.text[begin : self.mention.end].strip().replace("\n", " ")


@dataclass(frozen=True)
class _Number:
    value: float
    approximate: bool
    step: float
    unit: str
    start: int
    end: int


@dataclass(frozen=True)
class TextNames:
    """How prose names one figure: its label and synonyms, the units its number takes, and whether the number may
    stand before the name ("94个基层社区服务点"; only for things counted in places, where it reads unambiguously).
    """

    names: tuple[str, ...]
    units: tuple[str, ...]
    number_first: bool = False


@cache
def text_names(schema: Schema) -> Mapping[str, TextNames]:
    """Each figure the prose can name, by key, from the schema's x-text-names (built once per schema)."""
    named = {}
    for item in schema.part("indicators").fields:
        if item.text_names:
            spec = item.text_names
            names = tuple(dict.fromkeys([_plain_label(item.label), *spec.get("names", ())]))
            named[item.key] = TextNames(names, tuple(spec.get("units", ())), spec.get("number_first", False))
    return MappingProxyType(named)  # shared by every caller: read-only


def _plain_label(label: str) -> str:
    """A label as prose would write it: without 其中： and without a bracketed unit or note."""
    return re.sub(r"（[^）]*）$", "", label.removeprefix("其中："))


def indicators_in_text(text: str, schema: Schema) -> list[IndicatorMention]:
    """Every figure the text states in a clause that names its indicator, in the order they stand."""
    named, candidates = text_names(schema), _longest_first(schema)
    mentions = []
    for start, end in _clauses(text):
        mentions.extend(_in_clause(text, start, end, named, candidates))
    return sorted(mentions, key=lambda m: m.start)


def narrative_texts(data: dict) -> Iterator[tuple[int, dict, str, str]]:
    """Every text of the 正文 rows: the row's index, the row, the column (title or text) and its text."""
    for index, row in enumerate(data.get("narrative", [])):
        if isinstance(row, dict):
            for column in ("title", "text"):
                if isinstance(row.get(column), str):
                    yield index, row, column, row[column]


def quoted_indicators(data: dict, schema: Schema) -> Iterator[Quote]:
    """Every figure the narrative states, with the year's column it speaks of (a figure of another year left out)."""
    year = data.get("cover", {}).get("year")
    known = isinstance(year, int | float) and not isinstance(year, bool)
    for index, _row, column, text in narrative_texts(data):
        for mention in indicators_in_text(text, schema):
            which = mention_column(text, mention, int(year)) if known else "current"
            if which:
                yield Quote(index, column, text, mention, which)


def mention_column(text: str, mention: IndicatorMention, year: int) -> str | None:
    """Which year's column a mention speaks of: the nearest year named before it in its sentence decides.

    "current" when no year or the report year is named, "previous" for the year before, None for any other year.
    """
    begin = max((text.rfind(mark, 0, mention.start) for mark in _SENTENCE_END), default=-1) + 1
    before = text[begin : mention.start]
    years = _YEAR.findall(before)
    if years:
        named = int(years[-1])
        return {year: "current", year - 1: "previous"}.get(named)
    return "current"


def _clauses(text: str) -> list[tuple[int, int]]:
    """Start and end of every clause, cut at commas, full stops and line breaks."""
    spans, begin = [], 0
    for at, char in enumerate(text):
        if char in _CLAUSE_END:
            if at > begin:
                spans.append((begin, at))
            begin = at + 1
    if len(text) > begin:
        spans.append((begin, len(text)))
    return spans


def _numbers(text: str, start: int, end: int) -> list[_Number]:
    """The numbers of a clause with their unit; ordinals (第3期) and years (2020年) left out."""
    found = []
    for match in _NUMBER.finditer(text, start, end):
        if match.start("digits") > start and text[match.start("digits") - 1] == "第":
            continue
        tail = text[match.end() : match.end() + 1]
        if tail in ("年", "月", "日", "号", "%", "％", "岁", "-", "—", "至", "时", ":") or (
            not match.group("unit") and text[match.end("digits") : match.end("digits") + 1] in ("-", "—")
        ):
            continue
        digits = match.group("digits").replace(",", "")
        decimals = match.group("decimals") or ""
        scale = {"万": 10000, "千": 1000}.get(match.group("scale") or "", 1)
        approximate = bool(match.group("before") or match.group("after"))
        step = scale / 10 ** len(decimals)
        if approximate and not decimals:
            step = scale * 10 ** (len(digits) - len(digits.rstrip("0")) if digits.rstrip("0") else 0)
        unit = match.group("unit") or ""
        if unit == "余人":
            unit, approximate = "人", True
        found.append(
            _Number(
                round(float(f"{digits}.{decimals or 0}") * scale, 6),
                approximate,
                step,
                unit,
                match.start(),
                match.end(),
            )
        )
    return found


def _in_clause(text: str, start: int, end: int, named: Mapping, candidates: tuple) -> list[IndicatorMention]:
    """The mentions of one clause: each name with the number right after it, or else right before it."""
    numbers = _numbers(text, start, end)
    if not numbers:
        return []
    occurrences = _name_occurrences(text, start, end, candidates)
    taken: set[int] = set()
    mentions = []
    for key, name_start, name_end in occurrences:
        units = named[key].units
        qualifier = text[max(start, name_start - 4) : name_start]
        if any(qualifier.endswith(word) for word in _SUBSET) and not qualifier.endswith("线上线下"):
            continue
        if "其中" in text[start:name_start]:
            continue
        chosen = _number_after(text, name_end, numbers, units)
        if chosen is None and named[key].number_first:
            chosen = _number_before(text, name_start, numbers, units)
        if chosen is None or chosen.start in taken:
            continue
        taken.add(chosen.start)
        mentions.append(IndicatorMention(key, chosen.value, chosen.approximate, chosen.start, chosen.end, chosen.step))
    return mentions


def _name_occurrences(text: str, start: int, end: int, candidates: tuple) -> list[tuple[str, int, int]]:
    """Where the clause names an indicator, longest names first; a shorter name inside a longer one does not count."""
    covered: list[tuple[int, int]] = []
    found = []
    for name, key in candidates:
        at = text.find(name, start, end)
        while at != -1:
            span = (at, at + len(name))
            inside = [c for c in covered if c[0] <= span[0] and span[1] <= c[1]]
            if not inside or any(c == span for c in inside):
                covered.append(span)
                found.append((key, *span))
            at = text.find(name, at + 1, end)
    return sorted(found, key=lambda item: item[1])


@cache
def _longest_first(schema: Schema) -> tuple[tuple[str, str], ...]:
    """Every (name, key) the prose can name a figure by, longest name first."""
    pairs = ((name, key) for key, names in text_names(schema).items() for name in names.names)
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _number_after(text: str, name_end: int, numbers: list[_Number], units: tuple) -> _Number | None:
    """The first number after the name, close to it, in one of the units (or bare right after the label)."""
    for number in numbers:
        if number.start < name_end:
            continue
        gap = text[name_end : number.start]
        if len(gap) > MAX_GAP_AFTER or any(ch.isdigit() for ch in gap) or _CHANGE.search(gap):
            return None
        if number.unit in units or (not number.unit and _LABEL_GAP.fullmatch(gap)):
            return number
        return None
    return None


def _number_before(text: str, name_start: int, numbers: list[_Number], units: tuple) -> _Number | None:
    """The number just before the name ("92个图书服务点"), in one of the units, with at most a few words between."""
    before = [number for number in numbers if number.end <= name_start]
    if not before:
        return None
    number = before[-1]
    gap = text[number.end : name_start]
    if number.unit not in units or len(gap) > MAX_GAP_BEFORE or _CHANGE.search(gap):
        return None
    if any(word in gap for word in _SUBSET) or _CHANGE.search(text[max(0, number.start - 3) : number.start]):
        return None
    return number
