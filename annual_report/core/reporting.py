"""Reporters: the same validation result as text for people or as JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby

from annual_report.core.problems import CODES, ERROR, Problem, ValidationResult

MARKS = {ERROR: "错误", "warning": "警告"}


def summary_line(result: ValidationResult) -> str:
    """例：3 个错误，2 个警告"""
    return f"{len(result.errors)} 个错误，{len(result.warnings)} 个警告"


def by_sheet(problems: Iterable[Problem]) -> list[tuple[str, list[Problem]]]:
    """Problems grouped by sheet, in their order (by sheet, then cell): how the text report and the web page show them."""
    return [(sheet, list(group)) for sheet, group in groupby(problems, key=lambda p: p.sheet)]


def as_text(result: ValidationResult, name: str = "") -> str:
    """Problems grouped by sheet, then a one-line summary and what to do next."""
    lines = []
    for sheet, problems in by_sheet(result.problems):
        lines.append(f"【{sheet}】")
        lines += [f"  {MARKS[p.severity]}  {p.message}" for p in problems]
    head = f"{name}：" if name else ""
    if not result.problems:
        lines.append(f"{head}检查通过，没有发现问题。")
    else:
        lines.append(f"{head}{summary_line(result)}。")
    return "\n".join(lines)


def as_json(result: ValidationResult, strict: bool = False) -> str:
    """The library's result, serialised."""
    return json.dumps(result.to_dict(strict), ensure_ascii=False, indent=2)


def codes_table() -> str:
    """Every problem code with its severity, meaning and fix, as the README's Markdown table."""
    lines = ["| 代码 | 级别 | 含义 | 怎样改 |", "| --- | --- | --- | --- |"]
    lines += [f"| `{code}` | {MARKS[c.severity]} | {c.meaning} | {c.fix} |" for code, c in CODES.items()]
    return "\n".join(lines)
