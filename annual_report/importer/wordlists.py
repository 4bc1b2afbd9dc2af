"""Word's own list numbering (w:numPr): the number Word shows before a paragraph, read from numbering.xml."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from annual_report.core.numerals import formatted


@dataclass(frozen=True)
class ListLabel:
    """The number Word prints before a list paragraph, and where it sits in its list."""

    text: str  # e.g. "一、", "（1）", "1.1"; "" for a bullet
    list_id: str  # the abstract numbering definition: paragraphs of one list share it
    level: int  # 0-based level in the numbering definition (w:ilvl)
    number_format: str  # w:numFmt of that level: decimal, chineseCounting, bullet…


@dataclass(frozen=True)
class _Level:
    start: int
    number_format: str
    text: str
    legal: bool


class ListNumbering:
    """Counts Word's lists through a document in reading order, as Word would number them."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}  # abstractNumId → ilvl → definition
        self._abstract_of: dict[str, str] = {}  # numId → abstractNumId
        self._overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start
        self._counters: dict[str, list[int]] = {}  # abstractNumId → counts per level
        self._started: set[str] = set()
        self._style_levels: dict[str, int] = {}  # styleId → ilvl, from a level's w:pStyle
        self._style_numbering = _style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    start=int(_value(lvl, "w:start") or 1),
                    number_format=_value(lvl, "w:numFmt") or "decimal",
                    text=_value(lvl, "w:lvlText") or "",
                    legal=lvl.find(qn("w:isLgl")) is not None,
                )
                style = _value(lvl, "w:pStyle")
                if style:
                    self._style_levels[style] = int(lvl.get(qn("w:ilvl"), "0"))
            self._levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            self._abstract_of[num_id] = _value(num, "w:abstractNumId") or ""
            for override in num.findall(qn("w:lvlOverride")):
                start = _value(override, "w:startOverride")
                if start is not None:
                    self._overrides.setdefault(num_id, {})[int(override.get(qn("w:ilvl"), "0"))] = int(start)

    def label(self, paragraph) -> ListLabel | None:
        """The number of this w:p (counted on), or None when Word does not number it."""
        num_id, ilvl = self._numbering_of(paragraph)
        abstract = self._abstract_of.get(num_id or "")
        levels = self._levels.get(abstract or "")
        if not levels or ilvl not in levels:
            return None
        counts = self._counters.setdefault(abstract, [0] * 9)
        if num_id not in self._started:  # a restarted list (startOverride) begins again
            self._started.add(num_id)
            for level, start in self._overrides.get(num_id, {}).items():
                counts[level] = start - 1
        definition = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] >= definition.start else definition.start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if definition.number_format in ("bullet", "none"):
            return ListLabel("", abstract, ilvl, definition.number_format)

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            spec = levels.get(level, definition)
            count = max(counts[level], spec.start)
            return formatted(count, "decimal" if definition.legal else spec.number_format)

        return ListLabel(re.sub(r"%(\d)", number, definition.text), abstract, ilvl, definition.number_format)

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        props = paragraph.find(qn("w:pPr"))
        num_pr = props.find(qn("w:numPr")) if props is not None else None
        style = props.find(qn("w:pStyle")) if props is not None else None
        style_id = style.get(qn("w:val")) if style is not None else ""
        num_id, ilvl = self._style_numbering.get(style_id, (None, None))
        if ilvl is None:
            ilvl = self._style_levels.get(style_id, 0)
        if num_pr is not None:
            num_id = _value(num_pr, "w:numId") or num_id
            ilvl = int(_value(num_pr, "w:ilvl") or ilvl)
        return (None if num_id in (None, "0") else num_id), ilvl


def _value(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _style_numbering(document) -> dict[str, tuple[str, int | None]]:
    """styleId → (numId, ilvl) for paragraph styles numbered by a list (Heading styles often are)."""
    found: dict[str, tuple[str, int | None]] = {}
    try:
        styles = document.styles.element
    except (KeyError, AttributeError):
        return found
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    for style_id in by_id:
        style, seen = by_id[style_id], set()
        while style is not None and style.get(qn("w:styleId")) not in seen:
            seen.add(style.get(qn("w:styleId")))
            props = style.find(qn("w:pPr"))
            num_pr = props.find(qn("w:numPr")) if props is not None else None
            if num_pr is not None:
                if _value(num_pr, "w:numId"):
                    ilvl = _value(num_pr, "w:ilvl")
                    found[style_id] = (_value(num_pr, "w:numId"), None if ilvl is None else int(ilvl))
                break
            based = style.find(qn("w:basedOn"))
            style = by_id.get(based.get(qn("w:val"))) if based is not None else None
    return found
