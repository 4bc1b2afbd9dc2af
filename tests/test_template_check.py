"""check-template: syntax errors with their paragraph, unknown variables, unused fields; render refuses bad templates."""

import json

import pytest
from click.testing import CliRunner
from conftest import INPUTS
from docx import Document
from docx.oxml.ns import qn

from annual_report.cli.main import main
from annual_report.core.errors import TemplateError
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.report import template_check
from annual_report.report.render import TEMPLATE_PATH


def template_with(tmp_path, *texts: str):
    """The shipped template with more body paragraphs at its end."""
    document = Document(TEMPLATE_PATH)
    for text in texts:
        document.add_paragraph(text)
    path = tmp_path / "改过的模板.docx"
    document.save(path)
    return path


def problems(path):
    result = CliRunner().invoke(main, ["check-template", str(path), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_shipped_template_has_no_errors():
    code, found = problems(TEMPLATE_PATH)
    assert code == 0
    assert all(p["severity"] == "warning" for p in found)


def test_unknown_variable_is_an_error_naming_its_paragraph(tmp_path):
    code, found = problems(template_with(tmp_path, "{{ cuver.name }}"))
    assert code == 1
    errors = [p for p in found if p["severity"] == "error"]
    assert [(p["code"], p["field"]) for p in errors] == [("template-unknown-variable", "cuver")]
    assert errors[0]["cell"].startswith("正文第")


def test_syntax_error_names_the_paragraph(tmp_path):
    path = template_with(tmp_path, "{% endif %}多余的结束", "后面还有一段")
    code, found = problems(path)
    assert code == 1
    bad = sum(1 for _ in Document(path).element.body.iter(qn("w:p"))) - 1  # the paragraph before the last
    assert [(p["code"], p["cell"]) for p in found] == [("template-syntax", f"正文第{bad}段")]
    assert "endif" in found[0]["message"] and "“{% endif %}多余的结束”" in found[0]["message"]


def test_a_filter_that_does_not_exist_is_found_before_rendering(tmp_path):
    path = template_with(tmp_path, "{{ cover.name | nosuch }}", "后面还有一段")
    code, found = problems(path)
    assert code == 1 and [p["code"] for p in found] == ["template-syntax"] and "nosuch" in found[0]["message"]


def test_unused_fields_are_warnings(tmp_path):
    document = Document()
    document.add_paragraph("{{ cover.name }}{% for r in awards %}{{ r.title }}{% endfor %}")
    path = tmp_path / "最简模板.docx"
    document.save(path)
    code, found = problems(path)
    unused = {p["field"] for p in found if p["code"] == "template-unused-field"}
    assert code == 0
    assert {"budget.income", "awards.issuer", "cover.report_date"} <= unused
    assert not {"cover.name", "awards.title", "cover.level"} & unused  # level is not meant for the document


def test_a_template_without_a_place_for_an_insert_says_which(tmp_path):
    document = Document()
    document.add_paragraph('{% for block in body %}{% if block.kind == "awards_table" %}荣誉{% endif %}{% endfor %}')
    path = tmp_path / "只有荣誉表.docx"
    document.save(path)
    code, found = problems(path)
    missing = {p["field"] for p in found if p["code"] == "template-missing-block"}
    assert code == 0 and "organisation_table" in missing and "awards_table" not in missing
    assert "figure" in missing  # no place for charts and pictures either


def test_shipped_template_shows_every_document_field():
    _, found = problems(TEMPLATE_PATH)
    assert [p["field"] for p in found] == []


def test_render_refuses_a_broken_template(tmp_path):
    with pytest.raises(TemplateError, match="cuver"):
        broken = template_with(tmp_path, "{{ cuver.name }}")
        render_workbook(INPUTS / "曲阜市图书馆-2020.xlsx", RenderOptions(output=tmp_path / "x.docx", template=broken))
    assert not (tmp_path / "x.docx").exists()


def test_missing_template_file(tmp_path):
    result = CliRunner().invoke(main, ["check-template", str(tmp_path / "没有.docx")])
    assert result.exit_code == 1 and "找不到" in result.output


def test_an_unchanged_template_is_checked_once_across_processes(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    path = template_with(tmp_path, "{{ cuver.name }}")
    first = template_check.check_template(path)
    assert [p.code for p in first if p.severity == "error"] == ["template-unknown-variable"]
    assert len(list((tmp_path / "cache").glob("template-check-*.json"))) == 1
    template_check._remembered.cache_clear()  # as a new process would start

    def unchecked(*args):
        raise AssertionError("checked again")

    monkeypatch.setattr(template_check, "_check", unchecked)
    assert template_check.check_template(path) == first
    changed = template_with(tmp_path, "{{ cuver.name }}", "多一段")
    with pytest.raises(AssertionError, match="checked again"):
        template_check.check_template(changed)


def test_a_broken_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    path = template_with(tmp_path, "{{ cuver.name }}")
    blocked = tmp_path / "一个文件"
    blocked.write_text("")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(blocked / "cache"))  # a folder inside a file cannot be made
    expected = template_check.check_template(path)
    assert [p.field for p in expected if p.severity == "error"] == ["cuver"]
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    template_check._remembered.cache_clear()
    assert template_check.check_template(path) == expected
    [stored] = (tmp_path / "cache").glob("template-check-*.json")
    stored.write_text('[{"没有": 1}', encoding="utf-8")
    template_check._remembered.cache_clear()
    assert template_check.check_template(path) == expected


def test_a_template_without_a_style_the_report_needs_says_which(tmp_path):
    document = Document(TEMPLATE_PATH)
    figure = next(style for style in document.styles if style.name == "Figure")
    figure.element.getparent().remove(figure.element)
    path = tmp_path / "没有图的样式.docx"
    document.save(path)
    code, found = problems(path)
    missing = [p for p in found if p["code"] == "template-missing-style"]
    assert code == 1 and [p["field"] for p in missing] == ["Figure"]
    assert "「Figure」" in missing[0]["message"] and "图表和图片的位置" in missing[0]["message"]
    with pytest.raises(TemplateError, match="Figure"):
        render_workbook(INPUTS / "曲阜市图书馆-2020.xlsx", RenderOptions(output=tmp_path / "报告.docx", template=path))
