"""A 总馆's report over its branches (总分馆): the branch workbooks, checks across the set, 全馆 figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annual_report.core.errors import InputUnreadable
from annual_report.core.problems import Problem, ValidationResult, problem, sort_key
from annual_report.core.schema import Schema, load_schema
from annual_report.pipeline.batch import find_workbooks
from annual_report.pipeline.folder import set_aside
from annual_report.report.context import split_inserts
from annual_report.report.formatting import format_number
from annual_report.workbook.checks import number
from annual_report.workbook.read import WorkbookData
from annual_report.workbook.text import identity
from annual_report.workbook.validate import validate_workbook

COLUMNS = ("current", "previous")


@dataclass(frozen=True)
class Branch:
    """One branch's workbook as read and validated; `file` as the user sees it (relative to the folder)."""

    file: str
    book: WorkbookData
    result: ValidationResult

    @property
    def name(self) -> str:
        return str(self.book.data.get("cover", {}).get("name", "") or "")

    @property
    def year(self):
        return self.book.data.get("cover", {}).get("year")


@dataclass(frozen=True)
class Network:
    """A 总馆 and its branches: the branches in the order the 总馆 lists them, the problems across the set, and
    全馆 totals."""

    branches: tuple[Branch, ...]
    problems: tuple[Problem, ...]
    totals: dict[str, dict[str, float]]  # figure key → {"current": …, "previous": …}: 总馆 + every branch


def listed_branches(head: WorkbookData) -> list[str]:
    """The branch names the 总馆 lists on its cover (所辖分馆, separated by 、，; or line breaks)."""
    return split_inserts(head.data.get("cover", {}).get("branch_names", ""))


def validate_network(
    workbook: Path | str, folder: Path | str, schema: Schema | None = None
) -> tuple[WorkbookData, ValidationResult, Network]:
    """Validate a 总馆's workbook together with its branch folder: the 总馆's problems and those of the set."""
    schema = schema or load_schema()
    book, result = validate_workbook(workbook, schema)
    network = read_network(book, folder, schema)
    order = ["说明", *schema.sheet_names]
    own = (p for p in result.problems if p.code != "insert-needs-branches")  # the branches are given here
    problems = sorted((*own, *network.problems), key=lambda p: sort_key(p, order))
    return book, ValidationResult(tuple(problems)), network


def read_network(head: WorkbookData, folder: Path | str, schema: Schema | None = None) -> Network:
    """Read and validate every workbook of the branch folder and check the set against the 总馆's workbook."""
    schema = schema or load_schema()
    folder = Path(folder)
    found: list[Problem] = []
    branches: list[Branch] = []
    for path in find_workbooks(folder, exclude=[head.path]):
        file = path.relative_to(folder).as_posix()
        if set_aside(path):  # a Word document or a PDF beside the branches' workbooks
            continue
        try:
            book, result = validate_workbook(path, schema)
        except InputUnreadable as exc:
            found.append(problem("branch-unreadable", file, value=str(exc)))
            continue
        if result.errors:
            first = result.errors[0].message
            found.append(problem("branch-has-errors", file, value=len(result.errors), extra=first, file=path))
        branches.append(Branch(file, book, result))
    if not branches and not found:
        found.append(problem("branch-none", str(folder), value=str(folder)))
    branches.sort(key=_listed_order(head))
    found += check_network(head, branches)
    totals = network_totals(head, branches, schema)
    found += check_typed_totals(head, branches, totals, schema)
    return Network(tuple(branches), tuple(found), totals)


def _listed_order(head: WorkbookData):
    """Sort key of branches: in the order the 总馆 lists them, then the unlisted ones by name."""
    listed = {identity(name): index for index, name in enumerate(listed_branches(head))}
    return lambda branch: (listed.get(identity(branch.name), len(listed)), identity(branch.name))


