"""The report's staff categories: by professional title and by education, with their Chinese row labels."""

from __future__ import annotations

STAFF_BY_TITLE = (
    ("title_senior", "高级职称"),
    ("title_intermediate", "中级职称"),
    ("title_junior", "初级职称"),
    ("title_none", "无职称"),
    ("management", "管理人员"),
)
STAFF_BY_EDUCATION = (  # highest first, as tables list it
    ("edu_postgraduate", "研究生"),
    ("edu_bachelor", "本科"),
    ("edu_college", "大专"),
    ("edu_secondary", "中专及以下"),
)
STAFF_SUMMARY = ("authorized", "employed", "professional")


def with_senior_total(staff: dict) -> dict:
    """The counts, with 高级 made of 正高 + 副高 when only those are given."""
    counts = dict(staff)
    if "title_senior" not in counts and ("title_senior_full" in counts or "title_senior_associate" in counts):
        counts["title_senior"] = counts.get("title_senior_full", 0) + counts.get("title_senior_associate", 0)
    return counts
