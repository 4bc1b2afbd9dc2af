"""The consistency checks on data built in code: each arithmetic rule at, just past and short of its limit."""

from __future__ import annotations

import pytest

from annual_report.core.problems import MESSAGES, YOY_MIN_BASE, YOY_THRESHOLD, Problem
from annual_report.core.schema import load_schema
from annual_report.workbook.checks import run_all
from annual_report.workbook.model import Cell, Workbook, as_number

SCHEMA = load_schema()
INDICATOR_ROWS = {item.key: row for row, item in enumerate(SCHEMA.part("indicators").fields, start=2)}
STAFF_ROWS = {item.key: row for row, item in enumerate(SCHEMA.part("staff").fields, start=2)}


def located(data: dict) -> dict[tuple, tuple[str, str]]:
    """Where each value would be in the workbook: figures B/C, staff and budget B, table rows from row 2."""
    cells = {}
    for key, pair in data.get("indicators", {}).items():
        for column, letter in (("current", "B"), ("previous", "C")):
            if column in pair:
                cells[("indicators", key, column)] = ("主要数据", f"{letter}{INDICATOR_ROWS[key]}")
    for key in data.get("staff", {}):
        cells[("staff", key)] = ("人员", f"B{STAFF_ROWS[key]}")
    for key in data.get("budget", {}):
        cells[("budget", key)] = ("经费", f"B{2 + list(data['budget']).index(key)}")
    for key, sheet in (
        ("projects", "项目"),
        ("organisation", "组织机构"),
        ("party_branch", "党组织"),
        ("narrative", "正文"),
    ):
        for index, row in enumerate(data.get(key, [])):
            cells[(key, index)] = (sheet, f"A{index + 2}")
            columns = [item.key for item in SCHEMA.part(key).fields]
            for name in row if isinstance(row, dict) else ():
                cells[(key, index, name)] = (sheet, f"{'ABCD'[columns.index(name)]}{index + 2}")
    for key in data.get("cover", {}):
        cells[("cover", key)] = ("封面", "B4" if key == "year" else "B9")
    return cells


def problems(data: dict, code: str, rejected: frozenset = frozenset()) -> list:
    """The problems of one code that the checks find in this data (leaving out the values the schema rejected)."""
    cells = {path: Cell(*where) for path, where in located(data).items()}
    book = Workbook.of(data, cells).without(rejected)
    return [p for p in run_all(book, SCHEMA) if p.code == code]


def test_no_data_no_problem():
    assert run_all(Workbook.of({}), SCHEMA) == []


def test_numbers_are_ints_and_floats_only():
    assert [as_number(value) for value in (3, 2.5, True, "3", None)] == [3, 2.5, None, None, None]
    book = Workbook.of({"a": {"b": 3, "c": 2.5, "d": True, "e": "3"}})
    assert [book.number("a", key) and book.number("a", key).number for key in "bcdef"] == [3, 2.5, None, None, None]
    assert book.number("a", "b", "deeper") is None and book.number("x") is None


def test_values_the_schema_rejected_are_left_out_of_the_checks():
    data = {"indicators": figures(acquisitions=(100, None), acq_purchase=(60, None), acq_donation=(41, None))}
    assert len(problems(data, "parts-exceed-total")) == 1
    assert problems(data, "parts-exceed-total", {("indicators", "acq_donation", "current")}) == []
    projects = [{"name": "甲", "amount": 10}, {"name": "乙", "amount": 5}]
    data = {"budget": {"projects_total": 10}, "projects": projects}
    assert len(problems(data, "projects-total-mismatch")) == 1
    assert problems(data, "projects-total-mismatch", {("projects", 1, "amount")}) == []  # unknown sum: no check
    assert problems(data, "projects-total-mismatch", {("projects", 1)}) == []  # the row left out: 10 = 10


def test_a_rejected_value_is_not_also_reported_as_missing():
    data = {"indicators": figures(visits=("很多", None))}
    assert [p.field for p in problems(data, "recommended-empty") if p.field.startswith("indicators.visits")] == []
    rejected = {("indicators", "visits", "current")}
    assert [p.field for p in problems(data, "recommended-empty", rejected) if "visits" in p.field] == []


def figures(**pairs: tuple) -> dict:
    """Figures from key=(current, previous); None leaves a year out."""
    return {
        key: {name: value for name, value in zip(("current", "previous"), pair, strict=True) if value is not None}
        for key, pair in pairs.items()
    }


# parts-exceed-total ---------------------------------------------------------------------------


