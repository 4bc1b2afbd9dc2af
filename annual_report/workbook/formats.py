"""Open a workbook whatever program saved it: decide by its content what it is, refuse what cannot be read with
a message naming the file and the program to save it again from, and give read.py its values and pictures.

.xlsx .xlsm .xltx .xltm: values by calamine (fastread) or openpyxl (formulas, error cells); when openpyxl fails on
an optional part (a pivot table, an extension it does not know), calamine's values with a warning.
.xls .et .xlsb .ods: calamine's values, with a warning that pictures and formulas could not be checked.
Everything else is refused: .numbers, .fods, SpreadsheetML 2003 .xml, .slk, text, Word files, archives…
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from annual_report.core import sniff
from annual_report.core.errors import InputUnreadable
from annual_report.core.problems import Problem, problem
from annual_report.core.quiet import quiet
from annual_report.core.refusals import KINDS, OTHER_PROGRAM, refused
from annual_report.workbook.fastread import open_values
from annual_report.workbook.package import check_package
from annual_report.workbook.sheetpictures import SheetPictures, sheet_pictures

# What calamine reads of other formats, and how to name them to a librarian
VALUES_ONLY = {
    sniff.XLS: "Excel 97-2003 工作簿（.xls）或 WPS 表格（.et）",
    sniff.XLSB: "Excel 二进制工作簿（.xlsb）",
    sniff.ODS: "OpenDocument 表格（.ods）",
}
REFUSED = {
    sniff.NUMBERS: "format-numbers",
    sniff.FODS: "format-fods",
    sniff.SPREADSHEET_XML: "format-spreadsheetml",
    sniff.SLK: "format-slk",
    sniff.HTML: "format-html",
    sniff.TEXT: "format-text",
    sniff.ZIP: "format-archive",
    sniff.ENCRYPTED: "encrypted",
    sniff.EMPTY: "empty",
    sniff.BROKEN_OLE: "broken-ole",
}


@dataclass
class OpenedWorkbook:
    """A workbook's cached values, its formulas (only if it has any), its pictures and what reading it noticed."""

    values: object  # an openpyxl Workbook or a fastread.ValueBook: sheetnames and book[name]
    formulas: object | None = None
    pictures: dict[str, SheetPictures] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)


def open_workbook(path: Path) -> OpenedWorkbook:
    """Open the file as a workbook; raise InputUnreadable, naming it, when it is none or cannot be read."""
    kind = check_file(path)
    if kind in VALUES_ONLY:
        values = open_values(path, whatever=True)
        if values is None:
            raise refused("format-legacy", path, format=VALUES_ONLY[kind])
        note = problem("format-values-only", "", value=path.name, extra=VALUES_ONLY[kind])
        return OpenedWorkbook(values, notes=[note])
    check_package(path)  # sizes and used ranges within core.limits, before any reader allocates for them
    try:
        with zipfile.ZipFile(path) as archive:
            pictures = sheet_pictures(archive)
    except Exception as exc:  # a malformed drawing or picture part: the pictures are what is damaged
        raise refused("broken-workbook", path) from exc
    opened = _open_ooxml(path)
    opened.pictures = pictures
    return opened


def check_file(path: Path) -> str:
    """The file's kind (core.sniff) if it may be a workbook; raise InputUnreadable saying what it is otherwise."""
    if not path.exists():
        raise refused("not-found", path)
    if path.is_dir():
        raise refused("folder", path)
    if not path.is_file():  # a pipe or a device would block the reader or never end
        raise refused("not-regular", path)
    if path.name.startswith("~$"):
        raise refused("lock-file", path)
    try:
        kind = sniff.sniff(path)
    except PermissionError as exc:
        raise refused("no-permission", path) from exc
    except OSError as exc:
        raise refused("no-permission", path) from exc
    if kind in sniff.OOXML_SPREADSHEETS or kind in VALUES_ONLY:
        return kind
    if kind in REFUSED:
        if kind == sniff.ZIP and not zipfile.is_zipfile(path):
            raise refused("broken-zip", path)
        raise refused(REFUSED[kind], path)
    if kind in sniff.WORD_FILES:
        raise refused("format-word", path)
    raise refused("format-other", path, what=KINDS.get(kind, OTHER_PROGRAM))


def _open_ooxml(path: Path) -> OpenedWorkbook:
    """Values by calamine where they are all there is to know, else both of openpyxl's views."""
    try:
        with warnings.catch_warnings(), quiet("openpyxl"):
            warnings.simplefilter("ignore")
            fast = open_values(path)  # values only, much faster; None when openpyxl must read the file
            if fast is not None:
                return OpenedWorkbook(fast)
            from openpyxl import load_workbook  # heavy: loaded only for what calamine cannot read (formulas, errors)

            with path.open("rb") as handle:  # a file object: openpyxl goes by the content, not by the name
                formulas = load_workbook(handle, data_only=False)
            if not _has_formulas(formulas):
                return OpenedWorkbook(formulas)
            with path.open("rb") as handle:
                return OpenedWorkbook(load_workbook(handle, data_only=True), formulas)
    except PermissionError as exc:
        raise refused("no-permission", path) from exc
    except InputUnreadable:
        raise
    except Exception as exc:  # openpyxl cannot read some part: calamine may still read the values
        with quiet("python-calamine"):
            values = open_values(path, whatever=True)
        if values is None:
            raise refused("broken-workbook", path) from exc
        return OpenedWorkbook(values, notes=[problem("read-values-only", "", value=path.name)])


def _has_formulas(book) -> bool:
    return any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
