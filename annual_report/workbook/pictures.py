"""The 图片 sheet's pictures: pasted on a row or named by a file beside the workbook, read once and checked.

A file is looked at only inside the workbook's folder, and not at all for an upload to the web page
(untrusted input: pasted_only).
"""

from __future__ import annotations

import io
import os
import stat
import struct
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from annual_report.core import limits
from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Schema
from annual_report.workbook.model import DataPath, Picture, Value, Workbook

PICTURES = "pictures"  # the part whose rows are pictures, each insertable by its name
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")  # read by content, whatever the file is called
# What may stop a row's picture, as the problem codes of check_pictures.
MISSING, NOT_PASTED, OUTSIDE = "picture-missing", "picture-not-pasted", "picture-outside-folder"
TOO_LARGE, UNREADABLE = "picture-too-large", "picture-unreadable"
LIMITS_TEXT = f"上限 {limits.PICTURE_BYTES // limits.MB} MB、{limits.PICTURE_PIXELS // 10_000} 万像素"

_FILES_ALLOWED: ContextVar[bool] = ContextVar("picture_files_allowed", default=True)


@contextmanager
def pasted_only() -> Iterator[None]:
    """Within this block only pasted pictures are used; a row naming a file is a problem, the file is never read."""
    token = _FILES_ALLOWED.set(False)
    try:
        yield
    finally:
        _FILES_ALLOWED.reset(token)


def resolve_pictures(
    workbook: Path, rows: int, pasted: Mapping[int, bytes], values: Mapping[DataPath, Value]
) -> dict[int, Picture]:
    """Each 图片 row's picture: the one pasted on it, else its file's; bytes only for a picture Word can show."""
    found = {}
    for index in range(rows):
        name = values.get((PICTURES, index, "file"))
        written = "" if name is None else str(name.value)
        if index in pasted:
            found[index] = _checked(pasted[index], True, "粘贴的图片")
        elif not written:
            found[index] = Picture(None, False, MISSING, "这一行既没有粘贴图片，也没有填写图片文件")
        elif not _FILES_ALLOWED.get():
            found[index] = Picture(None, False, NOT_PASTED, written)
        else:
            found[index] = _from_file(workbook, written)
    return found


def check_pictures(book: Workbook, schema: Schema) -> list[Problem]:
    """A picture row without a usable picture is an error naming its cell."""
    label = schema.part(PICTURES).field("file").label
    unread = any(p.code == "format-values-only" for p in book.problems)  # a format whose pictures cannot be read
    found = []
    for index, picture in sorted(book.pictures.items()):
        if not picture.trouble:
            continue
        cell = book.where(PICTURES, index, "file")
        where = (cell.sheet, cell.ref, f"{PICTURES}.{index}.file")
        extra = LIMITS_TEXT if picture.trouble == TOO_LARGE else ""
        variant = "values-only" if unread and picture.trouble == MISSING else ""
        found.append(problem(picture.trouble, *where, variant=variant, label=label, value=picture.shown, extra=extra))
    return found


def _from_file(workbook: Path, written: str) -> Picture:
    """A picture file's bytes, or why not; nothing outside the workbook's folder is ever looked at or read."""
    path = _resolve(workbook, written)
    if path is None:
        return Picture(None, False, OUTSIDE, written)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Picture(None, False, MISSING, f"找不到图片文件“{written}”")
        if info.st_size > limits.PICTURE_BYTES:
            return Picture(None, False, TOO_LARGE, written)
        with path.open("rb") as handle:
            data = handle.read(limits.PICTURE_BYTES + 1)
    except (OSError, ValueError):
        return Picture(None, False, MISSING, f"找不到图片文件“{written}”")
    return _checked(data, False, written)


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


def _checked(blob: bytes, pasted: bool, shown: str) -> Picture:
    """The picture if Word can show it; too large past the byte or pixel limit; otherwise unreadable."""
    if len(blob) > limits.PICTURE_BYTES:
        return Picture(None, pasted, TOO_LARGE, shown)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob), formats=IMAGE_FORMATS) as image:
                if image.width * image.height > limits.PICTURE_PIXELS:
                    return Picture(None, pasted, TOO_LARGE, shown)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Picture(None, pasted, TOO_LARGE, shown)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error):
        return Picture(None, pasted, UNREADABLE, shown)
    return Picture(blob, pasted)
