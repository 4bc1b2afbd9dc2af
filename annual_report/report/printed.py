"""Numbers as the report prints them, each built once with the cells it comes from (and, if derived, how).

A Printed number is what a table cell, a chart's bar or the trace shows: its text, what it is, its cells
and, for a derived number (a sum, a change, a 全馆 total), its formula in words. The template places
str(printed); the trace lists them all; nothing computes a printed number a second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annual_report.workbook.model import Cell, Value

DASH = "—"  # an unknown number


@dataclass(frozen=True)
class Printed:
    """One number of the report: as printed, what it is, the cells it is read from and, if derived, how."""

    text: str
    label: str  # e.g. 进馆人次（本年）
    cells: tuple[Cell, ...]
    value: float
    formula: str = ""  # for a derived number, in words: 同比 =（本年 主要数据!B2 − 上年 主要数据!C2）÷ …

    def __str__(self) -> str:
        return self.text


def as_printed(found: Value, label: str, show: Callable[[float], str] | None = None) -> Printed:
    """A number printed as the workbook holds it."""
    return Printed((show or format_number)(found.number), label, (found.cell,), found.number)


def summed(
    parts: Sequence[Printed], label: str, how: str = "", show: Callable[[float], str] | None = None
) -> Printed:
    """The sum of printed numbers, with its formula: 按职称合计 = 人员!B8 + …, or 全馆 = 总馆 + 各分馆：… (how)."""
    cells = tuple(cell for part in parts for cell in part.cells)
    total = sum(part.value for part in parts)
    name = label.split("：")[-1]
    formula = f"{name} = {how + '：' if how else ''}" + " + ".join(str(cell) for cell in cells)
    return Printed((show or format_number)(total), label, cells, total, formula)


def change(current: Printed, previous: Printed, label: str) -> Printed | None:
    """The year-on-year change in percent (None when last year is zero)."""
    percent = yoy_change(current.value, previous.value)
    if percent is None:
        return None
    now, before = current.cells[0], previous.cells[0]
    formula = f"同比 =（本年 {now} − 上年 {before}）÷ 上年 {before} × 100%"
    return Printed(format_change(percent), label, (now, before), percent, formula)


def yoy_change(current: float | None, previous: float | None) -> float | None:
    """Year-on-year change in percent, or None when last year is unknown or zero."""
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


def format_number(value: float | None) -> str:
    """A count or amount as the report prints it; a dash when unknown."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def format_amount(value: float | None) -> str:
    """An amount in 万元 with two decimals."""
    return DASH if value is None else f"{value:.2f}"


def format_change(change: float | None) -> str:
    """A change in percent with its sign, e.g. +12.5% or -62.7%."""
    return DASH if change is None else f"{change:+.1f}%"


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


def as_text(value) -> str:
    """A value as the document shows it: numbers formatted, nothing as empty text."""
    if value is None:
        return ""
    return format_number(value) if isinstance(value, int | float) else str(value)
