"""A corpus of invalid workbooks, each one mutation of a valid sample, with the exact problems it must give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import hostile
import pytest
from click.testing import CliRunner
from make_samples import fixture, write_test_workbook
from openpyxl import load_workbook

from annual_report.cli import render as render_command
from annual_report.cli.main import main
from annual_report.core.problems import CODES as SCHEMA_CODES
from annual_report.core.schema import load_schema
from annual_report.pipeline.single import render_workbook
from annual_report.workbook.validate import validate_workbook

SCHEMA = load_schema()


def at(sheet: str, key: str, row: int | None = None) -> str:
    """The cell of a field: a form row's value cell, a figure's this-year cell, or a table row's cell."""
    part = SCHEMA.part_for_sheet(sheet)
    index = [f.key for f in part.fields].index(key)
    if part.layout == "table":
        return f"{chr(ord('A') + index)}{row + 2}"
    return f"B{index + 2}"


@dataclass
class Case:
    """One mutation and the (code, sheet, cell) problems it must add to the sample's own."""

    name: str
    base: str
    mutate: Callable[[dict], None] | None = None
    expected: list[tuple[str, str, str]] = field(default_factory=list)
    edit_workbook: Callable | None = None
    edit_file: Callable | None = None  # a change to the file's XML, or a file put beside it


def setter(*path, value):
    def mutate(data):
        target = data
        for step in path[:-1]:
            target = target.setdefault(step, {}) if isinstance(step, str) else target[step]
        target[path[-1]] = value

    return mutate


