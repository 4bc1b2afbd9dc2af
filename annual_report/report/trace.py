"""Where every number of the report comes from: a walk over the context's printed numbers (report.printed).

Nothing is computed here: the trace lists exactly the numbers the report prints, in document order, each with
the table or figure it stands in, its cells and, for a derived number, its formula in words. A new table is
traced because its numbers are Printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from annual_report.report.printed import Printed

NARRATIVE = "正文"  # the section of numbers the narrative's text states


@dataclass(frozen=True)
class TraceLine:
    """One printed number: where it stands, what it is, as printed, its cells and, if derived, how."""

    section: str  # the caption of its table or figure (表1 主要业务数据), or 正文
    item: str  # e.g. 进馆人次（本年）
    value: str  # as the report prints it
    cells: tuple[str, ...]  # 工作表!单元格, prefixed with the file for another workbook
    formula: str = ""

    def to_dict(self) -> dict:
        return dataclasses.asdict(self) | {"cells": list(self.cells)}


def trace_lines(body: list[dict]) -> list[TraceLine]:
    """Every number the body's blocks print, in document order."""
    lines = []
    for block in body:
        section = block.get("caption") or NARRATIVE
        for number in printed_numbers(block):
            lines.append(TraceLine(section, number.label, number.text, tuple(map(str, number.cells)), number.formula))
    return lines


def printed_numbers(node) -> Iterator[Printed]:
    """The Printed numbers anywhere in a block: its rows, totals, a chart's series, the quoted numbers."""
    if isinstance(node, Printed):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from printed_numbers(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from printed_numbers(value)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            yield from printed_numbers(getattr(node, item.name))


def as_text(lines: list[TraceLine]) -> str:
    """The lines grouped by section, one printed number a line: item, value, then its cells or formula."""
    text = []
    section = None
    for line in lines:
        if line.section != section:
            section = line.section
            text.append(f"【{section}】")
        text.append(f"  {line.item}：{line.value}　← {line.formula or '、'.join(line.cells)}")
    return "\n".join(text)


def appendix_blocks(body: list[dict]) -> list[dict]:
    """The appendix 附：数据来源 after the narrative: an unnumbered heading and the table of every number's source."""
    title = "附：数据来源"
    rows = [
        {"item": f"{line.section}：{line.item}", "value": line.value, "source": line.formula or "、".join(line.cells)}
        for line in trace_lines(body)
    ]
    tables = sum(1 for block in body if str(block.get("caption", "")).startswith("表"))
    return [
        {"kind": "heading", "level": 1, "number": "", "title": title, "text": title, "unnumbered": True},
        {"kind": "trace_table", "caption": f"表{tables + 1} 报告中数字的来源", "rows": rows},
    ]
