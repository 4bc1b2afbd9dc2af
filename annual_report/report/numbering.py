"""Section numbers of official Chinese documents: 一、 （一） 1. （1）."""

from __future__ import annotations

from annual_report.core.numerals import chinese_numeral


def section_number(level: int, n: int) -> str:
    """The number that starts a heading of this level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def item_number(parent_level: int, n: int) -> str:
    """The number of a list item under a heading of this level (0: none): 1. under 一、 and （一）, （1） under 1."""
    if parent_level <= 2:
        return f"{n}."
    if parent_level == 3:
        return f"（{n}）"
    return _circled(n)


def _circled(n: int) -> str:
    """① to ㊿, then (51) and on: the level below （1）."""
    if n <= 20:
        return chr(0x2460 + n - 1)
    if n <= 35:
        return chr(0x3251 + n - 21)
    if n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


class Numberer:
    """Counts headings and list items; a heading restarts the count of every deeper level and of the items."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]
        self.parent = 0  # level of the nearest heading above; 0 before any, or after an unnumbered one
        self.items = 0

    def next(self, level: int) -> str:
        """The number of the next heading at this level."""
        self.counts[level - 1] += 1
        for deeper in range(level, 4):
            self.counts[deeper] = 0
        self.parent, self.items = level, 0
        return section_number(level, self.counts[level - 1])

    def unnumbered(self) -> None:
        """An unnumbered level-1 heading (前言, 结语): numbers go on, deeper levels and the items restart."""
        for deeper in range(1, 4):
            self.counts[deeper] = 0
        self.parent, self.items = 0, 0

    def item(self) -> str:
        """The number of the next list item: one level below the nearest heading above it."""
        self.items += 1
        return item_number(self.parent, self.items)
