"""Many workbooks at once: find them in a folder, validate or render each in parallel, report per file."""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from annual_report.core import limits
from annual_report.core.errors import InputUnreadable, OutputError, ReportError
from annual_report.core.problems import ERROR, Problem, problem
from annual_report.core.scratch import remove_stale
from annual_report.core.write import move_together, report_path
from annual_report.layout.libreoffice import LaidOut, LayoutError, LibreOffice
from annual_report.layout.pool import OfficePool
from annual_report.pipeline.folder import displayable, find_workbooks, set_aside, skip_reason
from annual_report.pipeline.options import Layout, RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.workers import TIMED_OUT, ask_parent, run_isolated
from annual_report.report.render import load_template
from annual_report.workbook import validate
from annual_report.workbook.text import identity

UNREADABLE = "unreadable"  # code of the problem that stands for a file that is no workbook
FAILED_UNEXPECTEDLY = "internal-error"
FILE_ABORTED = "file-aborted"  # its worker process died or ran out of time
NOT_A_WORKBOOK = "not-a-workbook"  # code of the problem that stands for a document set aside
OK, FAILED, SKIPPED = "ok", "failed", "skipped"  # skipped: a Word document or a PDF, named but not checked
STATUS_TEXT = {OK: "通过", FAILED: "失败", SKIPPED: "未检查"}
RENDERED_TEXT = {OK: "已生成", FAILED: "失败", SKIPPED: "未检查"}

Progress = Callable[["FileResult"], None]


@dataclass(frozen=True)
class FileResult:
    """What validating or rendering one workbook of a folder gave: plain values, picklable."""

    file: str  # the path relative to the folder, as the user sees it
    library: str = ""
    year: int | str | None = None
    status: str = FAILED
    problems: tuple[Problem, ...] = ()
    output: str | None = None
    failure: str = ""  # why it failed when no problem of the workbook says so (unreadable, cannot write)
    indicators: dict = field(default_factory=dict, compare=False)  # 主要数据 as read: key → {current, previous, basis}
    modified: float = field(default=0.0, compare=False)  # the workbook's modification time (newer wins in the summary)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def first_problem(self) -> str:
        """The failure, or the first error, or the first problem at all: what to fix first."""
        if self.failure:
            return self.failure
        first = next((p for p in self.problems if p.severity == ERROR), None) or next(iter(self.problems), None)
        return first.message if first else ""

    def to_dict(self) -> dict:
        """The JSON reporter's record of this file."""
        return {
            "file": self.file,
            "library": self.library,
            "year": self.year,
            "status": self.status,
            "valid": self.status == OK,
            "errors": self.errors,
            "warnings": self.warnings,
            "first_problem": self.first_problem,
            "output": self.output,
            "problems": [asdict(p) for p in self.problems],
        }


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
    tasks = [(str(path), _relative(path, folder), strict) for path in paths]
    return _run(validate_one, tasks, jobs, progress)


