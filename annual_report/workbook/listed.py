"""Figures stated beside others in a list: the people of events ("讲座19场，1228人") and a figure counted kind by
kind ("征订期刊212种、报纸42种")."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import replace

from annual_report.workbook.exclusions import NameAt, excluded, has
from annual_report.workbook.mentions import mention_at
from annual_report.workbook.wording import (
    ALL_CHANNELS,
    CHANGE_WORDS,
    PEOPLE_PHRASES,
    PEOPLE_WORDS,
    STOCK_CHANGE_WORDS,
    Wording,
)

_KIND_GAP = re.compile(r"[\s共计达为：:]{0,3}")  # between a kind's name and its number: "期刊共212种"
_LISTED = re.compile(r"\s*(?:[、，,]|和|及|与)\s*")  # between one kind's count and the next kind's name
VERB_REACH = 6  # characters before the first kind in which the list's verb (征订) stands


def summed_kinds(text: str, start: int, end: int, numbers: list, named: Mapping, found: tuple) -> list:
    """A figure the sentence counts kind by kind, listed together after its verb ("征订期刊212种、报纸42种": 254 报刊),
    unless it names the figure itself, the list counts a change ("新增期刊20种、报纸5种") or a kind's count is
    excluded as any count would be. Only the first such list of a sentence is read."""
    taken = []
    for wording in named.values():
        if not wording.summed or any(m.key == wording.key for m in found[1]):
            continue
        parts = [_kind_count(text, start, end, numbers, wording, kind) for kind in wording.summed]
        if any(part is None for part in parts):
            continue
        parts.sort(key=lambda part: part[0].start)
        if not all(_LISTED.fullmatch(text[a[1].end : b[0].start]) for a, b in itertools.pairwise(parts)):
            continue
        before = text[max(start, parts[0][0].start - VERB_REACH) : parts[0][0].start]
        if not has(before, wording.summed_after) or has(before, CHANGE_WORDS + STOCK_CHANGE_WORDS):
            continue
        if any(excluded(text, start, name, number, found, named) for name, number in parts):
            continue
        numbers_listed = [number for _, number in parts]
        mention = mention_at(text, wording.key, parts[0][0].start, numbers_listed[-1])  # the clause, to the last
        taken.append(replace(
            mention, value=sum(n.value for n in numbers_listed), approximate=any(n.approximate for n in numbers_listed),
            start=parts[0][0].start, step=max(n.step for n in numbers_listed),
        ))  # fmt: skip
    return taken


def _kind_count(text: str, start: int, end: int, numbers: list, wording: Wording, kind: tuple[str, ...]):
    """The first of a kind's names in the sentence with its count right after it, in the figure's units."""
    for name in kind:
        at = text.find(name, start, end)
        while at >= 0:
            gap_end = at + len(name)
            number = next((n for n in numbers if n.start >= gap_end), None)
            if number and number.unit in wording.units and _KIND_GAP.fullmatch(text[gap_end : number.start]):
                return NameAt(wording.key, at, gap_end, False), number
            at = text.find(name, gap_end, end)
    return None


def people_of_events(text: str, mentions: list, numbers: list, names: list, named: Mapping, taken: set) -> list:
    """The people of events counted right after them ("讲座19场，1228人", "活动783期，惠及读者16.55万人次")."""
    found = []
    for mention in list(mentions):
        partner = next((w for w in named.values() if w.people_of == mention.key), None)
        if partner is None or any(m.key == partner.key for m in mentions):
            continue
        number = next((n for n in numbers if n.start >= mention.end), None)
        if number is None or number.start in taken:
            continue
        gap = text[mention.end : number.start]
        words = re.sub(r"[\s，,；;：:]", "", gap, count=0)
        if sum(gap.count(mark) for mark in "，,；;") > 1 or any(
            n.start < number.start and n.end > mention.end and n.key not in (mention.key, partner.key) for n in names
        ):
            continue
        if named[mention.key].part_of and has(gap, ALL_CHANNELS):
            continue  # "其中线上活动80场，线上线下参与12万人次": the people of all activities, not of the online part
        for word in (*ALL_CHANNELS, *PEOPLE_PHRASES, *named[mention.key].names, *PEOPLE_WORDS, "的"):  # "讲座20场，参加讲座的读者1800人次"
            words = words.replace(word, "")
        unit = number.unit in partner.units or (not number.unit and gap.rstrip().endswith(("人次", "人数")))
        if not words and unit and not any(c.isdigit() for c in gap):
            taken.add(number.start)
            found.append(mention_at(text, partner.key, mention.start, number))
    return found
