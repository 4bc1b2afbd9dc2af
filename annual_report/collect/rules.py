"""What a collection asks of a submission beyond the workbook's own checks: the library's own name, the collection's year."""

from __future__ import annotations

import dataclasses

from annual_report.collect.states import Library
from annual_report.core.problems import Problem, problem
from annual_report.pipeline.results import FAILED, UNREADABLE, FileResult
from annual_report.workbook.text import identity


def submission_checked(
    result: FileResult, library: Library, year: int, cells: dict[str, tuple[str, str]]
) -> FileResult:
    """The result with an error when the cover names another library or another year (then it has no report).

    cells: where the cover's name and year are (sheet, cell), as the workbook was read.
    """
    if any(p.code == UNREADABLE for p in result.problems) or (not result.library and result.year is None):
        return result
    found: list[Problem] = []
    if identity(result.library) != identity(library.name):
        sheet, cell = cells.get("name", ("封面", ""))
        found.append(problem("wrong-library", sheet, cell, value=result.library, extra=library.name))
    if str(result.year) != str(year):
        sheet, cell = cells.get("year", ("封面", ""))
        found.append(problem("wrong-year", sheet, cell, value=result.year, extra=year))
    if not found:
        return result
    return dataclasses.replace(result, status=FAILED, output=None, problems=(*found, *result.problems))
