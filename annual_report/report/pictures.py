"""Pictures from the workbook's 图片 sheet: pasted on a row or named by a file path; checked and placed."""

from __future__ import annotations

import io
import os
import stat
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm

from annual_report.core import limits
from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Schema
from annual_report.workbook.read import WorkbookData

PART = "pictures"
MAX_WIDTH, MAX_HEIGHT = Mm(150), Mm(110)
WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")  # read by content, whatever the file is called

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
    """The bytes of a picture row: the picture pasted on it, else its file; None if there is none to use.

    A file is read once: its bytes join the pasted pictures in book.images, where the context takes them.
    """
    pasted = book.images.get((PART, index))
    if pasted is not None:
        return pasted
    name = book.data.get(PART, [])[index].get("file")
    if not name or not _FILES_ALLOWED.get():
        return None
    found = _read_file(book.path, str(name))
    if not isinstance(found, bytes):
        return None
    book.images[(PART, index)] = found
    return found


def check_pictures(book: WorkbookData, schema: Schema) -> list[Problem]:
    """A picture row without a usable picture is an error naming its cell."""
    found = []
    file_label = schema.part(PART).field("file").label
    unread = "values-only" if any(p.code == "format-values-only" for p in book.problems) else ""  # no pictures read
    for index, row in enumerate(book.data.get(PART, [])):
        if not isinstance(row, dict):
            continue
        sheet, cell = book.where((PART, index, "file"))
        where = (sheet, cell, f"{PART}.{index}.file")
        given = row.get("file")
        pasted = book.images.get((PART, index))
        if pasted is None and given and not _FILES_ALLOWED.get():
            found.append(problem("picture-not-pasted", *where, label=file_label, value=given))
            continue
        blob = pasted if pasted is not None else (_read_file(book.path, str(given)) if given else MISSING)
        if blob == OUTSIDE:
            found.append(problem("picture-outside-folder", *where, label=file_label, value=given))
            continue
        if blob in (MISSING, NOT_A_FILE):
            value = f"找不到图片文件“{given}”" if given else "这一行既没有粘贴图片，也没有填写图片文件"
            found.append(problem("picture-missing", *where, variant=unread, label=file_label, value=value))
            continue
        shown = given if pasted is None else "粘贴的图片"
        trouble = TOO_LARGE if blob == TOO_LARGE else _image_trouble(blob)
        if trouble == TOO_LARGE:
            found.append(problem("picture-too-large", *where, label=file_label, value=shown, extra=_LIMITS))
        elif trouble:
            found.append(problem("picture-unreadable", *where, label=file_label, value=shown))
        elif pasted is None:  # read once: the context takes it from here
            book.images[(PART, index)] = blob
    return found


# What reading a picture file may give instead of its bytes.
MISSING, NOT_A_FILE, OUTSIDE, TOO_LARGE = "missing", "not-a-file", "outside", "too-large"
_LIMITS = f"上限 {limits.PICTURE_BYTES // limits.MB} MB、{limits.PICTURE_PIXELS // 10_000} 万像素"


def _read_file(workbook: Path, name: str) -> bytes | str:
    """A picture file's bytes, or why not; nothing outside the workbook's folder is ever looked at or read."""
    path = _resolve(workbook, name)
    if path is None:
        return OUTSIDE
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return NOT_A_FILE
        if info.st_size > limits.PICTURE_BYTES:
            return TOO_LARGE
        with path.open("rb") as handle:
            data = handle.read(limits.PICTURE_BYTES + 1)
    except (OSError, ValueError):
        return MISSING
    return TOO_LARGE if len(data) > limits.PICTURE_BYTES else data


def _resolve(workbook: Path, name: str) -> Path | None:
    """The file's real path if it lies in the workbook's folder or below, else None.

    The path is first checked as written (so that e.g. a network path is never touched), then
    with its symbolic links followed.
    """
    folder = workbook.resolve().parent
    written = Path(os.path.normpath(folder / name.strip().strip('"').replace("\\", "/")))
    if not written.is_relative_to(folder):
        return None
    try:
        real = written.resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return real if real.is_relative_to(folder) else None


def _image_trouble(blob: bytes) -> str | None:
    """None for a picture Word can show; TOO_LARGE past the pixel limit; otherwise "unreadable"."""
    from PIL import Image, UnidentifiedImageError

    if len(blob) > limits.PICTURE_BYTES:
        return TOO_LARGE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob), formats=IMAGE_FORMATS) as image:
                if image.width * image.height > limits.PICTURE_PIXELS:
                    return TOO_LARGE
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return TOO_LARGE
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error):
        return "unreadable"
    return None


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
