"""template --from-docx on bad input and through the command line: a Chinese message naming the file, or a result."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from docx import Document
from ole import word_document
from seed_documents import build

from annual_report.cli.main import main
from annual_report.core.problems import ERROR, Problem, ValidationResult
from annual_report.importer import document as document_module
from annual_report.importer import mending
from annual_report.importer.document import import_document
from annual_report.layout import libreoffice
from annual_report.workbook.read import read_workbook


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def refused(path, *words: str) -> str:
    """Import path through the command line; it must fail with one Chinese line naming the file."""
    result = run("template", "--from-docx", str(path), "-o", str(path.with_suffix(".xlsx")))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert path.name in result.output
    for word in words:
        assert word in result.output
    assert not path.with_suffix(".xlsx").exists()
    return result.output


def test_password_protected_docx(tmp_path):
    """An encrypted .docx is an OLE container with an EncryptedPackage stream instead of a zip (as Word writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = build("qufu_2020", "plain", tmp_path / "明文.docx")
    path = tmp_path / "加密.docx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    refused(path, "密码")
    refused(word_document(tmp_path / "加密.doc", encrypted=True), "密码")


def test_corrupt_docx(tmp_path):
    whole = io.BytesIO()
    Document().save(whole)
    path = tmp_path / "损坏.docx"
    path.write_bytes(whole.getvalue()[:2000])
    refused(path, "另存为")
    garbage = tmp_path / "乱码.docx"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    refused(garbage)


def test_a_workbook_renamed_to_docx(tmp_path):
    path = tmp_path / "表格.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refused(path, "不是 Word 文档", "Excel")


def docx_of(tmp_path, lines: list[str], name: str) -> Path:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(tmp_path / name)
    return tmp_path / name


def test_a_document_without_text_is_refused(tmp_path):
    path = docx_of(tmp_path, ["某某县图书馆2022年年报", "", "  "], "只有标题.docx")
    refused(path, "没有正文")


def test_a_report_without_numbered_headings_imports(tmp_path):
    lines = ["某某县图书馆2022年工作总结", "2022年，我馆坚持公益服务，全年免费开放，各项工作稳步推进，现总结如下。",
             "阵地服务提质增效", "全年接待到馆读者17万人次，图书流通14万册次，新增持证读者1000个。",
             "【阅读推广】全年开展全民阅读活动120场，惠及读者3.5万人次。"]  # fmt: skip
    imported = import_document(docx_of(tmp_path, lines, "无编号.docx"))
    rows = imported.data["narrative"]
    assert [(r["level"], r.get("title")) for r in rows if r["level"] == "无编号"] == [
        ("无编号", "阵地服务提质增效"), ("无编号", "阅读推广")]  # fmt: skip
    figures = {key: pair["previous"] for key, pair in imported.data["indicators"].items()}
    assert figures == {"visits": 170000, "loans_items": 140000, "new_cards": 1000, "activities": 120,
                       "activity_participants": 35000}  # fmt: skip
    one = import_document(docx_of(tmp_path, ["某某县图书馆2022年工作总结", lines[1] * 3], "一段.docx"))
    assert [r["level"] for r in one.data["narrative"]] == ["正文"]


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["某某县图书馆2022年年报"], "只有标题.docx"),
        (["Notice", "The library opens longer from next week."], "英文.docx"),
    ],
)
def test_every_refusal_under_format_json_is_json(tmp_path, lines, name):
    path = docx_of(tmp_path, lines, name)
    for given in (path, tmp_path / "没有这个文件.docx"):
        result = run("template", "--from-docx", str(given), "--format", "json", "-o", str(tmp_path / "新.xlsx"))
        assert result.exit_code == 2
        refusal = json.loads(result.stdout)
        [problem] = refusal["problems"]
        assert refusal["valid"] is False and problem["code"] == "unreadable" and given.name in problem["message"]
        assert problem["message"] in result.stderr
    assert not (tmp_path / "新.xlsx").exists()


def test_a_missing_file(tmp_path):
    result = run("template", "--from-docx", str(tmp_path / "没有.docx"))
    assert result.exit_code == 2
    assert "找不到文件" in result.output


def test_ten_thousand_paragraphs_give_a_result(tmp_path):
    document = Document()
    document.add_paragraph("某某县图书馆2020年年报")
    for section in range(1, 201):
        document.add_paragraph(f"{section}. 第 {section} 项工作")
        for line in range(49):
            document.add_paragraph(f"第 {section} 项工作的第 {line} 段正文，全年开展了许多活动。")
    path = tmp_path / "很长.docx"
    document.save(path)
    imported = import_document(path)
    assert len(imported.data["narrative"]) == 200
    assert imported.report.headings == {"1": 200}
    assert imported.report.body_paragraphs == 200 * 49


