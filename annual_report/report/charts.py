"""What a chart shows: categories and series of printed numbers, built once from the workbook.

report.chartxml writes it as a native, editable Word chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annual_report.core.schema import Field
from annual_report.report.printed import Printed


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: categories and one or more named series of printed numbers, all of one unit."""

    kind: str
    categories: tuple[str, ...]
    printed: tuple[tuple[str, tuple[Printed, ...]], ...]  # (series name, one printed number per category)
    horizontal: bool = False
    unit: str = ""
    caption: str = ""  # when the data decides what the chart shows; else the insert's own caption
    counted: str = ""  # what a sentence writes after each number when the chart has no unit (人)

    @property
    def series(self) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """The series as numbers, as the chart part and its workbook hold them."""
        return tuple((name, tuple(number.value for number in numbers)) for name, numbers in self.printed)


def staff_chart(counts: Sequence[tuple[str, Printed]]) -> ChartData | None:
    """Staff by category (people), or None when no category is given."""
    if not counts:
        return None
    return ChartData("staff", tuple(label for label, _ in counts), (("人数", tuple(n for _, n in counts)),), counted="人")


def comparison_chart(pairs: Sequence[tuple[Field, Printed, Printed]], year) -> ChartData | None:
    """This year against last year for indicators of one unit (workbook.charts.compared_indicators), or None."""
    if not pairs:
        return None
    unit = pairs[0][0].unit
    names = (f"{year}年", f"{year - 1}年") if isinstance(year, int) else ("本年", "上年")
    categories = tuple(item.label.removeprefix("其中：") for item, _, _ in pairs)
    current = tuple(now for _, now, _ in pairs)
    previous = tuple(before for _, _, before in pairs)
    return ChartData("comparison", categories, ((names[0], current), (names[1], previous)), True, unit)


def network_chart(libraries: Sequence[tuple[str, Printed]], item: Field) -> ChartData:
    """One indicator of the 总馆 and of each branch, as bars in the order given (the 总馆 first)."""
    categories = tuple(name for name, _ in libraries)
    values = tuple(value for _, value in libraries)
    label = item.plain_label
    return ChartData("network", categories, ((label, values),), True, item.unit, f"总馆与各分馆{label}")


def chart_sentence(chart: ChartData, caption: str) -> str:
    """What a chart too small to say more than a sentence would show, as that sentence: 人员学历结构：本科13人，大专1人。
    or, of two series, 进馆人次2020年为30000人次，2019年为80400人次。"""
    unit = chart.unit or chart.counted
    if len(chart.printed) == 1:
        numbers = chart.printed[0][1]
        said = "，".join(f"{category}{number}{unit}" for category, number in zip(chart.categories, numbers, strict=True))
        return f"{caption}：{said}。"
    parts = []
    for index, category in enumerate(chart.categories):
        values = "，".join(f"{name}为{numbers[index]}{unit}" for name, numbers in chart.printed)
        parts.append(f"{category}{values}")
    return "；".join(parts) + "。"
