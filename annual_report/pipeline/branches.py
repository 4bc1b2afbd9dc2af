"""A 总馆's report over its branches (总分馆): the branch workbooks, checks across the set, 全馆 figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annual_report.core.errors import InputUnreadable
from annual_report.core.problems import Problem, ValidationResult, plain_number, problem
from annual_report.core.schema import CHART, Schema, load_schema
from annual_report.pipeline.folder import find_workbooks, set_aside
from annual_report.report.network import branch_chart, given_this_year
from annual_report.workbook.charts import chart_size, worth_a_chart
from annual_report.workbook.inserts import registered, split_inserts
from annual_report.workbook.model import Workbook
from annual_report.workbook.text import identity
from annual_report.workbook.validate import sorted_problems, validate_workbook


@dataclass(frozen=True)
class Branch:
    """One branch's workbook as read and validated; `file` as the user sees it (relative to the folder)."""

    file: str
    book: Workbook
    result: ValidationResult

    @property
    def name(self) -> str:
        return self.book.text("cover", "name")

    @property
    def year(self):
        return self.book.get("cover", "year")


@dataclass(frozen=True)
class Network:
    """A 总馆's branches in the order the 总馆 lists them, and the problems across the set."""

    branches: tuple[Branch, ...]
    problems: tuple[Problem, ...]


def listed_branches(head: Workbook) -> list[str]:
    """The branch names the 总馆 lists on its cover (所辖分馆, separated by 、，; or line breaks)."""
    return split_inserts(head.text("cover", "branch_names"))


def validate_network(
    workbook: Path | str, folder: Path | str, schema: Schema | None = None
) -> tuple[Workbook, ValidationResult, Network]:
    """Validate a 总馆's workbook together with its branch folder: the 总馆's problems and those of the set."""
    schema = schema or load_schema()
    book, result = validate_workbook(workbook, schema)
    network = read_network(book, folder, schema)
    own = (p for p in result.problems if p.code != "insert-needs-branches")  # the branches are given here
    found = [*own, *network.problems, *check_branch_chart(book, network, schema)]
    return book, ValidationResult(tuple(sorted_problems(found, schema))), network


def check_branch_chart(head: Workbook, network: Network, schema: Schema) -> list[Problem]:
    """The chart by library of a 总馆 with one branch is one pair of bars: the report prints it as a sentence."""
    found = []
    for index in head.row_indexes("narrative"):
        cell = head.where("narrative", index, "insert")
        for name in split_inserts(head.get("narrative", index, "insert")):
            entry = registered(name, schema)
            chart = branch_chart(head, network, schema) if entry and entry.needs_branches and entry.kind == CHART else None
            if chart and not worth_a_chart(len(chart.categories), len(chart.printed)):
                size = chart_size(len(chart.categories), len(chart.printed))
                found.append(problem("chart-too-small", cell.sheet, cell.ref, f"narrative.{index}.insert", value=name,
                                     extra=size))  # fmt: skip
    return found


def read_network(head: Workbook, folder: Path | str, schema: Schema | None = None) -> Network:
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
            book, result = validate_workbook(path, schema, file)
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
    found += check_typed_totals(head, branches, schema)
    return Network(tuple(branches), tuple(found))


def _listed_order(head: Workbook):
    """Sort key of branches: in the order the 总馆 lists them, then the unlisted ones by name."""
    listed = {identity(name): index for index, name in enumerate(listed_branches(head))}
    return lambda branch: (listed.get(identity(branch.name), len(listed)), identity(branch.name))


def check_network(head: Workbook, branches: list[Branch]) -> list[Problem]:
    """Every branch of the 总馆's year, none twice, and the files matching the names the 总馆 lists."""
    found = []
    year = head.get("cover", "year")
    seen: dict[str, Branch] = {}
    head_name = identity(head.text("cover", "name"))
    for branch in branches:
        cell = branch.book.where("cover", "year")
        if branch.year != year:
            found.append(
                problem("branch-other-year", branch.file, cell.ref, where=str(cell), value=branch.year, extra=year)
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
        cell = head.where("cover", "branch_names")
        wanted = {identity(name): name for name in listed}
        for key, branch in seen.items():
            if key not in wanted:
                found.append(problem("branch-not-listed", branch.file, value=branch.name, extra=str(cell)))
        for key, name in wanted.items():
            if key not in seen:
                found.append(problem("branch-missing", cell.sheet, cell.ref, "cover.branch_names", value=name))
    return found


def check_typed_totals(head: Workbook, branches: list[Branch], schema: Schema) -> list[Problem]:
    """A 全馆 number the 总馆 typed must equal 总馆 + branches; the problem names both of the 总馆's cells and
    every branch cell summed. A typed total below the 总馆's own is reported by the workbook's checks.
    """
    found = []
    for item in schema.indicators.fields:
        typed = head.number("indicators", item.key, "network")
        own = head.number("indicators", item.key, "current")
        if typed is None or (own is not None and typed.number < own.number):
            continue
        cell = typed.cell
        parts = given_this_year([head, *(b.book for b in branches)], item) if item.sums_over_network else []
        if not parts:  # no library gave its own number: nothing to check the typed total against
            found.append(
                problem("network-total-mismatch", cell.sheet, cell.ref, f"indicators.{item.key}.network",
                        variant="unchecked", label=item.label, value=plain_number(typed.number))
            )  # fmt: skip
            continue
        summed = sum(part.value for part in parts)
        if abs(typed.number - summed) <= 1e-9 * max(1.0, abs(summed)):
            continue
        given = [(b, value) for b in branches if (value := b.book.number("indicators", item.key, "current"))]
        cells = "、".join(f"{value.cell} 的 {plain_number(value.number)}" for _, value in given)
        own_text = f"总馆本年 {plain_number(own.number)} " if own is not None else "总馆本年（未填）"
        found.append(
            problem(
                "network-total-mismatch", cell.sheet, cell.ref, f"indicators.{item.key}.network",
                where=f"{cell}, {head.where('indicators', item.key, 'current')}", variant="sum", label=item.label,
                value=plain_number(typed.number), extra=plain_number(summed),
                summed=f"{own_text}与填了这一项的 {len(given)} 个分馆（{cells}）" if given else f"{own_text}与各分馆（都没有填这一项）",
            )
        )  # fmt: skip
    return found
