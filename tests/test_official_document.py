"""The report looks official: GB/T 9704 styles, contents with page numbers, charts, pictures, PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import INPUTS, headings, table_after
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree
from make_samples import SAMPLES

from annual_report.layout import libreoffice as layout
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.workbook.inserts import split_inserts
from annual_report.workbook.validate import validate_workbook

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@pytest.fixture(scope="session")
def drafts(tmp_path_factory) -> dict:
    """Both samples rendered without LibreOffice, as files."""
    out = tmp_path_factory.mktemp("drafts")
    return {
        name: render_workbook(INPUTS / filename, RenderOptions(output=out / f"{name}.docx")).output
        for name, filename in SAMPLES.items()
    }


# Styles ---------------------------------------------------------------------------------------


def _resolved(document, paragraph, attribute: str):
    """A run property of a paragraph's text as Word resolves it: paragraph style chain, then defaults."""
    style = paragraph.style
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None:
            value = _property(rpr, attribute)
            if value is not None:
                return value
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    return _property(defaults, attribute)


def _property(rpr, attribute: str):
    if attribute == "eastAsia":
        fonts = rpr.find(qn("w:rFonts"))
        return None if fonts is None else fonts.get(qn("w:eastAsia"))
    size = rpr.find(qn("w:sz"))
    return None if size is None else int(size.get(qn("w:val"))) / 2


def test_body_headings_and_title_resolve_to_the_standard_fonts(rendered):
    document = rendered["lijiang_2020"]
    found = {}
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title") and paragraph.text and name not in found:
            assert all(run.font.name is None and run._r.rPr is None for run in paragraph.runs), name
            found[name] = (_resolved(document, paragraph, "eastAsia"), _resolved(document, paragraph, "size"))
    assert found == {
        "Title": ("方正小标宋简体", 22),
        "Normal": ("仿宋", 16),
        "Heading 1": ("黑体", 16),
        "Heading 2": ("楷体", 16),
        "Heading 3": ("仿宋", 16),
    }
    fonts = etree.fromstring(document.part.part_related_by(_rel("fontTable")).blob)
    alternative = fonts.find(f"{qn('w:font')}[@{qn('w:name')}='方正小标宋简体']/{qn('w:altName')}")
    assert alternative.get(qn("w:val")) == "华文中宋"  # a Song as heavy as 小标宋 where it is missing


def _rel(name: str) -> str:
    return f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{name}"


def test_every_section_is_a4_with_the_standard_margins(rendered):
    sections = rendered["qufu_2020"].sections
    assert len(sections) == 3  # cover, contents, body
    for section in sections:
        size = section._sectPr.find(qn("w:pgSz"))
        assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
        assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]


