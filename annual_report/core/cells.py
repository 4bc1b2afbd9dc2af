"""Cell addressing, as Excel writes it: columns as letters, references such as B3, ranges such as B3:C4.

openpyxl.utils has the same functions; importing openpyxl at all costs more than reading a workbook.
"""

from __future__ import annotations

import re

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def split_ref(ref: str) -> tuple[int, int]:
    """ "B3" → (column 2, row 3); ValueError for anything that is no cell reference."""
    match = _REF.match(ref.upper())
    if not match:
        raise ValueError(f"not a cell reference: {ref}")
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return column, int(match.group(2))


def range_boundaries(text: str) -> tuple[int, int, int, int]:
    """ "B3:C4" → (min_col, min_row, max_col, max_row) = (2, 3, 3, 4)."""
    first, _, last = text.partition(":")
    (min_col, min_row), (max_col, max_row) = split_ref(first), split_ref(last or first)
    return min_col, min_row, max_col, max_row


def sort_position(ref: str) -> tuple[int, int, str]:
    """A reference's place in reading order (row, then column); (0, 0, "") for anything that is no reference."""
    try:
        column, row = split_ref(ref)
    except ValueError:
        return (0, 0, "")
    letters = column_letter(column)
    return (row, len(letters), letters)
