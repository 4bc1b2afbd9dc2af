"""Build templates/示例-红头模板.docx: the worked example of an office's own template (README "本单位的 Word 模板").

It is what an office makes in Word from `fill.py template --word`: the built-in template with a 红头 (the office's
name in red over a red rule) above the report's title, and a fixed closing (版记: 报送 and 印发 between two rules)
after the 署名 and 成文日期; every {{ }} and {% %} tag and every style the tool needs kept.
Run it again after changing it: python templates/build_office_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
BASE = HERE / "年报模板.docx"
OUTPUT = HERE / "示例-红头模板.docx"
OFFICE = "示例市文化和旅游局"
RED = RGBColor(0xE6, 0x00, 0x12)  # the 红头's red
HEADER_TEXT = f"{OFFICE}"
LATER_THAN_BORDER = {qn(f"w:{tag}") for tag in ("shd", "tabs", "spacing", "ind", "jc", "rPr")}
FIXED_CLOSING = (f"报送：{OFFICE}公共服务科", f"{OFFICE}办公室印发")


def build(path: Path = OUTPUT, base: Path = BASE) -> Path:
    """Write the example from the built-in template (templates/年报模板.docx) and return its path."""
    doc = Document(base)
    header = _style(doc, "红头", "方正小标宋简体", 32, RED, WD_ALIGN_PARAGRAPH.CENTER)
    note = _style(doc, "版记", "仿宋", 14, None, WD_ALIGN_PARAGRAPH.LEFT)
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    red_head = title.insert_paragraph_before(HEADER_TEXT, style=header)
    _rule(red_head, "E60012", "12")
    ending = next(p for p in doc.paragraphs if p.text == "{%p endfor %}" and _after_closing(p))
    anchor = ending._p
    for index, text in enumerate(FIXED_CLOSING):
        paragraph = doc.add_paragraph(text, style=note)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(28)
            _rule(paragraph, "000000", "8", side="top")
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _rule(paragraph, "000000", "8")
        anchor.addnext(paragraph._p)
        anchor = paragraph._p
    doc.core_properties.title = f"{OFFICE}公共图书馆年度工作报告"
    doc.save(path)
    return path


def _after_closing(paragraph) -> bool:
    """The body loop's end: the {%p endfor %} after the closing block."""
    previous = paragraph._p.getprevious()
    text = "".join(t.text or "" for t in previous.iter(qn("w:t"))) if previous is not None else ""
    return text == "{%p endif %}"


def _style(doc, name: str, font: str, size: int, color, align):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font if attribute == "w:eastAsia" else "Times New Roman")
    if color is not None:
        style.font.color.rgb = color
    formatting = style.paragraph_format
    formatting.alignment = align
    formatting.first_line_indent = Pt(0)
    formatting.line_spacing = 1.0
    formatting.space_after = Pt(6)
    return style


def _rule(paragraph, color: str, size: str, side: str = "bottom") -> None:
    """A line under (or over) the paragraph across the text block."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for name, value in (("val", "single"), ("sz", size), ("space", "4"), ("color", color)):
        line.set(qn(f"w:{name}"), value)
    border.append(line)
    later = next((child for child in ppr if child.tag in LATER_THAN_BORDER), None)  # the schema's order
    (later.addprevious if later is not None else ppr.append)(border)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    print(build())