def test_page_numbers_only_in_the_body_odd_right_even_left(rendered):
    document = rendered["qufu_2020"]
    cover, contents, body = document.sections
    for section in (cover, contents):
        assert section._sectPr.findall(qn("w:footerReference")) == []
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((body.footer, "right"), (body.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert "".join(t.text for t in paragraph._p.iter(qn("w:t"))) == "— 1 —"
        assert paragraph.alignment.name.lower() == alignment
        assert paragraph._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


# Contents without LibreOffice -------------------------------------------------------------------


def test_without_layout_the_contents_ask_word_to_update(rendered):
    document = rendered["lijiang_2020"]
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert _contents_pages(document) and all(page == "" for _, page in _contents_pages(document))


def _contents_pages(document) -> list[tuple[str, str]]:
    """(heading text, cached PAGEREF result) of every contents entry."""
    entries = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        texts = [t.text or "" for t in link.iter(qn("w:t"))]
        entries.append((texts[0], texts[-1] if len(texts) > 1 else ""))
    return entries


# Charts, pictures, tables --------------------------------------------------------------------------


def _charts(document) -> list:
    parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype == _rel("chart")]
    return sorted(parts, key=lambda part: int(re.search(r"(\d+)", str(part.partname)).group(1)))


def _cached(part) -> list[list[float]]:
    space = etree.fromstring(part.blob)
    return [[float(v.text) for v in series.iter(f"{C}v") if v.getparent().getparent().tag == f"{C}numCache"]
            for series in space.iter(f"{C}ser")]  # fmt: skip


def test_qufu_has_two_native_staff_charts_with_their_data(rendered):
    document = rendered["qufu_2020"]
    charts = _charts(document)
    assert [part.content_type for part in charts] == [CHART_TYPE, CHART_TYPE]
    assert [_cached(part) for part in charts] == [[[2, 8, 3, 1]], [[0, 13, 1]]]  # 研究生、本科、大专 as the table
    for part in charts:
        space = etree.fromstring(part.blob)
        assert all(int(axis.get("val")) > 0 for axis in space.iter(f"{C}axId"))
        workbook = part.part_related_by(_rel("package"))
        assert workbook.blob[:2] == b"PK"
        assert space[-1].tag == f"{C}externalData"


def test_qufu_figures_in_narrative_order_with_captions_below(rendered):
    document = rendered["qufu_2020"]
    body = [p for p in document.paragraphs if p.style.name in ("Figure", "Figure Caption")]
    captions = [p.text for p in body if p.style.name == "Figure Caption"]
    assert captions == [
        "图1 曲阜市图书馆组织结构图",
        "图2 人员职称结构",
        "图3 人员学历结构",
        "图4 疫情防控期间有序开放的阅览室",
    ]
    assert [p.style.name for p in body] == ["Figure", "Figure Caption"] * 4
    pictures = [p for p in body if p._p.find(f".//{qn('pic:pic')}") is not None]
    assert len(pictures) == 2
    for paragraph in pictures:
        extent = paragraph._p.find(f".//{qn('wp:extent')}")
        assert int(extent.get("cx")) <= Mm(150) and int(extent.get("cy")) <= Mm(110)


def test_lijiang_key_figures_chart_of_one_pair_of_bars_is_a_sentence(rendered):
    document = rendered["lijiang_2020"]
    # 进馆人次, 外借册次 and 微信关注人数 have both years: three units, one number of each, a sentence says it
    assert _charts(document) == []
    assert [p.text for p in document.paragraphs if p.style.name == "Figure Caption"] == []
    sentence = "进馆人次2020年为30000人次，2019年为80400人次。"
    assert sentence in [p.text for p in document.paragraphs if p.style.name == "Normal"]


def test_organisation_table_merges_equal_consecutive_departments(qufu, make_workbook, tmp_path):
    qufu["organisation"][1]["department"] = "办公室"
    qufu["organisation"][2]["department"] = "办公室"
    qufu["organisation"][4]["department"] = "阅览部"  # equal to row 4 as well
    outcome = render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / "报告.docx"))
    document = Document(outcome.output)
    rows = table_after(document, "组织机构")
    assert [row[0] for row in rows] == ["部门", "办公室", "", "", "阅览部", ""]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "部门")
    merges = [tr.findall(qn("w:tc"))[0].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") for tr in table._tbl.tr_lst[1:]]
    assert [None if m is None else m.get(qn("w:val"), "continue") for m in merges] == [
        "restart",
        "continue",
        "continue",
        "restart",
        "continue",
    ]


def test_tables_repeat_their_header_and_keep_rows_whole(rendered):
    for table in rendered["lijiang_2020"].tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def test_split_inserts():
    assert split_inserts("职称结构表、职称结构图") == ["职称结构表", "职称结构图"]
    assert split_inserts(" 组织结构图，组织机构表\n荣誉表 ") == ["组织结构图", "组织机构表", "荣誉表"]
    assert split_inserts("") == [] and split_inserts(None) == []


def test_missing_and_unreadable_pictures_are_errors_naming_their_cell(qufu, make_workbook):
    qufu["pictures"][1]["file"] = "图片/没有这张.jpg"
    qufu["pictures"].append({"name": "坏图", "file": "图片/坏图.png"})
    workbook = make_workbook(qufu)
    (workbook.parent / "图片" / "坏图.png").write_bytes(b"not a picture")
    _, result = validate_workbook(workbook)
    found = [(p.code, p.location) for p in result.errors]
    assert found == [("picture-missing", "图片!B3"), ("picture-unreadable", "图片!B4")]
    assert "没有这张.jpg" in result.errors[0].message


def test_a_pasted_picture_without_a_name_is_reported(qufu, make_workbook):
    del qufu["pictures"][0]["name"]  # the org chart stays pasted on the row
    _, result = validate_workbook(make_workbook(qufu))
    assert ("required", "图片!A2") in [(p.code, p.location) for p in result.errors]


# Schema check and LibreOffice ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_documents_pass_the_ooxml_schema_check(drafts, name):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(drafts[name]))
    assert result.errors == []


@pytest.mark.libreoffice
@needs_pdftotext
def test_lijiang_contents_pages_match_the_pdf_without_updating_fields(laid_out):
    outcome = laid_out["lijiang_2020"]
    assert outcome.laid_out
    document = Document(outcome.output)
    assert document.settings.element.find(qn("w:updateFields")) is None
    entries = _contents_pages(document)
    assert len(entries) == len([h for h in headings(document) if h[0] <= 2])
    assert all(page.isdigit() for _, page in entries)
    pages = _pdf_body_pages(outcome.pdf)
    start = 0
    for text, page in entries:
        wanted = _squash(text)
        start = next(i for i in range(start, len(pages)) if wanted in pages[i][1])
        assert pages[start][0] == page, text
    numbered = [line.strip() for line in _contents_page_lines(outcome.pdf) if re.search(r"\d\s*$", line)]
    assert len(numbered) == len(entries)
    assert [line for line in numbered if not re.search(r"[.…·]{3,}\s*\d+$", line)] == []  # dots lead to every page


def _contents_page_lines(pdf) -> list[str]:
    """The lines of the PDF's contents pages (after 目录, before the first page with a page number)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    first = next(i for i, page in enumerate(pages) if re.sub(r"\s", "", page).startswith("目录"))
    lines = []
    for page in pages[first:]:
        if re.search(r"—\s*\d+\s*—", page):
            break
        lines += page.splitlines()
    return lines


def _pdf_body_pages(pdf) -> list[tuple[str, str]]:
    """(printed page number, text without whitespace) of every PDF page that has a page number."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page in text.split("\f"):
        number = re.search(r"—\s*(\d+)\s*—", page)
        if number:
            found.append((number.group(1), _squash(page)))
    return found


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.libreoffice
@needs_pdftotext
@pytest.mark.parametrize("name", SAMPLES)
def test_laid_out_documents_are_valid_and_have_a_pdf(laid_out, name):
    from openxml_audit import OpenXmlValidator

    outcome = laid_out[name]
    assert OpenXmlValidator().validate(str(outcome.output)).errors == []
    assert outcome.pdf.read_bytes().startswith(b"%PDF")
    assert len(_charts(Document(outcome.output))) == (2 if name == "qufu_2020" else 0)  # 丽江: one pair, a sentence


def test_pdf_without_libreoffice_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from annual_report.cli.main import main

    monkeypatch.setattr(layout, "find_soffice", lambda: None)
    out = tmp_path / "报告.docx"
    result = CliRunner().invoke(main, ["render", str(INPUTS / SAMPLES["qufu_2020"]), "-o", str(out), "--pdf"])
    assert result.exit_code == 1
    assert "没有找到 LibreOffice" in result.output
    assert list(tmp_path.iterdir()) == []


def test_without_libreoffice_render_still_works_and_says_how_the_contents_update(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from annual_report.cli.main import main

    monkeypatch.setattr(layout, "find_soffice", lambda: None)
    out = tmp_path / "报告.docx"
    result = CliRunner().invoke(main, ["render", str(INPUTS / SAMPLES["qufu_2020"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Word 打开文件时更新" in result.output
    assert Document(out).settings.element.find(qn("w:updateFields")) is not None


def test_pdf_and_no_layout_together_are_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from annual_report.cli.main import main

    result = CliRunner().invoke(main, ["render", str(INPUTS / SAMPLES["qufu_2020"]), "--pdf", "--no-layout"])
    assert result.exit_code == 2
