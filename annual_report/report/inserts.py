"""The one registry of what 在此插入 can name: tables, charts, the plan, and the 图片 sheet's pictures by name.

Each entry says its name, the template block that places it, the fields it shows and how its data is
built. The workbook's choices, the context, the finisher, the template check, the checks and README's
list all derive from it: adding a table is its fields in schema.json, one entry and builder here, and
one block in the Word template.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from annual_report.core.schema import Schema
from annual_report.report.charts import comparison_chart, staff_chart
from annual_report.report.formatting import (
    format_amount,
    format_change,
    format_month,
    format_number,
    table_rows,
    yoy_change,
)
from annual_report.report.network import branch_chart, branch_rows, network_indicator
from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE, STAFF_SUMMARY, with_senior_total

TABLE, CHART, PLAN, PICTURE = "table", "chart", "plan", "picture"
FIGURE_BLOCK = "figure"  # the template's block for every chart and picture
PICTURES = "pictures"  # the part whose rows are pictures, each insertable by its name
KIND_LABELS = {TABLE: "表格", CHART: "图表", PLAN: "标题和段落"}
APPROXIMATE = ("约", "余", "多", "约数", "估计", "估算")  # a 口径 that only says the figure is approximate


@dataclass(frozen=True)
class Source:
    """What inserts are built from: the validated data, the schema and the pictures read from the workbook."""

    data: dict
    schema: Schema
    images: Mapping[tuple, bytes] = field(default_factory=dict)  # (part, row) → picture bytes
    network: object | None = None  # a 总馆's branches (pipeline.branches.Network), when --branches gives them


@dataclass(frozen=True)
class Insert:
    """One thing a 在此插入 cell can name."""

    name: str  # as the librarian writes it
    kind: str  # TABLE, CHART, PLAN or PICTURE
    block: str  # the template block placing it: a table's own key, FIGURE_BLOCK, or "" (the plan's headings)
    caption: str  # printed after 表N / 图N
    needs: tuple[str, ...]  # the fields it shows, as part.field patterns
    build: Callable[[Source], object | None]  # its data (table rows, ChartData, bytes, plan items); None: nothing
    about: str = ""  # what it shows, for README's list (default: the labels of the fields it needs)
    needs_branches: bool = False  # built from the branch workbooks (render --branches), not from this workbook


def printed_indicators(data: dict, schema: Schema) -> list:
    """The figures the key-figures table prints a row for: given for this year, or with a 全馆 figure typed."""
    figures = data.get("indicators", {})
    return [
        item
        for item in schema.part("indicators").fields
        if any(figures.get(item.key, {}).get(column) is not None for column in ("current", "network"))
    ]


def _indicators_table(source: Source) -> dict | None:
    """One row per figure given for this year, with its 全馆 figure, last year and the change."""
    figures = source.data.get("indicators", {})
    rows = []
    for item in printed_indicators(source.data, source.schema):
        pair = figures[item.key]
        current, previous = pair.get("current"), pair.get("previous")
        whole = network_indicator(source, item.key)
        rows.append(
            {
                "label": item.label,
                "unit": item.unit,
                "current": format_number(current),
                "network": "" if whole is None else format_number(whole),
                "previous": format_number(previous),
                "change": format_change(yoy_change(current, previous)),
            }
        )
    return {"rows": rows, "notes": indicator_notes(figures, source.schema)} if rows else None


def indicator_notes(figures: dict, schema: Schema) -> str:
    """The note under the key-figures table: the 口径 of each figure printed that has one ("进馆人次：截至10月")."""
    notes = []
    for item in schema.part("indicators").fields:
        pair = figures.get(item.key, {})
        if pair.get("current") is not None and pair.get("basis"):
            basis = pair["basis"].strip()
            notes.append(f"{item.label}为约数" if basis in APPROXIMATE else f"{item.label}：{basis}")
    return f"注：{'；'.join(notes)}。" if notes else ""


def _part_table(key: str, **formats: Callable) -> Callable[[Source], dict | None]:
    """The rows of a table part, as text, some columns formatted their own way."""

    def build(source: Source) -> dict | None:
        raw = source.data.get(key, [])
        rows = [
            row | {column: format(original.get(column)) for column, format in formats.items()}
            for original, row in zip(raw, table_rows(source.data, source.schema, key), strict=True)
        ]
        return {"rows": rows} if rows else None

    return build


def _projects_table(source: Source) -> dict | None:
    """The projects with their amounts and the total."""
    table = _part_table("projects", amount=format_amount)(source)
    if table is None:
        return None
    return table | {"total": format_amount(sum(row.get("amount", 0) for row in source.data["projects"]))}


def _staff_table(categories: tuple[tuple[str, str], ...]) -> Callable[[Source], dict | None]:
    """Staff by the categories given in the workbook, and their total."""

    def build(source: Source) -> dict | None:
        counts = with_senior_total(source.data.get("staff", {}))
        given = [(key, label) for key, label in categories if key in counts]
        if not given:
            return None
        rows = [{"label": label, "count": str(counts[key])} for key, label in given]
        return {"rows": rows, "total": str(sum(counts[key] for key, _ in given))}

    return build


def _staff_summary(source: Source) -> dict | None:
    """编制、在职 and 专业技术人员 as given."""
    staff = source.data.get("staff", {})
    rows = [
        {"label": item.label, "value": format_number(staff[item.key])}
        for item in source.schema.part("staff").fields
        if item.key in STAFF_SUMMARY and item.key in staff
    ]
    return {"rows": rows} if rows else None


def _budget_table(source: Source) -> dict | None:
    """The budget's amounts as given."""
    budget = source.data.get("budget", {})
    rows = [
        {"label": item.label.removesuffix("（万元）"), "amount": format_amount(budget[item.key])}
        for item in source.schema.part("budget").fields
        if item.key in budget
    ]
    return {"rows": rows} if rows else None


