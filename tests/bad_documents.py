"""Word reports as they come: each made by code to hold one thing the importer once got wrong (a deep outline,
a very long text, a paragraph that only looks like a heading, a picture the workbook cannot hold, a caption with
commas, a chart of no figures, Word's numbering under typed numbers, styles without a type)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image

COVER = ("某某县图书馆", "2020年度工作报告")
TEXT = "全年接待读者十二万人次，开展阅读推广活动三十场，读者满意度进一步提高，各项工作有序推进。"


def _document(lines: list[str]) -> Document:
    document = Document()
    for line in (*COVER, *lines):
        document.add_paragraph(line)
    return document


def deep_outline(path: Path) -> Path:
    """Seven levels of numbers: 一、（一）1.（1）① 1) a."""
    lines = []
    for top in ("一、", "二、"):
        lines += [f"{top}业务工作", TEXT, "（一）读者服务", TEXT, "1.借阅", TEXT, "（1）外借", TEXT]
        lines += ["①少儿外借", TEXT, "1）绘本", TEXT, "a.低幼绘本", TEXT]
    _document(lines).save(path)
    return path


def long_text(path: Path) -> Path:
    """One heading with far more text below it than a cell holds."""
    _document(["一、年度概况", *([TEXT * 12] * 60), "二、主要工作", TEXT]).save(path)
    return path


def long_numbered_paragraph(path: Path) -> Path:
    """A numbered paragraph of 600 characters and no full stop: text, not a heading."""
    _document(["一、年度概况", TEXT, "1、" + "读者服务工作扎实推进" * 60, "二、主要工作", TEXT]).save(path)
    return path


def pictures(path: Path) -> Path:
    """A picture Pillow can name but not decode (cut short), and one whose caption holds commas and 、."""
    document = _document(["一、年度概况", TEXT])
    good = io.BytesIO()
    Image.new("RGB", (120, 80), "#3f7d4a").save(good, format="PNG")
    cut = io.BytesIO()
    Image.new("RGB", (400, 300), "#8e3b2f").save(cut, format="JPEG", quality=95)
    document.add_paragraph().add_run().add_picture(io.BytesIO(good.getvalue()))
    document.add_paragraph("图1 馆舍外景，读者在阅览区、少儿区阅读")
    document.add_paragraph().add_run().add_picture(io.BytesIO(cut.getvalue()))
    document.add_paragraph("图2 阅览室")
    document.add_paragraph("二、主要工作")
    document.add_paragraph(TEXT)
    document.save(path)
    return _replace_media(path, lambda data: data[: len(data) // 3] if data.startswith(b"\xff\xd8") else data)


def chart_without_figures(path: Path) -> Path:
    """A chart captioned 主要数据 in a report that states no figure: its 主要数据图 would show nothing."""
    document = _document(["一、年度概况", "本馆各项工作有序推进。"])
    chart = parse_xml(
        f'<w:p {nsdecls("w", "wp", "a", "r")}><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
        '<wp:docPr id="1" name="图表 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId999"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    document.element.body.insert(len(document.element.body) - 1, chart)
    document.add_paragraph("图1 主要业务数据")
    document.add_paragraph("二、主要工作")
    document.add_paragraph("各项工作有序推进。")
    document.save(path)
    return path


def english(path: Path) -> Path:
    document = Document()
    for line in (
        "Annual Report 2020",
        "1. Overview",
        "The library served many readers.",
        "2. Services",
        "We lent books.",
    ):
        document.add_paragraph(line)
    document.save(path)
    return path


def untyped_styles(path: Path) -> Path:
    """Styles without w:type (some converters write them so): python-docx once stopped on them."""
    _document(["一、年度概况", TEXT, "二、主要工作", TEXT]).save(path)
    return _replace_part(path, "word/styles.xml", lambda xml: re.sub(rb'(<w:style )w:type="paragraph" ', rb"\1", xml))


def word_numbering_under_typed(path: Path) -> Path:
    """Word's own "1." list (w:numPr) under typed 一、 headings: its items are level 3, not 4."""
    document = _document([])
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    for heading in ("一、基本情况", "二、主要工作"):
        document.add_paragraph(heading)
        for item in ("读者服务", "阅读推广"):
            paragraph = document.add_paragraph(item)
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>')
            )
            document.add_paragraph(TEXT)
    document.save(path)
    return path


BAD_DOCUMENTS: dict[str, Callable[[Path], Path]] = {
    "深层大纲": deep_outline,
    "很长的正文": long_text,
    "很长的编号段": long_numbered_paragraph,
    "图片": pictures,
    "没有数据的图表": chart_without_figures,
    "没有类型的样式": untyped_styles,
    "Word编号": word_numbering_under_typed,
}


def _replace_media(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/media/")]
    for name in names:
        _replace_part(path, name, change)
    return path


def _replace_part(path: Path, part: str, change) -> Path:
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == part else data)
    return path
