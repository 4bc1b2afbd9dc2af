"""The work behind the page: validate and render uploads through the command line's own functions, in a bounded pool."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from annual_report.core.problems import ValidationResult
from annual_report.core.write import report_path
from annual_report.pipeline.batch import FileResult, validate_one
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import Office, render_report
from annual_report.web.store import Upload
from annual_report.workbook.pictures import pasted_only

T = TypeVar("T")
R = TypeVar("R")


class Busy(Exception):
    """More work is waiting than the pool takes: the user should try again in a moment."""


class Workers:
    """At most `jobs` workbooks processed at once; a request that would make more than `queue` wait is turned away."""

    def __init__(self, jobs: int, queue: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="annual-report")
        self._queue = queue
        self._waiting = 0
        self._lock = threading.Lock()

    def map(self, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """work(item) for every item, in the pool; results in order."""
        with self._lock:
            if self._waiting + len(items) > self._queue:
                raise Busy
            self._waiting += len(items)
        try:
            futures = [self._pool.submit(work, item) for item in items]
            return [future.result() for future in futures]
        finally:
            with self._lock:
                self._waiting -= len(items)

    def run(self, work: Callable[[], R]) -> R:
        """work() in the pool."""
        return self.map(lambda _: work(), [None])[0]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def check_upload(upload: Upload, strict: bool = False) -> FileResult:
    """Validate one upload as `validate` does; only pasted pictures count; messages name the file, not its path."""
    with pasted_only():
        result = validate_one(str(upload.path), upload.name, strict)
    problems = tuple(replace(p, message=upload.public(p.message)) for p in result.problems)
    return replace(result, problems=problems, failure=upload.public(result.failure))


def as_validation(result: FileResult) -> ValidationResult:
    """The library's result of a validated upload (what `validate --format json` prints)."""
    return ValidationResult(result.problems)


@dataclass(frozen=True)
class Rendered:
    """A rendered upload: its problems and, unless they blocked it, the file to download and its name."""

    result: ValidationResult
    data: bytes | None = None
    name: str = ""


def render_upload(upload: Upload, options: RenderOptions, office: Office | None = None) -> Rendered:
    """Render one upload as `render` does, in memory (the .docx, or the PDF when options.pdf); raises ReportError.

    office: a warm LibreOffice (e.g. a layout.pool.OfficePool) to lay the report out on; None starts one.
    """
    with pasted_only():
        report = render_report(upload.path, options, office)
    if report.docx is None:
        return Rendered(report.result)
    data, suffix = (report.pdf, ".pdf") if options.pdf else (report.docx, ".docx")
    return Rendered(report.result, data, report_path(report.cover, Path(), suffix).name)
