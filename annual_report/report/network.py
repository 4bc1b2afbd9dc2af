"""What a 总馆's report shows of its branches (render --branches): 全馆 numbers, the branch table and the chart of
one indicator by library. The one place that decides a 全馆 number: from the branches, else as the 总馆 typed it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from annual_report.core.schema import Field, Schema
from annual_report.report.charts import ChartData, network_chart
from annual_report.report.printed import DASH, Printed, as_printed, summed
from annual_report.workbook.model import Workbook

BRANCH_COLUMNS = 6  # indicators per branch in the branch table: the customary ones (x-recommended), in schema order


class Branch(Protocol):
    """A branch as pipeline.branches reads it."""

    name: str
    book: Workbook


class Network(Protocol):
    """A 总馆's branches as pipeline.branches reads them, in the order the 总馆 lists them."""

    branches: Sequence[Branch]


def given_this_year(books: Sequence[Workbook], item: Field) -> list[Printed]:
    """Each workbook's own 本年 of an indicator, where given."""
    found = [book.number("indicators", item.key, "current") for book in books]
    return [as_printed(value, f"{item.label}（本年）") for value in found if value is not None]


def network_total(head: Workbook, network: Network | None, item: Field) -> Printed | None:
    """An indicator's 全馆 number: 总馆 + every branch that gave it (with --branches), else as the 总馆 typed it.

    Indicators that do not add up (rates, the network's own counts, shared holdings) have none.
    """
    typed = head.number("indicators", item.key, "network")
    label = f"{item.label}（全馆）"
    if network is not None and item.sums_over_network:
        parts = given_this_year([head, *(branch.book for branch in network.branches)], item)
        if parts:
            total = summed(parts, label, "总馆 + 各分馆")
            if typed is not None:  # typed and equal: a different one blocks the report (network-total-mismatch)
                total = Printed(total.text, label, total.cells, total.value, f"{total.formula}（与总馆填写的 {typed.cell} 相同）")
            return total
    return as_printed(typed, label) if typed is not None else None


def branch_indicators(schema: Schema) -> list[Field]:
    """The indicators the branch table shows for each branch."""
    return [item for item in schema.indicators.fields if item.recommended][:BRANCH_COLUMNS]


def branch_rows(head: Workbook, network: Network | None, schema: Schema) -> dict | None:
    """One row per branch with its customary indicators for this year, and a 合计 row of the branches."""
    if network is None or not network.branches:
        return None
    items = branch_indicators(schema)
    padding = [""] * (BRANCH_COLUMNS - len(items))
    rows = []
    for branch in network.branches:
        cells = [_branch_number(branch, item) for item in items]
        rows.append({"name": branch.name, "cells": [DASH if cell is None else cell for cell in cells] + padding})
    total = []
    for item in items:
        parts = [found for branch in network.branches if (found := _branch_number(branch, item)) is not None]
        total.append(summed(parts, f"分馆合计：{item.label}", "各分馆之和") if parts else DASH)
    return {"heads": [item.label for item in items] + padding, "rows": rows, "total": total + padding}


def _branch_number(branch: Branch, item: Field) -> Printed | None:
    found = branch.book.number("indicators", item.key, "current")
    return None if found is None else as_printed(found, f"{branch.name}：{item.label}")


def chart_indicator(head: Workbook, network: Network, schema: Schema) -> Field | None:
    """The indicator the chart by library shows: of the branch table's indicators, the first that the 总馆 and
    every branch gave for this year, else the first that the most of them gave (None when none gave any)."""
    books = [head, *(branch.book for branch in network.branches)]
    candidates = branch_indicators(schema)
    counts = [len(given_this_year(books, item)) for item in candidates]
    best = max(counts, default=0)
    return candidates[counts.index(best)] if best else None


def branch_chart(head: Workbook, network: Network | None, schema: Schema) -> ChartData | None:
    """One indicator of the 总馆 and of each branch that gave it, or None without branches."""
    if network is None or not network.branches:
        return None
    item = chart_indicator(head, network, schema)
    if item is None:
        return None
    named = [(f"{head.text('cover', 'name')}（总馆）", head), *((branch.name, branch.book) for branch in network.branches)]
    bars = []
    for name, book in named:
        found = book.number("indicators", item.key, "current")
        if found is not None:
            bars.append((name, as_printed(found, f"{name}：{item.label}")))
    return network_chart(bars, item)
