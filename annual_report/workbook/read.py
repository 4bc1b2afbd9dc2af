"""Read a filled workbook into the report's data, remembering which cell each value came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Field, Part, Schema, load_schema
from annual_report.workbook.convert import converted
from annual_report.workbook.fastread import get_column_letter, range_boundaries
from annual_report.workbook.formats import open_workbook
from annual_report.workbook.sheetpictures import SheetPictures
from annual_report.workbook.text import UNWRITABLE, clean_text, finite

MISSING = object()
BASIS = Field("basis", "口径", "", "text")  # the 口径 cell of a figure: a period or 约/余, as typed
HEADER_ROW = 1
FIRST_DATA_ROW = 2
INDICATOR_COLUMNS = {"current": "B", "previous": "C"}  # where a workbook without these headers has them
# 口径 and 全馆 came later: read only if present; 全馆 is the network's figure a 总馆 may type (this year's)
INDICATOR_HEADERS = {"current": "本年", "previous": "上年", "basis": "口径", "network": "全馆（总馆填）"}
FORM_VALUE_COLUMN = "B"
SINGLE_LINE = ("name", "name_en", "compiler", "email", "phone")  # cover fields that go into file names and mail



@dataclass
class WorkbookData:
    """The report's data as the schema describes it, and where each value lives."""

    path: Path
    data: dict
    cells: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    settled: set[tuple] = field(default_factory=set)  # paths whose problem is already reported
    images: dict[tuple, bytes] = field(default_factory=dict)  # a table row's path → its picture, pasted or read

    def where(self, path: tuple) -> tuple[str, str]:
        """The sheet and cell of a data path, or of its nearest located parent."""
        while path:
            if path in self.cells:
                return self.cells[path]
            path = path[:-1]
        return ("", "")


def read_workbook(path: Path | str, schema: Schema | None = None) -> WorkbookData:
    """Read every sheet the schema knows; raise InputUnreadable if the file is no workbook."""
    schema = schema or load_schema()
    path = Path(path)
    opened = open_workbook(path)
    formulas, values = opened.formulas, opened.values
    result = WorkbookData(path, {}, problems=list(opened.notes))
    known = set(schema.sheet_names) | {"说明"}
    for name in values.sheetnames:
        if name not in known:
            result.problems.append(problem("sheet-unknown", name))
    for part in schema.parts:
        if part.sheet not in values.sheetnames:
            _report_missing_sheet(result, part, values.sheetnames, known)
            continue
        formula_sheet = formulas[part.sheet] if formulas else None
        reader = _SheetReader(result, part, values[part.sheet], formula_sheet, opened.pictures.get(part.sheet))
        reader.read()
    return result


def _report_missing_sheet(result: WorkbookData, part: Part, present: list[str], known: set[str]) -> None:
    strays = [name for name in present if name not in known]
    guess = _closest(part.sheet, strays)
    extra = f"（是否改名成了「{guess}」？请改回「{part.sheet}」）" if guess else "，请从空白模板复制这张表"
    result.problems.append(problem("sheet-missing", part.sheet, field=part.key, label=part.sheet, extra=extra))
    result.settled.add((part.key,))


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.3)
    if matches:
        return matches[0]
    return next((c for c in candidates if name in c or c in name), None)


