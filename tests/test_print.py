"""Print-ready output: the typefaces and PDF/A of the PDF, pages without holes, captions, properties, the workbook."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from make_samples import SAMPLES, write_test_workbook
from openpyxl import load_workbook

from annual_report.layout import libreoffice as layout
from annual_report.pipeline.options import RenderOptions, render_options
from annual_report.pipeline.single import render_workbook

MM = 72 / 25.4
TEXT_TOP, TEXT_BOTTOM = 37, 262  # the text block, in mm from the top of an A4 page
REGION_MARKS = ("jp", "kr", "tc", "hk", "tw", "ukai", "ming")

needs_office = pytest.mark.skipif(
    not (layout.available() and shutil.which("pdffonts") and shutil.which("pdfinfo")),
    reason="LibreOffice or poppler-utils not installed",
)


@functools.cache
def _pdf_runs(pdf) -> list[tuple[int, float, str, str]]:
    """(page, baseline in mm from the top, font, text) of every text run of a PDF."""
    from pypdf import PdfReader

    runs = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, height=height):
            if text.strip():
                baseline = tm[5] * cm[3] + cm[5]
                name = str(font.get("/BaseFont", "")) if font else ""
                runs.append((number, (height - baseline) / MM, name.split("+")[-1], text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def _font_of(runs, start: str) -> str:
    return next(font for _, _, font, text in runs if text.startswith(start))


def _fullness(pdf) -> list[float]:
    """How far down the text block each page is printed (0 = empty, 1 = full), by its lowest line of text.

    Tables print text in every row and pictures a caption below them, so the lowest text is where the page ends.
    """
    runs = _pdf_runs(pdf)
    lowest = [TEXT_TOP] * max(page for page, *_ in runs)
    for page, baseline, _, _ in runs:
        if TEXT_TOP < baseline <= TEXT_BOTTOM + 1:  # not the page number below the text block
            lowest[page - 1] = max(lowest[page - 1], baseline)
    return [(bottom - TEXT_TOP) / (TEXT_BOTTOM - TEXT_TOP) for bottom in lowest]


def _first_body_page(pdf) -> int:
    """The PDF page printed "— 1 —": where the body starts."""
    return min(page for page, baseline, _, text in _pdf_runs(pdf) if text == "1" and baseline > TEXT_BOTTOM)


@pytest.fixture(scope="session")
def long_report(tmp_path_factory, office):
    """A report with a 100-row table, laid out with its PDF."""
    from make_samples import fixture

    data = fixture("lijiang_2020")
    data["awards"] = [
        {"title": f"第{n}项荣誉称号", "level": "市级", "issuer": "丽江市文化和旅游局"} for n in range(100)
    ]
    out = tmp_path_factory.mktemp("long")
    workbook = write_test_workbook(out / "长表.xlsx", data)
    return render_workbook(workbook, render_options(output=out / "长表.docx", pdf=True), office)


@needs_office
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_embeds_only_simplified_chinese_faces(laid_out, name):
    listing = subprocess.run(["pdffonts", str(laid_out[name].pdf)], capture_output=True, text=True, check=True)
    fonts = [line.split() for line in listing.stdout.splitlines()[2:]]
    names = {row[0].split("+")[-1] for row in fonts}
    assert all(row[-5] == "yes" for row in fonts), listing.stdout  # the "emb" column
    assert not [n for n in names if any(mark in n.lower() for mark in REGION_MARKS)], names
    assert {"FandolFang-Regular", "FandolHei-Regular", "LiberationSerif"} <= names


@needs_office
@pytest.mark.libreoffice
def test_each_kind_of_text_is_in_its_face(laid_out):
    runs = _pdf_runs(laid_out["lijiang_2020"].pdf)
    body = [run for run in runs if run[0] > 4]  # after the cover and the contents
    assert _font_of(body, "一、") == "FandolHei-Regular"
    assert _font_of(body, "（一）") == "FandolKai-Regular"
    assert _font_of(body, "年，丽江市图书馆按照") == "FandolFang-Regular"
    body_lines = {(page, round(baseline, 1)) for page, baseline, font, _ in body if font == "FandolFang-Regular"}
    digits = {
        font for page, baseline, font, text in body if text.isdigit() and (page, round(baseline, 1)) in body_lines
    }
    assert "LiberationSerif" in digits <= {"LiberationSerif", "LiberationSerif-Bold"}  # bold: 1. headings


@needs_office
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_is_pdfa_2b_with_title(laid_out, name):
    pdf = laid_out[name].pdf
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "年报" in next(line for line in info.splitlines() if line.startswith("Title:"))


@needs_office
@pytest.mark.libreoffice
def test_no_page_is_left_half_empty(laid_out, long_report):
    for outcome in [*laid_out.values(), long_report]:
        fullness = _fullness(outcome.pdf)
        body = fullness[_first_body_page(outcome.pdf) - 1 :]  # the cover and the contents are parts of their own
        assert all(page >= 0.5 for page in body[:-1]), (outcome.pdf.name, fullness)


@needs_office
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_page_number_baseline_is_7_mm_below_the_text_block(laid_out, name):
    numbers = [run for run in _pdf_runs(laid_out[name].pdf) if run[3] == "—" and run[1] > TEXT_BOTTOM]
    assert numbers
    assert all(6 <= baseline - TEXT_BOTTOM <= 8 for _, baseline, _, _ in numbers), numbers


@needs_office
@pytest.mark.libreoffice
def test_laid_out_report_has_a_thumbnail_of_its_first_page(laid_out):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from PIL import Image

    document = Document(laid_out["qufu_2020"].output)
    thumbnail = document.part.package.part_related_by(RT.THUMBNAIL)
    image = Image.open(io.BytesIO(thumbnail.blob))
    assert image.format == "JPEG" and image.height > image.width


@needs_office
@pytest.mark.libreoffice
def test_blank_workbook_prints_on_few_pages_with_the_header_row_on_each(tmp_path):
    workbook = write_test_workbook(tmp_path / "空白.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    command = [str(layout.find_soffice()), profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(workbook)], capture_output=True, check=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "空白.pdf"), "-"], capture_output=True, text=True)
    pages = text.stdout.split("\f")[:-1]
    assert len(pages) <= 16
    narrative = [page for page in pages if page.strip().startswith("正文")]
    assert narrative and all("在此插入" in page for page in narrative)


# Without LibreOffice ------------------------------------------------------------------------------


def test_captions_are_seq_fields_numbered_per_label(rendered):
    document = rendered["qufu_2020"]
    fields = [
        (instruction.text.split()[1], paragraph)
        for paragraph in document.element.body.iter(qn("w:p"))
        for instruction in paragraph.iter(qn("w:instrText"))
        if instruction.text.strip().startswith("SEQ")
    ]
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for _, p in fields]
    labels = [label for label, _ in fields]
    assert set(labels) == {"图", "表"}
    for label in ("图", "表"):  # each label numbered 1, 2, 3 … in order, the number inside the field
        numbers = [
            int(re.match(rf"{label}(\d+)", text).group(1))
            for (name, _), text in zip(fields, texts, strict=True)
            if name == label
        ]
        assert numbers == list(range(1, len(numbers) + 1))
    assert "图1 曲阜市图书馆组织结构图" in texts and "表2 组织机构" in texts


def test_columns_empty_in_every_row_are_left_out(rendered, qufu, make_workbook, tmp_path):
    qufu["awards"] = [{"title": "青年志愿服务先进集体"}, {"title": "群众满意度先进单位"}]
    qufu["narrative"][-1]["insert"] = "荣誉表"
    output = render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / "r.docx")).output
    awards = next(t for t in Document(output).tables if t.rows[0].cells[0].text == "荣誉名称")
    assert [cell.text for cell in awards.rows[0].cells] == ["荣誉名称"]  # 级别, 授予单位, 获得时间 all empty
    grid = awards._tbl.find(qn("w:tblGrid"))
    assert sum(int(column.get(qn("w:w"))) for column in grid) == pytest.approx(156 / 25.4 * 1440, abs=2)
    figures = next(t for t in rendered["lijiang_2020"].tables if t.rows[0].cells[0].text == "指标")
    assert [cell.text for cell in figures.rows[0].cells] == ["指标", "单位", "本年", "上年", "同比"]


def test_table_cells_are_centred_vertically(rendered):
    for table in rendered["lijiang_2020"].tables:
        for cell in table._tbl.iter(qn("w:tc")):
            assert cell.find(f"{qn('w:tcPr')}/{qn('w:vAlign')}").get(qn("w:val")) == "center"


def test_inserts_appear_in_the_order_the_narrative_names_them(qufu, make_workbook, tmp_path):
    qufu["awards"] = [{"title": "青年志愿服务先进集体"}]
    qufu["narrative"][-1]["insert"] = "学历结构图、荣誉表、服务保障、职称结构表"
    document = Document(render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / "报告.docx")).output)
    captions = [
        "".join(t.text for t in p.iter(qn("w:t")))
        for p in document.element.body.iter(qn("w:p"))
        if p.style in ("Caption", "FigureCaption")
    ]
    last = [text.split(" ", 1)[1] for text in captions[-4:]]
    assert last == ["人员学历结构", "获奖情况", "疫情防控期间有序开放的阅览室", "人员职称结构"]


def test_core_properties_come_from_the_workbook(lijiang, qufu, make_workbook, tmp_path):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    lijiang_doc = render_workbook(make_workbook(lijiang, "l.xlsx"), RenderOptions(output=tmp_path / "l.docx")).output
    qufu_doc = render_workbook(make_workbook(qufu, "q.xlsx"), RenderOptions(output=tmp_path / "q.docx")).output
    properties = Document(lijiang_doc).core_properties
    assert properties.author == "丽江市图书馆行政办公室"  # 编制单位
    assert properties.title == "丽江市图书馆2020年年报" and properties.language == "zh-CN"
    assert properties.created.replace(tzinfo=None) >= before
    assert Document(qufu_doc).core_properties.author == "曲阜市图书馆"  # no 编制单位: the library


def test_cover_without_english_name_still_names_compiler_and_year(rendered):
    document = rendered["qufu_2020"]
    cover = [p.text for p in document.paragraphs if p.style.name.startswith("Cover") and p.text]
    assert cover == ["曲阜市图书馆", "2020年度曲阜市图书馆工作年报", "曲阜市图书馆编制", "2021年1月15日"]


def test_blank_workbook_opens_on_instructions_and_prints_on_a4(tmp_path):
    book = load_workbook(write_test_workbook(tmp_path / "空白.xlsx"))
    assert book.active.title == "说明"
    assert "python" not in " ".join(str(c.value) for c in book["说明"]["A"] if c.value).lower()
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.oddHeader.center.text == "&A" and "&P" in sheet.oddFooter.center.text
        if sheet.title != "说明":
            assert sheet.print_title_rows == "$1:$1"
    assert book["说明"].row_dimensions[4].height > 2 * 15  # a long paragraph: as many lines as it wraps to
    assert book["人员"]["A7"].number_format.endswith('（＝正高级＋副高级）"')