def check_network(head: WorkbookData, branches: list[Branch]) -> list[Problem]:
    """Every branch of the 总馆's year, none twice, and the files matching the names the 总馆 lists."""
    found = []
    year = head.data.get("cover", {}).get("year")
    seen: dict[str, Branch] = {}
    head_name = identity(str(head.data.get("cover", {}).get("name", "")))
    for branch in branches:
        sheet, cell = branch.book.where(("cover", "year"))
        if branch.year != year:
            found.append(
                problem(
                    "branch-other-year",
                    branch.file,
                    cell,
                    where=f"{branch.file} {sheet}!{cell}",
                    value=branch.year,
                    extra=year,
                )
            )
        key = identity(branch.name)
        if key == head_name:
            found.append(problem("branch-is-head", branch.file, value=branch.name))
        elif key in seen:
            found.append(problem("branch-duplicate", branch.file, value=branch.name, extra=seen[key].file))
        else:
            seen[key] = branch
    listed = listed_branches(head)
    if listed:
        sheet, cell = head.where(("cover", "branch_names"))
        wanted = {identity(name): name for name in listed}
        for key, branch in seen.items():
            if key not in wanted:
                found.append(problem("branch-not-listed", branch.file, value=branch.name, extra=f"{sheet}!{cell}"))
        for key, name in wanted.items():
            if key not in seen:
                found.append(problem("branch-missing", sheet, cell, "cover.branch_names", value=name))
    return found


def network_totals(head: WorkbookData, branches: list[Branch], schema: Schema) -> dict[str, dict[str, float]]:
    """全馆 figures: for each figure that adds up and each year, the 总馆's own plus every branch's, where given.

    Rates of one library (开馆天数, 每周开放时间) and the counts of 总馆 and 分馆 themselves do not add up: their
    pairs in schema.json have no 全馆 value (Field.sums_over_network).
    """
    totals: dict[str, dict[str, float]] = {}
    books = [head, *(b.book for b in branches)]
    for item in schema.part("indicators").fields:
        if not item.sums_over_network:
            continue
        for column in COLUMNS:
            given = [number(book.data, "indicators", item.key, column) for book in books]
            given = [value for value in given if value is not None]
            if given:
                totals.setdefault(item.key, {})[column] = sum(given)
    return totals


def check_typed_totals(
    head: WorkbookData, branches: list[Branch], totals: dict[str, dict[str, float]], schema: Schema
) -> list[Problem]:
    """A 全馆 figure the 总馆 typed must equal 总馆 + branches; the problem names both of the 总馆's cells and
    every branch cell summed. A typed total below the 总馆's own figure is reported by the workbook's checks.
    """
    found = []
    for item in schema.part("indicators").fields:
        typed = number(head.data, "indicators", item.key, "network")
        summed = totals.get(item.key, {}).get("current")
        own = number(head.data, "indicators", item.key, "current")
        if typed is None or (own is not None and typed < own):
            continue
        sheet, cell = head.where(("indicators", item.key, "network"))
        if summed is None:  # no library gave its own figure: nothing to check the typed total against
            found.append(
                problem("network-total-mismatch", sheet, cell, f"indicators.{item.key}.network", variant="unchecked",
                        label=item.label, value=format_number(typed))
            )  # fmt: skip
            continue
        if abs(typed - summed) <= 1e-9 * max(1.0, abs(summed)):
            continue
        given = [(b, number(b.book.data, "indicators", item.key, "current")) for b in branches]
        given = [(b, value) for b, value in given if value is not None]
        cells = "、".join(f"{b.file} {_current_cell(b.book, item.key)} 的 {format_number(v)}" for b, v in given)
        own_text = f"总馆本年 {format_number(own)} " if own is not None else "总馆本年（未填）"
        found.append(
            problem(
                "network-total-mismatch",
                sheet,
                cell,
                f"indicators.{item.key}.network",
                where=f"{sheet}!{cell}, {_current_cell(head, item.key)}",
                variant="sum",
                label=item.label,
                value=format_number(typed),
                extra=format_number(summed),
                summed=f"{own_text}与填了这一项的 {len(given)} 个分馆（{cells}）" if given else f"{own_text}与各分馆（都没有填这一项）",
            )
        )
    return found


def _current_cell(book: WorkbookData, key: str) -> str:
    """Where a workbook holds a figure's 本年, as 工作表!单元格."""
    sheet, cell = book.where(("indicators", key, "current"))
    return f"{sheet}!{cell}"
