"""Text that a spreadsheet program must never run as a formula: the one rule for every .xlsx and CSV the tool writes.

A workbook's text comes from others: a 馆名 such as =HYPERLINK("http://…","点此") would run in the
office's Excel if it were written as it is.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """Whether a spreadsheet program could take this text for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value) -> str:
    """A CSV field: text that looks like a formula gets the usual leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def set_cell(cell, value) -> None:
    """Put a value into an openpyxl cell; text is always a string cell, never a formula, and holds no illegal characters."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