def render_folder(
    folder: Path | str,
    outputs: Path | str,
    options: RenderOptions,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    office: Callable[[], LibreOffice] = LibreOffice,
) -> list[FileResult]:
    """Render every workbook of a folder into outputs/<library>-<year>-年报.docx, in parallel (options.output unused).

    Each report is rendered into a staging folder first and only then given its final name, so two
    workbooks that would write the same report are both refused instead of overwriting each other.
    Where the reports are laid out, one LibreOffice per worker starts with the batch, and the workers'
    documents share one queue for them: each lays out the next document when it is free.
    office: makes each of those LibreOffice instances (a stand-in in tests).
    """
    folder, outputs = Path(folder), Path(outputs)
    paths = find_workbooks(folder)
    load_template(options.template)  # a broken template stops the batch before any work; forked workers inherit it
    if options.layout is Layout.REQUIRED:
        office().check_installed()  # say what is missing before any work
    try:
        outputs.mkdir(parents=True, exist_ok=True)
        remove_stale(outputs)  # staging folders of a run that was killed
        staging = Path(tempfile.mkdtemp(dir=outputs, prefix=f".tmp-batch-{os.getpid()}-"))
    except OSError as exc:
        raise OutputError(f"无法在 {outputs} 中写文件：{exc.strerror or exc}") from exc
    try:
        tasks = [
            (str(path), _relative(path, folder), replace(options, output=staging / f"{index}.docx", force=True))
            for index, path in enumerate(paths)
        ]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
        pool = _started_pool(jobs, office, options.layout) if options.layout is not Layout.NONE else None
        if pool is None:  # not asked for, or LibreOffice does not start where it was only used if possible
            tasks = [(path, name, replace(task, layout=Layout.NONE, thumbnail=False)) for path, name, task in tasks]
            staged = _run(_render_one, tasks, jobs, progress)
        else:
            # every LibreOffice started with the batch; a worker waits while LibreOffice lays its report out,
            # so the extra workers have the next reports ready when an instance is free
            with pool:
                staged = _run(_render_one, tasks, jobs + max(1, jobs // 2), progress, serve=_serve_layout(pool))
        return _publish(staged, outputs, options.force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _started_pool(size: int, office: Callable[[], LibreOffice], layout: Layout) -> OfficePool | None:
    """The batch's LibreOffice instances, all starting now; None (or LayoutError if required) where none starts."""
    pool = OfficePool(size, office=office)
    try:
        pool.start()
    except LayoutError:
        pool.kill()
        if layout is Layout.REQUIRED:
            raise
        return None
    return pool


def _serve_layout(pool: OfficePool) -> Callable:
    """What a worker's layout request runs in this process: the document on the pool's next free LibreOffice."""

    def lay_out(docx: bytes, pdf: bool, thumbnail: bool) -> LaidOut:
        return pool.lay_out(docx, pdf=pdf, thumbnail=thumbnail)

    return lay_out


class _BatchOffice:
    """A worker's way to the batch's LibreOffice pool, which runs in the parent process."""

    def lay_out(self, docx: bytes, *, pdf: bool = False, thumbnail: bool = False) -> LaidOut:
        return ask_parent(docx, pdf, thumbnail)


def _publish(staged: list[FileResult], outputs: Path, force: bool) -> list[FileResult]:
    """Move staged reports to their final names; refuse every report whose name another one claims.

    Names are compared without invisible characters, spaces or case: 曲阜\u200b图书馆 is 曲阜图书馆.
    """
    claims: dict[str, list[FileResult]] = {}
    for result in staged:
        if result.status == OK:
            target = report_path({"name": result.library, "year": result.year}, outputs)
            claims.setdefault(identity(target.name), []).append(result)
    published = []
    for result in staged:
        if result.status == OK:
            target = report_path({"name": result.library, "year": result.year}, outputs)
            rivals = [other.file for other in claims[identity(target.name)] if other is not result]
            if rivals:
                result = _failed_copy(
                    result,
                    f"与 {'、'.join(rivals)} 的报告同名（{target.name}，馆名和年度相同），两份都未生成："
                    "请检查封面的馆名和年度，或移走其中一个工作簿",
                )
            else:
                result = _move(result, target, force)
        published.append(result)
    return published


def _move(result: FileResult, target: Path, force: bool) -> FileResult:
    staged = Path(result.output)
    parts = sorted(staged.parent.glob(f"{staged.stem}.*"))  # the .docx and any companion (e.g. .pdf)
    try:  # the staging folder is in the output folder: renamed, not copied
        move_together({part: target.with_suffix(part.suffix) for part in parts}, force=force)
    except ReportError as exc:
        return _failed_copy(result, str(exc))
    return FileResult(result.file, result.library, result.year, OK, result.problems, str(target), "", result.indicators)


def _failed_copy(result: FileResult, why: str) -> FileResult:
    return FileResult(result.file, result.library, result.year, FAILED, result.problems, None, why, result.indicators)


def _relative(path: Path, folder: Path) -> str:
    return displayable(path.relative_to(folder).as_posix())


def _run(
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
            results[index] = _unreadable(name, InputUnreadable(f"{name}：{reasons[index]}"))
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
        return _unreadable(name, exc)
    return FileResult(
        name,
        book.text("cover", "name"),
        book.get("cover", "year"),
        FAILED if result.blocks(strict) else OK,
        result.problems,
        indicators=book.data.get("indicators", {}),
        modified=os.stat(path).st_mtime,
    )


def _render_one(path: str, name: str, options: RenderOptions) -> FileResult:
    """Worker: validate, render and (if asked) lay out one workbook into a staging path."""
    office = _BatchOffice() if options.layout is not Layout.NONE else None
    try:
        outcome = render_workbook(path, options, office)
    except LayoutError as exc:  # a layout that was asked for failed: only this file fails
        return FileResult(name, failure=f"{name}：{exc}")
    except Exception as exc:
        return _unreadable(name, exc)
    cover = outcome.cover
    return FileResult(
        name,
        _text(cover.get("name")),
        cover.get("year"),
        OK if outcome.output else FAILED,
        outcome.result.problems,
        str(outcome.output) if outcome.output else None,
        indicators=outcome.book.data.get("indicators", {}),
    )


def _unreadable(name: str, exc: Exception) -> FileResult:
    """A failed result for a file that could not be processed at all, with its Chinese message."""
    if isinstance(exc, ReportError):
        found = problem(UNREADABLE, "", value=str(exc))
    elif isinstance(exc, MemoryError):
        found = problem(FILE_ABORTED, "", variant="memory", value=name)
    else:  # a defect of the tool must not stop the other workbooks
        found = problem(FAILED_UNEXPECTEDLY, "", value=name)
    return FileResult(name, problems=(found,))


def _text(value) -> str:
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
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [
            _pad(text, width, right=index in (3, 4))
            for index, (text, width) in enumerate(zip(row[:-1], widths, strict=True))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in [*widths, _width(header[-1])]))
    lines.append(counts_line(results, rendering))
    return "\n".join(lines)


def counts_line(results: list[FileResult], rendering: bool) -> str:
    """例：共 25 个文件：22 个已生成，3 个失败。"""
    good = sum(1 for r in results if r.status == OK)
    aside = sum(1 for r in results if r.status == SKIPPED)
    done = "已生成" if rendering else "通过"
    documents = f"，{aside} 个不是工作簿（未检查）" if aside else ""
    return f"共 {len(results)} 个文件：{good} 个{done}，{len(results) - good - aside} 个失败{documents}。"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap
