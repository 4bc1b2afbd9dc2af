"""A folder of submissions: every file in it is read as a workbook, set aside as a document, or left as a picture.

Every file but the pictures (the workbooks' picture folders) and hidden or lock files is named in the folder's
result: a workbook with its problems; a file that is no workbook (a .numbers, a .slk, a text file…) failed, with
what to do; a Word document or a PDF (a report kept beside the workbooks) set aside, saying so.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from annual_report.core import sniff
from annual_report.core.errors import InputUnreadable
from annual_report.core.messages import message, os_reason
from annual_report.core.program import program

# Names of spreadsheets: such a file is always read as a workbook (the reader names what it really is).
SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".xlsb", ".et", ".ett", ".ods", ".ots", ".fods", ".numbers"}
    | {".csv", ".tsv", ".slk", ".xml", ".txt", ".dif", ".zip"}
)
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".emf", ".wmf"})
DOCUMENTS = {**dict.fromkeys(sniff.WORD_FILES, "Word 文档"), sniff.PDF: "PDF 文件", sniff.PRESENTATION: "演示文稿"}


def find_workbooks(folder: Path | str, exclude: Iterable[Path | str] = ()) -> list[Path]:
    """Every file under a folder but pictures, recursively, sorted; lock files, hidden files and exclude are left out."""
    folder = Path(folder)
    skipped = {Path(p).resolve() for p in exclude}
    if not folder.is_dir():
        raise InputUnreadable(message("folder-not-found", folder=folder))
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not _hidden(d))
        for name in files:
            path = Path(directory) / name
            if _hidden(name) or _resolved(path) in skipped or _picture(path):
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _picture(path: Path) -> bool:
    """A picture (of a workbook's picture folder): by its name, or by its content where the name says nothing."""
    suffix = path.suffix.lower()
    if suffix in PICTURE_SUFFIXES:
        return True
    return suffix not in SPREADSHEET_SUFFIXES and _kind(path) == sniff.IMAGE


def set_aside(path: Path) -> str | None:
    """Why a found file is not read as a workbook (a Word document, a PDF), or None when it is to be read."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return None
    kind = DOCUMENTS.get(_kind(path))
    if kind is None:
        return None
    hint = f"；要由上一年的 Word 年报生成工作簿，用 {program()} template --from-docx" if kind == "Word 文档" else ""
    return f"是{kind}，不是工作簿，没有检查（如果是哪个馆报送的年报工作簿，请让它另存为 .xlsx 后重新报送）{hint}"


def _kind(path: Path) -> str | None:
    if not path.is_file():  # a pipe would block the read; skip_reason names it
        return None
    try:
        return sniff.sniff(path)
    except OSError:
        return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop: reported as a skipped file
        return path


def _hidden(name: str) -> bool:
    """Excel/WPS lock files (~$…), LibreOffice locks (.~lock…), our own temporary files (.tmp-…)."""
    return name.startswith(("~$", "."))


def skip_reason(path: Path) -> str | None:
    """Why a found entry cannot be read as a file at all (checked without opening it), or None."""
    if displayable(path.name) != path.name:
        return "文件名含有无法显示的字符（编码不对或控制字符），已跳过：请用普通文字重新命名"
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "是循环的符号链接，已跳过"
        if exc.errno == errno.ENAMETOOLONG:
            return "文件名或路径太长，已跳过：请改短文件名或移到上层文件夹"
        if exc.errno == errno.ENOENT:
            return "是失效的快捷方式（符号链接指向的文件不存在），已跳过"
        return f"无法读取（{os_reason(exc)}），已跳过"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（可能是管道或设备），已跳过"
    return None


def displayable(text: str) -> str:
    """The text with what a terminal or a workbook cannot show (undecodable bytes, control characters) as ?."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("?" if unicodedata.category(ch) == "Cc" or ch == "\ufffd" else ch for ch in text)
