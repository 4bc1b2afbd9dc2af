"""What a 总馆's report shows of its branches (render --branches): 全馆 figures, the branch table and the chart of
one figure by library. The insert registry (report.inserts) names and places them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annual_report.core.schema import Field, Schema
from annual_report.report.charts import ChartData, network_chart
from annual_report.report.formatting import format_number

if TYPE_CHECKING:
    from annual_report.report.inserts import Source

BRANCH_COLUMNS = 6  # figures per branch in the branch table: the customary ones (x-recommended), in schema order


def network_indicator(source: Source, key: str) -> float | None:
    """A figure's 全馆 value: 总馆 + branches with --branches (a typed one must equal it), else as the 总馆 typed it."""
    computed = source.network.totals.get(key, {}).get("current") if source.network else None
    return computed if computed is not None else source.data.get("indicators", {}).get(key, {}).get("network")


def branch_indicators(schema: Schema) -> list[Field]:
    """The figures the branch table shows for each branch."""
    return [item for item in schema.part("indicators").fields if item.recommended][:BRANCH_COLUMNS]


def branch_rows(source: Source) -> dict | None:
    """One row per branch with its customary figures for this year, and a 合计 row of the branches."""
    if source.network is None or not source.network.branches:
        return None
    keys = branch_indicators(source.schema)
    heads = [item.label for item in keys] + [""] * (BRANCH_COLUMNS - len(keys))
    rows, given = [], [[] for _ in keys]  # the figures each column has, to add up
    for branch in source.network.branches:
        figures = branch.book.data.get("indicators", {})
        values = [figures.get(item.key, {}).get("current") for item in keys]
        for column, value in zip(given, values, strict=True):
            if value is not None:
                column.append(value)
        shown = [format_number(value) for value in values] + [""] * (BRANCH_COLUMNS - len(keys))
        rows.append({"name": branch.name, "cells": shown})
    sums = [format_number(sum(column)) if column else format_number(None) for column in given]
    total = sums + [""] * (BRANCH_COLUMNS - len(keys))
    return {"heads": heads, "rows": rows, "total": total}


def chart_indicator(source: Source) -> Field | None:
    """The figure the chart by library shows: of the branch table's figures, the first that the 总馆 and every branch
    gave for this year, else the first that the most of them gave (None when none gave any)."""
    books = [source.data, *(branch.book.data for branch in source.network.branches)]
    candidates = branch_indicators(source.schema)
    counts = [sum(_current(data, item.key) is not None for data in books) for item in candidates]
    best = max(counts, default=0)
    return candidates[counts.index(best)] if best else None


def branch_chart(source: Source) -> ChartData | None:
    """One figure of the 总馆 and of each branch that gave it, or None without branches."""
    if source.network is None or not source.network.branches:
        return None
    item = chart_indicator(source)
    if item is None:
        return None
    named = [(f"{source.data.get('cover', {}).get('name', '')}（总馆）", source.data)]
    named += [(branch.name, branch.book.data) for branch in source.network.branches]
    values = [(name, _current(data, item.key)) for name, data in named]
    return network_chart([(name, value) for name, value in values if value is not None], item)


def _current(data: dict, key: str) -> float | None:
    value = data.get("indicators", {}).get(key, {}).get("current")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None
