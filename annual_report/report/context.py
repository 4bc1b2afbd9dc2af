"""Build the template's context from validated data: numbers, shares, changes and section numbers."""

from __future__ import annotations

import datetime as dt
import re

from annual_report.core.schema import Schema, load_schema
from annual_report.report.charts import CAPTIONS as CHART_CAPTIONS
from annual_report.report.charts import chart_data
from annual_report.report.numbering import Numberer
from annual_report.report.properties import default_title
from annual_report.workbook.staff import STAFF_BY_EDUCATION, STAFF_BY_TITLE, STAFF_SUMMARY, with_senior_total

# Template variables computed here rather than copied from the schema, and the fields each is made from.
DERIVED_SOURCES = {
    "body": ("narrative.*", "plan.*", "pictures.*"),
    "figure_rows": ("figures.*",),
    "figure_notes": ("figures.*",),
    "staff_by_title": ("staff.title_*", "staff.management"),
    "staff_by_education": ("staff.edu_*",),
    "projects_total": ("projects.amount",),
    "staff_summary": ("staff.authorized", "staff.employed", "staff.professional"),
    "budget_rows": ("budget.*",),
    "cover.date_text": ("cover.report_date",),
    "document_title": ("cover.title", "cover.name", "cover.year"),
}
DERIVED_VARIABLES = frozenset(name for name in DERIVED_SOURCES if "." not in name)

ITEM, UNNUMBERED = "条目", "无编号"  # the 级别 of a numbered list item and of an unnumbered heading (前言, 结语)
HEADING_TRAILING = "。．.，,、；;：:"
CLOSING_MARKS = ("。", "．", ".", "！", "!", "？", "?", "；", ";", "：", ":", "…")

APPROXIMATE = ("约", "余", "多", "约数", "估计", "估算")  # a 口径 that only says the figure is approximate

TABLE_CAPTIONS = {
    "figures_table": "主要业务数据",
    "organisation_table": "组织机构",
    "party_branch_table": "党组织架构",
    "staff_by_title_table": "人员职称结构",
    "staff_by_education_table": "人员学历结构",
    "staff_summary_table": "人员概况",
    "budget_table": "经费概况",
    "projects_table": "经费项目",
    "awards_table": "获奖情况",
}


def build_context(data: dict, schema: Schema | None = None) -> dict:
    """Everything the template places, already formatted as text."""
    schema = schema or load_schema()
    cover = dict(data.get("cover", {}))
    staff = data.get("staff", {})
    projects = data.get("projects", [])
    context = {part.key: data.get(part.key, [] if part.layout == "table" else {}) for part in schema.parts}
    context.update(
        cover=_cover(cover, schema),
        document_title=cover.get("title") or default_title(cover.get("name", ""), cover.get("year", "")),
        body=build_body(data, schema),
        figure_rows=figure_rows(data.get("figures", {}), schema),
        figure_notes=figure_notes(data.get("figures", {}), schema),
        staff_by_title=staff_breakdown(staff, STAFF_BY_TITLE),
        staff_by_education=staff_breakdown(staff, STAFF_BY_EDUCATION),
        organisation=_rows(data, schema, "organisation"),
        party_branch=_rows(data, schema, "party_branch"),
        projects=[
            row | {"amount": format_amount(raw.get("amount"))}
            for raw, row in zip(projects, _rows(data, schema, "projects"), strict=True)
        ],
        projects_total=format_amount(sum(row.get("amount", 0) for row in projects)),
        staff_summary=[
            {"label": item.label, "value": format_number(staff[item.key])}
            for item in schema.part("staff").fields
            if item.key in STAFF_SUMMARY and item.key in staff
        ],
        budget_rows=[
            {"label": item.label.removesuffix("（万元）"), "amount": format_amount(data["budget"][item.key])}
            for item in schema.part("budget").fields
            if item.key in data.get("budget", {})
        ],
        awards=[row | {"date": format_month(row["date"])} for row in _rows(data, schema, "awards")],
    )
    return context


def build_body(data: dict, schema: Schema) -> list[dict]:
    """The narrative as a flat list of blocks (heading, paragraph, table, figure), headings numbered.

    A figure block names what finish.py draws in its place: "chart:<kind>" or "picture:<row index>".
    """
    numberer = Numberer()
    blocks: list[dict] = []
    tables = figures = 0
    pictures = {row.get("name"): index for index, row in enumerate(data.get("pictures", []))}
    labels = figure_labels(schema)
    for row in data.get("narrative", []):
        level = row.get("level")
        blocks += row_blocks(row, numberer)
        for name in split_inserts(row.get("insert", "")):
            insert = schema.inserts.get(name)
            if insert == "plan_items":
                deeper = min(level + 1, 4) if isinstance(level, int) else 1
                for item in data.get("plan", []):
                    blocks.append(_heading(deeper, numberer.next(deeper), item["title"]))
                    blocks += [{"kind": "paragraph", "text": text} for text in paragraphs(item.get("text", ""))]
            elif insert in CHART_CAPTIONS:
                for kind, note in chart_kinds(insert, data, schema):
                    if chart_data(kind, data, labels) is not None:
                        figures += 1
                        caption = f"图{figures} {CHART_CAPTIONS[insert]}{note}"
                        blocks.append({"kind": "figure", "figure": f"chart:{kind}", "caption": caption})
            elif insert:
                tables += 1
                blocks.append({"kind": insert, "caption": f"表{tables} {TABLE_CAPTIONS[insert]}"})
            elif name in pictures:
                figures += 1
                picture = data["pictures"][pictures[name]]
                caption = f"图{figures} {picture.get('caption') or name}"
                blocks.append({"kind": "figure", "figure": f"picture:{pictures[name]}", "caption": caption})
    return blocks


