"""What the office takes away from a collection: the summary, every current report in one .zip, the problem list."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from annual_report.collect.collection import Collection
from annual_report.collect.states import NOT_SUBMITTED, LibraryState
from annual_report.core.formula_safe import csv_text, set_cell
from annual_report.core.reporting import MARKS
from annual_report.pipeline.summary import build_summary

PROBLEM_COLUMNS = (
    ("图书馆", 20),
    ("状态", 8),
    ("报送时间", 19),
    ("文件", 28),
    ("工作表", 10),
    ("单元格", 8),
    ("代码", 16),
    ("类别", 6),
    ("说明", 70),
)


def summary_workbook(collection: Collection) -> Workbook:
    """The summary of the current submissions, exactly as `summary` builds it from a folder of them."""
    return build_summary(collection.current_results())


def write_reports_zip(collection: Collection, target: IO[bytes]) -> int:
    """Every current report (.docx, and .pdf where made) into one .zip; how many reports."""
    count, names = 0, set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:  # .docx and .pdf are compressed already
        for state in collection.states():
            current = state.current
            if current is None or not current.report_sha256:
                continue
            count += 1
            for sha256, suffix in ((current.report_sha256, ".docx"), (current.pdf_sha256, ".pdf")):
                if sha256:
                    name = _unique(current.report_name.removesuffix(".docx") + suffix, names)
                    archive.write(collection.files.path(sha256), name)
    return count


def problem_rows(states: list[LibraryState]) -> Iterator[list]:
    """One row per problem of every current submission (a library without problems gets none)."""
    for state in states:
        current = state.current
        if current is None:
            continue
        for item in current.problems:
            yield [
                state.library.name,
                state.status,
                current.time,
                current.file_name,
                item.sheet,
                item.cell,
                item.code,
                MARKS[item.severity],
                item.message,
            ]


def problems_csv(collection: Collection) -> bytes:
    """The problem list as CSV (UTF-8 with BOM, so that Excel reads the Chinese), no cell a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _width in PROBLEM_COLUMNS])
    for row in problem_rows(collection.states()):
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def problems_workbook(collection: Collection) -> Workbook:
    """The problem list as a workbook with a filter on every column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    for column, (title, width) in enumerate(PROBLEM_COLUMNS, start=1):
        set_cell(sheet.cell(row=1, column=column), title)
        sheet.cell(row=1, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = 1
    for last, row in enumerate(problem_rows(collection.states()), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=last, column=column)
            set_cell(cell, value or None)
            cell.alignment = Alignment(vertical="top", wrap_text=column == len(PROBLEM_COLUMNS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}{max(last, 2)}"
    return book


def not_submitted(states: list[LibraryState]) -> list[LibraryState]:
    """The libraries that have not submitted yet (to remind)."""
    return [state for state in states if state.status == NOT_SUBMITTED]


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}（{number}）{dot}{suffix}"
    taken.add(candidate)
    return candidate
