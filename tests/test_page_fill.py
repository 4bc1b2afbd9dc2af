"""A long report of headings and 条目 laid out by LibreOffice: no heading alone at a page foot, no half-empty page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from annual_report.layout import libreoffice as layout
from annual_report.pipeline.options import render_options
from annual_report.pipeline.single import render_workbook

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        not (layout.available() and shutil.which("pdftotext")), reason="LibreOffice or poppler-utils not installed"
    ),
]
BODY_LINES = 22  # lines of body text on a full page (GB/T 9704: 22 lines of 28 characters)
SENTENCE = "围绕全民阅读推广，组织馆员深入社区、学校和乡村开展服务，读者反映良好"


def long_report() -> list[dict]:
    """About 100 rows, half of them 条目, with headings of three levels and paragraphs of varied length."""
    rows = [{"level": "正文", "text": SENTENCE + "。现将全年工作报告如下："}]
    for chapter in range(1, 6):
        rows.append({"level": 1, "title": f"第{chapter}部分工作情况"})
        for section in range(1, 4):
            rows.append({"level": 2, "title": f"分项工作{chapter}-{section}"})
            rows.append({"level": "正文", "text": SENTENCE * (1 + (chapter + section) % 3) + "。"})
            for item in range(1, 2 + (chapter * section) % 4):
                rows.append({"level": "条目", "title": f"开展第{item}项活动", "text": SENTENCE * (item % 2 + 1) + "。"})
            if section == 2:
                rows.append({"level": 3, "title": "具体做法"})
                rows += [{"level": "条目", "title": f"为残疾人送书上门活动{n}。"} for n in range(1, 7)]  # titles only
    rows.append({"level": "无编号", "title": "结语"})
    rows.append({"level": "正文", "text": SENTENCE + "。"})
    return rows


def pages_of(pdf) -> list[list[str]]:
    """The text lines of each page of a PDF, without blank lines and the page number (— 3 —)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in text.split("\f"):
        lines = ["".join(line.split()) for line in page.splitlines() if line.strip()]  # LibreOffice spaces 2020 年
        pages.append([line for line in lines if not (line.startswith("—") and line.endswith("—"))])
    return [page for page in pages if page]


def test_long_report_with_items_fills_its_pages(qufu, make_workbook, tmp_path, office):
    rows = long_report()
    assert 90 <= len(rows) <= 110 and sum(row["level"] == "条目" for row in rows) * 2 >= len(rows) - 10
    qufu |= {"narrative": rows, "pictures": []}
    outcome = render_workbook(make_workbook(qufu), render_options(output=tmp_path / "long.docx", pdf=True), office)
    assert outcome.pdf is not None, outcome.result.problems
    pages = pages_of(outcome.pdf)
    body = pages[next(i for i, page in enumerate(pages) if page[0] == qufu["cover"]["title"]) :]
    assert len(body) >= 5
    headings = ["部分工作情况", "分项工作", "具体做法", "结语"]
    for number, page in enumerate(body[:-1], start=1):
        assert len(page) >= BODY_LINES // 2, f"body page {number} is less than half full: {page}"
        assert not any(word in page[-1] for word in headings), f"body page {number} ends with a heading: {page[-1]}"
