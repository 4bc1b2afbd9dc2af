"""Pictures from the workbook's 图片 sheet: pasted on a row or named by a file path; checked and placed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm

from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Schema
from annual_report.workbook.read import WorkbookData

PART = "pictures"
MAX_WIDTH, MAX_HEIGHT = Mm(150), Mm(110)
WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}
# Whether a picture row may name a file on this computer; not for an upload to the web page (untrusted input).
_FILES_ALLOWED: ContextVar[bool] = ContextVar("picture_files_allowed", default=True)


@contextmanager
def pasted_only() -> Iterator[None]:
    """Within this block only pasted pictures are used; a row naming a file is a problem, the file is never read."""
    token = _FILES_ALLOWED.set(False)
    try:
        yield
    finally:
        _FILES_ALLOWED.reset(token)


def picture_blob(book: WorkbookData, index: int) -> bytes | None:
    """The bytes of a picture row: the picture pasted on it, else its file; None if there is none.

    A file is read once: its bytes join the pasted pictures in book.images, where the context takes them.
    """
    pasted = book.images.get((PART, index))
    if pasted is not None:
        return pasted
    name = book.data.get(PART, [])[index].get("file")
    if not name or not _FILES_ALLOWED.get():
        return None
    path = _resolve(book.path, name)
    try:
        blob = path.read_bytes() if path.is_file() else None
    except OSError:
        return None
    if blob is not None:
        book.images[(PART, index)] = blob
    return blob


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
        if blob is None and row.get("file") and not _FILES_ALLOWED.get():
            code = "picture-not-pasted"
            found.append(problem(code, sheet, cell, f"{PART}.{index}.file", label=file_label, value=row["file"]))
        elif blob is None:
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
    run = Paragraph(paragraph, document._body).add_run()
    run.add_picture(io.BytesIO(blob), width=int(width * scale), height=int(height * scale))
