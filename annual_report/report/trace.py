"""Where every number of the report comes from: its cell, or for a derived figure its formula in words."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from annual_report.core.schema import Schema
from annual_report.report.formatting import format_amount, format_change, format_number, yoy_change
from annual_report.report.inserts import printed_indicators
from annual_report.report.network import branch_indicators
from annual_report.workbook.prose import quoted_indicators
from annual_report.workbook.read import WorkbookData
from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE

COLUMN_NAMES = {"current": "本年", "previous": "上年"}


@dataclass(frozen=True)
class Source:
    """One printed number: what it is, as printed, the cells it is read from and, if derived, how."""

    section: str  # the part of the report: 主要数据, 人员, 经费, 组织机构, 经费项目, 全馆, 分馆情况, 正文
    item: str  # e.g. 进馆人次（本年）
    value: str  # as the report prints it
    cells: tuple[str, ...]  # 工作表!单元格, prefixed with the file for another workbook
    formula: str = ""  # for a derived figure, in words: 同比 =（本年 − 上年）÷ 上年

    def to_dict(self) -> dict:
        return asdict(self) | {"cells": list(self.cells)}


def trace_sources(book: WorkbookData, schema: Schema, network=None) -> list[Source]:
    """Every number the report prints from this workbook (and its branches), with its source."""
    sources = _indicators(book, schema)
    sources += _staff(book, schema)
    sources += _form_numbers(book, schema, "budget", "经费", format_amount)
    sources += _table_numbers(book, schema, "organisation", "组织机构", format_number)
    sources += _table_numbers(book, schema, "projects", "经费项目", format_amount)
    sources += _network_indicators(book, schema, network)
    if network is not None:
        sources += _branch_table(schema, network)
    return sources + _narrative(book, schema)


def _cell(book: WorkbookData, path: tuple, prefix: str = "") -> str:
    sheet, cell = book.where(path)
    return f"{prefix}{sheet}!{cell}"


def _indicators(book: WorkbookData, schema: Schema) -> list[Source]:
    found = []
    figures = book.data.get("indicators", {})
    for item in schema.part("indicators").fields:
        pair = figures.get(item.key, {})
        for column, name in COLUMN_NAMES.items():
            if isinstance(pair.get(column), int | float):
                cell = _cell(book, ("indicators", item.key, column))
                found.append(Source("主要数据", f"{item.label}（{name}）", format_number(pair[column]), (cell,)))
        change = yoy_change(pair.get("current"), pair.get("previous"))
        if change is not None:
            cells = (_cell(book, ("indicators", item.key, "current")), _cell(book, ("indicators", item.key, "previous")))
            found.append(
                Source(
                    "主要数据",
                    f"{item.label}（同比）",
                    format_change(change),
                    cells,
                    f"同比 =（本年 {cells[0]} − 上年 {cells[1]}）÷ 上年 {cells[1]} × 100%",
                )
            )
    return found


def _staff(book: WorkbookData, schema: Schema) -> list[Source]:
    staff = book.data.get("staff", {})
    found = _form_numbers(book, schema, "staff", "人员", format_number)
    if "title_senior" not in staff:
        parts = [key for key in ("title_senior_full", "title_senior_associate") if key in staff]
        if parts:
            cells = tuple(_cell(book, ("staff", key)) for key in parts)
            total = sum(staff[key] for key in parts)
            found.append(
                Source(
                    "人员", "高级职称", format_number(total), cells, "高级职称 = 正高级 + 副高级：" + " + ".join(cells)
                )
            )
    for name, categories in (("按职称合计", STAFF_BY_TITLE), ("按学历合计", STAFF_BY_EDUCATION)):
        keys = [key for key, _ in categories if key in staff]
        if keys:
            cells = tuple(_cell(book, ("staff", key)) for key in keys)
            total = sum(staff[key] for key in keys)
            found.append(Source("人员", name, format_number(total), cells, f"{name} = " + " + ".join(cells)))
    return found


def _form_numbers(book: WorkbookData, schema: Schema, key: str, section: str, show) -> list[Source]:
    values = book.data.get(key, {})
    return [
        Source(section, item.label, show(values[item.key]), (_cell(book, (key, item.key)),))
        for item in schema.part(key).fields
        if item.kind in ("integer", "number") and isinstance(values.get(item.key), int | float)
    ]


def _table_numbers(book: WorkbookData, schema: Schema, key: str, section: str, show) -> list[Source]:
    found = []
    numeric = [item for item in schema.part(key).fields if item.kind in ("integer", "number")]
    rows = book.data.get(key, [])
    for index, row in enumerate(rows):
        name = next((str(v) for k, v in row.items() if isinstance(v, str) and v), f"第 {index + 1} 行")
        for item in numeric:
            if isinstance(row.get(item.key), int | float):
                cell = _cell(book, (key, index, item.key))
                found.append(Source(section, f"{name}：{item.label}", show(row[item.key]), (cell,)))
    for item in numeric:
        given = [(i, row[item.key]) for i, row in enumerate(rows) if isinstance(row.get(item.key), int | float)]
        if len(given) > 1:
            cells = tuple(_cell(book, (key, i, item.key)) for i, _ in given)
            total = show(sum(v for _, v in given))
            found.append(
                Source(section, f"{item.label}合计", total, cells, f"{item.label}合计 = 各行之和：" + " + ".join(cells))
            )
    return found


def _network_indicators(book: WorkbookData, schema: Schema, network) -> list[Source]:
    """全馆 figures as the key-figures table prints them: 总馆 + branches (--branches), or as the 总馆 typed them."""
    found = []
    for item in printed_indicators(book.data, schema):
        total = network.totals.get(item.key, {}).get("current") if network else None
        typed = book.data["indicators"][item.key].get("network")
        typed_cell = _cell(book, ("indicators", item.key, "network")) if isinstance(typed, int | float) else ""
        if total is None:
            if typed_cell:
                found.append(Source("全馆", f"{item.label}（全馆）", format_number(typed), (typed_cell,)))
            continue
        books = [(book, "")] + [(b.book, f"{b.file} ") for b in network.branches]
        cells = [_cell(b, ("indicators", item.key, "current"), prefix) for b, prefix in books if _given(b, item.key)]
        formula = "全馆 = 总馆 + 各分馆：" + " + ".join(cells)
        if typed_cell:  # typed and equal: a different one blocks the report (network-total-mismatch)
            formula += f"（与总馆填写的 {typed_cell} 相同）"
        found.append(Source("全馆", f"{item.label}（全馆）", format_number(total), tuple(cells), formula))
    return found


def _branch_table(schema: Schema, network) -> list[Source]:
    """The branch table: each branch's cell and the branches' sum."""
    found = []
    for item in branch_indicators(schema):
        cells = []
        for branch in network.branches:
            if _given(branch.book, item.key):
                cell = _cell(branch.book, ("indicators", item.key, "current"), f"{branch.file} ")
                value = branch.book.data["indicators"][item.key]["current"]
                found.append(Source("分馆情况", f"{branch.name}：{item.label}", format_number(value), (cell,)))
                cells.append(cell)
        if cells:
            values = [b.book.data["indicators"][item.key]["current"] for b in network.branches if _given(b.book, item.key)]
            formula = f"{item.label}合计 = 各分馆之和：" + " + ".join(cells)
            found.append(Source("分馆情况", f"{item.label}合计", format_number(sum(values)), tuple(cells), formula))
    return found


def _narrative(book: WorkbookData, schema: Schema) -> list[Source]:
    """Figures the narrative quotes that agree with a key figure: as written, with the 正文 cell and the figure's."""
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    found = []
    for quote in quoted_indicators(book.data, schema):
        key, which = quote.mention.key, quote.which
        figure = book.data.get("indicators", {}).get(key, {}).get(which)
        if isinstance(figure, int | float) and quote.mention.agrees(figure):
            cells = (_cell(book, ("narrative", quote.row, quote.column)), _cell(book, ("indicators", key, which)))
            agreed = f"{cells[0]} 中写的数，与 {cells[1]} 相符"
            found.append(Source("正文", f"{labels[key]}（{COLUMN_NAMES[which]}）", quote.written, cells, agreed))
    return found


