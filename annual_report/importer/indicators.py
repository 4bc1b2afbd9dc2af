"""Key figures last year's report states in its text or its key-figures table, for the new workbook's 上年 column."""

from __future__ import annotations

from dataclasses import dataclass

from annual_report.core.schema import Schema
from annual_report.importer.levels import Guess
from annual_report.importer.narrative import Narrative
from annual_report.workbook.inserts import showing
from annual_report.workbook.prose import quoted_indicators


@dataclass(frozen=True)
class IndicatorTaken:
    """A figure carried into the new workbook as last year's value, and where it was read."""

    key: str
    label: str
    value: float
    approximate: bool
    source: str  # 第 12 段 / 表格
    to_date: str = ""  # 截至11月: counted up to a date before the year's end

    def basis(self) -> str:
        """The 口径 cell: approximate or not, up to which date, and where last year's report stated it."""
        return f"{'约；' if self.approximate else ''}{self.to_date + '；' if self.to_date else ''}据上年报告{self.source}"


def indicators_from_text(narrative: Narrative, year: int, schema: Schema) -> tuple[list[IndicatorTaken], list[Guess]]:
    """Figures the text states for its report year, each once and unambiguously; conflicting ones are left out.

    They are read as the check reads the new workbook's text (quoted_indicators): plans and other years left out."""
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    seen: dict[str, list[tuple[int, float, bool, str]]] = {}
    data = {"cover": {"year": year}, "narrative": narrative.rows}
    for quote in quoted_indicators(data, schema):
        if quote.which == "current":
            paragraph = narrative.paragraph_of(quote.row, quote.column, quote.mention.start)
            mention = (paragraph, quote.mention.value, quote.mention.approximate, quote.to_date)
            seen.setdefault(quote.mention.key, []).append(mention)
    taken, guesses = [], []
    for key, mentions in seen.items():
        values = sorted({value for _, value, _, _ in mentions})
        paragraph, value, approximate, up_to = mentions[0]
        if len(values) > 1:
            listed = "、".join(_plain(v) for v in values)
            guesses.append(
                Guess(paragraph, f"正文给出的「{labels[key]}」不止一个数（{listed}），未带入，请在“主要数据”表中填写")
            )
            continue
        taken.append(IndicatorTaken(key, labels[key], _whole(value), approximate, f"第 {paragraph} 段", up_to))
    return taken, guesses


def from_table(values: dict, schema: Schema) -> list[IndicatorTaken]:
    """The figures of last year's key-figures table."""
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    return [
        IndicatorTaken(key, labels[key], _whole(value), False, showing([f"indicators.{key}"]))
        for key, value in values.items()
    ]


def indicator_pairs(taken: list[IndicatorTaken]) -> dict:
    """主要数据 as data: last year's figures in the 上年 column (the first source of a figure wins)."""
    pairs: dict = {}
    for figure in taken:
        pairs.setdefault(figure.key, {"previous": figure.value, "basis": figure.basis()})
    return pairs


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _plain(value: float) -> str:
    return str(_whole(value))
