"""Many workbooks at once: a folder rendered and validated in one command, the summary, next year's workbook."""

import json

import pytest
from click.testing import CliRunner
from conftest import INPUTS
from corpus import broken, write_corpus
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from annual_report.cli.main import main
from annual_report.core.schema import load_schema
from annual_report.layout import libreoffice as layout
from annual_report.pipeline import batch, batch_render
from annual_report.pipeline import results as outcome
from annual_report.pipeline.options import RenderOptions
from annual_report.workbook.validate import validate_workbook

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
GOOD = 8  # workbooks without errors in the corpus folder, besides its 3 broken ones


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """Two samples, six variants and 3 broken workbooks (plus a lock file and a hidden file), built once."""
    folder = tmp_path_factory.mktemp("submissions")
    made = write_corpus(folder, variants=GOOD - 2)
    return folder, made


@pytest.fixture(scope="session")
def rendered_folder(corpus, tmp_path_factory):
    """The corpus rendered in one command, with the CliRunner result."""
    folder, _ = corpus
    out = tmp_path_factory.mktemp("reports")
    return out, run("render", folder, "-o", out, "-j", "2")


def test_a_folder_renders_in_one_command(corpus, rendered_folder):
    _folder, made = corpus
    out, result = rendered_folder
    assert result.exit_code == 1
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == GOOD == len(made["good"])
    assert not list(out.glob(".tmp-*")), "staging files are cleaned up"
    names = {p.name for p in reports}
    assert "丽江市图书馆-2020-年报.docx" in names and "东城区图书馆-2020-年报.docx" in names
    assert any("东城区图书馆" in p.text for p in Document(out / "东城区图书馆-2020-年报.docx").paragraphs)


def test_the_summary_names_each_failure_with_its_first_problem(corpus, rendered_folder):
    _, made = corpus
    _, result = rendered_folder
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["文件", "图书馆", "状态", "错误", "警告", "输出/首个问题"]
    failures = [line for line in lines if "失败" in line and line.startswith("待修改")]
    assert len(failures) == 3
    for index, path in enumerate(made["broken"]):
        _, cell = broken(index)
        line = next(line for line in failures if line.startswith(path.name))
        assert f"{cell}：" in line, line
    assert sum("已生成" in line for line in lines[2:-1]) == GOOD
    assert lines[-1] == f"共 {GOOD + 3} 个文件：{GOOD} 个已生成，3 个失败。"
    assert "~$" not in result.stdout and ".tmp-草稿" not in result.stdout


def test_the_progress_bar_is_hidden_when_not_a_terminal(rendered_folder):
    _, result = rendered_folder
    assert "[#" not in result.stderr and "25/25" not in result.stderr
    assert "Traceback" not in result.output


