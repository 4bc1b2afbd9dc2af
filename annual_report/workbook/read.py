"""Read a filled workbook into its typed model (workbook.model): every value with the cell it came from."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from annual_report.core.cells import column_letter, range_boundaries
from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Field, Part, Schema, load_schema
from annual_report.workbook.convert import converted
from annual_report.workbook.formats import open_workbook
from annual_report.workbook.model import Cell, DataPath, Value, Workbook
from annual_report.workbook.pictures import PICTURES, resolve_pictures
from annual_report.workbook.sheetpictures import SheetPictures
from annual_report.workbook.text import UNWRITABLE, clean_text, finite

BASIS = Field("basis", "口径", "", "text")  # the 口径 cell of an indicator: a period or 约/余, as typed
HEADER_ROW = 1
FIRST_DATA_ROW = 2
FORM_VALUE_COLUMN = "B"
SINGLE_LINE = ("name", "name_en", "compiler", "email", "phone")  # cover fields that go into file names and mail


@dataclass
class _Reading:
    """What reading has found so far: the model's parts before it is frozen."""

    values: dict[DataPath, Value] = field(default_factory=dict)
    cells: dict[DataPath, Cell] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unusable: set[DataPath] = field(default_factory=set)
    pasted: dict[int, bytes] = field(default_factory=dict)  # 图片 row index → the picture pasted on it


def read_workbook(path: Path | str, schema: Schema | None = None, file: str = "") -> Workbook:
    """Read every sheet the schema knows; raise InputUnreadable if the file is no workbook.

    file: how messages name this workbook when it is not the one reported on (a branch's, in a folder).
    """
    schema = schema or load_schema()
    path = Path(path)
    opened = open_workbook(path)  # by its content: values, formulas and every sheet's pictures
    formulas, values = opened.formulas, opened.values
    found = _Reading(problems=list(opened.notes))
    known = {*schema.sheet_names, schema.notes_sheet}
    for name in values.sheetnames:
        if name not in known:
            found.problems.append(problem("sheet-unknown", name))
    for part in schema.parts:
        if part.sheet not in values.sheetnames:
            _report_missing_sheet(found, part, values.sheetnames, known)
            continue
        sheet, formula_sheet = values[part.sheet], formulas[part.sheet] if formulas else None
        _SheetReader(found, part, sheet, formula_sheet, file, opened.pictures.get(part.sheet)).read()
    pictures = resolve_pictures(path, found.rows.get(PICTURES, 0), found.pasted, found.values)
    return Workbook(
        path, file, found.values, found.cells, tuple(found.parts), found.rows, tuple(found.problems),
        frozenset(found.unusable), pictures,
    )  # fmt: skip


def _report_missing_sheet(found: _Reading, part: Part, present: list[str], known: set[str]) -> None:
    strays = [name for name in present if name not in known]
    guess = _closest(part.sheet, strays)
    extra = f"（是否改名成了「{guess}」？请改回「{part.sheet}」）" if guess else "，请从空白模板复制这张表"
    found.problems.append(problem("sheet-missing", part.sheet, field=part.key, label=part.sheet, extra=extra))
    found.unusable.add((part.key,))


def _closest(name: str, candidates: list[str]) -> str | None:
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.3)
    if matches:
        return matches[0]
    return next((c for c in candidates if name in c or c in name), None)