def _staff_chart(categories: tuple[tuple[str, str], ...]) -> Callable[[Source], object | None]:
    """Staff by the categories given in the workbook, as a column chart."""
    return lambda source: staff_chart(with_senior_total(source.data.get("staff", {})), categories)


def _comparison_chart(unit: str | None = None) -> Callable[[Source], object | None]:
    """This year against last year, for figures of one unit (None: the unit most figures share)."""
    return lambda source: comparison_chart(
        source.data.get("indicators", {}),
        source.schema.part("indicators").fields,
        source.data.get("cover", {}).get("year"),
        unit,
    )


def _plan(source: Source) -> list[dict] | None:
    """Next year's plan items, each a heading and its paragraphs."""
    return source.data.get("plan") or None


_STAFF_TITLES = ("staff.title_*", "staff.management")
_STAFF_EDUCATION = ("staff.edu_*",)

INSERTS: tuple[Insert, ...] = (
    Insert(
        name="主要数据表",
        kind=TABLE,
        block="indicators_table",
        caption="主要业务数据",
        needs=("indicators.*",),
        build=_indicators_table,
        about="各项指标的本年、上年和同比",
    ),
    Insert(
        name="分馆情况表",
        kind=TABLE,
        block="branches_table",
        caption="分馆情况",
        needs=("indicators.*",),
        build=branch_rows,
        about="总馆报告：每个分馆一行（馆名和主要指标的本年数），以及分馆合计；生成时用 --branches 给出分馆工作簿的文件夹",
        needs_branches=True,
    ),
    Insert(
        name="组织机构表",
        kind=TABLE,
        block="organisation_table",
        caption="组织机构",
        needs=("organisation.*",),
        build=_part_table("organisation"),
    ),
    Insert(
        name="党组织表",
        kind=TABLE,
        block="party_branch_table",
        caption="党组织架构",
        needs=("party_branch.*",),
        build=_part_table("party_branch"),
    ),
    Insert(
        name="职称结构表",
        kind=TABLE,
        block="staff_by_title_table",
        caption="人员职称结构",
        needs=_STAFF_TITLES,
        build=_staff_table(STAFF_BY_TITLE),
        about="按职称的人数和合计",
    ),
    Insert(
        name="学历结构表",
        kind=TABLE,
        block="staff_by_education_table",
        caption="人员学历结构",
        needs=_STAFF_EDUCATION,
        build=_staff_table(STAFF_BY_EDUCATION),
        about="按学历的人数和合计",
    ),
    Insert(
        name="人员概况表",
        kind=TABLE,
        block="staff_summary_table",
        caption="人员概况",
        needs=tuple(f"staff.{key}" for key in STAFF_SUMMARY),
        build=_staff_summary,
        about="编制数、在职人数、专业技术人员",
    ),
    Insert(
        name="经费概况表",
        kind=TABLE,
        block="budget_table",
        caption="经费概况",
        needs=("budget.*",),
        build=_budget_table,
        about="收入、支出、购书经费和项目经费合计（万元）",
    ),
    Insert(
        name="经费项目表",
        kind=TABLE,
        block="projects_table",
        caption="经费项目",
        needs=("projects.*",),
        build=_projects_table,
    ),
    Insert(
        name="荣誉表",
        kind=TABLE,
        block="awards_table",
        caption="获奖情况",
        needs=("awards.*",),
        build=_part_table("awards", date=format_month),
    ),
    Insert(
        name="职称结构图",
        kind=CHART,
        block=FIGURE_BLOCK,
        caption="人员职称结构",
        needs=_STAFF_TITLES,
        build=_staff_chart(STAFF_BY_TITLE),
        about="按职称的人数（柱形图）",
    ),
    Insert(
        name="学历结构图",
        kind=CHART,
        block=FIGURE_BLOCK,
        caption="人员学历结构",
        needs=_STAFF_EDUCATION,
        build=_staff_chart(tuple(reversed(STAFF_BY_EDUCATION))),
        about="按学历的人数，学历由低到高（柱形图）",
    ),
    Insert(
        name="主要数据图",
        kind=CHART,
        block=FIGURE_BLOCK,
        caption="主要业务数据本年与上年对比",
        needs=("indicators.*",),
        build=_comparison_chart(),
        about="两年都填了的指标中，单位相同且最多的一组：本年与上年对比（条形图），图注注明单位",
    ),
    Insert(
        name="分馆对比图",
        kind=CHART,
        block=FIGURE_BLOCK,
        caption="总馆与各分馆对比",
        needs=("indicators.*",),
        build=branch_chart,
        about="总馆报告：总馆和每个分馆的一项指标的本年数（条形图），图注写明指标和单位；指标取分馆情况表的指标中"
        "总馆和各分馆都填了的第一项（一般是进馆人次；没有哪一项都填了时，取填了的馆最多的一项，没填的馆不画）；"
        "生成时用 --branches 给出分馆工作簿的文件夹",
        needs_branches=True,
    ),
    Insert(
        name="工作计划",
        kind=PLAN,
        block="",
        caption="",
        needs=("plan.*",),
        build=_plan,
        about="“计划”表的各项，作为下一级标题和段落",
    ),
)
BY_NAME = {entry.name: entry for entry in INSERTS}
NAMES = tuple(BY_NAME)  # the choices the workbook's 在此插入 column offers