def test_the_progress_bar_shows_on_a_terminal(tmp_path, monkeypatch):
    import click._termui_impl

    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(LIJIANG.read_bytes())
    result = run("validate", tmp_path / "in", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "检查中" in result.stderr and "1/1" in result.stderr


def test_single_file_render_is_unchanged(tmp_path):
    out = tmp_path / "报告.docx"
    result = run("render", LIJIANG, "-o", out)
    assert result.exit_code == 0
    assert result.stdout.strip() == str(out)


def test_two_workbooks_of_one_library_do_not_overwrite_each_other(tmp_path):
    folder = tmp_path / "in"
    (folder / "修改后").mkdir(parents=True)
    (folder / "丽江.xlsx").write_bytes(LIJIANG.read_bytes())
    (folder / "修改后" / "丽江.xlsx").write_bytes(LIJIANG.read_bytes())
    results = batch_render.render_folder(folder, tmp_path / "out", RenderOptions(), jobs=1)
    assert [r.status for r in results] == [outcome.FAILED, outcome.FAILED]
    assert "同名" in results[0].first_problem and "修改后/丽江.xlsx" in results[0].first_problem
    assert not list((tmp_path / "out").iterdir())


def test_existing_reports_are_kept_without_force(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "丽江.xlsx").write_bytes(LIJIANG.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "丽江市图书馆-2020-年报.docx").write_bytes(b"mine")
    [result] = batch_render.render_folder(folder, out, RenderOptions(), jobs=1)
    assert result.status == outcome.FAILED and "已经存在" in result.first_problem
    assert (out / "丽江市图书馆-2020-年报.docx").read_bytes() == b"mine"
    [again] = batch_render.render_folder(folder, out, RenderOptions(force=True), jobs=1)
    assert again.status == outcome.OK and Document(again.output).paragraphs


def test_files_that_are_no_workbook_are_reported_not_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (folder / "导出.csv").write_text("名称,年度\n", encoding="utf-8")
    (folder / "照片.jpg").write_bytes(b"\xff\xd8")
    (folder / "~$丽江.xlsx").write_bytes(b"lock")
    result = run("validate", folder, "--format", "json")
    assert result.exit_code == 1
    report = {r["file"]: r for r in json.loads(result.stdout)}
    assert set(report) == {"旧格式.xls", "导出.csv"}
    assert "损坏" in report["旧格式.xls"]["first_problem"]
    assert report["导出.csv"]["problems"][0]["code"] == "unreadable"
    assert report["导出.csv"]["valid"] is False


def test_validate_folder_json_gives_one_record_per_file(corpus):
    folder, _made = corpus
    result = run("validate", folder, "--format", "json", "-j", "2")
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert len(records) == GOOD + 3
    assert sum(r["valid"] for r in records) == GOOD
    first = records[0]
    assert set(first) >= {"file", "library", "year", "status", "errors", "warnings", "output", "problems"}


def test_an_empty_folder_is_an_error(tmp_path):
    result = run("render", tmp_path)
    assert result.exit_code == 2 and "没有找到" in result.output


@pytest.fixture(scope="session")
def summary(corpus, tmp_path_factory):
    """The corpus's summary workbook, written once."""
    folder, _ = corpus
    out = tmp_path_factory.mktemp("summary") / "汇总.xlsx"
    result = run("summary", folder, "-o", out, "-j", "2")
    assert result.exit_code == 0, result.output
    return out


def test_summary_rows_match_each_workbooks_figures(corpus, summary):
    _folder, made = corpus
    book = load_workbook(summary)
    sheet = book["各馆数据"]
    figures = load_schema().part("indicators").fields
    header = [sheet.cell(row=1, column=6 + 3 * i).value for i in range(len(figures))]
    assert header[0] == "进馆人次（人次）"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    libraries = [name for name in rows if name != "合计" and not name.startswith("说明")]
    assert len(libraries) == GOOD + 3
    for path in made["good"]:
        book_data, _ = validate_workbook(path)
        row = rows[book_data.data["cover"]["name"]]
        assert row[1] == 2020 and row[2] == "通过"
        for index, item in enumerate(figures):
            pair = book_data.data["indicators"].get(item.key, {})
            assert row[5 + 3 * index] == pair.get("current"), (path.name, item.key)
            assert row[6 + 3 * index] == pair.get("previous"), (path.name, item.key)
    passing = [rows[n] for n in libraries if rows[n][2] == "通过"]
    assert len(passing) == GOOD and rows["合计"][2] == f"{GOOD} 个馆"
    compared = 0
    for index, item in enumerate(figures):
        current, previous, change = (5 + 3 * index, 6 + 3 * index, 7 + 3 * index)
        assert rows["合计"][current] == _total(row[current] for row in passing), item.key
        assert rows["合计"][previous] == _total(row[previous] for row in passing), item.key
        both = [row for row in passing if _number(row[current]) and _number(row[previous])]
        this_year, last_year = sum(row[current] for row in both), sum(row[previous] for row in both)
        expected = this_year / last_year - 1 if last_year else None
        assert rows["合计"][change] == (expected if expected is None else pytest.approx(expected)), item.key
        for row in both:
            assert row[change] == pytest.approx(row[current] / row[previous] - 1), (row[0], item.key)
        compared += len(both)
    assert compared >= len(passing)  # every library gives last year for some figure
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _total(values):
    """The sum of the numbers among values, None when there is none."""
    numbers = [v for v in values if _number(v)]
    return pytest.approx(sum(numbers)) if numbers else None


def test_summary_lists_the_failures_cells(corpus, summary):
    folder, made = corpus
    problems = load_workbook(summary)["问题清单"]
    header = [c.value for c in problems[1]]
    assert header == ["文件", "图书馆", "工作表", "单元格", "代码", "类别", "说明"]
    listed = {(row[0], f"{row[2]}!{row[3]}") for row in problems.iter_rows(min_row=2, values_only=True)}
    for index, path in enumerate(made["broken"]):
        _, cell = broken(index)
        assert (path.name, cell) in listed
    before = summary.read_bytes()
    again = run("summary", folder, "-o", summary)
    assert again.exit_code == 1 and "已经存在" in again.output
    assert summary.read_bytes() == before


def test_next_years_workbook_carries_last_years_figures(tmp_path):
    last, _ = validate_workbook(LIJIANG)
    out = tmp_path / "丽江2021.xlsx"
    result = run("template", "--from", LIJIANG, "-o", out)
    assert result.exit_code == 0, result.output
    book, checked = validate_workbook(out)
    assert book.data["cover"]["year"] == 2021
    assert "report_date" not in book.data["cover"] and "title" not in book.data["cover"]
    assert book.data["cover"]["name"] == "丽江市图书馆"
    expected = {key: {"previous": pair["current"]} for key, pair in last.data["indicators"].items()}
    assert book.data["indicators"] == expected
    assert book.data["organisation"] == last.data["organisation"]
    assert book.data["staff"] == last.data["staff"]
    assert "narrative" not in book.data or not book.data["narrative"]
    assert [p.code for p in checked.errors] == ["required"]  # only the narrative is missing

    workbook = load_workbook(out)
    sheet = workbook["主要数据"]
    for row in range(2, sheet.max_row + 1):
        if sheet[f"C{row}"].value is not None:
            grown = int(sheet[f"C{row}"].value * 1.1)
            sheet[f"B{row}"] = min(grown, 366) if sheet[f"A{row}"].value == "年开馆天数" else grown
    workbook["正文"]["A2"] = "正文"
    workbook["正文"]["C2"] = "2021 年，本馆各项工作稳步推进。"
    workbook.save(out)
    filled, result = validate_workbook(out)
    assert not result.errors, result.problems
    assert filled.data["indicators"]["visits"] == {"current": 33000, "previous": 30000}


def test_next_year_refuses_an_unreadable_workbook_and_keeps_its_input(tmp_path):
    fake = tmp_path / "去年.xlsx"
    fake.write_text("不是工作簿", encoding="utf-8")
    result = run("template", "--from", fake, "-o", tmp_path / "新.xlsx")
    assert result.exit_code == 2 and "不是 Excel 工作簿" in result.output
    assert not (tmp_path / "新.xlsx").exists()
    same = run("template", "--from", LIJIANG, "-o", LIJIANG, "--force")
    assert same.exit_code == 1 and "不能覆盖" in same.output


def test_an_unexpected_failure_on_one_workbook_does_not_stop_the_others(tmp_path, monkeypatch):
    import annual_report.workbook.validate

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        (folder / name).write_bytes(LIJIANG.read_bytes())
    real = annual_report.workbook.validate.validate_workbook

    def flaky(path, schema=None):
        if str(path).endswith("b.xlsx"):
            raise RuntimeError("boom")
        return real(path, schema)

    monkeypatch.setattr(annual_report.workbook.validate, "validate_workbook", flaky)
    results = batch.validate_folder(folder, jobs=1)
    assert [r.status for r in results] == [outcome.OK, outcome.FAILED, outcome.OK]
    assert results[1].problems[0].code == "internal-error"
    assert "b.xlsx" in results[1].first_problem and "工具本身出错" in results[1].first_problem
    assert "RuntimeError" not in results[1].first_problem and "boom" not in results[1].first_problem


@pytest.mark.libreoffice
def test_a_folder_with_pdf_shares_one_libreoffice(tmp_path, monkeypatch):
    folder = tmp_path / "各馆"
    folder.mkdir()
    for name in ("丽江市图书馆-2020.xlsx", "曲阜市图书馆-2020.xlsx"):
        (folder / name).write_bytes((INPUTS / name).read_bytes())
    (folder / "图片").mkdir()
    for picture in (INPUTS / "图片").iterdir():
        (folder / "图片" / picture.name).write_bytes(picture.read_bytes())
    started = []
    real_start = layout.LibreOffice.start
    monkeypatch.setattr(layout.LibreOffice, "start", lambda self: (started.append(self), real_start(self)))
    out = tmp_path / "报告"
    result = CliRunner().invoke(main, ["render", str(folder), "-o", str(out), "--pdf", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".docx", ".pdf", ".pdf"]
    assert len({id(office) for office in started}) == 1  # -j 1: one LibreOffice laid out both reports
    document = Document(out / "丽江市图书馆-2020-年报.docx")
    assert document.settings.element.find(qn("w:updateFields")) is None  # contents filled, no F9 needed
    assert not [r for r in document.part.package.rels.values() if r.reltype == RT.THUMBNAIL]  # not asked for
    pages = [p.text.split("\t")[-1] for p in document.paragraphs if p.style.name == "toc 1"]
    assert pages and all(page.isdigit() for page in pages)


def test_documents_are_named_but_not_checked_and_pictures_are_left_alone(tmp_path):
    """A folder names every file: a Word document or a PDF beside the workbooks as 未检查, pictures not at all."""
    from annual_report.report.render import TEMPLATE_PATH

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "丽江.xlsx").write_bytes(LIJIANG.read_bytes())
    (folder / "上年报告.docx").write_bytes(TEMPLATE_PATH.read_bytes())
    (folder / "报告.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "照片.dat").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))  # a picture, whatever its name
    result = run("validate", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    records = {r["file"]: r for r in json.loads(result.stdout)}
    assert set(records) == {"丽江.xlsx", "上年报告.docx", "报告.pdf"}
    for name in ("上年报告.docx", "报告.pdf"):
        assert records[name]["status"] == outcome.SKIPPED
        assert [p["code"] for p in records[name]["problems"]] == ["not-a-workbook"]
        assert name in records[name]["first_problem"]
    assert "template --from-docx" in records["上年报告.docx"]["first_problem"]
    table = run("validate", folder)
    assert "未检查" in table.output and "2 个不是工作簿" in table.output
