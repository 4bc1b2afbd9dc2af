"""A fast read of a workbook's cell values (python-calamine), behind the few openpyxl calls read.py makes.

openpyxl builds a styled object for every cell, which makes loading a workbook cost more than rendering
its report. calamine only reads values. It is used when the values are all there is to know: a workbook
with formulas (whose cached values may be missing) or error cells (#N/A) goes through openpyxl as before,
and so does any file calamine cannot read, so every message about a bad file stays the reader's own.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from annual_report.core.cells import column_letter, split_ref

# A formula (<f>) other than WPS's DISPIMG picture, or a cell start tag: its error type (t="e") needs openpyxl
# unless the cell holds a picture (vm="…", Excel's in-cell picture), whose value is not read.
_FORMULA = re.compile(rb'<(?:\w+:)?f(?:[ /][^>]*)?>(?!_xlfn\.DISPIMG\()')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*\bt="e"[^>]*>')


def open_values(path: Path, whatever: bool = False) -> ValueBook | None:
    """The workbook's values, or None when openpyxl must read it (formulas, error cells, odd files).

    whatever: read the values even so (the cached values of formulas), and read any format calamine knows
    (.xls, .xlsb, .ods) whatever the file is called.
    """
    try:
        if not whatever and _needs_openpyxl(path):
            return None
        with path.open("rb") as handle, CalamineWorkbook.from_filelike(handle) as book:  # by content, not by name
            sheets = [sheet.name for sheet in book.sheets_metadata if "chart" not in str(sheet.typ).lower()]
            return ValueBook({name: ValueSheet.of(book.get_sheet_by_name(name)) for name in sheets})
    except Exception:  # not installed, or a file it refuses: openpyxl reads it and says what is wrong
        return None


def _needs_openpyxl(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if _FORMULA.search(xml) or any(b'vm="' not in cell for cell in _ERROR_CELL.findall(xml)):
                    return True
    return False


@dataclass(frozen=True)
class Value:
    """One cell: its value and position, as openpyxl's cell gives them."""

    value: object
    row: int
    column: int
    data_type: str = "n"


@dataclass(frozen=True)
class Merged:
    """The merged ranges of a sheet, as openpyxl's sheet.merged_cells."""

    ranges: tuple[str, ...]


class ValueSheet:
    """A sheet's values in rows from A1, with openpyxl's iter_rows and sheet["B3"]."""

    def __init__(self, rows: list[tuple], merged: tuple[str, ...]):
        self.rows = rows
        self.width = max((len(row) for row in rows), default=0)
        self.merged_cells = Merged(merged)

    @classmethod
    def of(cls, sheet) -> ValueSheet:
        rows = [
            tuple(None if value == "" else value for value in row) for row in sheet.to_python(skip_empty_area=False)
        ]
        merged = tuple(
            f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()
        )
        return cls(rows, merged)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None, values_only=True):
        """Rows of values from min_row, each padded or cut to max_col columns (openpyxl's values_only form)."""
        width = max_col or self.width
        last = len(self.rows) if max_row is None else min(max_row, len(self.rows))
        for index in range(min_row - 1, last):
            row = self.rows[index][:width]
            yield row + (None,) * (width - len(row))

    def __getitem__(self, ref: str) -> Value:
        column, row = split_ref(ref)
        cells = self.rows[row - 1] if row <= len(self.rows) else ()
        return Value(cells[column - 1] if column <= len(cells) else None, row, column)


class ValueBook:
    """A workbook's sheets by name, as openpyxl's workbook gives them."""

    def __init__(self, sheets: dict[str, ValueSheet]):
        self._sheets = sheets
        self.sheetnames = list(sheets)

    def __getitem__(self, name: str) -> ValueSheet:
        return self._sheets[name]

