"""Tables of a report recognised by their header row and sent to their sheet: 组织机构, 党组织, 人员, 荣誉,
项目, 经费 and 主要数据 (whose 本年 becomes the new workbook's 上年)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annual_report.core.schema import TABLE, Part, Schema
from annual_report.workbook.inserts import showing
from annual_report.workbook.prose import indicators_in_text

TOTAL_WORDS = ("合计", "总计", "小计", "共计")


@dataclass
class Recognised:
    """A table read into one sheet."""

    part: str  # organisation, party_branch, staff, awards, projects, budget or figures
    insert: str  # what the 在此插入 column names to place it again
    rows: list[dict] | None = None  # for table sheets
    values: dict | None = None  # for form sheets (人员, 经费) and 主要数据 (key → last year's value)

    @property
    def size(self) -> int:
        """How many rows or values were taken."""
        return len(self.rows if self.rows is not None else self.values or {})


def recognise(rows: list[list[str]], schema: Schema, year: int | None = None) -> Recognised | None:
    """The sheet a table's rows belong to, read; None when its header names no table of the workbook.

    year: the report's, when known: a key-figures table with a column per year gives that year's."""
    rows = [[_squash(cell) for cell in row] for row in rows if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0] in NUMBER_COLUMN:  # 序号 | 指标 | …: the row numbers say nothing
        rows = [row[1:] for row in rows]
    if len(rows) < 2:
        return None
    header = rows[0]
    if len(header) == 2 or len(rows) == 2:
        found = _labelled_numbers(rows, schema)
        if found is not None:
            return found
    for part in _table_parts(schema):
        columns = {item.key: item.names for item in part.fields}
        required = [item.key for item in part.fields if item.required]
        positions = _positions(header, columns)
        if all(key in positions for key in required) and (len(required) > 1 or len(positions) >= 2 or len(header) == 1):
            records = [_record(row, positions, part) for row in rows[1:]]
            records = [r for r in records if r and not _is_total(r)]
            insert = showing((f"{part.key}.{key}" for key in records[0]), schema=schema) if records else ""
            return Recognised(part.key, insert, rows=records) if records else None
    return _indicators(rows, schema, year)


def _table_parts(schema: Schema) -> list[Part]:
    """The table sheets a report's table can hold: those an insertable table shows (not 正文, 计划, 图片)."""
    return [part for part in _shown_in_tables(schema) if part.layout == "table"]


def _form_parts(schema: Schema) -> list[Part]:
    """The form sheets a two-column table of labels and numbers can hold (人员, 经费): those a table shows."""
    return [part for part in _shown_in_tables(schema) if part.layout == "form"]


def _shown_in_tables(schema: Schema) -> list[Part]:
    shown = {key for entry in schema.inserts if entry.kind == TABLE and not entry.needs_branches for key in entry.parts}
    return [part for part in schema.parts if part.key in shown]


def party_lines(lines: list[str]) -> list[dict]:
    """党组织 rows from lines like "书    记：孔德安" (a branch typed as text, not as a table)."""
    found = []
    for line in lines:
        match = re.match(r"^\s*((?:副)?书\s*记|(?:组织|宣传|纪检|青年|统战)?\s*委\s*员)\s*[:：]\s*(\S.{0,20})$", line)
        if match:
            found.append({"role": re.sub(r"\s+", "", match.group(1)), "name": re.sub(r"\s+", "", match.group(2))})
    return found


def _positions(header: list[str], columns: dict) -> dict[str, int]:
    positions: dict[str, int] = {}
    for key, names in columns.items():
        for index, cell in enumerate(header):
            if index not in positions.values() and any(cell == name or cell.startswith(name) for name in names):
                positions[key] = index
                break
    return positions


def _record(row: list[str], positions: dict[str, int], part: Part) -> dict:
    record = {}
    for key, index in positions.items():
        value = row[index] if index < len(row) else ""
        if not value or value in ("—", "-", "/"):
            continue
        kind = part.field(key).kind
        if kind in ("integer", "number"):
            value = _number(value)
            value = int(value) if kind == "integer" and value is not None else value
        elif kind == "date":
            value = _date(value)
        if value is not None:
            record[key] = value
    return record


def _is_total(record: dict) -> bool:
    first = next(iter(record.values()), "")
    return isinstance(first, str) and first.replace(" ", "") in TOTAL_WORDS


FIGURES_FIRST_COLUMN = ("指标", "项目", "指标名称", "名称", "内容", "类别", "统计项目", "统计指标", "主要指标", "")
CURRENT_COLUMN = ("本年", "本年度", "今年", "本期", "本年数", "本年完成")
UNIT_COLUMN = ("单位", "计量单位")
NUMBER_COLUMN = ("序号", "编号", "序")
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})年?度?(?:完成|数)?")


