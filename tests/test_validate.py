"""Validation results: the 曲阜 stale year, ordering, both reporters over the same result."""

import json

from click.testing import CliRunner
from conftest import INPUTS
from make_samples import fixture

from annual_report.cli.main import main
from annual_report.core.problems import CODES
from annual_report.core.reporting import as_text
from annual_report.workbook.validate import validate_workbook

QUFU = INPUTS / "曲阜市图书馆-2020.xlsx"


def test_qufu_stale_year_is_a_warning_on_its_narrative_cell(rendered):
    _, result = validate_workbook(QUFU)
    row = next(i for i, r in enumerate(fixture("qufu_2020")["narrative"]) if "截至 2018 年" in r.get("text", ""))
    stale = [p for p in result.problems if p.code == "stale-year"]
    assert [(p.sheet, p.cell, p.severity) for p in stale] == [("正文", f"C{row + 2}", "warning")]
    assert "2018" in stale[0].message
    assert not result.blocks()
    assert rendered["qufu_2020"].paragraphs  # and it renders


def test_strict_makes_warnings_block(tmp_path):
    result = CliRunner().invoke(main, ["render", str(QUFU), "-o", str(tmp_path / "x.docx"), "--strict"])
    assert result.exit_code == 1 and not (tmp_path / "x.docx").exists()
    assert CliRunner().invoke(main, ["validate", str(QUFU), "--strict"]).exit_code == 1
    assert CliRunner().invoke(main, ["validate", str(QUFU)]).exit_code == 0


def test_problems_are_sorted_by_sheet_then_cell(qufu, make_workbook):
    qufu["narrative"].append({"level": 2})
    qufu["staff"]["employed"] = -1
    qufu["cover"]["email"] = "no"
    del qufu["cover"]["year"]
    _, result = validate_workbook(make_workbook(qufu))
    order = [(p.sheet, p.cell) for p in result.problems]
    sheets = ["封面", "主要数据", "正文", "人员"]
    ranked = [(sheets.index(s), int("".join(filter(str.isdigit, c)) or 0)) for s, c in order if s in sheets]
    assert ranked == sorted(ranked)
    assert order[0] == ("封面", "B4")


def test_text_and_json_reporters_share_the_result(qufu, make_workbook):
    qufu["staff"]["employed"] = 15
    path = make_workbook(qufu)
    _, result = validate_workbook(path)
    text = as_text(result)
    assert text.splitlines()[-1] == f"{len(result.errors)} 个错误，{len(result.warnings)} 个警告。"
    assert "【人员】" in text
    output = CliRunner().invoke(main, ["validate", str(path), "--format", "json"]).stdout
    assert json.loads(output) == result.to_dict()


def test_every_code_has_a_meaning_and_a_fix():
    for code, entry in CODES.items():
        assert entry.severity in ("error", "warning"), code
        assert entry.meaning and entry.fix, code


def test_problems_about_several_cells_name_them_all(qufu, make_workbook):
    qufu["party_branch"].append({"role": "书记", "name": "孔德安"})
    qufu["indicators"]["new_cards"]["current"] = 500
    _, result = validate_workbook(make_workbook(qufu))
    duplicate = next(p for p in result.problems if p.code == "duplicate-row")
    assert duplicate.message.startswith("党组织!A6, 党组织!A2：")
    contradiction = next(p for p in result.problems if p.code == "text-contradicts-figure")
    assert "主要数据!B6" in contradiction.message and "433" in contradiction.message


def test_a_workbook_of_an_earlier_template_without_optional_rows_still_validates(qufu, make_workbook):
    from openpyxl import load_workbook

    path = make_workbook(qufu)
    book = load_workbook(path)
    sheet = book["封面"]
    english = next(r for r in range(2, 20) if sheet.cell(r, 1).value == "英文名称")
    sheet.delete_rows(english)
    book.save(path)
    _, result = validate_workbook(path)
    missing = [p for p in result.problems if p.code in ("rows-missing", "label-missing")]
    assert [(p.code, p.severity, p.sheet) for p in missing] == [("rows-missing", "warning", "封面")]
    assert "英文名称" in missing[0].message
    assert not result.blocks()