def test_shapes_that_could_make_the_reader_quadratic_import(tmp_path):
    # many contents titles, numbers glued to their text and figures in one long cell: read in one pass each
    lines = ["某某县图书馆2020年年报", "2020年，我馆全年免费开放，各项工作稳步推进，现将全年工作总结如下。"]
    lines += [x for i in range(600) for x in ("目录", f"{i % 9 + 1}完善服务第{i}项", "全年接待读者10万人次，其中少儿读者3万人次。")]
    # numberings started again under their heading, and item numbers run into dates, again and again
    lines += [x for i in range(600) for x in ("一、工作", "做好以下工作：", f"1{i % 9 + 1}.5开展活动", f"2{i % 9 + 1}月开展活动")]
    imported = import_document(docx_of(tmp_path, lines, "长.docx"))
    assert imported.data["indicators"]["visits"]["previous"] == 100000
    assert imported.report.dropped["目录"] >= 600


def test_old_doc_without_libreoffice_says_to_save_as_docx(tmp_path, monkeypatch):
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    output = refused(word_document(tmp_path / "旧格式.doc"), "LibreOffice", "另存为")
    assert "Word 文档（*.docx）" in output
    refused(tmp_path / "旧格式.doc", "LibreOffice")


@pytest.mark.libreoffice
@pytest.mark.skipif(libreoffice.find_soffice() is None, reason="needs LibreOffice")
def test_doc_and_wps_are_converted_by_libreoffice(old_doc, tmp_path):
    wps = tmp_path / "曲阜.wps"
    shutil.copyfile(old_doc, wps)
    for path in (old_doc, wps):
        data = import_document(path).data
        assert data["cover"]["name"] == "曲阜市图书馆"
        assert [row.get("title") for row in data["narrative"]][1:3] == ["年度概况", "文献借阅服务保持稳定"]