def _indicators(rows: list[list[str]], schema: Schema, year: int | None) -> Recognised | None:
    """The key-figures table (指标 | 单位 | 本年 | 上年 …, or its years as columns: 2022年 | 2021年): each figure's
    本年 (the report year's column, see _current_column) becomes next year's 上年. A row is a figure by the indicator's label or by the
    words prose uses for it ("接待读者（人次）" is 进馆人次), its unit from the 单位 column or the label's brackets."""
    header = rows[0]
    column = _current_column(header, year)
    if not header or header[0] not in FIGURES_FIRST_COLUMN or column is None:
        return None
    units = next((i for i, cell in enumerate(header) if cell in UNIT_COLUMN), None)
    by_label = {item.label.removeprefix("其中："): item.key for item in schema.part("indicators").fields}
    values = {}
    for row in rows[1:]:
        if not row or column >= len(row):
            continue
        unit = row[units] if units is not None and units < len(row) else ""
        key, value = _by_wording(row[0], row[column], unit, schema)  # with its unit: "进馆人次 | 万人次 | 15.2"
        if key is None:
            key, value = by_label.get(row[0].removeprefix("其中：")), _number(row[column])
        if key is not None and value is not None and key not in values:
            values[key] = value
    return Recognised("indicators", showing(f"indicators.{key}" for key in values), values=values) if values else None


def _current_column(header: list[str], year: int | None) -> int | None:
    """The column of the report's year: 本年, else the report year's column, else the latest year a header cell names
    that is not after the report's year (a 2023年 column in a 2022 report is the plan's)."""
    named = next((i for i, cell in enumerate(header) if cell in CURRENT_COLUMN), None)
    if named is not None:
        return named
    years = {i: int(found.group(1)) for i, cell in enumerate(header) if (found := _HEADER_YEAR.fullmatch(cell))}
    years = {i: y for i, y in years.items() if year is None or y <= year}
    return max(years, key=years.get) if years else None


def _by_wording(label: str, raw: str, unit: str, schema: Schema) -> tuple[str | None, float | None]:
    """The figure a row's label names in prose's words, with its number and unit ("接待读者（万人次）" | "15.2" →
    152000; "15.2万", "68,000人次" as typed in the cell)."""
    bracketed = re.search(r"[（(]([^）)]*)[）)]\s*$", label)
    name = label[: bracketed.start()] if bracketed else label
    unit = unit or (bracketed.group(1) if bracketed else "")
    number = raw.replace(",", "").replace("，", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?\s*(?:万|亿)?\s*\D{0,3}", number):
        return None, None
    text = f"{name}{number}{unit if number[-1].isdigit() else ''}"
    found = [m for m in indicators_in_text(text, schema) if m.start >= len(name)]
    return (found[0].key, found[0].value) if len(found) == 1 else (None, None)  # from_table writes it whole


def _labelled_numbers(rows: list[list[str]], schema: Schema) -> Recognised | None:
    """A two-column table of labels and numbers (or a row of labels above a row of numbers): 人员 or 经费."""
    pairs = [(row[0], row[-1]) for row in rows if len(row) >= 2]
    if len(rows) == 2 and len(rows[0]) == len(rows[1]) > 2:
        pairs = list(zip(rows[0], rows[1], strict=True))
    for part in _form_parts(schema):
        values = {}
        for label, raw in pairs:
            item = next((item for item in part.fields if label in item.names), None)
            value = _number(raw)
            if item is not None and value is not None:
                values[item.key] = int(value) if item.kind == "integer" and value == int(value) else value
        if values and len(values) * 2 >= len([p for p in pairs if p[0] not in TOTAL_WORDS]) - 1:
            insert = showing((f"{part.key}.{key}" for key in values), schema=schema)
            return Recognised(part.key, insert or showing([f"{part.key}.*"], schema=schema), values=values)
    return None


def _number(text: str) -> float | int | None:
    text = text.replace(",", "").replace("，", "").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:人|个|万元|元|册|项)?", text)
    if not match:
        return None
    value = float(match.group(1))
    return int(value) if value.is_integer() and "." not in match.group(1) else value


def _date(text: str) -> str | None:
    match = re.search(r"((?:19|20)\d\d)\s*[年\-./]\s*(\d{1,2})(?:\s*[月\-./]\s*(\d{1,2}))?", text)
    if not match:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3) or 1):02d}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.strip()) if len(text) <= 30 else text.strip()
