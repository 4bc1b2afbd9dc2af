"""Consistency checks beyond the JSON schema: figures that contradict each other, last year or the text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from annual_report.core.problems import YOY_MIN_BASE, YOY_THRESHOLD, Problem, problem
from annual_report.core.schema import Schema
from annual_report.report.context import UNNUMBERED
from annual_report.report.inserts import INSERTS, NAMES, PICTURE, Insert, Source, lookup, split_inserts
from annual_report.workbook.prose import contradictions, stale_years
from annual_report.workbook.read import WorkbookData
from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE, with_senior_total

# (total, parts) within one column of the figures sheet
INDICATOR_PARTS = (
    ("acquisitions", ("acq_purchase", "acq_recommended", "acq_local", "acq_donation")),
    ("holdings_total", ("holdings_print", "holdings_digital")),
    ("activities", ("online_activities",)),
    ("activity_participants", ("online_participants",)),
)
TITLE_KEYS = tuple(key for key, _ in STAFF_BY_TITLE)
EDUCATION_KEYS = tuple(key for key, _ in STAFF_BY_EDUCATION)
DUPLICATE_KEYS = {"organisation": None, "party_branch": ("role", "name")}  # None: the whole row
Check = Callable[[WorkbookData, Schema], Iterator[Problem]]


def run_all(book: WorkbookData, schema: Schema, rejected: set[tuple] = frozenset()) -> list[Problem]:
    """Every consistency problem, on the data without the values the schema rejected (already reported)."""
    clean = WorkbookData(book.path, _without(book.data, rejected), book.cells, [], book.settled | set(rejected))
    return [found for check in CHECKS for found in check(clean, schema)]


def _without(data, rejected: set[tuple], path: tuple = ()):
    """A copy of the data leaving out every value at a rejected path."""
    if isinstance(data, dict):
        return {k: _without(v, rejected, (*path, k)) for k, v in data.items() if (*path, k) not in rejected}
    if isinstance(data, list):
        return [_without(v, rejected, (*path, i)) for i, v in enumerate(data) if (*path, i) not in rejected]
    return data


def number(data: dict, *path) -> float | None:
    """The number at a path of the data, or None when absent or not a number."""
    value = data
    for step in path:
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _cells(book: WorkbookData, *paths: tuple) -> tuple[str, str, str]:
    """The first path's sheet and cell, and every path's 工作表!单元格 joined for a message."""
    located = [book.where(path) for path in paths]
    return located[0][0], located[0][1], ", ".join(f"{sheet}!{cell}" for sheet, cell in located)


def _show(value: float) -> str:
    """A number as the workbook holds it, in plain digits (1234567, 12.345; never 1.23457e+06)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:f}".rstrip("0").rstrip(".")
    return str(int(value))


