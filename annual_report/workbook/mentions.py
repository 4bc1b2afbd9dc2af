"""A figure the prose states, where it stands and the clause it is stated in."""

from __future__ import annotations

from dataclasses import dataclass

from annual_report.workbook.text_numbers import TextNumber
from annual_report.workbook.years import around

CLAUSE_END = "，,。；;！!？?\n、"


@dataclass(frozen=True)
class IndicatorMention:
    """A figure the prose states: which field, the number written, whether approximate, where it stands."""

    key: str
    value: float
    approximate: bool
    start: int  # where the number stands (for a sum of kinds, where its first kind is named)
    end: int
    step: float = 1.0  # what the last written digit is worth (100 for "13.10万"); the rounding a reader allows
    clause_start: int = -1  # the clause the figure is stated in, from its name to its number
    clause_end: int = -1
    network: bool = False  # the whole network's, its own share stated after it ("全馆…，其中总馆…"): the 全馆 column

    def agrees(self, figure: float) -> bool:
        """Whether the number written (rounded, or approximate: 约, 余, 多) can be this figure."""
        if self.approximate:
            return abs(figure - self.value) <= max(self.step, 0.1 * self.value) + 1e-9
        return abs(figure - self.value) <= 0.5 * self.step + 1e-9


def mention_at(text: str, key: str, name_start: int, number: TextNumber) -> IndicatorMention:
    """The mention of the figure `key` whose name starts at name_start and whose number is `number`."""
    begin, _ = around(text, min(name_start, number.start), min(name_start, number.start), CLAUSE_END)
    _, end = around(text, number.end, number.end, CLAUSE_END)
    return IndicatorMention(key, number.value, number.approximate, number.start, number.end, number.step, begin, end)