def test_acquisition_channels_may_add_up_to_the_total():
    data = {"indicators": figures(acquisitions=(100, None), acq_purchase=(60, None), acq_donation=(40, None))}
    assert problems(data, "parts-exceed-total") == []


def test_acquisition_channels_over_the_total_name_every_cell():
    data = {"indicators": figures(acquisitions=(100, None), acq_purchase=(60, None), acq_donation=(41, None))}
    [found] = problems(data, "parts-exceed-total")
    row = INDICATOR_ROWS
    assert (found.sheet, found.cell, found.field, found.severity) == (
        "主要数据", f"B{row['acquisitions']}", "indicators.acquisitions.current", "error"
    )  # fmt: skip
    assert found.message == (
        f"主要数据!B{row['acquisitions']}, 主要数据!B{row['acq_purchase']}, 主要数据!B{row['acq_donation']}："
        "本年采购、捐赠合计 101 超过「新增藏量」100，请核对"
    )


def test_last_years_parts_are_checked_too_and_each_total_on_its_own():
    data = {
        "indicators": figures(
            holdings_total=(500, 300), holdings_print=(400, 250), holdings_digital=(100, 51), activities=(9, 9)
        )
    }
    [found] = problems(data, "parts-exceed-total")
    assert found.field == "indicators.holdings_total.previous"
    assert "上年纸质文献、电子文献合计 301 超过「总藏量」300" in found.message
    data["indicators"]["online_activities"] = {"current": 10}
    assert [p.field for p in problems(data, "parts-exceed-total")] == [
        "indicators.holdings_total.previous",
        "indicators.activities.current",
    ]


def test_parts_without_a_total_or_a_total_without_parts_are_no_problem():
    assert problems({"indicators": figures(acq_purchase=(60, 60))}, "parts-exceed-total") == []
    assert problems({"indicators": figures(acquisitions=(0, 0))}, "parts-exceed-total") == []


# staff-mismatch -------------------------------------------------------------------------------


def test_senior_titles_must_add_up():
    staff = {"title_senior_full": 1, "title_senior_associate": 2, "title_senior": 3}
    assert problems({"staff": staff}, "staff-mismatch") == []
    [found] = problems({"staff": {**staff, "title_senior": 4}}, "staff-mismatch")
    rows = STAFF_ROWS
    cells = f"人员!B{rows['title_senior']}, 人员!B{rows['title_senior_full']}, 人员!B{rows['title_senior_associate']}"
    message = f"{cells}：高级职称 4 不等于正高级 1 加副高级 2，请核对"
    assert found == Problem(
        "人员", f"B{rows['title_senior']}", "staff.title_senior", "staff-mismatch", "error", message
    )
    [alone] = problems({"staff": {"title_senior_associate": 2, "title_senior": 3}}, "staff-mismatch")
    assert "不等于正高级 0 加副高级 2" in alone.message
    [full_only] = problems({"staff": {"title_senior_full": 1, "title_senior": 2}}, "staff-mismatch")
    assert "不等于正高级 1 加副高级 0" in full_only.message
    assert problems({"staff": {"title_senior": 3}}, "staff-mismatch") == []  # no breakdown given


@pytest.mark.parametrize(("employed", "relation"), [(9, "少于"), (11, "多于")])
def test_employed_must_equal_the_sum_by_title(employed, relation):
    staff = {"employed": employed, "title_senior": 2, "title_intermediate": 3, "title_junior": 4, "title_none": 1}
    [found] = problems({"staff": staff}, "staff-mismatch")
    cells = ", ".join(f"人员!B{STAFF_ROWS[key]}" for key in ("employed", *list(staff)[1:]))
    message = f"{cells}：「在职人数」{employed} {relation}按职称合计 10，请核对"
    assert found == Problem("人员", f"B{STAFF_ROWS['employed']}", "staff.employed", "staff-mismatch", "error", message)
    assert problems({"staff": {**staff, "employed": 10}}, "staff-mismatch") == []


def test_employed_against_education_and_the_senior_total_made_of_its_parts():
    staff = {"employed": 5, "edu_bachelor": 3, "edu_college": 1, "title_senior_full": 2, "title_intermediate": 3}
    [found] = problems({"staff": staff}, "staff-mismatch")
    assert "「在职人数」5 多于按学历合计 4" in found.message  # by title: 正高 2 counts as 高级, 2 + 3 = 5
    staff["edu_secondary"] = 1
    assert problems({"staff": staff}, "staff-mismatch") == []


