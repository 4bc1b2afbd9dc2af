"""What the registry's charts show, decided from the workbook: how many categories and series each has.

A chart says more than a sentence only with at least three categories, or two series of at least two categories
(one pair of bars is a sentence): report.blocks prints the sentence instead, and check_chart_sizes says so.
"""

from __future__ import annotations

from collections import Counter

from annual_report.core.schema import CHART, Field, Insert, Schema
from annual_report.workbook.model import Workbook
from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE, given_staff

MIN_CATEGORIES = 3  # or two of each of two series


def worth_a_chart(categories: int, series: int) -> bool:
    """Whether a chart of this many categories and series says more than a sentence."""
    return categories >= MIN_CATEGORIES or (series >= 2 and categories >= 2)


def chart_size(categories: int, series: int) -> str:
    """How a message says what a chart would show: 1 类 × 2 组数字, or 2 类数字."""
    return f"{categories} 类 × {series} 组数字" if series > 1 else f"{categories} 类数字"


def compared_indicators(book: Workbook, schema: Schema) -> list[Field]:
    """The indicators the this-year-against-last-year chart shows: given for both years, of the unit most of them
    share (on a tie, the first in schema order), so that a chart never puts 人次 beside 册 on one axis."""
    both = [
        item
        for item in schema.indicators.fields
        if book.number("indicators", item.key, "current") is not None
        and book.number("indicators", item.key, "previous") is not None
    ]
    if not both:
        return []
    counts = Counter(item.unit for item in both)
    unit = max(counts, key=counts.__getitem__)  # the first of the largest groups
    return [item for item in both if item.unit == unit]


def chart_shape(insert: Insert, book: Workbook, schema: Schema) -> tuple[int, int] | None:
    """(categories, series) of a chart of the registry from this workbook alone, by the categories its entry names
    (None: not a chart of this workbook's data, e.g. one of the branches)."""
    count = {
        "staff_by_title": lambda: len(given_staff(book, STAFF_BY_TITLE)),
        "staff_by_education": lambda: len(given_staff(book, STAFF_BY_EDUCATION)),
        "compared_indicators": lambda: len(compared_indicators(book, schema)),
    }.get(insert.categories)
    return (count(), insert.series) if insert.kind == CHART and count else None
