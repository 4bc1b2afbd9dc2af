"""The section numbers typed before headings and list items, in the many ways reports write them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annual_report.core.numerals import CIRCLED, parse_chinese

# The level each way of numbering has in official Chinese documents: 一、 （一） 1. （1）.
CANONICAL_LEVEL = {"chapter": 1, "section": 1, "cn": 1, "cn_paren": 2, "ar": 3, "ar_paren": 4, "ar_half": 4, "circled": 4}

_CN = "[一二三四五六七八九十百零〇两]{1,4}"
_LEAD = r"^[\s\-–—•·▪◆◇■□●○►✓*]*"
# After "3." or "3、" anything but a digit (3.5) or a percent sign; after "3，" no unit either (3，万 is a number).
_AFTER_STOP = r"[.．、](?![\d%％.．])"
_AFTER_COMMA = r"[，,](?![\d%％万亿千百元册件个人次余.．])"
_DATE_AHEAD = r"(?=(?:19|20)\d\d\s*年|\d{1,2}\s*月)"  # "2.2021年…", "2.1月19日…": an item number before a date
_PATTERNS = (
    ("chapter", re.compile(rf"{_LEAD}第\s*({_CN}|\d{{1,2}})\s*(?:部分|章|篇)\s*[、，,.．:：]?\s*")),
    # 第一节, one level below 第一章 when under it (its level comes from its place, as a chapter's does)
    ("section", re.compile(rf"{_LEAD}第\s*({_CN}|\d{{1,2}})\s*节(?![课日点目约能假庆气省奏拍，,。；;])\s*[、.．:：]?\s*")),
    ("cn", re.compile(rf"{_LEAD}({_CN})\s*[、，,.．:：]\s*")),
    ("cn_paren", re.compile(rf"{_LEAD}[（(]\s*({_CN})\s*[）)]\s*[、，,.．]?\s*")),
    ("ar_paren", re.compile(rf"{_LEAD}[（(]\s*(\d{{1,2}})\s*[）)]\s*[、，,.．]?\s*")),
    ("dotted", re.compile(rf"{_LEAD}(\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}})[.．、]?(?:\s+|(?=[\u4e00-\u9fff“《（(\"]))")),
    ("ar_half", re.compile(rf"{_LEAD}(\d{{1,2}})\s*[）)]\s*")),
    ("ar", re.compile(rf"{_LEAD}(\d{{1,3}})(?:\s*(?:{_AFTER_STOP}|{_AFTER_COMMA}|[.．、，,]{_DATE_AHEAD})\s*|\t+)")),
    ("circled", re.compile(rf"{_LEAD}([{CIRCLED}])\s*[、，,.．]?\s*")),
)
_DOTTED_DECIMAL = re.compile(r"^\d{1,2}[.．]\d{1,2}(?:[万亿千百元册件个人次%％]|\s+[万亿元%％])")


@dataclass(frozen=True)
class Number:
    """A number found before a paragraph's text."""

    style: str  # chapter, section, cn, cn_paren, ar, ar_paren, ar_half, circled, dotted; or list:<id>:<level> for Word's lists
    value: int
    typed: str  # as it stands in the text, e.g. "（一）"
    depth: int = 1  # the parts of a dotted number: 1.1 → 2

    @property
    def key(self) -> str:
        """What makes two numbers the same kind: dotted ones also by their depth."""
        return f"dotted{self.depth}" if self.style == "dotted" else self.style


# "1 “漂阅生活”图书漂流活动": a number and a space before a short title line, the stop left out
_SPACED = re.compile(rf"{_LEAD}(\d{{1,2}})\s+(?=[“《「\u4e00-\u9fff])(?![年月日号时个万千百人次册件种场期天名位家所项台本余楼层支批间])")
_SPACED_TITLE = 40  # characters of the title after such a number


def split_number(text: str) -> tuple[Number | None, str]:
    """The number a paragraph starts with, and the text after it."""
    spaced = _SPACED.match(text)
    rest = text[spaced.end() :].strip() if spaced else ""
    if spaced and len(rest) <= _SPACED_TITLE and not rest.endswith(("。", "；", "！", "？")):
        return Number("ar", int(spaced.group(1)), spaced.group(1)), rest
    for style, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match or match.end() >= len(text.rstrip()):
            continue
        if style == "dotted" and (_DOTTED_DECIMAL.match(text.lstrip()) or text[match.end() :].startswith(("月", "日"))):
            continue
        raw = match.group(1)
        if style == "dotted":
            parts = re.split(r"[.．]", raw)
            number = Number(style, int(parts[-1]), match.group(0).strip(), depth=len(parts))
        elif style == "circled":
            number = Number(style, CIRCLED.index(raw) + 1, match.group(0).strip())
        else:
            value = int(raw) if raw.isdigit() else parse_chinese(raw)
            if not value:
                continue
            number = Number(style, value, match.group(0).strip())
        return number, text[match.end() :].strip()
    return None, text.strip()


def number_from_label(label_text: str, list_id: str, level: int) -> Number:
    """The Number of a paragraph Word numbers itself: its kind read from the label Word prints."""
    found, _ = split_number(label_text + " X")
    if found is not None:
        return found
    return Number(f"list:{list_id}:{level}", 0, label_text)


_SENTENCE_END = "。！？!?"
_OPEN, _CLOSE = "（(“《「『‘[【", "）)”》」』’]】"


def split_title(text: str) -> tuple[str, str]:
    """A numbered paragraph's title and the text typed after it in the same paragraph ("人防。官渡区…")."""
    depth = 0
    for index, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _SENTENCE_END:
            rest = text[index + 1 :].strip()
            if rest:
                return clean_title(text[: index + (ch not in "。")]), rest
            break
    return clean_title(text), ""


def clean_title(title: str) -> str:
    """A heading's title without the closing punctuation or spaces typed after it."""
    return re.sub(r"[\s。．.，,；;：:、]+$", "", title.strip())
