"""Consistency checks beyond the JSON schema: values that contradict each other, last year or the text.

Every check takes the workbook without the values the schema rejected (reported already) and yields problems;
CHECKS lists them all (a test finds any check_ function left out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from annual_report.core.problems import YOY_MIN_BASE, YOY_THRESHOLD, Problem, plain_number, problem
from annual_report.core.schema import Schema
from annual_report.workbook.charts import chart_shape, chart_size, worth_a_chart
from annual_report.workbook.inserts import has_data, insert_names, lookup, picture_names, split_inserts
from annual_report.workbook.model import HEADING_LEVELS, UNNUMBERED, Cell, Workbook
from annual_report.workbook.pictures import PICTURES
from annual_report.workbook.prose import contradictions, stale_years
from annual_report.workbook.staff import EDUCATION_KEYS, TITLE_KEYS, senior_total

# (total, parts) within one column of the indicators sheet
INDICATOR_PARTS = (
    ("acquisitions", ("acq_purchase", "acq_recommended", "acq_local", "acq_donation")),
    ("holdings_total", ("holdings_print", "holdings_digital")),
    ("activities", ("online_activities",)),
    ("activity_participants", ("online_participants",)),
)
YEAR_COLUMNS = ("current", "previous")
DUPLICATE_KEYS = {"organisation": None, "party_branch": ("role", "name")}  # None: the whole row
Check = Callable[[Workbook, Schema], Iterator[Problem]]


def run_all(book: Workbook, schema: Schema) -> list[Problem]:
    """Every consistency problem of a workbook (without the values the schema rejected)."""
    return [found for check in CHECKS for found in check(book, schema)]


def _cells(book: Workbook, *paths: tuple) -> tuple[Cell, str]:
    """The first path's cell, and every path's 工作表!单元格 joined for a message."""
    located = [book.where(*path) for path in paths]
    return located[0], ", ".join(str(cell) for cell in located)


def check_indicator_parts(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """Parts of an indicator (acquisitions by channel, holdings by medium) cannot exceed its total."""
    part = schema.indicators
    for total_key, part_keys in INDICATOR_PARTS:
        for column in YEAR_COLUMNS:
            total = book.number("indicators", total_key, column)
            given = [key for key in part_keys if book.number("indicators", key, column) is not None]
            summed = sum(book.number("indicators", key, column).number for key in given)
            if total is None or not given or summed <= total.number:
                continue
            cell, where = _cells(book, ("indicators", total_key, column), *(("indicators", key, column) for key in given))
            labels = "、".join(part.field(key).label.removeprefix("其中：") for key in given)
            yield problem(
                "parts-exceed-total", cell.sheet, cell.ref, f"indicators.{total_key}.{column}", where=where,
                column=schema.column(column).name, parts=labels, value=plain_number(summed),
                label=part.field(total_key).label, total=plain_number(total.number),
            )  # fmt: skip


def check_staff(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """Staff by title, by education and 在职人数 must agree; 正高 + 副高 must make 高级."""
    staff = {key: found.number for (part, key), found in _form(book, "staff")}
    full, associate, senior = (staff.get(k) for k in ("title_senior_full", "title_senior_associate", "title_senior"))
    if senior is not None and (full is not None or associate is not None) and (full or 0) + (associate or 0) != senior:
        cell, where = _cells(
            book, ("staff", "title_senior"), ("staff", "title_senior_full"), ("staff", "title_senior_associate")
        )
        yield problem(
            "staff-mismatch", cell.sheet, cell.ref, "staff.title_senior", where=where, variant="senior",
            senior=plain_number(senior), full=plain_number(full or 0), associate=plain_number(associate or 0),
        )  # fmt: skip
    counts = staff | ({"title_senior": senior_total(staff)} if senior is None and senior_total(staff) else {})
    sums = {}
    for name, keys in (("按职称合计", TITLE_KEYS), ("按学历合计", EDUCATION_KEYS)):
        given = [key for key in keys if counts.get(key) is not None]
        if given:
            sums[name] = (sum(counts[key] for key in given), given)
    employed = staff.get("employed")
    if employed is not None:
        for name, (total, given) in sums.items():
            if total != employed:
                cell, where = _cells(book, ("staff", "employed"), *(("staff", key) for key in given))
                yield problem(
                    "staff-mismatch", cell.sheet, cell.ref, "staff.employed", where=where,
                    variant="fewer" if employed < total else "more", label=schema.part("staff").field("employed").label,
                    value=plain_number(employed), breakdown=name, total=plain_number(total),
                )  # fmt: skip
    elif len(sums) == 2:
        (title_total, title_keys), (education_total, education_keys) = sums.values()
        if title_total != education_total:
            cell, where = _cells(book, *(("staff", key) for key in (*title_keys, *education_keys)))
            yield problem(
                "staff-mismatch", cell.sheet, cell.ref, "staff", where=where, variant="breakdowns",
                titles=plain_number(title_total), education=plain_number(education_total),
            )  # fmt: skip


def _form(book: Workbook, part: str):
    """The numbers of a form part as ((part, key), value)."""
    return [(path, found) for path, found in book.values.items() if path[0] == part and found.number is not None]


def check_loans_and_visits(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """More borrowers than visitors: possible (branches, self-service machines count no visit), worth a look."""
    for column in YEAR_COLUMNS:
        loans, visits = book.number("indicators", "loans_people", column), book.number("indicators", "visits", column)
        if loans is not None and visits is not None and loans.number > visits.number:
            cell, where = _cells(book, ("indicators", "loans_people", column), ("indicators", "visits", column))
            yield problem(
                "loans-exceed-visits", cell.sheet, cell.ref, f"indicators.loans_people.{column}", where=where,
                column=schema.column(column).name, loans=plain_number(loans.number), visits=plain_number(visits.number),
            )  # fmt: skip


def check_network_below_own(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """A 全馆 figure a 总馆 typed includes its own: it cannot be less (the sum is checked with --branches)."""
    for item in schema.indicators.fields:
        typed, own = book.number("indicators", item.key, "network"), book.number("indicators", item.key, "current")
        if typed is not None and own is not None and typed.number < own.number:
            cell, where = _cells(book, ("indicators", item.key, "network"), ("indicators", item.key, "current"))
            yield problem(
                "network-total-mismatch", cell.sheet, cell.ref, f"indicators.{item.key}.network", where=where,
                variant="below-own", label=item.label, value=plain_number(typed.number), extra=plain_number(own.number),
            )  # fmt: skip


def check_projects_total(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """The stated project total must equal the sum of the projects."""
    stated = book.number("budget", "projects_total")
    amounts = [book.number("projects", index, "amount") for index in book.row_indexes("projects")]
    if stated is None or not amounts or None in amounts:
        return
    total = sum(found.number for found in amounts)
    if abs(total - stated.number) > 0.005:
        cell, where = _cells(book, ("budget", "projects_total"), ("projects", 0, "amount"))
        yield problem(
            "projects-total-mismatch", cell.sheet, cell.ref, "budget.projects_total", where=where,
            value=plain_number(stated.number), total=f"{total:.2f}",
        )  # fmt: skip


def check_report_date(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """The report is dated (its closing prints the date), in its year or early in the next."""
    year, date = book.number("cover", "year"), book.get("cover", "report_date")
    path = ("cover", "report_date")
    if date is None and path in book.cells and path not in book.unusable:
        cell = book.cells[path]
        label = schema.part("cover").field("report_date").label
        yield problem("no-report-date", cell.sheet, cell.ref, "cover.report_date", label=label)
    if year is None or not isinstance(date, str):
        return
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return
    if day.year not in (year.number, year.number + 1):
        cell, where = _cells(book, ("cover", "report_date"), ("cover", "year"))
        yield problem(
            "date-out-of-year", cell.sheet, cell.ref, "cover.report_date", where=where, value=date, year=int(year.number)
        )


def check_duplicate_rows(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """The same department row twice, or the same person in the same post twice."""
    for key, columns in DUPLICATE_KEYS.items():
        seen: dict[tuple, int] = {}
        for index, row in book.table(key):
            values = {name: found.value for name, found in row.items()}
            signature = tuple(values.get(column) for column in columns) if columns else tuple(sorted(values.items()))
            if not signature or None in signature:
                continue
            if signature in seen:
                cell, where = _cells(book, (key, index), (key, seen[signature]))
                shown = "、".join(str(v[1] if columns is None else v) for v in signature)
                yield problem("duplicate-row", cell.sheet, cell.ref, f"{key}.{index}", where=where, value=shown)
            else:
                seen[signature] = index


def check_narrative_rows(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """Headings need a title; each insert must name a known table, chart or picture that has data."""
    for index, row in book.table("narrative"):
        level = row["level"].value if "level" in row else None
        if level in (*HEADING_LEVELS, UNNUMBERED) and "title" not in row:
            cell = book.where("narrative", index, "title")
            yield problem("heading-no-title", cell.sheet, cell.ref, f"narrative.{index}.title", value=level)
        cell = book.where("narrative", index, "insert")
        where = (cell.sheet, cell.ref, f"narrative.{index}.insert")
        for name in split_inserts(book.get("narrative", index, "insert"), picture_names(book)):
            insert = lookup(name, book, schema)
            if insert is None and (PICTURES,) not in book.unusable:
                yield problem("unknown-insert", *where, value=name, extra="、".join(insert_names(schema)))
            elif insert is not None and insert.needs_branches:  # validate_network drops it when branches are given
                yield problem("insert-needs-branches", *where, value=name)
            elif insert is not None and not has_data(book, insert):
                yield problem("insert-no-data", *where, value=name)


def check_chart_sizes(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """A chart of one or two numbers (one pair of bars) says no more than a sentence: the report prints that."""
    for index in book.row_indexes("narrative"):
        cell = book.where("narrative", index, "insert")
        for name in split_inserts(book.get("narrative", index, "insert")):
            insert = lookup(name, book, schema)
            readable = insert is not None and not any((part,) in book.unusable for part in insert.parts)
            shape = chart_shape(insert, book, schema) if readable and has_data(book, insert) else None
            if shape and shape[0] and not worth_a_chart(*shape):  # no category at all is insert-no-data
                yield problem("chart-too-small", cell.sheet, cell.ref, f"narrative.{index}.insert", value=name,
                              extra=chart_size(*shape))  # fmt: skip


def check_everything_printed(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """A filled sheet (or picture) that no 在此插入 names would silently be missing from the report."""
    if not book.rows.get("narrative"):  # reported as required already; nothing could be inserted anywhere
        return
    pictures = picture_names(book)
    named = {
        name for index in book.row_indexes("narrative") for name in split_inserts(book.get("narrative", index, "insert"), pictures)
    }
    by_part: dict[str, list] = {}
    for insert in schema.inserts:
        if not insert.needs_branches:
            for part in insert.parts:
                by_part.setdefault(part, []).append(insert)
    for key, inserts in by_part.items():
        names = [insert.name for insert in inserts]
        if (key,) in book.unusable or named & set(names):
            continue
        if any(has_data(book, insert) for insert in inserts):
            sheet = schema.part(key).sheet
            yield problem("sheet-not-inserted", sheet, "", key, value="这张工作表", extra=f"其中一项（{'、'.join(names)}）")
    for index in book.row_indexes(PICTURES):
        name = book.get(PICTURES, index, "name")
        if name and name not in named:
            cell = book.where(PICTURES, index, "name")
            yield problem("sheet-not-inserted", cell.sheet, cell.ref, f"{PICTURES}.{index}", value=f"图片“{name}”",
                          extra=f"“{name}”")  # fmt: skip


def check_year_on_year(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """A large change from last year, or an indicator identical to it, deserves a second look."""
    for item in schema.indicators.fields:
        current, previous = book.number("indicators", item.key, "current"), book.number("indicators", item.key, "previous")
        if current is None or previous is None or previous.number < YOY_MIN_BASE:
            continue
        cell, where = _cells(book, ("indicators", item.key, "current"), ("indicators", item.key, "previous"))
        change = (current.number - previous.number) / previous.number * 100
        if abs(change) > YOY_THRESHOLD:
            yield problem(
                "yoy-change", cell.sheet, cell.ref, f"indicators.{item.key}", label=item.label, where=where,
                extra=f"本年 {plain_number(current.number)}，上年 {plain_number(previous.number)}，变化 {change:+.1f}%",
            )  # fmt: skip
        elif current.number == previous.number:
            yield problem("same-as-last-year", cell.sheet, cell.ref, f"indicators.{item.key}", label=item.label, where=where)


def check_recommended(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """Indicators and fields that reports customarily give, left empty."""
    for part in schema.parts:
        if part.layout == "table" or (part.key,) in book.unusable:
            continue
        for item in part.fields:
            path = (part.key, item.key, "current") if part.layout == "indicators" else (part.key, item.key)
            if item.recommended and path not in book.unusable and book.value(*path) is None and path in book.cells:
                cell = book.cells[path]
                yield problem("recommended-empty", cell.sheet, cell.ref, ".".join(path), label=item.label)


def check_narrative_years(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """Years in the text other than the report year and its neighbours, not history: often left from an old report.

    In a plan section (next year's plan), the year after next is expected too.
    """
    for found in stale_years(book.data):
        cell = book.where("narrative", found.row, found.column)
        yield problem(
            "stale-year", cell.sheet, cell.ref, f"narrative.{found.row}.{found.column}",
            value="、".join(map(str, found.years)), extra=found.clause, year=int(book.number("cover", "year").number),
        )  # fmt: skip


def check_text_against_indicators(book: Workbook, schema: Schema) -> Iterator[Problem]:
    """An indicator the text states ("馆外共建设图书服务点92个") must agree with the indicators sheet."""
    labels = {item.key: item.label for item in schema.indicators.fields}
    for found in contradictions(book.data, schema):
        quote = found.quote
        key, which = quote.mention.key, quote.which
        cell, where = _cells(book, ("narrative", quote.row, quote.column), ("indicators", key, which))
        yield problem(
            "text-contradicts-figure", cell.sheet, cell.ref, f"narrative.{quote.row}.{quote.column}", label=labels[key],
            where=where, extra=f"正文写“{quote.excerpt()}”，数据表{schema.column(which).name}填的是 {plain_number(found.figure)}",
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
    check_chart_sizes,
    check_narrative_years,
    check_text_against_indicators,
]