def _given(book: WorkbookData, key: str) -> bool:
    return isinstance(book.data.get("indicators", {}).get(key, {}).get("current"), int | float)


def as_text(sources: list[Source]) -> str:
    """The sources grouped by section, one printed number a line: item, value, then its cells or formula."""
    lines = []
    section = None
    for source in sources:
        if source.section != section:
            section = source.section
            lines.append(f"【{section}】")
        lines.append(f"  {source.item}：{source.value}　← {source.formula or '、'.join(source.cells)}")
    return "\n".join(lines)


def appendix_blocks(book: WorkbookData, schema: Schema, body: list[dict], network=None) -> list[dict]:
    """The appendix 附：数据来源 as body blocks after the narrative: an unnumbered heading and a table of sources."""
    title = "附：数据来源"
    rows = [
        {"item": f"{s.section}：{s.item}", "value": s.value, "source": s.formula or "、".join(s.cells)}
        for s in trace_sources(book, schema, network)
    ]
    tables = sum(1 for block in body if str(block.get("caption", "")).startswith("表"))
    return [
        {"kind": "heading", "level": 1, "number": "", "title": title, "text": title, "unnumbered": True},
        {"kind": "trace_table", "caption": f"表{tables + 1} 报告中数字的来源", "rows": rows},
    ]
