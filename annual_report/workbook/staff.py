"""The report's staff categories: by professional title and by education, with their Chinese row labels."""

from __future__ import annotations

from collections.abc import Mapping

from annual_report.workbook.model import Workbook

STAFF_BY_TITLE = (
    ("title_senior", "高级职称"),
    ("title_intermediate", "中级职称"),
    ("title_junior", "初级职称"),
    ("title_none", "无职称"),
    ("management", "管理人员"),
)
STAFF_BY_EDUCATION = (  # highest first, in schema order, as tables and charts list it
    ("edu_postgraduate", "研究生"),
    ("edu_bachelor", "本科"),
    ("edu_college", "大专"),
    ("edu_secondary", "中专及以下"),
)
STAFF_SUMMARY = ("authorized", "employed", "professional")
SENIOR_PARTS = ("title_senior_full", "title_senior_associate")  # 正高级 + 副高级 = 高级职称
TITLE_KEYS = tuple(key for key, _ in STAFF_BY_TITLE)
EDUCATION_KEYS = tuple(key for key, _ in STAFF_BY_EDUCATION)


def senior_total(staff: Mapping[str, float | None]) -> float | None:
    """高级 made of 正高 + 副高 as given (None when neither is)."""
    given = [staff[key] for key in SENIOR_PARTS if staff.get(key) is not None]
    return sum(given) if given else None


def given_staff(book: Workbook, categories: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The categories the workbook gives a number for (高级 also when only 正高 or 副高 is given), in their order."""
    return [
        (key, label)
        for key, label in categories
        if book.number("staff", key) is not None
        or (key == "title_senior" and any(book.number("staff", part) is not None for part in SENIOR_PARTS))
    ]
