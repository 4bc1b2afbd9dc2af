"""Regenerate the page images in the README from the samples: python docs/make_page_images.py

Needs LibreOffice and poppler-utils (pdftoppm, pdftotext). Each image is two or three pages side by side.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annual_report.layout.libreoffice import LibreOffice  # noqa: E402
from annual_report.pipeline.options import render_options  # noqa: E402
from annual_report.pipeline.single import render_workbook  # noqa: E402

DPI = 75
# image name → (sample workbook, texts that pick the two pages shown)
IMAGES = {
    "丽江-封面目录与正文.png": ("丽江市图书馆-2020.xlsx", ("LIJIANG CITY LIBRARY", "目 录", "表1 主要业务数据")),
    "曲阜-组织结构与人员图表.png": ("曲阜市图书馆-2020.xlsx", ("图1 曲阜市图书馆组织结构图", "图2 人员职称结构")),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as directory, LibreOffice() as office:
        for image_name, (workbook, texts) in IMAGES.items():
            out = Path(directory) / workbook.replace(".xlsx", ".docx")
            outcome = render_workbook(ROOT / "inputs" / workbook, render_options(output=out, pdf=True), office)
            pages = [_page_with(outcome.pdf, text) for text in texts]
            images = [_render_page(outcome.pdf, page, Path(directory)) for page in pages]
            _side_by_side(images).save(ROOT / "docs" / image_name, optimize=True)
            print(ROOT / "docs" / image_name, "pages", pages)


def _page_with(pdf: Path, text: str) -> int:
    content = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squashed = "".join(text.split())
    return next(n for n, page in enumerate(content.split("\f"), start=1) if squashed in "".join(page.split()))


def _render_page(pdf: Path, page: int, directory: Path) -> Image.Image:
    prefix = directory / f"{pdf.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    return Image.open(prefix.with_suffix(".png")).convert("RGB")


def _side_by_side(pages: list[Image.Image]) -> Image.Image:
    gap = 12
    width = sum(page.width for page in pages) + gap * (len(pages) + 1)
    height = max(page.height for page in pages) + 2 * gap
    sheet = Image.new("RGB", (width, height), "#d9d9d9")
    x = gap
    for page in pages:
        sheet.paste(page, (x, gap))
        x += page.width + gap
    return sheet.quantize(colors=64)


if __name__ == "__main__":
    main()
