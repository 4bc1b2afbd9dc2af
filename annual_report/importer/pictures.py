"""Pictures of the report pasted into the 图片 sheet of the written workbook, one per row, as a librarian would."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image, UnidentifiedImageError

from annual_report.workbook.read import FIRST_DATA_ROW

SHOWN_WIDTH = 240  # pixels the pasted picture is wide in the sheet


def paste_pictures(workbook: Path, pictures: list[dict], sheet_name: str) -> int:
    """Paste each picture on its row of the 图片 sheet; returns how many could be pasted."""
    book = load_workbook(workbook)
    sheet = book[sheet_name]
    pasted = 0
    for index, row in enumerate(pictures):
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
        pasted += 1
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
