"""Build Word files from the two seed reports' text, as hand-made reports look: one paragraph per line, no
styles, numbers typed as in the original; and variants (Word numbering, bold or Heading-style headings,
heading and text in one paragraph, 1.1-style numbers).

python tests/seed_documents.py OUTDIR writes every variant of both seeds there, to look at."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
NAMES = ("qufu_2020", "lijiang_2020")
VARIANTS = ("plain", "numbering", "bold", "styles", "merged", "dotted")
NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]\s*|\d+\.\s*|[（(]\d+[）)]\s*)"
)
IMAGE = re.compile(r"^\[image: [^\]]*\]\s*$")
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# Word list levels for the numbering variant: 一、 （一） 1. （1）
LIST_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）"))


def seed_lines(name: str) -> list[str]:
    """The seed report's lines, as typed."""
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8").split("\n")


def structure(name: str) -> dict:
    """The written-down structure of a seed: its headings and items (line, kind, level, title)."""
    return json.loads((SEEDS / "structure.json").read_text(encoding="utf-8"))[name]


def build(name: str, variant: str, path: Path) -> Path:
    """Write the seed as a .docx in one of the VARIANTS."""
    lines = seed_lines(name)
    entries = {e["line"]: e for e in structure(name)["entries"]}
    if variant == "merged":
        lines, entries = _merged(lines, entries)
    document = Document()
    list_id = _add_list(document) if variant == "numbering" else None
    counters = _Dotted() if variant == "dotted" else None
    for number, line in enumerate(lines, start=1):
        line = BOOKMARK.sub("", line)
        entry = entries.get(number)
        if IMAGE.match(line):
            document.add_paragraph().add_run().add_picture(_photo(), width=914400)
            continue
        level = entry["level"] if entry else None
        if entry and variant == "numbering":
            line = NUMBER.sub("", line)
        elif entry and counters is not None:
            line = counters.number(line, level)
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if entry and entry["kind"] == "heading":
            if variant == "bold":
                run.bold = True
            elif variant == "styles":
                paragraph.style = document.styles[f"Heading {level}"]
        if entry and variant == "numbering":
            _number(paragraph, list_id, _list_level(seed_lines(name)[number - 1]))
    document.save(path)
    return path


def _merged(lines: list[str], entries: dict) -> tuple[list[str], dict]:
    """Every heading followed by text: heading and first paragraph of text typed as one paragraph."""
    merged, moved, skip = [], {}, set()
    for number, line in enumerate(lines, start=1):
        if number in skip:
            merged.append("")
            continue
        entry = entries.get(number)
        follow = next((n for n in range(number + 1, min(number + 3, len(lines) + 1)) if lines[n - 1].strip()), None)
        if entry and entry["kind"] == "heading" and follow and follow not in entries and _is_text(lines[follow - 1]):
            closing = "" if line.rstrip().endswith(("。", "！", "？")) else "。"
            line = f"{line.rstrip()}{closing}{lines[follow - 1].strip()}"
            skip.add(follow)
        merged.append(line)
        if entry:
            moved[number] = entry
    return merged, moved


def _is_text(line: str) -> bool:
    return len(line.strip()) >= 20 and not IMAGE.match(line) and "\t" not in line


class _Dotted:
    """Numbers of level 2 and below a level-2 heading written 1.1 and 1.1.1, as some reports do."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]
        self.under_two = False

    def number(self, line: str, level: int) -> str:
        self.counts[level - 1] += 1
        for deeper in range(level, 4):
            self.counts[deeper] = 0
        if level == 1:
            self.under_two = False
            return line
        if level == 2:
            self.under_two = True
            return f"{self.counts[0]}.{self.counts[1]} {NUMBER.sub('', line)}"
        if level == 3 and self.under_two:
            return f"{self.counts[0]}.{self.counts[1]}.{self.counts[2]} {NUMBER.sub('', line)}"
        return line


def _list_level(line: str) -> int:
    typed = NUMBER.match(line).group(0).strip().lstrip("-").strip()
    if typed.endswith("、"):
        return 0
    if typed[1:2] in "一二三四五六七八九十":
        return 1
    return 2 if typed[0].isdigit() else 3


def _add_list(document) -> str:
    """A multi-level list definition (一、 （一） 1. （1）) in the document's numbering part; returns its numId."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(LIST_LEVELS)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number(paragraph, list_id: str, level: int) -> None:
    props = paragraph._p.get_or_add_pPr()
    props.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/></w:numPr>'))


def _photo() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "#8e3b2f").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for seed in NAMES:
        for kind in VARIANTS:
            print(build(seed, kind, out / f"{seed}-{kind}.docx"))
