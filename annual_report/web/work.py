"""The work behind the page: validate and render uploads through the command line's own functions, in a bounded pool."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from annual_report.core.errors import InputUnreadable
from annual_report.core.problems import ValidationResult, problem
from annual_report.core.write import report_path
from annual_report.pipeline.batch import UNREADABLE, FileResult, validate_one
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.unpack import find_workbook, is_archive, unpack_workbook
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
    """Validate one upload as `validate` does; messages name the file, not its path.

    Only pasted pictures count, unless the upload is a .zip of the workbook and its picture folder.
    """
    try:
        workbook, pictures = _workbook_of(upload)
    except InputUnreadable as exc:
        return FileResult(upload.name, problems=(problem(UNREADABLE, "", value=_public(upload, str(exc))),))
    with pictures():
        result = validate_one(str(workbook), upload.name, strict)
    problems = tuple(replace(p, message=_public(upload, p.message)) for p in result.problems)
    return replace(result, problems=problems, failure=_public(upload, result.failure))


def _workbook_of(upload: Upload) -> tuple[Path, Callable]:
    """The workbook of an upload and what pictures it may use: a .zip is unpacked beside it (once)."""
    if not is_archive(upload.path):
        return upload.path, pasted_only
    folder = _unpacked(upload)
    if folder.is_dir():  # unpacked when it was checked
        return find_workbook(folder, upload.name), nullcontext
    return unpack_workbook(upload.path, folder, upload.name), nullcontext  # its picture files are its own


def _unpacked(upload: Upload) -> Path:
    return upload.path.with_name(f"{upload.path.name}-unpacked")


def _public(upload: Upload, text: str) -> str:
    """A message with the private paths replaced by the uploaded file's name."""
    return upload.public(text.replace(str(_unpacked(upload)), upload.name))


def as_validation(result: FileResult) -> ValidationResult:
    """The library's result of a validated upload (what `validate --format json` prints)."""
    return ValidationResult(result.problems)


@dataclass(frozen=True)
class Rendered:
    """A rendered upload: its problems and, unless they blocked it, the file to download and its name."""

    result: ValidationResult
    data: bytes | None = None
    name: str = ""


def render_upload(
    upload: Upload, *, layout: bool | None, pdf: bool = False, strict: bool = False, template: Path | None = None
) -> Rendered:
    """Render one upload as `render` does, into a scratch folder deleted before returning; raises ReportError."""
    workbook, pictures = _workbook_of(upload)
    scratch = Path(tempfile.mkdtemp(dir=upload.path.parent, prefix="render-"))
    try:
        with pictures():
            outcome = render_workbook(
                workbook, scratch / "report.docx", force=True, strict=strict, layout=layout, pdf=pdf,
                **({"template": template} if template else {}),
            )
        if outcome.output is None:
            return Rendered(outcome.result)
        written = outcome.pdf if pdf else outcome.output
        return Rendered(outcome.result, written.read_bytes(), report_path(outcome.cover, Path(), written.suffix).name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
