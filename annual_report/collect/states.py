"""What the collection knows of a library: its submissions, the office's decisions, and the status they give."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from annual_report.core.problems import Problem, ProblemCounts, restored
from annual_report.pipeline.results import OK, FileResult

NOT_SUBMITTED, HAS_ERRORS, PASSED, CONFIRMED, RETURNED = "未报送", "有错误", "已通过", "已确认", "退回"
STATUSES = (NOT_SUBMITTED, HAS_ERRORS, PASSED, CONFIRMED, RETURNED)
DECISION_TEXT = {"confirmed": CONFIRMED, "returned": RETURNED}


def shown_time(ns: int) -> str:
    """A moment as the page shows it, in the server's local time: 2025-03-01 10:02:03."""
    return datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Library:
    """An expected library: its place in the database, its name as the office's list gives it, its address."""

    id: int
    name: str
    email: str = ""


@dataclass(frozen=True)
class Decision:
    """The office's confirmation or return of one submission, with the comment the library sees."""

    submission_id: int
    decision: str  # confirmed, returned
    comment: str
    decided_ns: int

    @property
    def text(self) -> str:
        return DECISION_TEXT[self.decision]

    @property
    def time(self) -> str:
        return shown_time(self.decided_ns)


@dataclass(frozen=True)
class Submission(ProblemCounts):
    """One upload a library made, as received and checked; its files by SHA-256."""

    id: int
    library_id: int
    received_ns: int
    file_name: str
    workbook_sha256: str
    workbook_size: int
    status: str  # ok, failed (as a folder's results)
    readable: bool
    cover_name: str
    cover_year: str
    problems: tuple[Problem, ...]
    indicators: dict = field(compare=False)
    report_name: str = ""
    report_sha256: str | None = None
    pdf_sha256: str | None = None

    @property
    def time(self) -> str:
        return shown_time(self.received_ns)

    def as_result(self) -> FileResult:
        """The submission as a folder's validation result (what the summary is built from)."""
        year = int(self.cover_year) if self.cover_year.isdigit() else self.cover_year or None
        return FileResult(
            self.file_name,
            self.cover_name,
            year,
            self.status,
            self.problems,
            indicators=self.indicators,
            modified=self.received_ns / 1e9,
        )


def submission_from_row(row: sqlite3.Row) -> Submission:
    """A submission as the database holds it."""
    return Submission(
        row["id"],
        row["library_id"],
        row["received_ns"],
        row["file_name"],
        row["workbook_sha256"],
        row["workbook_size"],
        row["status"],
        bool(row["readable"]),
        row["cover_name"],
        row["cover_year"],
        tuple(restored(record) for record in json.loads(row["problems"])),
        json.loads(row["indicators"]),
        row["report_name"],
        row["report_sha256"],
        row["pdf_sha256"],
    )


@dataclass(frozen=True)
class LibraryState:
    """A library with all its submissions (newest first) and the decisions on each."""

    library: Library
    history: tuple[Submission, ...]
    decisions: dict[int, tuple[Decision, ...]] = field(default_factory=dict)

    @property
    def current(self) -> Submission | None:
        """The last submission the server received."""
        return self.history[0] if self.history else None

    @property
    def decision(self) -> Decision | None:
        """The office's last word on the current submission."""
        found = self.decisions.get(self.current.id, ()) if self.current else ()
        return found[-1] if found else None

    @property
    def status(self) -> str:
        """未报送, 有错误, 已通过, 已确认 or 退回."""
        if self.current is None:
            return NOT_SUBMITTED
        if self.decision is not None:
            return self.decision.text
        return PASSED if self.current.status == OK else HAS_ERRORS

    def decisions_on(self, submission: Submission) -> tuple[Decision, ...]:
        return self.decisions.get(submission.id, ())
