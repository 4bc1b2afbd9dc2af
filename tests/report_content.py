"""A rendered report read back as plain content: paragraphs with their styles, tables' cells, charts' data, pictures.

Tests compare reports through this, never by bytes: what a reader of the report sees, in document order.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


def report_content(path: Path | str) -> dict:
    """The report's body in order (paragraphs as [style, text], tables as rows of cell texts), its charts and pictures."""
    document = Document(str(path))
    styles = {style.style_id: style.name for style in document.styles}
    body = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            text = _text(element)
            drawing = element.find(f".//{qn('w:drawing')}") is not None
            if text or drawing:
                body.append([styles.get(element.style, ""), text + ("[drawing]" if drawing else "")])
        elif element.tag == qn("w:tbl"):
            body.append({"table": table_cells(element)})
    return {"body": body, "charts": charts(path), "pictures": pictures(path)}


def table_cells(table) -> list[list[str]]:
    """The text of every cell of a table element, row by row (a merged-away cell is not repeated)."""
    return [[_text(cell) for cell in row.iter(qn("w:tc"))] for row in table.iter(qn("w:tr"))]


def charts(path: Path | str) -> list[dict]:
    """Every chart part's categories and series (name, values as written in the chart's cache), in part order."""
    found = []
    with zipfile.ZipFile(path) as package:
        names = sorted(
            (n for n in package.namelist() if n.startswith("word/charts/chart") and n.endswith(".xml")),
            key=lambda n: int("".join(ch for ch in n if ch.isdigit()) or 0),
        )
        for name in names:
            root = etree.fromstring(package.read(name))
            series = []
            categories: list[str] = []
            for ser in root.iterfind(".//c:ser", CHART_NS):
                title = [v.text for v in ser.iterfind("c:tx//c:v", CHART_NS)]
                categories = [v.text for v in ser.iterfind("c:cat//c:pt/c:v", CHART_NS)]
                values = [v.text for v in ser.iterfind("c:val//c:pt/c:v", CHART_NS)]
                series.append({"name": title[0] if title else "", "values": values})
            found.append({"categories": categories, "series": series})
    return found


def pictures(path: Path | str) -> list[str]:
    """The SHA-256 of each picture of the document's media, sorted."""
    with zipfile.ZipFile(path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        return sorted(hashlib.sha256(package.read(n)).hexdigest()[:16] for n in media)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def content_of_bytes(data: bytes) -> dict:
    """report_content of a document held in memory."""
    return report_content(io.BytesIO(data))


def snapshot_text(content: dict) -> str:
    """A content as the snapshots in tests/fixtures/report_content/ are written: one body item a line."""
    dump = functools.partial(json.dumps, ensure_ascii=False)
    body = ",\n ".join(dump(item) for item in content["body"])
    return (
        f'{{\n "body": [\n {body}\n ],\n "charts": {dump(content["charts"])},\n'
        f' "pictures": {dump(content["pictures"])}\n}}\n'
    )


def write_snapshots() -> list[Path]:
    """Render the samples and write their content snapshots: run when a change of the report is intended."""
    import tempfile

    from make_samples import FIXTURES, ROOT, SAMPLES

    from annual_report.pipeline.options import RenderOptions
    from annual_report.pipeline.single import render_workbook

    written = []
    with tempfile.TemporaryDirectory() as folder:
        for name, workbook in SAMPLES.items():
            outcome = render_workbook(ROOT / "inputs" / workbook, RenderOptions(output=Path(folder) / f"{name}.docx"))
            target = FIXTURES / "report_content" / f"{name}.json"
            target.write_text(snapshot_text(report_content(outcome.output)), encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":  # python tests/report_content.py
    print(*write_snapshots())
