"""Pictures from the workbook's 图片 sheet: pasted on a row or named by a file path; checked and placed."""

from __future__ import annotations

import io
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm

from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Schema
from annual_report.workbook.read import WorkbookData

PART = "pictures"
MAX_WIDTH, MAX_HEIGHT = Mm(150), Mm(110)
WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


def picture_blob(book: WorkbookData, index: int) -> bytes | None:
    """The bytes of a picture row: the picture pasted on it, else its file; None if there is none."""
    pasted = book.images.get((PART, index))
    if pasted is not None:
        return pasted
    name = book.data.get(PART, [])[index].get("file")
    if not name:
        return None
    path = _resolve(book.path, name)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def check_pictures(book: WorkbookData, schema: Schema) -> list[Problem]:
    """A picture row without a readable picture is an error naming its cell."""
    found = []
    part = schema.part(PART)
    for index, row in enumerate(book.data.get(PART, [])):
        if not isinstance(row, dict):
            continue
        file_label = part.field("file").label
        sheet, cell = book.where((PART, index, "file"))
        blob = picture_blob(book, index)
        if blob is None:
            given = row.get("file")
            value = f"找不到图片文件“{given}”" if given else "这一行既没有粘贴图片，也没有填写图片文件"
            found.append(problem("picture-missing", sheet, cell, f"{PART}.{index}.file", label=file_label, value=value))
        elif not _readable(blob):
            value = row.get("file") or "粘贴的图片"
            found.append(
                problem("picture-unreadable", sheet, cell, f"{PART}.{index}.file", label=file_label, value=value)
            )
    return found


def _resolve(workbook: Path, name: str) -> Path:
    path = Path(name.strip().strip('"').replace("\\", "/"))
    return path if path.is_absolute() else workbook.resolve().parent / path


def _readable(blob: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False


def add_picture(document, paragraph, blob: bytes) -> None:
    """Replace the paragraph's content with the picture, at most the text width wide and 110 mm high."""
    from docx.text.paragraph import Paragraph
    from PIL import Image

    with Image.open(io.BytesIO(blob)) as image:
        width, height = image.size
        if image.format not in WORD_FORMATS:
            converted = io.BytesIO()
            image.convert("RGBA").save(converted, format="PNG")
            blob = converted.getvalue()
    scale = min(MAX_WIDTH / width, MAX_HEIGHT / height)
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    run = Paragraph(paragraph, document).add_run()
    run.add_picture(io.BytesIO(blob), width=int(width * scale), height=int(height * scale))
