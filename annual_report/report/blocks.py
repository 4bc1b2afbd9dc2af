"""The content of each insert the registry (workbook.inserts) declares, built once from the validated workbook.

A table's content is its rows (numbers as Printed, text as text) and total; a chart's is ChartData; a picture's
its bytes; the plan's its items. An entry that names its part (a table of one part's rows,
every field as it prints) needs no builder here: part_table makes it from the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from annual_report.core.schema import PICTURE, Field, Insert, Schema
from annual_report.report.charts import ChartData, comparison_chart, staff_chart
from annual_report.report.network import Network, branch_chart, branch_rows, network_total
from annual_report.report.printed import (
    DASH,
    Printed,
    as_printed,
    as_text,
    change,
    format_amount,
    format_month,
    summed,
)
from annual_report.workbook.charts import compared_indicators
from annual_report.workbook.model import Workbook
from annual_report.workbook.staff import SENIOR_PARTS, STAFF_BY_EDUCATION, STAFF_BY_TITLE, STAFF_SUMMARY, given_staff

APPROXIMATE = ("约", "余", "多", "约数", "估计", "估算")  # a 口径 that only says the figure is approximate


@dataclass
class Material:
    """What inserts are built from: the validated workbook, the schema and a 总馆's branches (--branches).

    Numbers several inserts show (the staff counts, the indicator rows) are built here once.
    """

    book: Workbook
    schema: Schema
    network: Network | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def indicator_rows(self) -> list[dict]:
        """One row per indicator given for this year (or with a 全馆 number typed): label, unit and its numbers."""
        rows = []
        for item in self.schema.indicators.fields:
            current = self.indicator(item, "current")
            if current is None and self.book.number("indicators", item.key, "network") is None:
                continue
            whole = network_total(self.book, self.network, item)
            previous = self.indicator(item, "previous")
            moved = change(current, previous, f"{item.label}（同比）") if current and previous else None
            rows.append(
                {
                    "label": item.label,
                    "unit": item.unit,
                    "current": current or DASH,
                    "network": whole or "",
                    "previous": previous or DASH,
                    "change": moved or DASH,
                }
            )
        return rows

    def indicator(self, item: Field, column: str) -> Printed | None:
        """An indicator's number in one column (本年, 上年), if given."""
        found = self.book.number("indicators", item.key, column)
        return None if found is None else as_printed(found, f"{item.label}（{self.schema.column(column).name}）")

    def staff(self, categories: tuple[tuple[str, str], ...]) -> list[tuple[str, Printed]]:
        """Staff by the categories given, 高级 made of 正高 + 副高 when only those are given."""
        key = tuple(k for k, _ in categories)
        if key not in self._cache:
            counts = []
            for category, label in given_staff(self.book, categories):
                found = self.book.number("staff", category)
                if found is not None:
                    counts.append((label, as_printed(found, label)))
                else:  # 高级 from its parts
                    staff = self.schema.part("staff")
                    parts = [
                        as_printed(found, staff.field(part).label)
                        for part in SENIOR_PARTS
                        if (found := self.book.number("staff", part)) is not None
                    ]
                    counts.append((label, summed(parts, label, "正高级 + 副高级")))
            self._cache[key] = counts
        return self._cache[key]


def build(insert: Insert, material: Material):
    """The content of an insert, or None when it has nothing to show."""
    if insert.kind == PICTURE:
        picture = material.book.pictures.get(insert.index)
        return picture.data if picture is not None else None
    if insert.part:
        return part_table(insert.part)(material)
    return BUILDERS[insert.name](material)


def indicators_table(material: Material) -> dict | None:
    """One row per indicator given for this year, with its 全馆 number, last year and the change; the 口径 below."""
    rows = material.indicator_rows
    return {"rows": rows, "notes": indicator_notes(material.book, material.schema)} if rows else None


def indicator_notes(book: Workbook, schema: Schema) -> str:
    """The note under the key-figures table: the 口径 of each indicator printed that has one ("进馆人次：截至10月")."""
    notes = []
    for item in schema.indicators.fields:
        basis = book.text("indicators", item.key, "basis").strip()
        if book.number("indicators", item.key, "current") is not None and basis:
            notes.append(f"{item.label}为约数" if basis in APPROXIMATE else f"{item.label}：{basis}")
    return f"注：{'；'.join(notes)}。" if notes else ""