def test_cli_writes_the_workbook_and_prints_the_report(tmp_path):
    docx = build("lijiang_2020", "plain", tmp_path / "丽江.docx")
    output = tmp_path / "新.xlsx"
    result = run("template", "--from-docx", str(docx), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "从 丽江.docx（2020 年度）读到" in result.output
    assert "需要核对的地方" in result.output
    assert read_workbook(output).data["cover"]["year"] == 2021
    again = run("template", "--from-docx", str(docx), "-o", str(output))
    assert again.exit_code == 1
    assert "已经存在" in again.output
    forced = run("template", "--from-docx", str(docx), "-o", str(output), "--force", "--year", "2023")
    assert forced.exit_code == 0
    assert read_workbook(output).data["cover"]["year"] == 2023
    assert read_workbook(output).data["cover"]["title"] == "丽江市图书馆2023年年报"


def test_cli_json_is_the_same_report_as_data(tmp_path):
    docx = build("qufu_2020", "plain", tmp_path / "曲阜.docx")
    result = CliRunner().invoke(
        main, ["template", "--from-docx", str(docx), "-o", str(tmp_path / "q.xlsx"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["headings"] == {"1": 6, "3": 10}
    assert report["items"] == 2
    assert report["output"] == str(tmp_path / "q.xlsx")
    assert report["guesses"][0]["paragraph"] == 100


def test_from_and_from_docx_together_is_a_usage_error(tmp_path):
    result = run("template", "--from", "a.xlsx", "--from-docx", "b.docx")
    assert result.exit_code == 2
    assert "只能选一个" in result.output


def test_a_report_without_any_year_is_dated_by_today_and_says_so(tmp_path, monkeypatch):
    document = Document()
    for line in ["一、概况", "全年开放。", "二、服务", "服务正常。"]:
        document.add_paragraph(line)
    path = tmp_path / "无年度.docx"
    document.save(path)
    for today, report_year in ((dt.date(2026, 12, 7), 2026), (dt.date(2027, 3, 1), 2026)):
        monkeypatch.setattr(document_module, "dt", SimpleNamespace(date=SimpleNamespace(today=lambda day=today: day)))
        imported = import_document(path)
        assert imported.report.source_year == report_year and imported.data["cover"]["year"] == report_year + 1
        assert any("没有年度" in g["message"] and "--year" in g["message"] for g in imported.report.to_dict()["guesses"])


def test_a_year_only_the_body_names_outside_history_is_the_report_year(tmp_path):
    lines = ["单位名称 某某县图书馆", "开展业务活动情况 2021年,本馆在区委领导下接待读者3万人次。", "2021年完成了各项工作。",
             "本馆成立于1979年。"]  # fmt: skip
    imported = import_document(docx_of(tmp_path, lines, "表格式.docx"))
    assert imported.report.source_year == 2021 and imported.data["cover"]["year"] == 2022


def test_year_overrides_the_guess(tmp_path):
    path = docx_of(tmp_path, ["一、概况", "全年正常开放，服务读者。", "二、服务", "服务正常。"], "无年度.docx")
    assert import_document(path, year=2021).data["cover"]["year"] == 2021


def test_a_workbook_the_checks_still_reject_after_mending_is_refused_naming_the_document(tmp_path, monkeypatch):
    docx = build("lijiang_2020", "plain", tmp_path / "丽江.docx")
    stuck = Problem("正文", "B9", "", "text-too-long", ERROR, "正文!B9：这一段太长")  # nothing the mending can change
    monkeypatch.setattr(mending, "validate_workbook", lambda _path, _schema: (None, ValidationResult((stuck,))))
    said = refused(docx, "无法自动改正", "正文!B9：这一段太长", "没有生成工作簿")
    assert "AssertionError" not in said
    result = run("template", "--from-docx", str(docx), "--format", "json", "-o", str(tmp_path / "新.xlsx"))
    assert result.exit_code == 2
    (found,) = json.loads(result.stdout)["problems"]
    assert "丽江.docx" in found["message"] and "无法自动改正" in found["message"]


def test_a_table_typed_as_label_and_number_lines_gives_its_figures(tmp_path):
    lines = ["某某县图书馆2021年工作总结", "一、主要数据", "进馆人次", "125000", "外借册次", "8.2万册次", "二、工作",
             "全年工作顺利。"]  # fmt: skip
    imported = import_document(docx_of(tmp_path, lines, "表格.docx"))
    assert {k: v["previous"] for k, v in imported.data["indicators"].items()} == {"visits": 125000, "loans_items": 82000}
    assert imported.data["narrative"][0]["text"] == "进馆人次：125000\n外借册次：8.2万册次"


def test_a_title_calling_the_report_a_报表_gives_its_year(tmp_path):
    lines = ["某区2021年年度报表", "一、单位概况", "2020年新馆开放以来，全年接待读者20万人次。"]
    assert import_document(docx_of(tmp_path, lines, "报表.docx")).data["cover"]["year"] == 2022


def test_a_summary_and_plan_title_moves_both_years(tmp_path):
    lines = ["某市图书馆2021年工作总结暨2022年工作计划", "一、读者服务", "全年接待读者20万人次。"]
    imported = import_document(docx_of(tmp_path, lines, "总结暨计划.docx"))
    assert imported.data["cover"]["title"] == "某市图书馆2022年工作总结暨2023年工作计划"


def test_a_report_without_a_title_keeps_its_first_label(tmp_path):
    lines = ["【工作概况】", "2022年某区图书馆共接待读者8.5万人次。", "【阅读推广】", "全年开展各类活动120场次。"]
    imported = import_document(docx_of(tmp_path, lines, "无标题.docx"))
    assert [r.get("title") for r in imported.data["narrative"]] == ["工作概况", "阅读推广"]
    for cover in (["某县图书馆2022年", "工作总结"], ["年度工作报告", "某县图书馆"], ["内部资料 注意保存"]):
        imported = import_document(docx_of(tmp_path, [*cover, "全年接待读者9万人次。"], "封面.docx"))
        assert [r.get("title") for r in imported.data["narrative"]] == [None], cover


def test_the_first_unnumbered_heading_after_the_title_is_no_cover_line(tmp_path):
    lines = ["某某县图书馆2022年工作总结", "某某县图书馆", "联系人 张三", "2023年1月", "基本情况", "全年接待读者10万人次，工作顺利。",
             "读者服务", "全年开展活动50场，服务读者2万人次。"]  # fmt: skip
    imported = import_document(docx_of(tmp_path, lines, "无编号.docx"))
    assert [(r["level"], r.get("title")) for r in imported.data["narrative"]] == [("无编号", "基本情况"), ("无编号", "读者服务")]
    assert imported.data["cover"]["name"] == "某某县图书馆"