class _SheetReader:
    """Reads one sheet of one part into the result."""

    def __init__(self, result: WorkbookData, part: Part, sheet, formula_sheet, pictures: SheetPictures | None = None):
        self.result, self.part, self.sheet, self.formula_sheet = result, part, sheet, formula_sheet
        self.pictures = pictures or SheetPictures()  # the value of a cell holding a picture is the picture
        self.merged = [range_boundaries(str(r)) for r in sheet.merged_cells.ranges]
        self.merged_names = [str(r) for r in sheet.merged_cells.ranges]

    def read(self) -> None:
        if self.part.layout == "table":
            self.result.data[self.part.key] = self._read_table()
        else:
            self.result.data[self.part.key] = self._read_form()

    def _read_form(self) -> dict:
        rows = {}
        labels = self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=1, values_only=True)
        for row_number, (label,) in enumerate(labels, start=FIRST_DATA_ROW):
            rows.setdefault(_normalise_label(label), row_number)
        values = {}
        absent = []  # optional rows a workbook of an earlier template does not have
        indicator_columns = self._indicator_columns() if self.part.layout == "indicators" else {}
        for item in self.part.fields:
            row = rows.get(_normalise_label(item.label))
            if row is None:
                if item.required:
                    self._add(problem("label-missing", self.part.sheet, field=item.key, label=item.label))
                else:
                    absent.append(item.label)
                self.result.settled.add((self.part.key, item.key))
                continue
            if self.part.layout == "indicators":
                pair = {}
                for key, column in indicator_columns.items():
                    if key == "network" and not item.sums_over_network:
                        continue  # a rate of one library or the network's own count: no 全馆 cell
                    kind = BASIS if key == "basis" else item
                    self._read_cell(pair, (self.part.key, item.key, key), kind, f"{column}{row}", key)
                if pair:
                    values[item.key] = pair
            else:
                self._read_cell(values, (self.part.key, item.key), item, f"{FORM_VALUE_COLUMN}{row}", item.key)
        if absent:
            self._add(problem("rows-missing", self.part.sheet, value=len(absent), label="、".join(absent)))
        self.result.cells[(self.part.key,)] = (self.part.sheet, f"{FORM_VALUE_COLUMN}{FIRST_DATA_ROW}")
        return values

    def _indicator_columns(self) -> dict[str, str]:
        """The columns of 本年, 上年, 口径 and 全馆, found by their headers (so a column added later moves none)."""
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        found = {_normalise_label(text): get_column_letter(index + 1) for index, text in enumerate(header) if text}
        columns = {key: found.get(title, INDICATOR_COLUMNS.get(key)) for key, title in INDICATOR_HEADERS.items()}
        return {key: column for key, column in columns.items() if column}

    def _read_table(self) -> list[dict]:
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        columns = {_normalise_label(text): index + 1 for index, text in enumerate(header) if text is not None}
        located = {}
        for item in self.part.fields:
            index = columns.get(_normalise_label(item.label))
            if index is None:
                self._add(problem("column-missing", self.part.sheet, field=item.key, label=item.label))
                self.result.settled.add((self.part.key, "*", item.key))
            else:
                located[item] = get_column_letter(index)
        self.result.cells[(self.part.key,)] = (self.part.sheet, f"A{FIRST_DATA_ROW}")
        if not located:
            self.result.settled.add((self.part.key,))
            return []
        rows = []
        width = max(columns.values())
        images = self._images_by_row()
        for row_number, row in enumerate(
            self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width, values_only=True), start=FIRST_DATA_ROW
        ):
            if (
                all(_is_blank(v) for v in row)
                and not self._formula_row(row_number, located)
                and row_number not in images
            ):
                continue
            values = {}
            path = (self.part.key, len(rows))
            if row_number in images:
                self.result.images[path] = images[row_number]
            for item, column in located.items():
                self._read_cell(values, (*path, item.key), item, f"{column}{row_number}", item.key)
            self.result.cells[path] = (self.part.sheet, f"A{row_number}")
            rows.append(values)
        return rows

    def _images_by_row(self) -> dict[int, bytes]:
        """Pictures on the sheet (over the cells or in a cell), by row (the first one per row)."""
        return {row: data for row, data in self.pictures.rows.items() if row >= FIRST_DATA_ROW}

    def _formula_row(self, row_number: int, located: dict) -> bool:
        if self.formula_sheet is None:
            return False
        cells = [f"{c}{row_number}" for c in located.values() if f"{c}{row_number}" not in self.pictures.cells]
        return any(self.formula_sheet[ref].data_type == "f" for ref in cells)

    def _read_cell(self, target: dict, path: tuple, item: Field, ref: str, key: str) -> None:
        self.result.cells[path] = (self.part.sheet, ref)
        merged = self._merged_range(ref)
        if merged:
            self._add(problem("merged-cells", self.part.sheet, ref, _dotted(path), value=merged))
            self.result.settled.add(path)
            return
        if ref in self.pictures.cells:  # its value is the picture (=DISPIMG(…) or #VALUE!), read as the row's
            return
        raw = self.sheet[ref].value
        if raw is None and self.formula_sheet is not None and self.formula_sheet[ref].data_type == "f":
            formula = self.formula_sheet[ref].value
            self._add(problem("formula-no-value", self.part.sheet, ref, _dotted(path), label=item.label, value=formula))
            self.result.settled.add(path)
            return
        value = self._convert(raw, item, ref, path)
        if value is not MISSING:
            target[key] = value

    def _merged_range(self, ref: str) -> str | None:
        cell = self.sheet[ref]
        for (min_col, min_row, max_col, max_row), name in zip(self.merged, self.merged_names, strict=True):
            if min_col <= cell.column <= max_col and min_row <= cell.row <= max_row:
                return name
        return None

    def _convert(self, raw, item: Field, ref: str, path: tuple):
        raw = self._clean(raw, item, ref, path)
        if _is_blank(raw):
            return MISSING
        value, note, extra = converted(raw, item)
        if note:
            shown = raw if not isinstance(raw, str) else raw.strip()
            self._add(problem(note, self.part.sheet, ref, _dotted(path), label=item.label, value=shown, extra=extra))
        return value

    def _clean(self, raw, item: Field, ref: str, path: tuple):
        """Every cell's value made safe once, whatever its kind: text normalised, NaN and infinities refused."""
        where = (self.part.sheet, ref, _dotted(path))
        if not finite(raw):
            self._add(problem("not-finite", *where, label=item.label, value=raw))
            self.result.settled.add(path)
            return None
        if not isinstance(raw, str):
            return raw
        text, code, characters = clean_text(raw)
        if code == UNWRITABLE:
            self.result.settled.add(path)  # the one error to fix here
        if code:
            self._add(problem(code, *where, label=item.label, value=characters))
        if self.part.key == "cover" and item.key in SINGLE_LINE and "\n" in text.strip():
            self._add(problem("line-break", *where, label=item.label))
            self.result.settled.add(path)
        return text

    def _add(self, found: Problem) -> None:
        self.result.problems.append(found)


def _dotted(path: tuple) -> str:
    return ".".join(str(step) for step in path)


def _normalise_label(text) -> str:
    if text is None:
        return ""
    return re.sub(r"[\s*＊]", "", str(text))


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
