"""The work behind the page: uploads checked and rendered in the server's isolated worker processes.

Every workbook is handled by pipeline.pool's worker processes, with the command line's time and
memory limits; each worker keeps its own LibreOffice warm (as the batch does) for the reports'
layout and PDF. At most `capacity` requests are worked on or waiting at once; one more is refused
at once (Busy, a Chinese 503) instead of waiting in a queue nobody sees.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from annual_report.core import limits
from annual_report.core.errors import InputUnreadable, ReportError
from annual_report.core.problems import ValidationResult, problem
from annual_report.core.resources import TEMPLATE_PATH
from annual_report.core.write import report_path
from annual_report.layout.libreoffice import LayoutError, LibreOffice
from annual_report.pipeline.batch import validate_one
from annual_report.pipeline.options import Layout, RenderOptions
from annual_report.pipeline.pool import TIMED_OUT, Lost, Pool
from annual_report.pipeline.results import FAILED, FILE_ABORTED, OK, UNREADABLE, FileResult
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.unpack import find_workbook, is_archive, unpack_workbook
from annual_report.workbook.pictures import pasted_only

RECYCLE_AFTER = 100  # documents a worker (and its LibreOffice) handles before a fresh one takes over


class Busy(Exception):
    """More requests are being worked on than the server takes: the user should try again in a moment."""


class Workers:
    """The pool of worker processes and the bound on the requests that wait for it."""

    def __init__(self, jobs: int, capacity: int, layout: bool, template: Path = TEMPLATE_PATH) -> None:
        self.capacity, self.layout = capacity, layout
        self._pool = Pool(
            _call,
            jobs,
            setup=partial(warm_up, layout, template),
            recycle_after=RECYCLE_AFTER,
            seconds=limits.REQUEST_SECONDS,
            preload=("annual_report.pipeline.single", "annual_report.workbook.validate"),
        )
        self._in_work = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers (and their LibreOffice) before the first request."""
        self._pool.start()

    @property
    def full(self) -> bool:
        with self._lock:
            return self._in_work >= self.capacity

    @property
    def in_work(self) -> int:
        """Requests being worked on or waiting for a worker."""
        with self._lock:
            return self._in_work

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the places of the queue for a request, or raise Busy at once."""
        with self._lock:
            if self._in_work >= self.capacity:
                raise Busy
            self._in_work += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_work -= 1

    def run(self, function: Callable, *arguments):
        """function(worker's state, *arguments) in a worker; raises Lost if the worker died or ran out of time."""
        return self._pool.submit((function, *arguments)).result()

    def map(self, function: Callable, items: list[tuple], lost: Callable[[tuple, Lost], object]) -> list:
        """function for every item's arguments, spread over the workers; an item whose worker was lost gives lost(item, why)."""
        futures = self._pool.map([(function, *item) for item in items])
        results = []
        for item, future in zip(items, futures, strict=True):
            try:
                results.append(future.result())
            except Lost as why:
                results.append(lost(item, why))
        return results

    def close(self) -> None:
        self._pool.close()


def _call(state, function: Callable, *arguments):
    """What a worker runs: the function named in the task, with the worker's state first."""
    return function(state, *arguments)


class Warm:
    """A worker's state: the Word template of every report and its LibreOffice, started once (None without layout)."""

    def __init__(self, layout: bool, template: Path = TEMPLATE_PATH) -> None:
        self.template = template
        self.office = None
        self.broken = False  # its LibreOffice failed
        if layout:
            office = LibreOffice()
            with contextlib.suppress(LayoutError):  # without it, reports come without layout (the page says so)
                office.start()
                self.office = office

    @property
    def group(self) -> int | None:
        """LibreOffice's process group, stopped with the worker."""
        return self.office.group if self.office is not None else None

    @property
    def healthy(self) -> bool:
        """False once LibreOffice has died: the worker is then replaced by a warm one."""
        return self.office is None or (self.office.group is not None and not self.broken)

    def close(self) -> None:
        if self.office is not None:
            self.office.kill() if self.broken else self.office.close()


def warm_up(layout: bool, template: Path = TEMPLATE_PATH) -> Warm:
    """A worker's preparation: its template and, when reports are laid out, its LibreOffice."""
    return Warm(layout, template)


# Tasks (run in a worker) ------------------------------------------------------------------------------


def workbook_of(upload: Path, name: str) -> tuple[Path, Callable]:
    """The workbook an uploaded file is, and which pictures it may use (the one place an upload becomes a workbook).

    A workbook uses only the pictures pasted in it; a .zip of a workbook and its picture folder is unpacked into
    a folder beside the upload (once, within core.limits) and its picture files are its own.
    """
    if not is_archive(upload):
        return upload, pasted_only
    folder = _unpacked(upload)
    if folder.is_dir():  # unpacked when it was checked
        return find_workbook(folder, name), contextlib.nullcontext
    return unpack_workbook(upload, folder, name), contextlib.nullcontext


def _unpacked(upload: Path) -> Path:
    return upload.with_name(f"{upload.name}-unpacked")


def check_upload(_state, path: Path, name: str, strict: bool = False) -> FileResult:
    """Validate one upload as `validate` does; messages name the file, not its path."""
    try:
        workbook, pictures = workbook_of(path, name)
    except InputUnreadable as exc:
        return _named(FileResult(name, problems=(problem(UNREADABLE, "", value=str(exc)),)), path, name)
    with pictures():
        result = validate_one(str(workbook), name, strict)
    return _named(result, path, name)


@dataclass(frozen=True)
class Rendered:
    """A rendered upload: its check and, unless it failed, the report (and PDF) written and its name."""

    result: FileResult
    docx: Path | None = None
    pdf: Path | None = None
    name: str = ""  # <馆名>-<年度>-年报.docx
    laid_out: bool = False
    cover_cells: dict = field(default_factory=dict)  # "name", "year" → (sheet, cell) where the cover gives them


def render_upload(state: Warm | None, path: Path, name: str, folder: Path, pdf: bool, strict: bool = False) -> Rendered:
    """Check and render one upload into folder (report.docx, report.pdf) as `render` does; never raises."""
    office = state.office if state is not None else None
    template = state.template if state is not None else TEMPLATE_PATH
    target = folder / "report.docx"
    try:
        workbook, pictures = workbook_of(path, name)
        with pictures():
            # nothing on the page shows a thumbnail
            plain = RenderOptions(output=target, force=True, strict=strict, template=template)
            laid_out = replace(plain, layout=Layout.REQUIRED, pdf=pdf) if office is not None or pdf else plain
            try:
                outcome = render_workbook(workbook, laid_out, office)
            except (LayoutError, BrokenPipeError):  # a LibreOffice that died gives a broken pipe
                if office is None:
                    raise
                # LibreOffice failed on this one: the report without layout (Word updates its contents), no PDF;
                # the worker is then replaced by one with a fresh LibreOffice
                state.broken = True
                outcome = render_workbook(workbook, plain)
    except ReportError as exc:
        found = problem(UNREADABLE, "", value=str(exc)) if isinstance(exc, InputUnreadable) else None
        failure = "" if found else str(exc)
        return Rendered(_named(FileResult(name, problems=(found,) if found else (), failure=failure), path, name))
    except MemoryError:
        return Rendered(FileResult(name, problems=(problem(FILE_ABORTED, "", variant="memory", value=name),)))
    except Exception as exc:  # a defect of the tool: this upload fails alone, with what to tell support
        found = problem("internal-error", "", value=name, extra=f"{type(exc).__name__}: {exc}")
        return Rendered(FileResult(name, problems=(found,)))
    cover = outcome.cover
    result = FileResult(
        name,
        "" if cover.get("name") is None else str(cover.get("name")),
        cover.get("year"),
        OK if outcome.output else FAILED,
        outcome.result.problems,
        str(outcome.output) if outcome.output else None,
        indicators=outcome.book.data.get("indicators", {}),
    )
    cells = {key: (cell.sheet, cell.ref) for key in ("name", "year") for cell in [outcome.book.where("cover", key)]}
    if outcome.output is None:
        return Rendered(_named(result, path, name), cover_cells=cells)
    report_name = report_path(cover, Path()).name
    return Rendered(_named(result, path, name), outcome.output, outcome.pdf, report_name, outcome.laid_out, cells)


def lost_result(name: str, lost: Lost) -> FileResult:
    """The result of an upload whose worker died, ran out of time or failed."""
    variant = "timeout" if lost.why == TIMED_OUT else "died"
    found = problem(FILE_ABORTED, "", variant=variant, value=name, seconds=limits.REQUEST_SECONDS)
    return FileResult(name, problems=(found,))


def as_validation(result: FileResult) -> ValidationResult:
    """The library's result of a validated upload (what `validate --format json` prints)."""
    return ValidationResult(result.problems)


@contextlib.contextmanager
def scratch_in(folder: Path, prefix: str = "render-") -> Iterator[Path]:
    """A scratch folder inside folder, removed afterwards."""
    scratch = Path(tempfile.mkdtemp(dir=folder, prefix=prefix))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _named(result: FileResult, path: Path, name: str) -> FileResult:
    """The result with every message naming the upload by its own name instead of the server's paths."""

    def public(text: str) -> str:
        return text.replace(str(_unpacked(path)), name).replace(str(path), name)

    problems = tuple(replace(p, message=public(p.message)) for p in result.problems)
    return replace(result, problems=problems, failure=public(result.failure))
