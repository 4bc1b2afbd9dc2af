"""A cell's value as the report's data wants it, from what a librarian typed: numbers typed as text, dates as text
or as Excel's day numbers, choices typed as digits. Each converter returns (value, problem code or None, detail)."""

from __future__ import annotations

import datetime as dt
import re

from annual_report.core.schema import Field

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－，＋", "0123456789.-,+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def converted(raw, item: Field) -> tuple[object, str | None, str]:
    """The value of a non-blank cell for this field's kind, with the problem its form gives (e.g. number-as-text)."""
    convert = {"integer": _to_number, "number": _to_number, "date": _to_date, "choice": _to_choice}.get(item.kind)
    return (convert or _to_text)(raw, item)


def _to_text(raw, item: Field):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    return str(raw).strip(), None, ""


def _to_number(raw, item: Field):
    if isinstance(raw, (bool, dt.date, dt.time, dt.datetime)):
        return str(raw), None, ""
    if isinstance(raw, (int, float)):
        return (int(raw) if float(raw).is_integer() else raw), None, ""
    text = str(raw).strip()
    compact = re.sub(r"[\s,，_']", "", text.translate(_FULL_WIDTH)).replace("−", "-")
    if not _NUMBER.match(compact):
        return text, None, ""
    number = float(compact)
    value = int(number) if number.is_integer() else number
    return value, "number-as-text", str(value)


def _to_date(raw, item: Field):
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat(), None, ""
    if isinstance(raw, dt.date):
        return raw.isoformat(), None, ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            from openpyxl.utils.datetime import from_excel  # openpyxl is heavy: loaded only for such a date

            day = from_excel(raw).date().isoformat()
            return day, "date-as-number", day
        return str(raw), None, ""
    text = str(raw).strip().translate(_FULL_WIDTH)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                day = dt.date(*(int(g) for g in match.groups())).isoformat()
            except ValueError:
                break
            return day, "date-as-text", day
    return str(raw).strip(), None, ""


def _to_choice(raw, item: Field):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.translate(_FULL_WIDTH).isdigit() and int(raw.translate(_FULL_WIDTH)) in item.choices:
            raw = int(raw.translate(_FULL_WIDTH))
    return raw, None, ""