def test_without_employed_the_two_breakdowns_must_agree():
    staff = {"title_intermediate": 3, "title_junior": 2, "edu_bachelor": 4}
    [found] = problems({"staff": staff}, "staff-mismatch")
    cells = ", ".join(f"人员!B{STAFF_ROWS[key]}" for key in staff)
    message = f"{cells}：按职称合计 5 与按学历合计 4 不相等，请核对"
    assert found == Problem("人员", f"B{STAFF_ROWS['title_intermediate']}", "staff", "staff-mismatch", "error", message)
    staff["edu_college"] = 1
    assert problems({"staff": staff}, "staff-mismatch") == []
    assert problems({"staff": {"title_junior": 2}}, "staff-mismatch") == []  # one breakdown alone


# loans-exceed-visits, projects-total-mismatch, date-out-of-year --------------------------------


def test_borrowers_cannot_outnumber_visitors():
    assert problems({"indicators": figures(loans_people=(100, 50), visits=(100, 50))}, "loans-exceed-visits") == []
    [found] = problems({"indicators": figures(loans_people=(10, 51), visits=(100, 50))}, "loans-exceed-visits")
    assert found.field == "indicators.loans_people.previous" and "上年外借人次 51 多于进馆人次 50" in found.message
    [found] = problems({"indicators": figures(loans_people=(101, 50), visits=(100, 50))}, "loans-exceed-visits")
    loans, visits = f"B{INDICATOR_ROWS['loans_people']}", f"B{INDICATOR_ROWS['visits']}"
    rest = MESSAGES["loans-exceed-visits"].format(column="本年", loans=101, visits=100)
    message = f"主要数据!{loans}, 主要数据!{visits}：{rest}"
    assert rest.startswith("本年外借人次 101 多于进馆人次 100，请核对")  # real filings can: a warning
    assert found == Problem("主要数据", loans, "indicators.loans_people.current", "loans-exceed-visits", "warning", message)


def test_project_amounts_must_add_up_to_the_stated_total():
    projects = [{"name": "甲", "amount": 10.5}, {"name": "乙", "amount": 4.5}]
    assert problems({"budget": {"projects_total": 15.004}, "projects": projects}, "projects-total-mismatch") == []
    [found] = problems({"budget": {"projects_total": 15.01}, "projects": projects}, "projects-total-mismatch")
    message = "经费!B2, 项目!B2：项目经费合计填的是 15.01 万元，但“项目”表各项金额之和是 15.00 万元，请核对"
    assert found == Problem("经费", "B2", "budget.projects_total", "projects-total-mismatch", "error", message)
    rounded = {"budget": {"projects_total": 0.005}, "projects": [{"name": "甲", "amount": 0}]}
    assert problems(rounded, "projects-total-mismatch") == []  # half a hundredth of 万元 is rounding
    unknown = [*projects, {"name": "丙"}]  # an amount left empty: no sum to compare
    assert problems({"budget": {"projects_total": 99}, "projects": unknown}, "projects-total-mismatch") == []
    assert problems({"budget": {"projects_total": 99}, "projects": []}, "projects-total-mismatch") == []


@pytest.mark.parametrize(
    ("date", "wrong"), [("2020-12-31", False), ("2021-03-01", False), ("2019-12-31", True), ("2022-01-01", True)]
)
def test_the_report_is_dated_in_its_year_or_the_next(date, wrong):
    found = problems({"cover": {"year": 2020, "report_date": date}}, "date-out-of-year")
    message = f"封面!B9, 封面!B4：报告日期 {date} 不在报告年度 2020 或其下一年内，可能是沿用了旧年报的日期"
    assert found == (
        [Problem("封面", "B9", "cover.report_date", "date-out-of-year", "error", message)] if wrong else []
    )


def test_an_unreadable_date_or_no_year_is_left_to_the_schema():
    assert problems({"cover": {"year": 2020, "report_date": "去年"}}, "date-out-of-year") == []
    assert problems({"cover": {"report_date": "1999-01-01"}}, "date-out-of-year") == []


# duplicate-row --------------------------------------------------------------------------------


def test_the_same_person_in_the_same_post_twice():
    branch = [
        {"role": "书记", "name": "张三"},
        {"role": "委员", "name": "张三"},
        {"role": "书记", "name": "张三", "note": "兼"},
    ]
    [found] = problems({"party_branch": branch}, "duplicate-row")
    assert (found.sheet, found.cell, found.field) == ("党组织", "A4", "party_branch.2")
    assert found.message.startswith("党组织!A4, 党组织!A2：“书记、张三”重复出现")


def test_a_whole_department_row_twice_but_not_a_similar_one():
    row = {"department": "办公室", "head": "李四", "staff": 3}
    organisation = [row, {**row, "staff": 4}, dict(row)]
    [found] = problems({"organisation": organisation}, "duplicate-row")
    assert (found.cell, found.field) == ("A4", "organisation.2")
    assert found.message.startswith("组织机构!A4, 组织机构!A2：“办公室、李四、3”重复出现")


