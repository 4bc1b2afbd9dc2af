"""Numbers as report prose writes them: digits or Chinese numerals (叁万), 万 with or without a unit after it,
approximations (约, 余, 多, 以上) and the unit that follows; dates, times, ordinals and percentages left out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annual_report.core.numerals import NUMERAL_CHARACTERS, parse_chinese

# every unit form a number in a report may carry, longest first so that 人次 wins over 人
UNIT_FORMS = (
    "平方米", "人/次", "册/次", "人次", "册次", "场次", "万元", "小时", "平米", "TB", "GB", "㎡", "T",
    "个", "处", "人", "名", "册", "件", "种", "场", "期", "次", "讲", "张", "天", "台", "篇", "部", "家", "所", "座",
    "元", "米", "岁", "份", "席", "项", "班", "幅", "本", "位", "套",
)  # fmt: skip
_UNIT = "|".join(sorted(map(re.escape, UNIT_FORMS), key=len, reverse=True))
_APPROX_BEFORE = "约|近|逾|超过|将近|大约|多达|不到|不足"
_APPROX_AFTER = "余|多|以上|左右|上下"
_CHINESE = NUMERAL_CHARACTERS
_NUMBER = re.compile(
    rf"(?P<before>{_APPROX_BEFORE})?\s*"
    rf"(?:(?<![\d.第\-－—/])(?<!\d[,，:：])(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(?P<decimals>\d+))?"
    rf"|(?<![{_CHINESE}第周星])(?P<chinese>[{_CHINESE}]{{2,8}}))"
    rf"\s*(?P<after1>{_APPROX_AFTER})?\s*(?P<scale>万|千|亿)?\s*(?P<after2>{_APPROX_AFTER})?"
    rf"\s*(?:(?P<unit>{_UNIT})|[（(](?P<bracketed>{_UNIT})[）)])?"  # "460(种)": a unit in brackets
    rf"\s*(?P<after3>以上|左右)?"
)
_NOT_A_COUNT = ("年", "月", "日", "号", "%", "％", "岁", "-", "—", "－", "~", "～", "至", "时", ":", "：", "点", "周年", "届", "倍")


@dataclass(frozen=True)
class TextNumber:
    """A number written in a text: its value (万 multiplied out), approximate or not, the worth of its last written
    digit (the rounding a reader allows), its unit, and where it stands."""

    value: float
    approximate: bool
    step: float
    unit: str
    start: int  # where the number (or the 约 before it) begins
    end: int  # after its unit
    digits_start: int  # where its digits begin


def numbers_in(text: str, start: int = 0, end: int | None = None) -> list[TextNumber]:
    """The numbers of text[start:end] that count something: years, dates, times, ordinals and shares left out."""
    end = len(text) if end is None else end
    found = []
    for match in _NUMBER.finditer(text, start, end):
        digits_start = match.start("digits") if match.group("digits") else match.start("chinese")
        if text[:digits_start].rstrip()[-1:] in ("第", "序"):
            continue  # an ordinal: 第 36 讲
        tail = text[match.end() : match.end() + 2]
        if any(tail.startswith(word) for word in _NOT_A_COUNT) and not (match.group("unit") or match.group("bracketed")):
            continue
        if tail[:1] in ("%", "％", "月") or "岁" in (match.group("unit"), match.group("bracketed")):
            continue  # a share, "10个月", an age
        number = _read(match, digits_start)
        if number is not None:
            found.append(number)
    return found


def _read(match: re.Match, digits_start: int) -> TextNumber | None:
    scale = {"万": 10000, "千": 1000, "亿": 100000000}.get(match.group("scale") or "", 1)
    approximate = any(match.group(name) for name in ("before", "after1", "after2", "after3"))
    unit = match.group("unit") or match.group("bracketed") or ""
    if match.group("chinese"):
        if not unit:  # a Chinese numeral counts only with its unit ("叁万人次"), never alone (三八, 六一)
            return None
        value = parse_chinese(match.group("chinese"))
        if value is None:
            return None
        step = float(10 ** _trailing_zeros(str(value))) * scale if approximate else float(scale)
        return TextNumber(float(value * scale), approximate, step, unit, match.start(), match.end(), digits_start)
    digits = match.group("digits").replace(",", "")
    decimals = match.group("decimals") or ""
    step = scale / 10 ** len(decimals)
    if approximate and not decimals:
        step = scale * 10 ** _trailing_zeros(digits)
    value = round(float(f"{digits}.{decimals or 0}") * scale, 6)
    return TextNumber(value, approximate, step, unit, match.start(), match.end(), digits_start)


def _trailing_zeros(digits: str) -> int:
    return len(digits) - len(digits.rstrip("0")) if digits.rstrip("0") else 0


