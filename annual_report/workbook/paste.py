"""Pictures pasted into the 图片 sheet of a written workbook, one per row, as a librarian would (the importer's
pictures from a Word report, last year's pictures in next year's workbook)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image, UnidentifiedImageError

from annual_report.workbook.read import FIRST_DATA_ROW

SHOWN_WIDTH = 240  # pixels the pasted picture is wide in the sheet


def paste_pictures(workbook: Path, pictures: list[dict], sheet_name: str) -> set[int]:
    """Paste each picture (a row with its bytes under "data") on its row of the sheet; returns the rows pasted."""
    book = load_workbook(workbook)
    sheet = book[sheet_name]
    pasted = set()
    for index, row in enumerate(pictures):
        if not row.get("data"):
            continue
        try:
            with Image.open(io.BytesIO(row["data"])) as picture:
                buffer = io.BytesIO()
                picture.convert("RGB").save(buffer, format="PNG", optimize=True)
                width, height = picture.size
        except (UnidentifiedImageError, OSError, ValueError):  # EMF/WMF and damaged pictures Pillow cannot read
            continue
        image = SheetImage(buffer)
        image.width, image.height = SHOWN_WIDTH, max(1, SHOWN_WIDTH * height // max(1, width))
        sheet.add_image(image, f"D{FIRST_DATA_ROW + index}")
        sheet.row_dimensions[FIRST_DATA_ROW + index].height = image.height * 0.75 + 6
        pasted.add(index)
    book.save(workbook)
    return pasted


def readable(data: bytes) -> bool:
    """Whether the picture is in a format the workbook can hold (not EMF/WMF, not damaged)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
        return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
