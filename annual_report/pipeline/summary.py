"""The receiving office's summary (汇总): one workbook with a row per library and a list of every problem."""

from __future__ import annotations

import dataclasses
import io
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from annual_report.core.errors import OutputError
from annual_report.core.formula_safe import set_cell
from annual_report.core.messages import message
from annual_report.core.problems import problem
from annual_report.core.reporting import MARKS
from annual_report.core.schema import Field, Schema, load_schema
from annual_report.core.write import refuse_existing, write_atomically
from annual_report.pipeline.results import FAILED_UNEXPECTEDLY, FILE_ABORTED, SKIPPED, UNREADABLE, FileResult
from annual_report.report.printed import yoy_change
from annual_report.workbook.blank import BOX, FONT, HEADER_FILL
from annual_report.workbook.package import sheet_names
from annual_report.workbook.text import identity

LIBRARIES_SHEET, PROBLEMS_SHEET = "各馆数据", "问题清单"
LEADING = (("图书馆", 20), ("年度", 7), ("状态", 9), ("错误", 6), ("警告", 6))
PAIR = (("本年", 11), ("上年", 11), ("同比", 8))
PROBLEM_COLUMNS = (("文件", 28), ("图书馆", 18), ("工作表", 10), ("单元格", 8), ("代码", 16), ("类别", 6), ("说明", 70))
FIRST_ROW = 3  # two header rows: the indicator's label over 本年 / 上年 / 同比
GROUPS_PER_PAGE = 5  # indicator groups printed side by side on one landscape A4 page
FORMATS = {"integer": "#,##0", "number": "#,##0.00"}
TITLE = "公共图书馆年报汇总"
BOLD = Font(name=FONT, size=10, bold=True)
PLAIN = Font(name=FONT, size=10)


def status_text(result: FileResult) -> str:
    """How the summary names a workbook's state."""
    if any(p.code in (UNREADABLE, FAILED_UNEXPECTEDLY, FILE_ABORTED) for p in result.problems):
        return "无法读取"
    return "有错误" if result.errors else "通过"


def build_summary(results: list[FileResult], schema: Schema | None = None) -> Workbook:
    """The summary workbook of a folder's validation results (a library's resubmission counted once)."""
    schema = schema or load_schema()
    results = mark_resubmissions(results)
    book = Workbook()
    counted = [r for r in results if not _superseded(r) and r.status != SKIPPED]  # documents are no library's
    _libraries_sheet(book.active, counted, schema.part("indicators").fields)
    _problems_sheet(book.create_sheet(PROBLEMS_SHEET), results)
    return book


def mark_resubmissions(results: list[FileResult]) -> list[FileResult]:
    """Results with a warning on every older workbook of a library and year that a newer one replaces.

    The same library is recognised without invisible characters, spaces or case (see text.identity).
    """
    groups: dict[tuple, list[FileResult]] = {}
    for result in results:
        key = (identity(result.library), str(result.year))
        if key[0] and result.year is not None and status_text(result) != "无法读取":
            groups.setdefault(key, []).append(result)
    replaced: dict[int, FileResult] = {}
    for group in groups.values():
        newest = max(group, key=lambda r: (r.modified, r.file))
        for older in group:
            if older is not newest:
                warning = problem(
                    "resubmitted", "", older=older.file, newer=newest.file, library=newest.library, year=newest.year
                )
                replaced[id(older)] = dataclasses.replace(older, problems=(*older.problems, warning))
    return [replaced.get(id(result), result) for result in results]


def resubmission_notes(results: list[FileResult]) -> list[str]:
    """The warnings about replaced workbooks, for the command line."""
    return [p.message for r in mark_resubmissions(results) for p in r.problems if p.code == "resubmitted"]


def _superseded(result: FileResult) -> bool:
    return any(p.code == "resubmitted" for p in result.problems)


def check_target(output: Path | str, force: bool = False) -> None:
    """Refuse an output that exists (unless force) and, even with force, anything but an earlier summary."""
    output = Path(output)
    refuse_existing(output, force=force)
    if output.exists() and LIBRARIES_SHEET not in sheet_names(output):
        raise OutputError(message("summary-would-overwrite", file=output))


def write_summary(results: list[FileResult], output: Path | str, force: bool = False) -> Path:
    """Write the summary through a temporary file; never over an existing file without force, never over a workbook."""
    check_target(output, force)
    buffer = io.BytesIO()
    build_summary(results).save(buffer)
    return write_atomically(Path(output), buffer.getvalue(), force=force)


