"""How wide Chinese text is: wide (CJK, full-width) characters take two columns of a terminal or a spreadsheet."""

from __future__ import annotations

import unicodedata


def is_wide(ch: str) -> bool:
    """A character drawn two columns (or one em) wide: CJK ideographs, kana, hangul, full-width forms."""
    return unicodedata.east_asian_width(ch) in "WF"


def display_width(text: str) -> int:
    """The columns text takes in a terminal or a spreadsheet cell: two per wide character, one per other."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """text filled with spaces to width columns, on the right (or, right-aligned, on the left)."""
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap
