"""What a file of a folder gave, as plain values: its status, its problems, its report; read by every reporter."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from annual_report.core.problems import ERROR, Problem, ProblemCounts

UNREADABLE = "unreadable"  # code of the problem that stands for a file that is no workbook
FAILED_UNEXPECTEDLY = "internal-error"
FILE_ABORTED = "file-aborted"  # its worker process died or ran out of time
NOT_A_WORKBOOK = "not-a-workbook"  # code of the problem that stands for a document set aside
OK, FAILED, SKIPPED = "ok", "failed", "skipped"  # skipped: a Word document or a PDF, named but not checked
STATUS_TEXT = {OK: "通过", FAILED: "失败", SKIPPED: "未检查"}
RENDERED_TEXT = {OK: "已生成", FAILED: "失败", SKIPPED: "未检查"}


@dataclass(frozen=True)
class FileResult(ProblemCounts):
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
