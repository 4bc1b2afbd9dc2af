"""The prose figure matcher: which indicator a sentence states, with which number."""

from __future__ import annotations

import pytest

from annual_report.core.schema import load_schema
from annual_report.workbook.prose import figures_in_text, mention_column

SCHEMA = load_schema()


def stated(text: str) -> list[tuple[str, float, bool]]:
    return [(m.key, m.value, m.approximate) for m in figures_in_text(text, SCHEMA)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("馆外共建设图书服务点92个", [("service_points", 92, False)]),
        ("建成94个基层社区服务点", [("service_points", 94, False)]),
        ("进馆人次：47000 人", [("visits", 47000, False)]),
        ("外借人次：49800", [("loans_people", 49800, False)]),
        ("外借册次 55818", [("loans_items", 55818, False)]),
        ("全年图书（不含分馆）外借仍达13.10万册次", [("loans_items", 131000, False)]),
        ("新办读者证433个，持证读者总量达到1.36万人。", [("new_cards", 433, False), ("valid_cards", 13600, False)]),
        ("共接待读者 3 万余人次", [("visits", 30000, True)]),
        ("每周开馆时间 60 小时", [("opening_hours", 60, False)]),
    ],
)
def test_states(text, expected):
    assert stated(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "持证读者比上年增加500人",  # a change, not the figure
        "其中外借处接待读者12.1万人次",  # a part
        "15 期线上展览",  # a subset
        "举办第 36 讲讲座",  # an ordinal
        "新办读者证工作于2020年启动",  # a year
    ],
)
def test_states_nothing(text):
    assert stated(text) == []


def test_the_unit_tells_books_from_people():
    assert stated("外借人次 5000 人次，外借 8000 册次") == [("loans_people", 5000, False), ("loans_items", 8000, False)]


def test_the_year_named_before_decides_the_column():
    text = "2020 年度接待读者 3 万人次；同比降幅较大（2019 年度接待读者 8.04 万人次）。2018 年接待读者 9 万人次。"
    columns = [mention_column(text, m, 2020) for m in figures_in_text(text, SCHEMA)]
    assert columns == ["current", "previous", None]
