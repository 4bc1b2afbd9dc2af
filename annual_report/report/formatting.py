"""Numbers, amounts, changes and dates as the report prints them, and table rows as text."""

from __future__ import annotations

import datetime as dt

from annual_report.core.schema import Schema


def yoy_change(current: float | None, previous: float | None) -> float | None:
    """Year-on-year change in percent, or None when last year is unknown or zero."""
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


def format_number(value: float | None) -> str:
    """A count or amount as the report prints it; a dash when unknown."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def format_amount(value: float | None) -> str:
    """An amount in 万元 with two decimals."""
    return "—" if value is None else f"{value:.2f}"


def format_change(change: float | None) -> str:
    """A change in percent with its sign, e.g. +12.5% or -62.7%."""
    return "—" if change is None else f"{change:+.1f}%"


def format_date(value: str | None) -> str:
    """An ISO date as 2020年12月31日."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日"


def format_month(value: str | None) -> str:
    """An ISO date as 2020年10月."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月"


def table_rows(data: dict, schema: Schema, key: str) -> list[dict]:
    """A table part's rows with every field present, numbers as text and absent values empty."""
    keys = [item.key for item in schema.part(key).fields]
    return [{k: as_text(row.get(k)) for k in keys} for row in data.get(key, [])]


def as_text(value) -> str:
    """A value as the document shows it: numbers formatted, nothing as empty text."""
    if value is None:
        return ""
    return format_number(value) if isinstance(value, (int, float)) else str(value)
