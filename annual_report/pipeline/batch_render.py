"""Render every workbook of a folder: each in its own worker, laid out on one shared queue of LibreOffice instances."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annual_report.core.errors import OutputError, ReportError
from annual_report.core.messages import message, os_reason
from annual_report.core.scratch import remove_stale
from annual_report.core.write import move_together, report_path
from annual_report.layout.libreoffice import LaidOut, LayoutError, LibreOffice
from annual_report.layout.pool import OfficePool
from annual_report.pipeline.batch import Progress, relative, run_files, text_or_blank, unreadable
from annual_report.pipeline.folder import find_workbooks
from annual_report.pipeline.options import Layout, RenderOptions
from annual_report.pipeline.results import FAILED, OK, FileResult
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.workers import ask_parent
from annual_report.report.render import load_template
from annual_report.workbook.text import identity


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
        raise OutputError(message("output-folder-unwritable", folder=outputs, reason=os_reason(exc))) from exc
    try:
        tasks = [
            (str(path), relative(path, folder), replace(options, output=staging / f"{index}.docx", force=True))
            for index, path in enumerate(paths)
        ]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
        pool = _started_pool(jobs, office, options.layout) if options.layout is not Layout.NONE else None
        if pool is None:  # not asked for, or LibreOffice does not start where it was only used if possible
            tasks = [(path, name, replace(task, layout=Layout.NONE, thumbnail=False)) for path, name, task in tasks]
            staged = run_files(_render_one, tasks, jobs, progress)
        else:
            # every LibreOffice started with the batch; a worker waits while LibreOffice lays its report out,
            # so the extra workers have the next reports ready when an instance is free
            with pool:
                staged = run_files(_render_one, tasks, jobs + max(1, jobs // 2), progress, serve=_serve_layout(pool))
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


def _render_one(path: str, name: str, options: RenderOptions) -> FileResult:
    """Worker: validate, render and (if asked) lay out one workbook into a staging path."""
    office = _BatchOffice() if options.layout is not Layout.NONE else None
    try:
        outcome = render_workbook(path, options, office)
    except LayoutError as exc:  # a layout that was asked for failed: only this file fails
        return FileResult(name, failure=f"{name}：{exc}")
    except Exception as exc:
        return unreadable(name, exc)
    cover = outcome.cover
    return FileResult(
        name,
        text_or_blank(cover.get("name")),
        cover.get("year"),
        OK if outcome.output else FAILED,
        outcome.result.problems,
        str(outcome.output) if outcome.output else None,
        indicators=outcome.book.data.get("indicators", {}),
    )