def deleter(*path):
    def mutate(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def appender(key, row):
    return lambda data: data[key].append(row)


def narrative_row(data_name: str, title: str) -> int:
    return next(i for i, row in enumerate(fixture(data_name)["narrative"]) if row.get("title") == title)


QUFU_PARTY = narrative_row("qufu_2020", "党组织架构")
QUFU_NEW_CARDS_TEXT = narrative_row("qufu_2020", "文献借阅服务保持稳定")
LIJIANG_SERVICE_TEXT = narrative_row("lijiang_2020", "阵地服务工作")
LIJIANG_ACQUISITIONS_TEXT = narrative_row("lijiang_2020", "馆藏资源建设与管理工作")
QUFU_LAST = len(fixture("qufu_2020")["narrative"])
LIJIANG_PLAIN = next(i for i, row in enumerate(fixture("lijiang_2020")["narrative"]) if not row.get("insert"))
LAST_INDICATOR = SCHEMA.part("indicators").fields[-1].label
LIJIANG_LAST = len(fixture("lijiang_2020")["narrative"])


def rename_sheet(old, new):
    def edit(book):
        book[old].title = new

    return edit


def delete_sheet(name):
    def edit(book):
        del book[name]

    return edit


def set_cell(sheet, ref, value, number_format=None):
    def edit(book):
        book[sheet][ref] = value
        if number_format:
            book[sheet][ref].number_format = number_format

    return edit


def delete_row_labelled(sheet, label):
    def edit(book):
        rows = [row for row in range(2, book[sheet].max_row + 1) if book[sheet].cell(row, 1).value == label]
        book[sheet].delete_rows(rows[0])

    return edit


def beside(name, data: bytes):
    """A file put next to the workbook (a picture file a 图片 row names)."""
    return lambda path: (path.parent / name).write_bytes(data)


def merge(sheet, cells):
    def edit(book):
        book[sheet].merge_cells(cells)

    return edit


CASES = [
    # 封面
    Case("name missing", "qufu_2020", deleter("cover", "name"), [("required", "封面", at("封面", "name"))]),
    Case("year missing", "qufu_2020", deleter("cover", "year"), [("required", "封面", at("封面", "year"))]),
    Case("year in words", "qufu_2020", setter("cover", "year", value="二〇二〇"), [("not-a-number", "封面", "B4")]),
    Case("year too small", "qufu_2020", setter("cover", "year", value=20), [("invalid-value", "封面", "B4")]),
    Case(
        "bad e-mail", "lijiang_2020", setter("cover", "email", value="ljstsg163.com"), [("invalid-email", "封面", "B7")]
    ),
    Case("bad phone", "lijiang_2020", setter("cover", "phone", value="电话见官网"), [("invalid-phone", "封面", "B8")]),
    Case(
        "date in words",
        "lijiang_2020",
        setter("cover", "report_date", value="去年年底"),
        [("not-a-date", "封面", "B9")],
    ),
    Case(
        "date as text",
        "lijiang_2020",
        setter("cover", "report_date", value="2020年12月31日"),
        [("date-as-text", "封面", "B9")],
    ),
    Case(
        "date as serial",
        "lijiang_2020",
        None,
        [("date-as-number", "封面", "B9")],
        set_cell("封面", "B9", 44196, "General"),
    ),
    Case(
        "a chart of two categories",
        "qufu_2020",
        deleter("staff", "edu_postgraduate"),  # 本科 13 and 大专 1: a sentence, not a chart
        [("chart-too-small", "正文", at("正文", "insert", narrative_row("qufu_2020", "学历结构（共14人）")))],
    ),
    Case(
        "no report date for the closing",
        "lijiang_2020",
        deleter("cover", "report_date"),
        [("no-report-date", "封面", "B9")],
    ),
    Case(
        "date of an old report",
        "lijiang_2020",
        setter("cover", "report_date", value="2018-12-31"),
        [("date-out-of-year", "封面", "B9")],
    ),
    Case(
        "level not in list",
        "lijiang_2020",
        setter("cover", "level", value="市级"),
        [("not-in-list", "封面", at("封面", "level"))],
    ),
    # 主要数据
    Case(
        "text in a number cell",
        "lijiang_2020",
        setter("indicators", "new_cards", "current", value="六百五十四"),
        [("not-a-number", "主要数据", at("主要数据", "new_cards"))],
    ),
    Case(
        "negative count",
        "lijiang_2020",
        setter("indicators", "new_cards", "current", value=-654),
        [("negative", "主要数据", "B6")],
    ),
    Case(
        "fraction of a person",
        "lijiang_2020",
        setter("indicators", "new_cards", "current", value=654.5),
        [("not-an-integer", "主要数据", "B6")],
    ),
    Case(
        "thousands separator",
        "lijiang_2020",
        setter("indicators", "new_cards", "current", value="6,54"),
        [("number-as-text", "主要数据", "B6")],
    ),
    Case(
        "full-width digits",
        "lijiang_2020",
        setter("indicators", "new_cards", "current", value="６５４"),
        [("number-as-text", "主要数据", "B6")],
    ),
    Case(
        "absurdly large count",
        "qufu_2020",
        setter("indicators", "visits", "current", value=2_000_000_000),
        [("too-large", "主要数据", "B2")],
    ),
    Case(
        "last year negative",
        "lijiang_2020",
        setter("indicators", "visits", "previous", value=-1),
        [("negative", "主要数据", "C2")],
    ),
    Case(
        "channels exceed acquisitions",
        "lijiang_2020",
        setter("indicators", "acq_donation", "current", value=3560),
        [  # the text states the donations too ("公众捐赠（2560 册）")
            ("parts-exceed-total", "主要数据", at("主要数据", "acquisitions")),
            ("text-contradicts-figure", "正文", f"C{LIJIANG_ACQUISITIONS_TEXT + 2}"),
        ],
    ),
    Case(
        "media exceed holdings",
        "lijiang_2020",
        setter("indicators", "holdings_print", "current", value=300000),
        [("parts-exceed-total", "主要数据", at("主要数据", "holdings_total"))],
    ),
    Case(
        "more borrowers than visitors",
        "lijiang_2020",
        setter("indicators", "loans_people", value={"current": 40000}),
        [("loans-exceed-visits", "主要数据", at("主要数据", "loans_people"))],
    ),
    Case(
        "typed 全馆 figure below the 总馆's own",
        "qufu_2020",
        setter("indicators", "visits", "network", value=100000),
        [("network-total-mismatch", "主要数据", "E2")],
    ),
    Case(
        "typed 全馆 figure not a number",
        "qufu_2020",
        setter("indicators", "visits", "network", value="全馆约20万"),
        [("not-a-number", "主要数据", "E2")],
    ),
    Case(
        "jump from last year",
        "lijiang_2020",
        setter("indicators", "loans_items", "previous", value=10000),
        # the text states last year's 图书流通 93008 册 too
        [
            ("yoy-change", "主要数据", "B3"),
            ("text-contradicts-figure", "正文", at("正文", "text", LIJIANG_SERVICE_TEXT)),
        ],
    ),
    Case(
        "copied last year",
        "lijiang_2020",
        setter("indicators", "valid_cards", "previous", value=8952),
        [("same-as-last-year", "主要数据", "B7")],
    ),
    Case(
        "customary figure empty",
        "lijiang_2020",
        deleter("indicators", "valid_cards"),
        [("recommended-empty", "主要数据", "B7")],
    ),
    Case(
        "text contradicts figure",
        "qufu_2020",
        setter("indicators", "new_cards", "current", value=500),
        [("text-contradicts-figure", "正文", at("正文", "text", QUFU_NEW_CARDS_TEXT))],
    ),
    # 人员
    Case(
        "employed more than both breakdowns",
        "qufu_2020",
        setter("staff", "employed", value=15),
        [("staff-mismatch", "人员", "B3"), ("staff-mismatch", "人员", "B3")],
    ),
    Case(
        "titles do not add up",
        "qufu_2020",
        setter("staff", "title_intermediate", value=9),
        [("staff-mismatch", "人员", "B3")],
    ),
    Case(
        "senior split disagrees",
        "qufu_2020",
        lambda d: d["staff"].update(title_senior_full=1, title_senior_associate=2),
        [("staff-mismatch", "人员", "B7")],
    ),
    Case(
        "breakdowns disagree, no employed count",
        "qufu_2020",
        lambda d: (d["staff"].pop("employed"), d["staff"].update(title_intermediate=9)),
        [("recommended-empty", "人员", "B3"), ("staff-mismatch", "人员", "B7")],
    ),
    Case("employed in words", "qufu_2020", setter("staff", "employed", value="十四"), [("not-a-number", "人员", "B3")]),
    # 经费 and 项目
    Case(
        "project total disagrees",
        "lijiang_2020",
        setter("budget", "projects_total", value=150),
        [("projects-total-mismatch", "经费", "B5")],
    ),
    Case(
        "amount in words",
        "lijiang_2020",
        setter("projects", 3, "amount", value="九十万"),
        [("not-a-number", "项目", "B5")],
    ),
    Case("project without name", "lijiang_2020", deleter("projects", 0, "name"), [("required", "项目", "A2")]),
    Case(
        "status not in list",
        "lijiang_2020",
        setter("projects", 0, "status", value="已经完成"),
        [("not-in-list", "项目", "C2")],
    ),
    # 组织机构, 党组织, 荣誉
    Case(
        "member twice",
        "qufu_2020",
        appender("party_branch", {"role": "书记", "name": "孔德安"}),
        [("duplicate-row", "党组织", "A6")],
    ),
    Case(
        "department twice",
        "qufu_2020",
        lambda d: d["organisation"].append(dict(d["organisation"][0])),
        [("duplicate-row", "组织机构", "A7")],
    ),
    Case(
        "award date in words",
        "lijiang_2020",
        setter("awards", 0, "date", value="上个月"),
        [("not-a-date", "荣誉", "D2")],
    ),
    Case("award without title", "lijiang_2020", deleter("awards", 1, "title"), [("required", "荣誉", "A3")]),
    # 正文
    Case(
        "heading without title",
        "qufu_2020",
        appender("narrative", {"level": 2, "text": "正文"}),
        [("heading-no-title", "正文", f"B{QUFU_LAST + 2}")],
    ),
    Case(
        "level not in list",
        "qufu_2020",
        appender("narrative", {"level": "第一级", "title": "标题"}),
        [("not-in-list", "正文", f"A{QUFU_LAST + 2}")],
    ),
    Case(
        "text without level",
        "qufu_2020",
        appender("narrative", {"text": "一段话"}),
        [("required", "正文", f"A{QUFU_LAST + 2}")],
    ),
    Case(
        "unknown insert",
        "lijiang_2020",
        appender("narrative", {"level": "正文", "text": "见下表", "insert": "照片墙"}),
        [("unknown-insert", "正文", f"D{LIJIANG_LAST + 2}")],
    ),
    Case(
        "insert of an empty table",
        "qufu_2020",
        setter("party_branch", value=[]),
        [("insert-no-data", "正文", at("正文", "insert", QUFU_PARTY))],
    ),
    Case(
        "filled sheet never inserted",
        "qufu_2020",
        deleter("narrative", QUFU_PARTY, "insert"),
        [("sheet-not-inserted", "党组织", "")],
    ),
    Case(
        "picture never inserted",
        "qufu_2020",
        deleter("narrative", narrative_row("qufu_2020", "服务保障"), "insert"),
        [("sheet-not-inserted", "图片", "A3")],
    ),
    Case(
        "stale year in the text",
        "lijiang_2020",
        appender("narrative", {"level": "正文", "text": "截至 2017 年底"}),
        [("stale-year", "正文", f"C{LIJIANG_LAST + 2}")],
    ),
    Case(
        "control characters",
        "lijiang_2020",
        appender("narrative", {"level": "正文", "text": "响_x0007_铃"}),
        [("control-characters", "正文", f"C{LIJIANG_LAST + 2}")],
    ),
    Case(
        "text over the cell limit",
        "lijiang_2020",
        appender("narrative", {"level": "正文", "text": "字" * 20001}),
        [("text-too-long", "正文", f"C{LIJIANG_LAST + 2}")],
    ),
    Case("empty narrative", "qufu_2020", setter("narrative", value=[]), [("required", "正文", "A6")]),  # below the examples
    # The workbook's shape
    Case("sheet missing", "qufu_2020", None, [("sheet-missing", "荣誉", "")], delete_sheet("荣誉")),
    Case(
        "sheet renamed",
        "qufu_2020",
        None,
        [("sheet-missing", "人员", ""), ("sheet-unknown", "人员结构", "")],
        rename_sheet("人员", "人员结构"),
    ),
    Case("extra sheet", "qufu_2020", None, [("sheet-unknown", "草稿", "")], lambda book: book.create_sheet("草稿")),
    Case("label changed", "qufu_2020", None, [("label-missing", "封面", "")], set_cell("封面", "A2", "馆名")),
    Case("header changed", "lijiang_2020", None, [("column-missing", "项目", "")], set_cell("项目", "A1", "名称")),
    Case(
        "merged input cells",
        "qufu_2020",
        None,
        [("merged-cells", "人员", "B3"), ("merged-cells", "人员", "B4")],
        merge("人员", "B3:B4"),
    ),
    Case(
        "row of an older template",
        "lijiang_2020",
        None,
        [("rows-missing", "主要数据", "")],
        delete_row_labelled("主要数据", LAST_INDICATOR),
    ),
    Case(
        "lone surrogate in a text",
        "lijiang_2020",
        None,
        [("unwritable-characters", "正文", "C3")],
        edit_file=lambda path: hostile.raw_text(path, "正文", "C3", "开头_xD83D_结尾"),
    ),
    Case(
        "not a finite number",
        "lijiang_2020",
        None,
        [("not-finite", "主要数据", "B2")],
        edit_file=lambda path: hostile.raw_number(path, "主要数据", "B2", "NaN"),
    ),
    Case(
        "line break in the name",
        "lijiang_2020",
        setter("cover", "name", value="丽江市\n图书馆"),
        [("line-break", "封面", "B2")],
    ),
    Case(
        "picture row without a picture",
        "lijiang_2020",
        setter("pictures", value=[{"name": "示意图"}]),
        [("picture-missing", "图片", "B2"), ("sheet-not-inserted", "图片", "A2")],
    ),
    Case(
        "picture file that is no picture",
        "lijiang_2020",
        setter("pictures", value=[{"name": "坏图", "file": "坏图.png"}]),
        [("picture-unreadable", "图片", "B2"), ("sheet-not-inserted", "图片", "A2")],
        edit_file=beside("坏图.png", b"not a picture at all"),
    ),
    Case(
        "picture file outside the folder",
        "lijiang_2020",
        setter("pictures", value=[{"name": "外图", "file": "../外面.png"}]),
        [("picture-outside-folder", "图片", "B2"), ("sheet-not-inserted", "图片", "A2")],
    ),
    Case(
        "branch table without branches",
        "lijiang_2020",
        setter("narrative", LIJIANG_PLAIN, "insert", value="分馆情况表"),
        [("insert-needs-branches", "正文", f"D{LIJIANG_PLAIN + 2}")],
    ),
    Case(
        "formula without cached value",
        "qufu_2020",
        None,
        [("formula-no-value", "人员", "B3")],
        set_cell("人员", "B3", "=SUM(B7:B11)"),
    ),
]


def problems_of(path) -> Counter:
    _, result = validate_workbook(path)
    return as_counter(result)


def as_counter(result) -> Counter:
    return Counter((p.code, p.sheet, p.cell) for p in result.problems)


@pytest.fixture(scope="module")
def base_problems(tmp_path_factory) -> dict[str, Counter]:
    folder = tmp_path_factory.mktemp("base")
    return {
        name: problems_of(write_test_workbook(folder / f"{name}.xlsx", fixture(name)))
        for name in ("qufu_2020", "lijiang_2020")
    }


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


# Codes that no single workbook gives on its own, and the tests that produce them.
ELSEWHERE = {
    "unreadable": "test_batch.py",
    "internal-error": "test_batch.py",
    "file-aborted": "test_hostile.py",
    "resubmitted": "test_summary_hardening.py",
    "picture-not-pasted": "test_web.py",
    "picture-too-large": "test_pictures_hardening.py",
    "not-a-workbook": "test_batch.py",
    "format-values-only": "test_formats.py",
    "read-values-only": "test_formats.py",
    "wrong-library": "test_collect.py",
    "wrong-year": "test_collect.py",
    **dict.fromkeys(
        ("branch-none", "branch-unreadable", "branch-has-errors", "branch-other-year", "branch-is-head",
         "branch-duplicate", "branch-not-listed", "branch-missing"),
        "test_branches.py",
    ),
    **dict.fromkeys(
        ("template-syntax", "template-unknown-variable", "template-unused-field", "template-missing-block",
         "template-missing-style"),
        "test_template_check.py",
    ),
}  # fmt: skip


def test_every_problem_code_has_a_case():
    """A new problem code needs a corpus case (or, for one a folder, a set or a template gives, a test that makes it)."""
    in_corpus = {code for case in CASES for code, _, _ in case.expected}
    tests = Path(__file__).parent
    elsewhere = {code for code, test in ELSEWHERE.items() if f'"{code}"' in (tests / test).read_text(encoding="utf-8")}
    assert set(SCHEMA_CODES) - in_corpus - elsewhere == set()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_exactly_its_problems_and_render_refuses_its_errors(case, base_problems, tmp_path, monkeypatch):
    data = fixture(case.base)
    if case.mutate:
        case.mutate(data)
    path = write_test_workbook(tmp_path / f"{case.name}.xlsx", data)
    if case.edit_workbook:
        book = load_workbook(path)
        case.edit_workbook(book)
        book.save(path)
    if case.edit_file:
        case.edit_file(path)
    refusing = any(SCHEMA_CODES[code].severity == "error" for code, _, _ in case.expected)
    before = path.read_bytes()
    rendered = render_through_the_command_line(path, monkeypatch) if refusing else None
    found = as_counter(rendered[0]) if rendered else problems_of(path)  # render validates as validate does
    added = found - base_problems[case.base]
    assert sorted(added.elements()) == sorted(case.expected)
    if rendered:
        assert_render_refused(path, case, rendered[1], before)


def test_reordered_sheets_are_fine(tmp_path, base_problems):
    path = write_test_workbook(tmp_path / "reordered.xlsx", fixture("qufu_2020"))
    book = load_workbook(path)
    book.move_sheet("荣誉", offset=-8)
    book.save(path)
    assert problems_of(path) == base_problems["qufu_2020"]


def test_three_problems_of_different_kinds_at_once(tmp_path):
    data = fixture("qufu_2020")
    data["staff"]["employed"] = "十四"
    data["indicators"]["visits"]["current"] = -5
    path = write_test_workbook(tmp_path / "three.xlsx", data)
    book = load_workbook(path)
    del book["荣誉"]
    book.save(path)
    found = problems_of(path)
    assert {("not-a-number", "人员", "B3"), ("negative", "主要数据", "B2"), ("sheet-missing", "荣誉", "")} <= set(found)


def render_through_the_command_line(path, monkeypatch):
    """`render path` through the command line: the problems it found (its one validation) and the CliRunner result."""
    outcomes = []

    def recorded(*arguments, **options):
        outcomes.append(render_workbook(*arguments, **options))
        return outcomes[-1]

    monkeypatch.setattr(render_command, "render_workbook", recorded)
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(path.parent / "out" / "报告.docx")])
    assert outcomes, result.output
    return outcomes[0].result, result


def assert_render_refused(path, case, result, before: bytes):
    """render exited 1 naming the file and the first error's cell, wrote nothing and left the workbook as it was."""
    out = path.parent / "out" / "报告.docx"
    assert result.exit_code == 1
    assert path.name in result.output and "Traceback" not in result.output
    _code, sheet, cell = next(e for e in case.expected if SCHEMA_CODES[e[0]].severity == "error")
    assert (f"{sheet}!{cell}" if cell else sheet) in result.output
    assert path.read_bytes() == before
    assert not out.parent.exists()
