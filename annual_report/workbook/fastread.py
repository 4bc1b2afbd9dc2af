"""A fast read of a workbook's cell values (python-calamine), behind the few openpyxl calls read.py makes.

openpyxl builds a styled object for every cell, which makes loading a workbook cost more than rendering
its report. calamine only reads values. It is used when the values are all there is to know: a workbook
with formulas (whose cached values may be missing) or error cells (#N/A) goes through openpyxl as before,
and so does any file calamine cannot read, so every message about a bad file stays the reader's own.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from annual_report.core.cells import column_letter, split_ref

# A formula (<f>) or a cell of error type (t="e") in a sheet's XML.
_NEEDS_OPENPYXL = re.compile(rb'<(?:\w+:)?f[ >/]|\bt="e"')


def open_values(path: Path) -> ValueBook | None:
    """The workbook's values and pictures, or None when openpyxl must read it (formulas, error cells, odd files)."""
    try:
        from python_calamine import CalamineWorkbook

        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if any(_NEEDS_OPENPYXL.search(archive.read(name)) for name in sheets):
                return None
            pictures = pasted_pictures(archive)
        with CalamineWorkbook.from_path(str(path)) as book:  # closed at once: Windows keeps open files locked
            return ValueBook(
                {name: ValueSheet.of(book.get_sheet_by_name(name), pictures.get(name, {})) for name in book.sheet_names}
            )
    except Exception:  # not installed, or a file it refuses: openpyxl reads it and says what is wrong
        return None


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

    def __init__(self, rows: list[tuple], merged: tuple[str, ...], pictures: dict[int, bytes] | None = None):
        self.rows = rows
        self.width = max((len(row) for row in rows), default=0)
        self.merged_cells = Merged(merged)
        self.pictures_by_row = pictures or {}  # row of a pasted picture's top-left corner → its bytes

    @classmethod
    def of(cls, sheet, pictures: dict[int, bytes] | None = None) -> ValueSheet:
        rows = [
            tuple(None if value == "" else value for value in row) for row in sheet.to_python(skip_empty_area=False)
        ]
        merged = tuple(
            f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()
        )
        return cls(rows, merged, pictures)

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


# Pictures pasted into sheets: sheet → its drawing → each picture's anchor row and its media file.

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


def pasted_pictures(archive: zipfile.ZipFile) -> dict[str, dict[int, bytes]]:
    """Each sheet's pasted pictures by the (1-based) row of their top-left corner, the first one per row."""
    from xml.etree import ElementTree

    names = set(archive.namelist())
    if not any(name.startswith("xl/drawings/") for name in names):
        return {}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    targets = _relationships(archive, "xl/workbook.xml")
    found: dict[str, dict[int, bytes]] = {}
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        part = targets.get(sheet.get(f"{{{_NS['rel']}}}id"), "")
        for drawing in _relationships(archive, part, kind="/drawing").values():
            media = _relationships(archive, drawing)
            rows: dict[int, bytes] = {}
            for anchor in ElementTree.fromstring(archive.read(drawing)):
                row, blip = anchor.find("xdr:from/xdr:row", _NS), anchor.find(".//a:blip", _NS)
                target = media.get(blip.get(f"{{{_NS['rel']}}}embed")) if blip is not None else None
                if row is not None and target in names:
                    rows.setdefault(int(row.text) + 1, archive.read(target))
            found.setdefault(sheet.get("name"), {}).update(rows)
    return found


def _relationships(archive: zipfile.ZipFile, part: str, kind: str = "") -> dict[str, str]:
    """A part's relationships (of a type ending in kind) as id → part name inside the package."""
    from xml.etree import ElementTree

    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels"
    if not part or rels not in archive.namelist():
        return {}
    found = {}
    for rel in ElementTree.fromstring(archive.read(rels)).iterfind("pkg:Relationship", _NS):
        if rel.get("Type", "").endswith(kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            found[rel.get("Id")] = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
            )
    return found
