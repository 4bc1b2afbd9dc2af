"""What a chart shows: categories and series of printed numbers, built once from the workbook.

report.chartxml writes it as a native, editable Word chart.
"""

from __future__ import annotations

from collections import Counter
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

    @property
    def series(self) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """The series as numbers, as the chart part and its workbook hold them."""
        return tuple((name, tuple(number.value for number in numbers)) for name, numbers in self.printed)


def staff_chart(counts: Sequence[tuple[str, Printed]]) -> ChartData | None:
    """Staff by category (people), or None when no category is given."""
    if not counts:
        return None
    return ChartData("staff", tuple(label for label, _ in counts), (("人数", tuple(n for _, n in counts)),))


def comparison_chart(pairs: Sequence[tuple[Field, Printed, Printed]], year) -> ChartData | None:
    """This year against last year for the indicators of one unit given for both years, or None.

    The unit shared by most such indicators is taken (on a tie, the first in schema order), so a chart never puts
    人次 beside 册 or 小时 on one axis.
    """
    if not pairs:
        return None
    counts = Counter(item.unit for item, _, _ in pairs)
    unit = max(counts, key=counts.__getitem__)  # the first of the largest groups
    pairs = [pair for pair in pairs if pair[0].unit == unit]
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