def check_indicator_parts(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """Parts of a figure (acquisitions by channel, holdings by medium) cannot exceed its total."""
    figures = book.data.get("indicators", {})
    part = schema.part("indicators")
    for total_key, part_keys in INDICATOR_PARTS:
        for column, column_name in (("current", "本年"), ("previous", "上年")):
            total = number(figures, total_key, column)
            given = [(key, number(figures, key, column)) for key in part_keys]
            given = [(key, value) for key, value in given if value is not None]
            if total is None or not given or sum(v for _, v in given) <= total:
                continue
            sheet, cell, where = _cells(
                book, ("indicators", total_key, column), *(("indicators", key, column) for key, _ in given)
            )
            labels = "、".join(part.field(key).label.removeprefix("其中：") for key, _ in given)
            yield problem(
                "parts-exceed-total", sheet, cell, f"indicators.{total_key}.{column}", where=where,
                column=column_name, parts=labels, value=_show(sum(v for _, v in given)),
                label=part.field(total_key).label, total=_show(total),
            )  # fmt: skip


def check_staff(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """Staff by title, by education and 在职人数 must agree; 正高 + 副高 must make 高级."""
    staff = book.data.get("staff", {})
    part = schema.part("staff")
    full, associate = number(staff, "title_senior_full"), number(staff, "title_senior_associate")
    senior = number(staff, "title_senior")
    if senior is not None and (full is not None or associate is not None) and (full or 0) + (associate or 0) != senior:
        sheet, cell, where = _cells(
            book, ("staff", "title_senior"), ("staff", "title_senior_full"), ("staff", "title_senior_associate")
        )
        yield problem(
            "staff-mismatch", sheet, cell, "staff.title_senior", where=where, variant="senior",
            senior=_show(senior), full=_show(full or 0), associate=_show(associate or 0),
        )  # fmt: skip
    counts = with_senior_total(staff)
    sums = {}
    for name, keys in (("按职称合计", TITLE_KEYS), ("按学历合计", EDUCATION_KEYS)):
        given = [key for key in keys if number(counts, key) is not None]
        if given:
            sums[name] = (sum(counts[key] for key in given), given)
    employed = number(staff, "employed")
    if employed is not None:
        for name, (total, given) in sums.items():
            if total != employed:
                sheet, cell, where = _cells(book, ("staff", "employed"), *(("staff", key) for key in given))
                yield problem(
                    "staff-mismatch", sheet, cell, "staff.employed", where=where,
                    variant="fewer" if employed < total else "more",
                    label=part.field("employed").label, value=_show(employed), breakdown=name, total=_show(total),
                )  # fmt: skip
    elif len(sums) == 2:
        (title_total, title_keys), (education_total, education_keys) = sums.values()
        if title_total != education_total:
            sheet, cell, where = _cells(book, *(("staff", key) for key in (*title_keys, *education_keys)))
            yield problem(
                "staff-mismatch", sheet, cell, "staff", where=where, variant="breakdowns",
                titles=_show(title_total), education=_show(education_total),
            )  # fmt: skip


def check_loans_and_visits(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """More borrowers than visitors: possible (branches, self-service machines count no visit), worth a look."""
    figures = book.data.get("indicators", {})
    for column, column_name in (("current", "本年"), ("previous", "上年")):
        loans, visits = number(figures, "loans_people", column), number(figures, "visits", column)
        if loans is not None and visits is not None and loans > visits:
            sheet, cell, where = _cells(book, ("indicators", "loans_people", column), ("indicators", "visits", column))
            yield problem(
                "loans-exceed-visits", sheet, cell, f"indicators.loans_people.{column}", where=where,
                column=column_name, loans=_show(loans), visits=_show(visits),
            )  # fmt: skip


def check_network_below_own(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """A 全馆 figure a 总馆 typed includes its own: it cannot be less (the sum is checked with --branches)."""
    figures = book.data.get("indicators", {})
    for item in schema.part("indicators").fields:
        typed, own = number(figures, item.key, "network"), number(figures, item.key, "current")
        if typed is not None and own is not None and typed < own:
            sheet, cell, where = _cells(book, ("indicators", item.key, "network"), ("indicators", item.key, "current"))
            yield problem(
                "network-total-mismatch", sheet, cell, f"indicators.{item.key}.network", where=where,
                variant="below-own", label=item.label, value=_show(typed), extra=_show(own),
            )  # fmt: skip


def check_projects_total(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """The stated project total must equal the sum of the projects."""
    stated = number(book.data.get("budget", {}), "projects_total")
    projects = book.data.get("projects", [])
    amounts = [number(row, "amount") for row in projects]
    if stated is None or not projects or None in amounts:
        return
    total = sum(amounts)
    if abs(total - stated) > 0.005:
        sheet, cell, where = _cells(book, ("budget", "projects_total"), ("projects", 0, "amount"))
        yield problem(
            "projects-total-mismatch", sheet, cell, "budget.projects_total", where=where,
            value=_show(stated), total=f"{total:.2f}",
        )  # fmt: skip


def check_report_date(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """The report is dated in its year or early in the next."""
    cover = book.data.get("cover", {})
    year, date = number(cover, "year"), cover.get("report_date")
    if year is None or not isinstance(date, str):
        return
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return
    if day.year not in (year, year + 1):
        sheet, cell, where = _cells(book, ("cover", "report_date"), ("cover", "year"))
        yield problem("date-out-of-year", sheet, cell, "cover.report_date", where=where, value=date, year=int(year))


def check_duplicate_rows(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """The same department row twice, or the same person in the same post twice."""
    for key, columns in DUPLICATE_KEYS.items():
        seen: dict[tuple, int] = {}
        for index, row in enumerate(book.data.get(key, [])):
            if not isinstance(row, dict):
                continue
            signature = tuple(row.get(column) for column in columns) if columns else tuple(sorted(row.items()))
            if not signature or None in signature:
                continue
            if signature in seen:
                sheet, cell, where = _cells(book, (key, index), (key, seen[signature]))
                shown = "、".join(str(v[1] if columns is None else v) for v in signature)
                yield problem("duplicate-row", sheet, cell, f"{key}.{index}", where=where, value=shown)
            else:
                seen[signature] = index


def check_narrative_rows(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """Headings need a title; each insert must name a known table, chart or picture that has data."""
    source = Source(book.data, schema)
    for index, row in enumerate(book.data.get("narrative", [])):
        if not isinstance(row, dict):
            continue
        if row.get("level") in (1, 2, 3, 4, UNNUMBERED) and not row.get("title"):
            sheet, cell = book.where(("narrative", index, "title"))
            yield problem("heading-no-title", sheet, cell, f"narrative.{index}.title", value=row["level"])
        sheet, cell = book.where(("narrative", index, "insert"))
        for name in split_inserts(row.get("insert")):
            insert = lookup(name, book.data)
            if insert is None and ("pictures",) not in book.settled:
                choices = "、".join(NAMES)
                yield problem("unknown-insert", sheet, cell, f"narrative.{index}.insert", value=name, extra=choices)
            elif insert is not None and insert.needs_branches:  # validate_network drops it when branches are given
                yield problem("insert-needs-branches", sheet, cell, f"narrative.{index}.insert", value=name)
            elif insert is not None and insert.kind != PICTURE and not _has_data(book, insert, source):
                yield problem("insert-no-data", sheet, cell, f"narrative.{index}.insert", value=name)


def _has_data(book: WorkbookData, insert: Insert, source: Source) -> bool:
    """Whether an insert has something to show (a part whose sheet is missing is reported already, so counts)."""
    parts = {pattern.split(".")[0] for pattern in insert.needs}
    return any((part,) in book.settled for part in parts) or insert.build(source) is not None


def check_everything_printed(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """A filled sheet (or picture) that no 在此插入 names would silently be missing from the report."""
    narrative = book.data.get("narrative") or []
    if not narrative:  # reported as required already; nothing could be inserted anywhere
        return
    named = {name for row in narrative if isinstance(row, dict) for name in split_inserts(row.get("insert"))}
    source = Source(book.data, schema)
    by_part: dict[str, list[Insert]] = {}
    for insert in INSERTS:
        for part in dict.fromkeys(pattern.split(".")[0] for pattern in insert.needs):
            by_part.setdefault(part, []).append(insert)
    for key, inserts in by_part.items():
        inserts = [insert for insert in inserts if not insert.needs_branches]
        names = [insert.name for insert in inserts]
        if (key,) in book.settled or named & set(names):
            continue
        if any(insert.build(source) is not None for insert in inserts):
            choices = "、".join(names)
            yield problem(
                "sheet-not-inserted",
                schema.part(key).sheet,
                "",
                key,
                value="这张工作表",
                extra=f"其中一项（{choices}）",
            )
    for index, row in enumerate(book.data.get("pictures", [])):
        if isinstance(row, dict) and row.get("name") and row["name"] not in named:
            sheet, cell = book.where(("pictures", index, "name"))
            yield problem("sheet-not-inserted", sheet, cell, f"pictures.{index}", value=f"图片“{row['name']}”",
                          extra=f"“{row['name']}”")  # fmt: skip


def check_year_on_year(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """A large change from last year, or a figure identical to it, deserves a second look."""
    figures = book.data.get("indicators", {})
    for item in schema.part("indicators").fields:
        current, previous = number(figures, item.key, "current"), number(figures, item.key, "previous")
        if current is None or previous is None or previous < YOY_MIN_BASE:
            continue
        sheet, cell, where = _cells(book, ("indicators", item.key, "current"), ("indicators", item.key, "previous"))
        change = (current - previous) / previous * 100
        if abs(change) > YOY_THRESHOLD:
            yield problem(
                "yoy-change", sheet, cell, f"indicators.{item.key}", label=item.label, where=where,
                extra=f"本年 {_show(current)}，上年 {_show(previous)}，变化 {change:+.1f}%",
            )  # fmt: skip
        elif current == previous:
            yield problem("same-as-last-year", sheet, cell, f"indicators.{item.key}", label=item.label, where=where)


def check_recommended(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """Figures and fields that reports customarily give, left empty."""
    for part in schema.parts:
        if part.layout == "table" or (part.key,) in book.settled:
            continue
        values = book.data.get(part.key, {})
        for item in part.fields:
            path = (part.key, item.key, "current") if part.layout == "indicators" else (part.key, item.key)
            if item.recommended and path not in book.settled and _missing(values, path[1:]):
                sheet, cell = book.where(path)
                if cell:
                    yield problem("recommended-empty", sheet, cell, ".".join(path), label=item.label)


def _missing(values: dict, path: tuple) -> bool:
    for step in path:
        if not isinstance(values, dict) or step not in values:
            return True
        values = values[step]
    return False


def check_narrative_years(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """Years in the text other than the report year and its neighbours, not history: often left from an old report.

    In a plan section (next year's plan), the year after next is expected too.
    """
    for found in stale_years(book.data):
        sheet, cell = book.where(("narrative", found.row, found.column))
        yield problem(
            "stale-year", sheet, cell, f"narrative.{found.row}.{found.column}",
            value="、".join(map(str, found.years)), extra=found.clause, year=int(number(book.data["cover"], "year")),
        )  # fmt: skip


def check_text_against_figures(book: WorkbookData, schema: Schema) -> Iterator[Problem]:
    """A figure the text states ("馆外共建设图书服务点92个") must agree with the figures sheet."""
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    for found in contradictions(book.data, schema):
        quote = found.quote
        key, which = quote.mention.key, quote.which
        sheet, cell, where = _cells(book, ("narrative", quote.row, quote.column), ("indicators", key, which))
        column_name = "本年" if which == "current" else "上年"
        yield problem(
            "text-contradicts-figure", sheet, cell, f"narrative.{quote.row}.{quote.column}", label=labels[key],
            where=where, extra=f"正文写“{quote.excerpt()}”，数据表{column_name}填的是 {_show(found.figure)}",
        )  # fmt: skip


CHECKS: list[Check] = [
    check_indicator_parts,
    check_staff,
    check_loans_and_visits,
    check_network_below_own,
    check_projects_total,
    check_report_date,
    check_duplicate_rows,
    check_narrative_rows,
    check_everything_printed,
    check_year_on_year,
    check_recommended,
    check_narrative_years,
    check_text_against_figures,
]
