"""Tables of a report recognised by their header row and sent to their sheet: 组织机构, 党组织, 人员, 荣誉,
项目, 经费 and 主要数据 (whose 本年 becomes the new workbook's 上年)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annual_report.core.schema import Schema
from annual_report.workbook.inserts import showing

# Header words that name a column, per table part and field: the schema's label first, then usual synonyms.
COLUMNS = {
    "organisation": {
        "department": ("部门", "科室", "部室", "内设机构", "机构名称", "机构"),
        "head": ("负责人", "主任", "部门负责人"),
        "staff": ("人数", "人员数", "编制"),
        "duties": ("主要职责", "职责", "工作职责", "职能"),
    },
    "party_branch": {"role": ("职务", "党内职务"), "name": ("姓名",), "note": ("备注",)},
    "awards": {
        "title": ("荣誉名称", "荣誉", "奖项名称", "获奖名称", "奖项", "名称"),
        "level": ("级别",),
        "issuer": ("授予单位", "颁发单位", "授予部门", "颁奖单位"),
        "date": ("获得时间", "获得日期", "获奖时间", "时间", "日期"),
    },
    "projects": {
        "name": ("项目名称", "项目"),
        "amount": ("金额（万元）", "金额", "经费（万元）", "经费"),
        "status": ("进展", "进度", "状态"),
        "note": ("备注",),
    },
}
REQUIRED = {"organisation": ("department",), "party_branch": ("role", "name"), "awards": ("title",)}
REQUIRED |= {"projects": ("name", "amount")}
STAFF_LABELS = {
    "authorized": ("编制数", "编制", "核定编制"),
    "employed": ("在职人数", "在职人员", "在职职工", "职工总数"),
    "professional": ("专业技术人员",),
    "title_senior_full": ("正高级职称", "正高级", "正高"),
    "title_senior_associate": ("副高级职称", "副高级", "副高"),
    "title_senior": ("高级职称", "高级"),
    "title_intermediate": ("中级职称", "中级"),
    "title_junior": ("初级职称", "初级"),
    "title_none": ("无职称", "未定级"),
    "management": ("管理人员", "管理岗位"),
    "edu_postgraduate": ("研究生", "研究生学历", "硕士研究生", "硕士", "博士", "研究生及以上"),
    "edu_bachelor": ("本科", "本科学历", "大学本科"),
    "edu_college": ("大专", "大专学历", "专科"),
    "edu_secondary": ("中专及以下", "中专", "高中及以下", "中专及以下学历"),
}
BUDGET_LABELS = {
    "income": ("年度总收入", "总收入"),
    "expenditure": ("年度总支出", "总支出"),
    "acquisition_budget": ("购书经费",),
    "projects_total": ("项目经费合计", "项目经费"),
}
TOTAL_WORDS = ("合计", "总计", "小计", "共计")


@dataclass
class Recognised:
    """A table read into one sheet."""

    part: str  # organisation, party_branch, staff, awards, projects, budget or figures
    insert: str  # what the 在此插入 column names to place it again
    rows: list[dict] | None = None  # for table sheets
    values: dict | None = None  # for form sheets (人员, 经费) and 主要数据 (key → last year's value)

    @property
    def size(self) -> int:
        """How many rows or values were taken."""
        return len(self.rows if self.rows is not None else self.values or {})


def recognise(rows: list[list[str]], schema: Schema) -> Recognised | None:
    """The sheet a table's rows belong to, read; None when its header names no table of the workbook."""
    rows = [[_squash(cell) for cell in row] for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return None
    header = rows[0]
    if len(header) == 2 or len(rows) == 2:
        found = _labelled_numbers(rows)
        if found is not None:
            return found
    for part, columns in COLUMNS.items():
        positions = _positions(header, columns)
        if all(key in positions for key in REQUIRED[part]) and (part != "awards" or len(positions) >= 2 or len(header) == 1):
            records = [_record(row, positions, part) for row in rows[1:]]
            records = [r for r in records if r and not _is_total(r)]
            return Recognised(part, showing(f"{part}.{key}" for key in records[0]), rows=records) if records else None
    return _indicators(rows, schema)


def party_lines(lines: list[str]) -> list[dict]:
    """党组织 rows from lines like "书    记：孔德安" (a branch typed as text, not as a table)."""
    found = []
    for line in lines:
        match = re.match(r"^\s*((?:副)?书\s*记|(?:组织|宣传|纪检|青年|统战)?\s*委\s*员)\s*[:：]\s*(\S.{0,20})$", line)
        if match:
            found.append({"role": re.sub(r"\s+", "", match.group(1)), "name": re.sub(r"\s+", "", match.group(2))})
    return found


def _positions(header: list[str], columns: dict) -> dict[str, int]:
    positions: dict[str, int] = {}
    for key, names in columns.items():
        for index, cell in enumerate(header):
            if index not in positions.values() and any(cell == name or cell.startswith(name) for name in names):
                positions[key] = index
                break
    return positions


def _record(row: list[str], positions: dict[str, int], part: str) -> dict:
    record = {}
    for key, index in positions.items():
        value = row[index] if index < len(row) else ""
        if not value or value in ("—", "-", "/"):
            continue
        if key in ("staff",):
            value = _number(value)
            value = int(value) if value is not None else None
        elif key == "amount":
            value = _number(value)
        elif key == "date":
            value = _date(value)
        if value is not None:
            record[key] = value
    return record


def _is_total(record: dict) -> bool:
    first = next(iter(record.values()), "")
    return isinstance(first, str) and first.replace(" ", "") in TOTAL_WORDS


def _indicators(rows: list[list[str]], schema: Schema) -> Recognised | None:
    """The key-figures table (指标 | 单位 | 本年 | 上年 …): each figure's 本年 becomes next year's 上年."""
    header = rows[0]
    if not header or header[0] not in ("指标", "项目", "指标名称") or "本年" not in header:
        return None
    column = header.index("本年")
    by_label = {item.label.removeprefix("其中："): item.key for item in schema.part("indicators").fields}
    values = {}
    for row in rows[1:]:
        key = by_label.get(row[0].removeprefix("其中：")) if row else None
        value = _number(row[column]) if key and column < len(row) else None
        if value is not None:
            values[key] = value
    return Recognised("indicators", showing(f"indicators.{key}" for key in values), values=values) if values else None


def _labelled_numbers(rows: list[list[str]]) -> Recognised | None:
    """A two-column table of labels and numbers (or a row of labels above a row of numbers): 人员 or 经费."""
    pairs = [(row[0], row[-1]) for row in rows if len(row) >= 2]
    if len(rows) == 2 and len(rows[0]) == len(rows[1]) > 2:
        pairs = list(zip(rows[0], rows[1], strict=True))
    for part, labels in (("staff", STAFF_LABELS), ("budget", BUDGET_LABELS)):
        values = {}
        for label, raw in pairs:
            key = next((k for k, names in labels.items() if label.removesuffix("（万元）") in names), None)
            value = _number(raw)
            if key and value is not None:
                values[key] = int(value) if part == "staff" and value == int(value) else value
        if values and len(values) * 2 >= len([p for p in pairs if p[0] not in TOTAL_WORDS]) - 1:
            if part == "budget":
                return Recognised(part, showing(f"{part}.{key}" for key in values), values=values)
            insert = showing(f"{part}.{key}" for key in values) or showing([f"{part}.employed"])
            return Recognised(part, insert, values=values)
    return None


def _number(text: str) -> float | int | None:
    text = text.replace(",", "").replace("，", "").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:人|个|万元|元|册|项)?", text)
    if not match:
        return None
    value = float(match.group(1))
    return int(value) if value.is_integer() and "." not in match.group(1) else value


def _date(text: str) -> str | None:
    match = re.search(r"((?:19|20)\d\d)\s*[年\-./]\s*(\d{1,2})(?:\s*[月\-./]\s*(\d{1,2}))?", text)
    if not match:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3) or 1):02d}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.strip()) if len(text) <= 30 else text.strip()