def part_table(part: str) -> Callable[[Material], dict | None]:
    """The rows of a table part, every field as the schema says it prints: numbers as Printed, the rest as text."""

    def build_rows(material: Material) -> dict | None:
        fields = material.schema.part(part).fields
        rows = []
        for index, row in material.book.table(part):
            name = next((str(v.value) for v in row.values() if isinstance(v.value, str) and v.value), f"第 {index + 1} 行")
            rows.append({item.key: _cell(row.get(item.key), item, name) for item in fields})
        return {"rows": rows} if rows else None

    return build_rows


def _cell(found, item: Field, row_name: str):
    if found is None:
        return ""
    if item.printed_as == "month":
        return format_month(found.value)
    if found.number is not None:
        return as_printed(found, f"{row_name}：{item.label}", format_amount if item.printed_as == "amount" else None)
    return as_text(found.value)


def projects_table(material: Material) -> dict | None:
    """The projects with their amounts and the total."""
    table = part_table("projects")(material)
    if table is None:
        return None
    amounts = [row["amount"] for row in table["rows"] if isinstance(row["amount"], Printed)]
    return table | {"total": summed(amounts, "经费项目：金额合计", "各行之和", format_amount) if amounts else DASH}


def staff_table(categories: tuple[tuple[str, str], ...], total: str) -> Callable[[Material], dict | None]:
    """Staff by the categories given in the workbook, and their total."""

    def build_rows(material: Material) -> dict | None:
        counts = material.staff(categories)
        if not counts:
            return None
        rows = [{"label": label, "count": count} for label, count in counts]
        return {"rows": rows, "total": summed([count for _, count in counts], total)}

    return build_rows


def staff_summary(material: Material) -> dict | None:
    """编制、在职 and 专业技术人员 as given."""
    staff = [item for item in material.schema.part("staff").fields if item.key in STAFF_SUMMARY]
    rows = [
        {"label": item.label, "value": as_printed(found, item.label)}
        for item in staff
        if (found := material.book.number("staff", item.key)) is not None
    ]
    return {"rows": rows} if rows else None


def budget_table(material: Material) -> dict | None:
    """The budget's amounts as given."""
    rows = []
    for item in material.schema.part("budget").fields:
        found = material.book.number("budget", item.key)
        if found is not None:
            label = item.plain_label
            rows.append({"label": label, "amount": as_printed(found, label, format_amount)})
    return {"rows": rows} if rows else None


def staff_figure(categories: tuple[tuple[str, str], ...]) -> Callable[[Material], ChartData | None]:
    """Staff by the categories given in the workbook, as a column chart."""
    return lambda material: staff_chart(material.staff(categories))


def comparison_figure(material: Material) -> ChartData | None:
    """This year against last year, for the indicators of the unit most of them share (workbook.charts)."""
    pairs = [
        (item, material.indicator(item, "current"), material.indicator(item, "previous"))
        for item in compared_indicators(material.book, material.schema)
    ]
    return comparison_chart(pairs, material.book.get("cover", "year"))


def plan_items(material: Material) -> list[dict] | None:
    """Next year's plan items, each a heading and its paragraphs."""
    items = [{key: found.value for key, found in row.items()} for _, row in material.book.table("plan")]
    return items or None


BUILDERS: dict[str, Callable[[Material], object | None]] = {
    "主要数据表": indicators_table,
    "分馆情况表": lambda m: branch_rows(m.book, m.network, m.schema),
    "职称结构表": staff_table(STAFF_BY_TITLE, "按职称合计"),
    "学历结构表": staff_table(STAFF_BY_EDUCATION, "按学历合计"),
    "人员概况表": staff_summary,
    "经费概况表": budget_table,
    "经费项目表": projects_table,
    "职称结构图": staff_figure(STAFF_BY_TITLE),
    "学历结构图": staff_figure(STAFF_BY_EDUCATION),
    "主要数据图": comparison_figure,
    "分馆对比图": lambda m: branch_chart(m.book, m.network, m.schema),
    "工作计划": plan_items,
}
