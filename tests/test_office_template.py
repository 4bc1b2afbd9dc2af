"""An office's own Word template: template --word writes the built-in one, render --template (one workbook, a folder)
uses another, and the committed worked example (a 红头 and a fixed closing) makes both samples' reports."""

import zipfile

import pytest
from click.testing import CliRunner
from conftest import INPUTS
from docx import Document
from make_samples import OFFICE_TEMPLATE, SAMPLES, TEMPLATE, build_office_template

from annual_report.cli.main import main
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook

OFFICE = "示例市文化和旅游局"


def paragraphs(path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(path).paragraphs if p.text]


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_rendered_with_the_office_template_has_its_red_head_and_fixed_closing(name, tmp_path):
    outcome = render_workbook(INPUTS / SAMPLES[name], RenderOptions(output=tmp_path / "报告.docx", template=OFFICE_TEMPLATE))
    found = paragraphs(outcome.output)
    head = found.index(("红头", OFFICE))
    assert found[head + 1][0] == "Title"  # the 红头 right above the report's title
    library = outcome.book.text("cover", "name")
    signature = found.index(("Closing Signature", library))
    assert found[signature + 1 :][-2:] == [("版记", f"报送：{OFFICE}公共服务科"), ("版记", f"{OFFICE}办公室印发")]


def test_the_committed_office_template_is_what_its_builder_makes(tmp_path):
    fresh = build_office_template(tmp_path / "示例.docx")
    with zipfile.ZipFile(fresh) as made, zipfile.ZipFile(OFFICE_TEMPLATE) as committed:
        for part in ("word/document.xml", "word/styles.xml"):
            assert made.read(part) == committed.read(part), f"{part}: run python tests/make_samples.py"


def test_template_word_writes_the_built_in_template_and_never_over_a_file(tmp_path):
    target = tmp_path / "我局模板.docx"
    first = CliRunner().invoke(main, ["template", "--word", "-o", str(target)])
    assert first.exit_code == 0, first.output
    assert target.read_bytes() == TEMPLATE.read_bytes()
    target.write_bytes(b"edited")
    again = CliRunner().invoke(main, ["template", "--word", "-o", str(target)])
    assert again.exit_code != 0 and "已经存在" in again.output and target.read_bytes() == b"edited"
    both = CliRunner().invoke(main, ["template", "--word", "--from", str(INPUTS / SAMPLES["qufu_2020"])])
    assert both.exit_code == 2


def test_render_of_a_folder_uses_the_office_template(tmp_path):
    folder = tmp_path / "各馆"
    folder.mkdir()
    (folder / "丽江.xlsx").write_bytes((INPUTS / SAMPLES["lijiang_2020"]).read_bytes())
    result = CliRunner().invoke(
        main, ["render", str(folder), "-o", str(tmp_path / "报告"), "--no-layout", "-j", "1", "--template", str(OFFICE_TEMPLATE)]
    )
    assert result.exit_code == 0, result.output
    (report,) = (tmp_path / "报告").glob("*.docx")
    assert ("红头", OFFICE) in paragraphs(report)


def test_render_refuses_a_broken_office_template_before_any_work(tmp_path):
    broken = tmp_path / "坏模板.docx"
    broken.write_bytes(b"not a docx")
    result = CliRunner().invoke(main, ["render", str(INPUTS / SAMPLES["qufu_2020"]), "--template", str(broken),
                                       "-o", str(tmp_path / "报告.docx"), "--no-layout"])  # fmt: skip
    assert result.exit_code != 0 and "坏模板.docx" in result.output
    assert not (tmp_path / "报告.docx").exists()
