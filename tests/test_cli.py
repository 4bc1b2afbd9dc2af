"""Each command through Click's test runner: output, exit codes and refusals."""

import importlib
import json

from click.testing import CliRunner
from conftest import INPUTS
from docx import Document
from openpyxl import load_workbook

from annual_report.cli.group import COMMANDS
from annual_report.cli.main import main

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_help_is_in_chinese():
    result = run("--help")
    assert result.exit_code == 0
    assert "年报" in result.output and "validate" in result.output


def test_template_writes_a_blank_workbook_that_fails_validation(tmp_path):
    blank = tmp_path / "空白.xlsx"
    assert run("template", "-o", blank).exit_code == 0
    result = run("validate", blank)
    assert result.exit_code == 1
    assert "封面!B2：「图书馆名称（中文）」必须填写" in result.output
    assert "封面!B4：「报告年度」必须填写" in result.output
    assert "Traceback" not in result.output


def test_template_refuses_to_overwrite(tmp_path):
    blank = tmp_path / "空白.xlsx"
    blank.write_bytes(b"mine")
    result = run("template", "-o", blank)
    assert result.exit_code == 1 and "--force" in result.output
    assert blank.read_bytes() == b"mine"
    assert run("template", "-o", blank, "--force").exit_code == 0
    assert "说明" in load_workbook(blank).sheetnames


def test_validate_json_reports_every_field(tmp_path):
    blank = tmp_path / "空白.xlsx"
    run("template", "-o", blank)
    result = run("validate", blank, "--format", "json")
    report = json.loads(result.stdout)
    assert report["valid"] is False
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert {(p["sheet"], p["cell"], p["code"]) for p in errors} == {
        ("封面", "B2", "required"),
        ("封面", "B4", "required"),
        ("正文", "A6", "required"),  # below the example rows
    }
    assert set(report["problems"][0]) == {"sheet", "cell", "field", "code", "severity", "message"}


def test_validate_sample_passes():
    result = run("validate", LIJIANG)
    assert result.exit_code == 0


def test_three_kinds_of_problem_in_one_run(qufu, make_workbook):
    qufu["staff"]["employed"] = "十四"
    qufu["indicators"]["visits"]["current"] = -5
    path = make_workbook(qufu)
    from openpyxl import load_workbook

    book = load_workbook(path)
    del book["荣誉"]
    book.save(path)
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    found = {(p["code"], p["sheet"], p["cell"]) for p in json.loads(result.stdout)["problems"]}
    assert ("not-a-number", "人员", "B3") in found
    assert ("negative", "主要数据", "B2") in found
    assert ("sheet-missing", "荣誉", "") in found


def test_render_writes_the_report_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "报告.docx"
    result = run("render", LIJIANG, "-o", out, "--no-layout")
    assert result.exit_code == 0, result.output
    assert Document(out).paragraphs
    before = out.read_bytes()
    again = run("render", LIJIANG, "-o", out, "--no-layout")
    assert again.exit_code == 1 and "已经存在" in again.output
    assert out.read_bytes() == before
    assert run("render", LIJIANG, "-o", out, "--force", "--no-layout").exit_code == 0


def test_render_default_path_is_in_outputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("render", LIJIANG, "--no-layout")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outputs" / "丽江市图书馆-2020-年报.docx").is_file()


def test_render_refuses_invalid_input_and_writes_nothing(qufu, make_workbook, tmp_path):
    del qufu["cover"]["name"]
    out = tmp_path / "报告.docx"
    result = run("render", make_workbook(qufu), "-o", out)
    assert result.exit_code == 1
    assert "必须填写" in result.output and "未生成" in result.output
    assert not out.exists()


def test_unreadable_file_exits_2_without_traceback(tmp_path):
    fake = tmp_path / "假的.xlsx"
    fake.write_text("名称,年度\n曲阜,2020\n", encoding="utf-8")
    result = run("validate", fake)
    assert result.exit_code == 2
    assert "不是 Excel 工作簿" in result.output and "Traceback" not in result.output


def test_hints_name_the_command_the_user_typed(tmp_path, monkeypatch):
    from annual_report.core import program

    monkeypatch.setattr(program, "_started_as", program.program())  # restored after the test
    installed = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "a.xlsx")], prog_name="fill")
    assert f"然后运行：fill validate {tmp_path / 'a.xlsx'}" in installed.output
    module = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "b.xlsx")], prog_name="python -m annual_report")
    assert "然后运行：python -m annual_report validate" in module.output


def test_the_list_of_commands_says_what_each_command_says_first():
    # --help lists COMMANDS' lines without importing the commands: each must be its command's own first line
    for name, entry in COMMANDS.items():
        command = getattr(importlib.import_module(entry.module), entry.function)
        assert command.help.strip().split("\n")[0] == entry.short_help, name
