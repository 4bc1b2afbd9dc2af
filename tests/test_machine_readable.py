"""--format json is one JSON document in every outcome, whatever a library prints; refusals and crashes included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import INPUTS
from make_samples import ROOT
from other_formats import numbers, printing_workbook, spreadsheet_xml, sylk

from annual_report.cli.main import main

SAMPLES = ("曲阜市图书馆-2020.xlsx", "丽江市图书馆-2020.xlsx")


def test_validate_json_over_a_folder_of_every_kind_of_file(tmp_path):
    """Run as a librarian's script would (a process of its own): stdout must parse, one entry per file."""
    folder = tmp_path / "各馆"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(INPUTS / name, folder / name)
    shutil.copytree(INPUTS / "图片", folder / "图片")  # 曲阜's photo: a picture, not a file to check
    printing_workbook(INPUTS / SAMPLES[1], folder / "读取时有输出.xlsx")
    (folder / "坏的.xlsx").write_bytes((INPUTS / SAMPLES[0]).read_bytes()[:3000])
    numbers(folder / "苹果.numbers")
    sylk(folder / "导出.slk")
    spreadsheet_xml(folder / "旧版.xml")
    done = subprocess.run(
        [sys.executable, "-m", "annual_report", "validate", str(folder), "--format", "json", "-j", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    records = {r["file"]: r for r in json.loads(done.stdout)}  # the whole of stdout is the document
    assert sorted(records) == sorted(
        [*SAMPLES, "读取时有输出.xlsx", "坏的.xlsx", "苹果.numbers", "导出.slk", "旧版.xml"]
    )
    assert all(records[name]["valid"] for name in SAMPLES)
    printed = records["读取时有输出.xlsx"]
    assert "read-values-only" in [p["code"] for p in printed["problems"]], "read by its values, with a warning"
    reasons = {name: records[name]["first_problem"] for name in ("坏的.xlsx", "苹果.numbers", "导出.slk", "旧版.xml")}
    assert not any(records[name]["valid"] for name in reasons)
    assert "已损坏" in reasons["坏的.xlsx"]
    assert "Numbers" in reasons["苹果.numbers"] and "无法读取这种格式" in reasons["苹果.numbers"]
    assert "SYLK" in reasons["导出.slk"] and "另存为" in reasons["导出.slk"]
    assert "Excel 2003 XML" in reasons["旧版.xml"] and "另存为" in reasons["旧版.xml"]
    assert all(name in reason for name, reason in reasons.items())


@pytest.fixture
def printing_libraries(monkeypatch):
    """The libraries the commands call print to standard output, as some do on odd files."""
    import docx.api
    import jsonschema

    import annual_report.importer.source as source

    validator = jsonschema.Draft202012Validator.iter_errors

    def iter_errors(self, *args, **kwargs):
        print("jsonschema says hello")
        yield from validator(self, *args, **kwargs)

    real_document = docx.api.Document

    def document(*args, **kwargs):
        print("python-docx says hello")
        return real_document(*args, **kwargs)

    monkeypatch.setattr(jsonschema.Draft202012Validator, "iter_errors", iter_errors)
    monkeypatch.setattr(docx, "Document", document)
    monkeypatch.setattr(source, "Document", document, raising=False)


def commands(tmp_path) -> dict[str, list[str]]:
    from docx import Document

    report = tmp_path / "上年.docx"
    document = Document()
    for line in (
        "曲阜市图书馆2020年度工作报告",
        "一、基本情况",
        "全年接待读者十二万人次，比上年增长百分之十。",
        "二、主要工作",
        "开展阅读推广活动三十场。",
    ):
        document.add_paragraph(line)
    document.save(report)
    sample = str(INPUTS / SAMPLES[0])
    return {
        "validate": ["validate", sample],
        "validate folder": ["validate", str(INPUTS)],
        "template --from": ["template", "--from", sample, "-o", str(tmp_path / "下一年.xlsx")],
        "template --from-docx": ["template", "--from-docx", str(report), "-o", str(tmp_path / "导入.xlsx")],
        "trace": ["trace", sample],
        "check-template": ["check-template"],
    }


@pytest.mark.parametrize(
    "command", ["validate", "validate folder", "template --from", "template --from-docx", "trace", "check-template"]
)
def test_each_command_prints_one_json_document_while_libraries_print(command, tmp_path, printing_libraries):
    args = commands(tmp_path)[command] + ["--format", "json"]
    result = CliRunner().invoke(main, args)
    json.loads(result.stdout)
    assert "hello" not in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "没有这个文件.xlsx"], "unreadable"),
        (["validate", str(ROOT / "README.md")], "unreadable"),
        (["template", "--from-docx", str(INPUTS / SAMPLES[0])], "unreadable"),
        (["trace", "没有这个文件.xlsx"], "unreadable"),
        (["validate", str(INPUTS), "--branches", str(INPUTS)], "unreadable"),  # a usage error
    ],
)
def test_a_refusal_is_a_json_document(args, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    problems = document[0]["problems"] if isinstance(document, list) else document["problems"]
    assert [p["code"] for p in problems] == [code]


def test_a_crash_is_a_json_document_without_python_words(monkeypatch):
    import annual_report.cli.validate as validate  # the command's own name for it: a defect stands in

    def broken(*args, **kwargs):
        raise KeyError(None)

    monkeypatch.setattr(validate, "validate_workbook", broken)
    result = CliRunner().invoke(main, ["validate", str(INPUTS / SAMPLES[0]), "--format", "json"])
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)["problems"]
    assert found["code"] == "internal-error" and SAMPLES[0] in found["message"]
    assert "KeyError" not in result.output and "None" not in result.output