def lookup(name: str, data: dict) -> Insert | None:
    """What a 在此插入 name means: a registry entry, else the 图片 row of that name (the last, if several)."""
    if name in BY_NAME:
        return BY_NAME[name]
    named = [i for i, row in enumerate(data.get(PICTURES, [])) if isinstance(row, dict) and row.get("name") == name]
    if not named:
        return None
    index = named[-1]
    caption = data[PICTURES][index].get("caption") or name
    return Insert(
        name, PICTURE, FIGURE_BLOCK, caption, (f"{PICTURES}.*",), lambda source: source.images.get((PICTURES, index))
    )


def split_inserts(text, data: dict | None = None) -> list[str]:
    """The items a 在此插入 cell names: several are separated by 、 or line breaks, as its hint says.

    A comma or semicolon separates too (as people type), but not inside the name of one of the workbook's
    pictures (data: the workbook's data, whose 图片 rows name them), which may hold commas.
    """
    if not isinstance(text, str):
        return []
    rows = (data or {}).get("pictures") or []
    pictures = {row["name"].strip() for row in rows if isinstance(row, dict) and isinstance(row.get("name"), str)}
    items = []
    for piece in (piece.strip() for piece in re.split(r"[、\n]+", text)):
        if piece in pictures:
            items.append(piece)
        elif piece:
            items += [item.strip() for item in re.split(r"[，,;；]+", piece) if item.strip()]
    return items


def block_sources() -> dict[str, tuple[str, ...]]:
    """The fields each of the template's own insert blocks shows (charts, pictures, the plan are in the body)."""
    return {entry.block: entry.needs for entry in INSERTS if entry.block and entry.block != FIGURE_BLOCK}


def body_sources() -> tuple[str, ...]:
    """The fields the body's generic blocks (headings, paragraphs, figures) show for inserts."""
    generic = (entry for entry in INSERTS if entry.block in ("", FIGURE_BLOCK))
    return (*dict.fromkeys(pattern for entry in generic for pattern in entry.needs), f"{PICTURES}.*")


def inserts_table(schema: Schema) -> str:
    """Every insertable name with what it is, shows and takes its data from, as README's Markdown table."""
    lines = ["| 名称 | 插入的是 | 内容 | 数据来自 |", "| --- | --- | --- | --- |"]
    for entry in INSERTS:
        sheets = dict.fromkeys(schema.part(pattern.split(".")[0]).sheet for pattern in entry.needs)
        sheets_text = "、".join(f"“{sheet}”表" for sheet in sheets)
        about = entry.about or "、".join(_labels(entry, schema))
        lines.append(f"| {entry.name} | {KIND_LABELS[entry.kind]} | {about} | {sheets_text} |")
    lines.append(
        f"| “{schema.part(PICTURES).sheet}”表中图片的名称 | 图片 | 那一行粘贴的图片或它的文件，下方印图注 | “{schema.part(PICTURES).sheet}”表 |"
    )
    return "\n".join(lines)


def _labels(entry: Insert, schema: Schema) -> list[str]:
    """The labels of the fields an insert needs, in schema order."""
    found = []
    for pattern in entry.needs:
        part, _, key = pattern.partition(".")
        found += [item.label for item in schema.part(part).fields if fnmatch.fnmatch(item.key, key)]
    return found


def showing(fields, kind: str = TABLE) -> str:
    """The name of the first entry of this kind that shows every one of these part.field names ("" if none)."""
    fields = list(fields)
    for entry in INSERTS:
        if entry.kind == kind and all(any(fnmatch.fnmatch(f, p) for p in entry.needs) for f in fields):
            return entry.name
    return ""
