"""Many workbooks at once: find them in a folder, run each in its own worker, report per file; validate a folder.

Rendering a folder (which needs the template and LibreOffice) is in batch_render."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from annual_report.core import limits
from annual_report.core.errors import InputUnreadable, ReportError
from annual_report.core.problems import problem
from annual_report.core.width import display_width, pad
from annual_report.pipeline.folder import displayable, find_workbooks, set_aside, skip_reason
from annual_report.pipeline.results import (
    FAILED,
    FAILED_UNEXPECTEDLY,
    FILE_ABORTED,
    NOT_A_WORKBOOK,
    OK,
    RENDERED_TEXT,
    SKIPPED,
    STATUS_TEXT,
    UNREADABLE,
    FileResult,
)
from annual_report.pipeline.workers import TIMED_OUT, run_isolated
from annual_report.workbook import validate

Progress = Callable[["FileResult"], None]


def validate_folder(
    folder: Path | str,
    *,
    jobs: int | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    exclude: Iterable[Path | str] = (),
) -> list[FileResult]:
    """Validate every workbook of a folder (but those in exclude); one result per file, in file order."""
    folder = Path(folder)
    paths = find_workbooks(folder, exclude)
    tasks = [(str(path), relative(path, folder), strict) for path in paths]
    return run_files(validate_one, tasks, jobs, progress)


def relative(path: Path, folder: Path) -> str:
    return displayable(path.relative_to(folder).as_posix())


def run_files(
    work: Callable, tasks: list[tuple], jobs: int | None, progress: Progress | None, serve: Callable | None = None
) -> list[FileResult]:
    """Run work(*task) for every task in worker processes; results in task order.

    Each file is isolated: a file that cannot be processed at all (a symbolic-link loop, a pipe), or
    whose worker dies or passes the time limit, fails alone with its message; the others go on.
    """
    results: list[FileResult | None] = [None] * len(tasks)
    reasons = [skip_reason(Path(task[0])) for task in tasks]
    aside = [None if reason else set_aside(Path(task[0])) for task, reason in zip(tasks, reasons, strict=True)]
    runnable = [index for index in range(len(tasks)) if not reasons[index] and not aside[index]]
    for index in (index for index in range(len(tasks)) if reasons[index] or aside[index]):
        name = tasks[index][1]
        if reasons[index]:
            results[index] = unreadable(name, InputUnreadable(f"{name}：{reasons[index]}"))
        else:
            found = problem(NOT_A_WORKBOOK, "", value=f"{name} {aside[index]}")
            results[index] = FileResult(name, status=SKIPPED, problems=(found,))
        if progress:
            progress(results[index])
    jobs = max(1, jobs or os.cpu_count() or 1)
    finished = run_isolated(work, [tasks[i] for i in runnable], jobs, _lost, progress, serve)
    for index, result in zip(runnable, finished, strict=True):
        results[index] = result
    return results


def _lost(task: tuple, why: str) -> FileResult:
    """The result of a file whose worker died or ran out of time."""
    name = task[1]
    variant = "timeout" if why == TIMED_OUT else "died"
    return FileResult(
        name, problems=(problem(FILE_ABORTED, "", variant=variant, value=name, seconds=limits.FILE_SECONDS),)
    )


def validate_one(path: str, name: str, strict: bool) -> FileResult:
    """Validate one workbook (a worker of validate_folder, and the web page); a file that is no workbook fails."""
    try:
        book, result = validate.validate_workbook(path)  # looked up here: tests stand in for it
    except Exception as exc:
        return unreadable(name, exc)
    return FileResult(
        name,
        book.text("cover", "name"),
        book.get("cover", "year"),
        FAILED if result.blocks(strict) else OK,
        result.problems,
        indicators=book.data.get("indicators", {}),
        modified=os.stat(path).st_mtime,
    )


def unreadable(name: str, exc: Exception) -> FileResult:
    """A failed result for a file that could not be processed at all, with its Chinese message."""
    if isinstance(exc, ReportError):
        found = problem(UNREADABLE, "", value=str(exc))
    elif isinstance(exc, MemoryError):
        found = problem(FILE_ABORTED, "", variant="memory", value=name)
    else:  # a defect of the tool must not stop the other workbooks
        found = problem(FAILED_UNEXPECTEDLY, "", value=name)
    return FileResult(name, problems=(found,))


def text_or_blank(value) -> str:
    return "" if value is None else str(value)


# Reporters -------------------------------------------------------------------------------------------


def as_table(results: list[FileResult], rendering: bool) -> str:
    """The per-file summary table, columns aligned for Chinese text, and a closing count."""
    status_text = RENDERED_TEXT if rendering else STATUS_TEXT
    header = ("文件", "图书馆", "状态", "错误", "警告", "输出/首个问题")
    rows = [
        (
            r.file,
            r.library or "—",
            status_text[r.status],
            str(r.errors),
            str(r.warnings),
            r.output if rendering and r.status == OK else r.first_problem,
        )
        for r in results
    ]
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [
            pad(text, width, right=index in (3, 4))
            for index, (text, width) in enumerate(zip(row[:-1], widths, strict=True))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in [*widths, display_width(header[-1])]))
    lines.append(counts_line(results, rendering))
    return "\n".join(lines)


def counts_line(results: list[FileResult], rendering: bool) -> str:
    """例：共 25 个文件：22 个已生成，3 个失败。"""
    good = sum(1 for r in results if r.status == OK)
    aside = sum(1 for r in results if r.status == SKIPPED)
    done = "已生成" if rendering else "通过"
    documents = f"，{aside} 个不是工作簿（未检查）" if aside else ""
    return f"共 {len(results)} 个文件：{good} 个{done}，{len(results) - good - aside} 个失败{documents}。"