class _SheetReader:
    """Reads one sheet of one part into the model's values."""

    def __init__(self, found: _Reading, part: Part, sheet, formula_sheet, file: str, pictures: SheetPictures | None = None):
        self.found, self.part, self.sheet, self.formula_sheet, self.file = found, part, sheet, formula_sheet, file
        self.pictures = pictures or SheetPictures()  # the value of a cell holding a picture is the picture
        self.merged = [range_boundaries(str(r)) for r in sheet.merged_cells.ranges]
        self.merged_names = [str(r) for r in sheet.merged_cells.ranges]

    def read(self) -> None:
        self.found.parts.append(self.part.key)
        if self.part.layout == "table":
            self._read_table()
        else:
            self._read_form()

    def _cell(self, ref: str) -> Cell:
        return Cell(self.part.sheet, ref, self.file)

    def _read_form(self) -> None:
        rows = {}
        labels = self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=1, values_only=True)
        for row_number, (label,) in enumerate(labels, start=FIRST_DATA_ROW):
            rows.setdefault(normalised_label(label), row_number)
        absent = []  # optional rows a workbook of an earlier template does not have
        columns = self._indicator_columns() if self.part.layout == "indicators" else {}
        for item in self.part.fields:
            row = rows.get(normalised_label(item.label))
            if row is None:
                if item.required:
                    self._add(problem("label-missing", self.part.sheet, field=item.key, label=item.label))
                else:
                    absent.append(item.label)
                self.found.unusable.add((self.part.key, item.key))
                continue
            if self.part.layout == "indicators":
                for key, column in columns.items():
                    if key == "network" and not item.sums_over_network:
                        continue  # a rate of one library or the network's own count: no 全馆 cell
                    self._read_cell((self.part.key, item.key, key), BASIS if key == "basis" else item, f"{column}{row}")
            else:
                self._read_cell((self.part.key, item.key), item, f"{FORM_VALUE_COLUMN}{row}")
        if absent:
            self._add(problem("rows-missing", self.part.sheet, value=len(absent), label="、".join(absent)))
        self.found.cells[(self.part.key,)] = self._cell(f"{FORM_VALUE_COLUMN}{FIRST_DATA_ROW}")

    def _indicator_columns(self) -> dict[str, str]:
        """The value columns (本年, 上年, 口径, 全馆) found by their headers, so that a column added later moves none."""
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        found = {normalised_label(text): column_letter(index + 1) for index, text in enumerate(header) if text}
        columns = {column.key: found.get(column.label, column.letter) for column in self.part.columns}
        return {key: letter for key, letter in columns.items() if letter}

    def _read_table(self) -> None:
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        columns = {normalised_label(text): index + 1 for index, text in enumerate(header) if text is not None}
        located = {}
        for item in self.part.fields:
            index = columns.get(normalised_label(item.label))
            if index is None:
                self._add(problem("column-missing", self.part.sheet, field=item.key, label=item.label))
                self.found.unusable.add((self.part.key, "*", item.key))
            else:
                located[item] = column_letter(index)
        self.found.cells[(self.part.key,)] = self._cell(f"A{FIRST_DATA_ROW}")
        count = 0
        positions = {item.key: columns[normalised_label(item.label)] - 1 for item in located}
        if located:
            width = max(columns.values())
            images = self._images_by_row() if self.part.key == PICTURES else {}
            rows = self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width, values_only=True)
            for row_number, row in enumerate(rows, start=FIRST_DATA_ROW):
                if all(_is_blank(v) for v in row) and not self._formula_row(row_number, located) and row_number not in images:
                    continue
                if self.part.examples and _is_example(row, positions, self.part.examples):
                    if not count:  # an empty sheet is reported where its first own row goes
                        self.found.cells[(self.part.key,)] = self._cell(f"A{row_number + 1}")
                    continue
                if row_number in images:
                    self.found.pasted[count] = images[row_number]
                for item, column in located.items():
                    self._read_cell((self.part.key, count, item.key), item, f"{column}{row_number}")
                self.found.cells[(self.part.key, count)] = self._cell(f"A{row_number}")
                count += 1
        else:
            self.found.unusable.add((self.part.key,))
        self.found.rows[self.part.key] = count

    def _images_by_row(self) -> dict[int, bytes]:
        """Pictures on the sheet (over the cells or in a cell), by row (the first one per row)."""
        return {row: data for row, data in self.pictures.rows.items() if row >= FIRST_DATA_ROW}

    def _formula_row(self, row_number: int, located: dict) -> bool:
        if self.formula_sheet is None:
            return False
        cells = [f"{c}{row_number}" for c in located.values() if f"{c}{row_number}" not in self.pictures.cells]
        return any(self.formula_sheet[ref].data_type == "f" for ref in cells)

    def _read_cell(self, path: DataPath, item: Field, ref: str) -> None:
        cell = self.found.cells[path] = self._cell(ref)
        merged = self._merged_range(ref)
        if merged:
            self._add(problem("merged-cells", self.part.sheet, ref, _dotted(path), value=merged))
            self.found.unusable.add(path)
            return
        if ref in self.pictures.cells:  # its value is the picture (=DISPIMG(…) or #VALUE!), read as the row's
            return
        raw = self.sheet[ref].value
        if raw is None and self.formula_sheet is not None and self.formula_sheet[ref].data_type == "f":
            formula = self.formula_sheet[ref].value
            self._add(problem("formula-no-value", self.part.sheet, ref, _dotted(path), label=item.label, value=formula))
            self.found.unusable.add(path)
            return
        raw = self._clean(raw, item, ref, path)
        if _is_blank(raw):
            return
        value, note, extra = converted(raw, item)
        if note:
            shown = raw if not isinstance(raw, str) else raw.strip()
            self._add(problem(note, self.part.sheet, ref, _dotted(path), label=item.label, value=shown, extra=extra))
        self.found.values[path] = Value(value, cell)

    def _merged_range(self, ref: str) -> str | None:
        cell = self.sheet[ref]
        for (min_col, min_row, max_col, max_row), name in zip(self.merged, self.merged_names, strict=True):
            if min_col <= cell.column <= max_col and min_row <= cell.row <= max_row:
                return name
        return None

    def _clean(self, raw, item: Field, ref: str, path: DataPath):
        """Every cell's value made safe once, whatever its kind: text normalised, NaN and infinities refused."""
        where = (self.part.sheet, ref, _dotted(path))
        if not finite(raw):
            self._add(problem("not-finite", *where, label=item.label, value=raw))
            self.found.unusable.add(path)
            return None
        if not isinstance(raw, str):
            return raw
        text, code, characters = clean_text(raw)
        if code == UNWRITABLE:
            self.found.unusable.add(path)  # the one error to fix here
        if code:
            self._add(problem(code, *where, label=item.label, value=characters))
        if self.part.key == "cover" and item.key in SINGLE_LINE and "\n" in text.strip():
            self._add(problem("line-break", *where, label=item.label))
            self.found.unusable.add(path)
        return text

    def _add(self, found: Problem) -> None:
        self.found.problems.append(found)


def _dotted(path: tuple) -> str:
    return ".".join(str(step) for step in path)


def normalised_label(text) -> str:
    """A label or header as compared: without spaces and the * of a required field."""
    if text is None:
        return ""
    return re.sub(r"[\s*＊]", "", str(text))


def _is_example(row: tuple, positions: dict[str, int], examples: tuple[dict, ...]) -> bool:
    """Whether a table row is one of the blank workbook's example rows, exactly as written (x-examples)."""
    written = {key: row[index] for key, index in positions.items() if index < len(row)}
    shown = {key: _as_written(value) for key, value in written.items() if not _is_blank(value)}
    return any(shown == {key: _as_written(value) for key, value in example.items()} for example in examples)


def _as_written(value) -> str:
    """A cell's value as text, a whole number without its .0 (a reader may give 1 as 1.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