def _libraries_sheet(sheet, results: list[FileResult], indicators: tuple[Field, ...]) -> None:
    sheet.title = LIBRARIES_SHEET
    _header_cells(sheet, indicators)
    readable = [r for r in results if status_text(r) != "无法读取"]
    for row, result in enumerate(readable, start=FIRST_ROW):
        values = [result.library or result.file, result.year, status_text(result), result.errors, result.warnings]
        for column, value in enumerate(values, start=1):
            _cell(sheet, row, column, value)
        for index, item in enumerate(indicators):
            pair = result.indicators.get(item.key) or {}
            current, previous = pair.get("current"), pair.get("previous")
            column = len(LEADING) + 1 + 3 * index
            _cell(sheet, row, column, current, FORMATS.get(item.kind))
            _cell(sheet, row, column + 1, previous, FORMATS.get(item.kind))
            if isinstance(pair.get("basis"), str) and current is not None:  # the library's 口径, e.g. 截至10月
                sheet.cell(row=row, column=column).comment = Comment(f"口径：{pair['basis']}", "年报汇总")
            change = yoy_change(current, previous) if _both_numbers(current, previous) else None
            _cell(sheet, row, column + 2, None if change is None else change / 100, "0.0%")
    total_row = FIRST_ROW + len(readable)
    _totals(sheet, total_row, readable, indicators)
    note = sheet.cell(
        row=total_row + 1,
        column=1,
        value="说明：合计只计入没有错误的工作簿中填为数字的指标；合计的同比只按本年、上年都填写了的馆计算。"
        "无法读取的工作簿不在本表中，见「问题清单」。",
    )
    note.font = Font(name=FONT, size=9, color="606060")
    _print_setup(sheet, last_column=len(LEADING) + 3 * len(indicators), groups=len(indicators))
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=len(LEADING) + 1).coordinate
    sheet.print_title_rows = f"1:{FIRST_ROW - 1}"
    sheet.print_title_cols = "A:B"


def _header_cells(sheet, indicators: tuple[Field, ...]) -> None:
    for column, (title, width) in enumerate(LEADING, start=1):
        _head(sheet, 1, column, title)
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, item in enumerate(indicators):
        column = len(LEADING) + 1 + 3 * index
        _head(
            sheet,
            1,
            column,
            f"{item.label}（{item.unit}）" if item.unit and not item.label.endswith(f"（{item.unit}）") else item.label,
        )
        sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + 2)
        for offset, (title, width) in enumerate(PAIR):
            _head(sheet, 2, column + offset, title)
            sheet.column_dimensions[get_column_letter(column + offset)].width = width
    sheet.row_dimensions[1].height = 30


def _totals(sheet, row: int, results: list[FileResult], indicators: tuple[Field, ...]) -> None:
    counted = [r for r in results if not r.errors]  # an indicator of a workbook with errors may be the error
    values = ["合计", None, f"{len(counted)} 个馆", sum(r.errors for r in results), sum(r.warnings for r in results)]
    for column, value in enumerate(values, start=1):
        _cell(sheet, row, column, value, bold=True)
    for index, item in enumerate(indicators):
        pairs = [r.indicators.get(item.key) or {} for r in counted]
        currents = [p.get("current") for p in pairs if _number(p.get("current"))]
        previouses = [p.get("previous") for p in pairs if _number(p.get("previous"))]
        both = [p for p in pairs if _both_numbers(p.get("current"), p.get("previous"))]
        change = yoy_change(sum(p["current"] for p in both), sum(p["previous"] for p in both)) if both else None
        column = len(LEADING) + 1 + 3 * index
        _cell(sheet, row, column, sum(currents) if currents else None, FORMATS.get(item.kind), bold=True)
        _cell(sheet, row, column + 1, sum(previouses) if previouses else None, FORMATS.get(item.kind), bold=True)
        _cell(sheet, row, column + 2, None if change is None else change / 100, "0.0%", bold=True)


def _problems_sheet(sheet, results: list[FileResult]) -> None:
    for column, (title, width) in enumerate(PROBLEM_COLUMNS, start=1):
        _head(sheet, 1, column, title)
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for result in results:
        for item in result.problems:
            row += 1
            values = [result.file, result.library, item.sheet, item.cell, item.code, MARKS[item.severity]]
            for column, value in enumerate([*values, item.message], start=1):
                _cell(sheet, row, column, value or None, wrap=column == len(PROBLEM_COLUMNS))
    if row == 1:
        _cell(sheet, 2, 1, "没有发现问题。")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}{max(row, 2)}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, last_column=len(PROBLEM_COLUMNS), groups=0)


def _print_setup(sheet, last_column: int, groups: int) -> None:
    """Landscape A4, as many pages wide as the indicator groups need (one page for the problem list)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = max(1, math.ceil(groups / GROUPS_PER_PAGE))
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddHeader.center.text = f"{TITLE}　&A"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.print_area = f"A1:{get_column_letter(last_column)}{sheet.max_row}"


def _head(sheet, row: int, column: int, title: str) -> None:
    cell = sheet.cell(row=row, column=column)
    set_cell(cell, title)
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.border = BOX
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _cell(sheet, row: int, column: int, value, number_format: str | None = None, bold=False, wrap=False) -> None:
    cell = sheet.cell(row=row, column=column)
    set_cell(cell, value)
    cell.font = BOLD if bold else PLAIN
    cell.border = BOX
    if number_format and _number(value):
        cell.number_format = number_format
    cell.alignment = Alignment(vertical="top", wrap_text=wrap)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _both_numbers(current, previous) -> bool:
    return _number(current) and _number(previous)