def row_blocks(row: dict, numberer: Numberer) -> list[dict]:
    """The blocks of one 正文 row by its kind (级别): a numbered or unnumbered heading and its paragraphs, a list item
    (条目) as one body paragraph starting with its number, or paragraphs (正文; a title there runs into the text).
    """
    level, title, lines = row.get("level"), row.get("title", ""), paragraphs(row.get("text", ""))
    blocks = []
    if isinstance(level, int):
        blocks.append(_heading(level, numberer.next(level), heading_title(title)))
    elif level == UNNUMBERED:
        numberer.unnumbered()
        blocks.append(_heading(1, "", heading_title(title)) | {"unnumbered": True})
    elif (level == ITEM and (title or lines)) or title:
        number = numberer.item() if level == ITEM else ""
        lead = f"{number}{run_in(title, bool(lines))}"
        lines = [lead + (lines[0] if lines else ""), *lines[1:]]
    return blocks + [{"kind": "paragraph", "text": text} for text in lines]


def heading_title(title: str) -> str:
    """A heading's title without the full stop or colon typed at its end (the number and style mark it already)."""
    return title.rstrip().rstrip(HEADING_TRAILING).rstrip()


def run_in(title: str, followed: bool) -> str:
    """A title that runs into its paragraph: closed with 。 when text follows and it has no closing mark."""
    title = title.strip()
    if title and followed and not title.endswith(CLOSING_MARKS):
        return f"{title}。"
    return title


def split_inserts(text) -> list[str]:
    """The items a 在此插入 cell names: one, or several separated by 、，, ; or line breaks."""
    if not isinstance(text, str):
        return []
    return [item.strip() for item in re.split(r"[、，,;；\n]+", text) if item.strip()]


def chart_kinds(insert: str, data: dict, schema: Schema) -> list[tuple[str, str]]:
    """The charts an insert draws, with a caption note: the key-figures chart one per unit, never two on one axis."""
    if insert != "figures_chart":
        return [(insert, "")]
    by_unit: dict[str, list[str]] = {}
    for item in schema.part("figures").fields:
        pair = data.get("figures", {}).get(item.key, {})
        if pair.get("current") is not None and pair.get("previous") is not None:
            by_unit.setdefault(item.unit, []).append(item.key)
    return [(f"{insert}:{','.join(keys)}", f"（单位：{unit}）") for unit, keys in by_unit.items()]


def figure_labels(schema: Schema) -> dict[str, str]:
    """Short labels of the key figures, for chart categories."""
    return {item.key: item.label.removeprefix("其中：") for item in schema.part("figures").fields}


def _heading(level: int, number: str, title: str) -> dict:
    return {"kind": "heading", "level": level, "number": number, "title": title, "text": f"{number}{title}"}


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a cell's text: one per non-empty line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def figure_rows(figures: dict, schema: Schema) -> list[dict]:
    """The key-figures table: one row per figure given for this year, with last year and the change."""
    rows = []
    for item in schema.part("figures").fields:
        pair = figures.get(item.key, {})
        current, previous = pair.get("current"), pair.get("previous")
        if current is None:
            continue
        rows.append(
            {
                "label": item.label,
                "unit": item.unit,
                "current": format_number(current),
                "previous": format_number(previous),
                "change": format_change(yoy_change(current, previous)),
            }
        )
    return rows


def figure_notes(figures: dict, schema: Schema) -> str:
    """The note under the key-figures table: the 口径 of each figure printed that has one ("进馆人次：截至10月")."""
    notes = []
    for item in schema.part("figures").fields:
        pair = figures.get(item.key, {})
        if pair.get("current") is not None and pair.get("basis"):
            basis = pair["basis"].strip()
            notes.append(f"{item.label}为约数" if basis in APPROXIMATE else f"{item.label}：{basis}")
    return f"注：{'；'.join(notes)}。" if notes else ""


def staff_breakdown(staff: dict, categories: tuple[tuple[str, str], ...]) -> dict:
    """Rows of a staff table (categories given in the workbook) and their total."""
    counts = with_senior_total(staff)
    rows = [{"label": label, "count": str(counts[key])} for key, label in categories if key in counts]
    total = sum(counts[key] for key, _ in categories if key in counts)
    return {"rows": rows, "total": str(total)}


def yoy_change(current: float | None, previous: float | None) -> float | None:
    """Year-on-year change in percent, or None when last year is unknown or zero."""
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


def format_number(value: float | None) -> str:
    """A count or amount as the report prints it; a dash when unknown."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(int(value))


def format_amount(value: float | None) -> str:
    """An amount in 万元 with two decimals."""
    return "—" if value is None else f"{value:.2f}"


def format_change(change: float | None) -> str:
    """A change in percent with its sign, e.g. +12.5% or -62.7%."""
    return "—" if change is None else f"{change:+.1f}%"


def format_date(value: str | None) -> str:
    """An ISO date as 2020年12月31日."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日"


def format_month(value: str | None) -> str:
    """An ISO date as 2020年10月."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月"


def _cover(cover: dict, schema: Schema) -> dict:
    keys = [item.key for item in schema.part("cover").fields]
    return {key: _text(cover.get(key)) for key in keys} | {"date_text": format_date(cover.get("report_date"))}


def _rows(data: dict, schema: Schema, key: str) -> list[dict]:
    """A table part's rows with every field present, numbers as text and absent values empty."""
    keys = [item.key for item in schema.part(key).fields]
    return [{k: _text(row.get(k)) for k in keys} for row in data.get(key, [])]


def _text(value) -> str:
    if value is None:
        return ""
    return format_number(value) if isinstance(value, (int, float)) else str(value)
