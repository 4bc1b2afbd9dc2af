"""A folder of submissions: which entries are workbooks to read, and which cannot be read as files at all."""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from annual_report.core.errors import InputUnreadable

# What a folder of submissions may hold that a librarian meant as a workbook: .xlsx is read, the
# others are reported as failed files with the reader's own message (e.g. "请另存为 .xlsx").
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".csv", ".et", ".ods"})


def find_workbooks(folder: Path | str, exclude: Iterable[Path | str] = ()) -> list[Path]:
    """Every spreadsheet under a folder, recursively, sorted; lock files, hidden files and exclude are left out."""
    folder = Path(folder)
    skipped = {Path(p).resolve() for p in exclude}
    if not folder.is_dir():
        raise InputUnreadable(f"找不到文件夹：{folder}")
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not _hidden(d))
        for name in files:
            path = Path(directory) / name
            if _hidden(name) or path.suffix.lower() not in SPREADSHEET_SUFFIXES or _resolved(path) in skipped:
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


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
        return f"无法读取（{exc.strerror or exc}），已跳过"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（可能是管道或设备），已跳过"
    return None


def displayable(text: str) -> str:
    """The text with what a terminal or a workbook cannot show (undecodable bytes, control characters) as ?."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("?" if unicodedata.category(ch) == "Cc" or ch == "\ufffd" else ch for ch in text)