def test_rows_missing_a_key_column_are_not_duplicates_and_do_not_stop_the_check():
    branch = [{"role": "委员"}, {"role": "委员"}, {"name": "王五"}, {"role": "书记", "name": "张三"}]
    assert problems({"party_branch": [*branch, branch[-1]]}, "duplicate-row")[0].field == "party_branch.4"
    assert problems({"party_branch": branch}, "duplicate-row") == []
    odd = ["不是一行", {"role": "书记", "name": "张三"}, {"role": "书记", "name": "张三"}]
    assert [p.field for p in problems({"party_branch": odd}, "duplicate-row")] == ["party_branch.2"]


# yoy-change, same-as-last-year ----------------------------------------------------------------


def test_a_change_beyond_the_threshold_is_a_warning_with_both_figures():
    base = YOY_MIN_BASE * 2
    limit = base * (100 + YOY_THRESHOLD) // 100
    assert problems({"indicators": figures(visits=(limit, base))}, "yoy-change") == []
    [found] = problems({"indicators": figures(visits=(limit + 1, base))}, "yoy-change")
    assert (found.field, found.severity, found.sheet, found.cell) == ("indicators.visits", "warning", "主要数据", "B2")
    assert found.message.startswith("主要数据!B2, 主要数据!C2：「进馆人次」与上年相比变化较大")
    assert f"本年 {limit + 1}，上年 {base}，变化 +50.5%" in found.message
    [drop] = problems({"indicators": figures(visits=(base // 2 - 1, base))}, "yoy-change")
    assert "变化 -50.5%" in drop.message
    assert problems({"indicators": figures(visits=(base // 2, base))}, "yoy-change") == []


def test_a_small_base_is_not_compared():
    small = YOY_MIN_BASE - 1
    assert problems({"indicators": figures(visits=(small * 10, small))}, "yoy-change") == []
    later = figures(visits=(small * 10, small), loans_items=(YOY_MIN_BASE * 3, YOY_MIN_BASE))
    assert [p.field for p in problems({"indicators": later}, "yoy-change")] == ["indicators.loans_items"]
    assert problems({"indicators": figures(visits=(small, small))}, "same-as-last-year") == []
    assert len(problems({"indicators": figures(visits=(YOY_MIN_BASE * 10, YOY_MIN_BASE))}, "yoy-change")) == 1


def test_a_figure_identical_to_last_year_is_a_warning():
    [found] = problems({"indicators": figures(visits=(1234, 1234), loans_items=(1234, 1235))}, "same-as-last-year")
    assert (found.field, found.severity, found.sheet, found.cell) == ("indicators.visits", "warning", "主要数据", "B2")
    assert found.message.startswith("主要数据!B2, 主要数据!C2：「进馆人次」与上年完全相同")


# stale-year -----------------------------------------------------------------------------------


def narrative(*rows: tuple) -> list[dict]:
    """Narrative rows from (level, title or text)."""
    return [
        {"level": level, "title": words} if level != "正文" else {"level": level, "text": words}
        for level, words in rows
    ]


def test_the_year_after_next_is_expected_only_under_the_plan_heading():
    rows = narrative(
        (1, "2020年工作总结"),
        ("正文", "2019年至2021年间，力争2022年完成。"),
        (1, "2021年工作计划"),
        ("正文", "2022年建成新馆。"),
        (2, "远景"),
        ("正文", "2022年以后继续。"),
        (1, "其他"),
        ("正文", "2022年再议。"),
    )
    found = problems({"cover": {"year": 2020}, "narrative": rows}, "stale-year")
    assert [(p.field, p.cell) for p in found] == [("narrative.1.text", "C3"), ("narrative.7.text", "C9")]
    assert "2022" in found[0].message and "报告年度 2020" in found[0].message


def test_years_far_from_the_report_year_are_named():
    rows = narrative(("正文", "截至 2017 年底，2020年 与 1998年 相比"))
    [found] = problems({"cover": {"year": 2020}, "narrative": rows}, "stale-year")
    assert "正文提到 1998、2017 年（“…" in found.message and "与 1998年 相比" in found.message  # around the first


def test_every_check_is_run():
    """A check_ function left out of CHECKS would never report anything."""
    import inspect

    from annual_report.workbook import checks

    defined = {name for name, item in inspect.getmembers(checks, inspect.isfunction) if name.startswith("check_")}
    assert defined == {check.__name__ for check in checks.CHECKS}
