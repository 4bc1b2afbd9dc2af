"""The samples as a typesetter and the office's reviewer read them: the closing where GB/T 9704 puts it, room
around table text, short names never wrapped, charts only where they say more than a sentence, in the tables' order."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from make_samples import SAMPLES
from pypdf import PdfReader
from report_content import charts, report_content

from annual_report.report.ooxml import cell_margins, text_of
from annual_report.report.widths import SHORT, text_width
from annual_report.workbook.charts import worth_a_chart

TEXT_RIGHT = Mm(210 - 26).pt  # the text block's right edge (GB/T 9704: 订口 28 mm, text block 156 mm)
CHARACTER = 16  # 三号, in points


def _glyphs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of each text fragment of a PDF page, as LibreOffice writes them (one per run of a line)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4], tm[5]))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_the_last_text_page_ends_with_the_name_centred_over_the_date_four_characters_in(laid_out, name):
    outcome = laid_out[name]
    last = PdfReader(outcome.pdf).pages[-1]  # no appendix: the last page is the last text page
    glyphs = _glyphs(last)
    cover = outcome.book.data["cover"]
    date_line = max(y for text, _, y in glyphs if text == "日")  # 2021年1月15日: its line's baseline
    date = [(text, x) for text, x, y in glyphs if abs(y - date_line) < 1]
    assert "".join(text for text, _ in date) == f"{cover['report_date'][:4]}年{int(cover['report_date'][5:7])}月{int(cover['report_date'][8:])}日"
    right = date[-1][1] + CHARACTER  # the right edge of 日
    assert abs((TEXT_RIGHT - right) - 4 * CHARACTER) < 3  # 右空四字
    name_line = [(text, x, y) for text, x, y in glyphs if y > date_line + 10]
    signature_y = min(y for *_, y in name_line)
    signature = [(text, x) for text, x, y in name_line if abs(y - signature_y) < 1]
    assert "".join(text for text, _ in signature) == cover["name"]  # right above the date
    assert signature_y - date_line < 2 * CHARACTER
    name_left, name_right = signature[0][1], signature[0][1] + text_width(cover["name"]) * CHARACTER
    assert abs((name_left + name_right) / 2 - (date[0][1] + right) / 2) < CHARACTER / 2  # centred over the date
    body = [y for *_, y in glyphs if y > signature_y + 10]
    assert body  # on the last text page, with text above it


def _spacing(paragraph, styles) -> tuple[int, int]:
    """A paragraph's space before and after in twips, from its own or its style's (and base styles') spacing."""
    found: dict[str, int] = {}
    holders = [paragraph.find(qn("w:pPr"))]
    style_id = paragraph.style
    while style_id:
        style = next((s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
        if style is None:
            break
        holders.append(style.find(qn("w:pPr")))
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    for holder in holders:
        spacing = holder.find(qn("w:spacing")) if holder is not None else None
        for side in ("before", "after"):
            if spacing is not None and spacing.get(qn(f"w:{side}")) is not None and side not in found:
                found[side] = int(spacing.get(qn(f"w:{side}")))
    return found.get("before", 0), found.get("after", 0)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_table_has_room_between_its_text_and_its_borders(rendered, name):
    document = rendered[name]
    styles = document.styles.element
    tables = list(document.element.body.iter(qn("w:tbl")))
    assert tables
    for table in tables:
        margins = cell_margins(table, styles)
        assert min(margins["left"], margins["right"]) >= Mm(1.5).twips
        for cell in table.iter(qn("w:tc")):
            paragraphs = cell.findall(qn("w:p"))
            above, below = _spacing(paragraphs[0], styles)[0], _spacing(paragraphs[-1], styles)[1]
            assert margins["top"] + above >= Mm(0.5).twips and margins["bottom"] + below >= Mm(0.5).twips


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SAMPLES)
def test_no_short_cell_of_a_table_is_wrapped(laid_out, name):
    from docx import Document

    outcome = laid_out[name]
    lines = [line.replace(" ", "") for page in PdfReader(outcome.pdf).pages for line in page.extract_text().splitlines()]
    short = {
        text
        for table in Document(outcome.output).element.body.iter(qn("w:tbl"))
        for cell in table.iter(qn("w:tc"))
        if (text := text_of(cell).replace(" ", "")) and text_width(text) <= SHORT
    }
    assert "活动与数字服务部" in short or name != "qufu_2020"  # 8 characters, wrapped before
    assert {text for text in short if not any(text in line for line in lines)} == set()


@pytest.mark.parametrize("name", SAMPLES)
def test_every_chart_says_more_than_a_sentence_in_its_tables_order(rendered, name, tmp_path):
    rendered[name].save(tmp_path / "report.docx")
    tables = [item["table"] for item in report_content(tmp_path / "report.docx")["body"] if isinstance(item, dict)]
    drawn = charts(tmp_path / "report.docx")
    assert len(drawn) == {"qufu_2020": 2, "lijiang_2020": 0}[name]  # 丽江's one pair of bars is a sentence
    for chart in drawn:
        assert worth_a_chart(len(chart["categories"]), len(chart["series"])), chart
        labels = next(
            [row[0] for row in table[1:]] for table in tables if set(chart["categories"]) <= {row[0] for row in table}
        )
        assert chart["categories"] == [label for label in labels if label in chart["categories"]]
