"""Standard output carries a command's results and nothing else, so that --format json can be piped.

While a command runs, whatever is printed (by a library, by LibreOffice, by a worker process) goes to standard
error; the command gives its results to emit(). Under --format json, every outcome is one JSON document:
a refusal or a crash too (error_document).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator

import click

from annual_report.core.errors import ReportError
from annual_report.core.problems import ValidationResult, problem
from annual_report.core.program import program
from annual_report.pipeline.results import FileResult

_streams: list = []  # the real standard output of each command running (innermost last)


@contextlib.contextmanager
def results_only() -> Iterator[None]:
    """Within: standard output (the file descriptor too, where it is one) goes to standard error; emit() gets through."""
    real = sys.stdout
    try:
        descriptor = real.fileno()
    except (AttributeError, OSError, ValueError):  # a test runner's stream
        descriptor = None
    if descriptor != 1:
        sys.stdout = sys.stderr
        _streams.append(real)
        try:
            yield
        finally:
            sys.stdout = real
            _streams.pop()
        return
    real.flush()
    saved = os.dup(1)
    os.dup2(2, 1)  # what anything writes to descriptor 1 (a library in C, a child process) goes to stderr
    stream = os.fdopen(saved, "w", encoding=real.encoding or "utf-8", errors="replace", closefd=False)
    _streams.append(stream)
    try:
        yield
    finally:
        _streams.pop()
        stream.flush()
        real.flush()
        os.dup2(saved, 1)
        os.close(saved)


def emit(text: str) -> None:
    """Print one result to the real standard output."""
    click.echo(text, file=_streams[-1] if _streams else None)


def error_document(error: BaseException, listing: bool, subject: str = "") -> str:
    """The JSON document of a command that could not finish: a validation result (or a folder's list) of one problem.

    listing: the command prints a list of files (validate of a folder); subject: the file or folder it was given.
    """
    if isinstance(error, ReportError):
        found = problem("unreadable", "", value=str(error))
    elif isinstance(error, click.ClickException):
        found = problem("unreadable", "", value=error.format_message())
    else:
        found = problem("internal-error", "", variant="command", value=subject or program())
    if listing:
        return json.dumps([FileResult(subject, problems=(found,)).to_dict()], ensure_ascii=False, indent=2)
    return json.dumps(ValidationResult((found,)).to_dict(), ensure_ascii=False, indent=2)
