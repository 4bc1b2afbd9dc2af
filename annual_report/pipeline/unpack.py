"""A workbook handed in as a .zip together with its picture folder: unpacked safely, the workbook found.

Nothing is trusted: the number of entries, their unpacked sizes and compression ratios are within core.limits
(counted as the bytes come out, not as the directory claims); a name that leads outside the folder (absolute,
with .., a drive letter) or a symbolic link is refused; names written by Chinese Windows (GBK, without the zip's
UTF-8 flag) are read as such.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from annual_report.core import limits, sniff
from annual_report.core.refusals import refused

CHUNK = 1024 * 1024
UTF8_FLAG = 0x800
IGNORED = ("__MACOSX/", ".DS_Store", "Thumbs.db")


def is_archive(path: Path) -> bool:
    """Whether the file is a plain .zip (not a workbook, which is a zip package too)."""
    return sniff.sniff(path) == sniff.ZIP and zipfile.is_zipfile(path)


def unpack_workbook(archive: Path, folder: Path, name: str = "") -> Path:
    """Unpack the archive into folder (which must not exist yet) and return the one workbook it holds.

    name: the archive's name as shown to the user (for messages; default its file name).
    """
    name = name or archive.name
    try:
        with zipfile.ZipFile(archive) as package:
            entries = package.infolist()
            _check_directory(entries, name)
            folder.mkdir(parents=False)
            total = 0
            for info in entries:
                target = _target(folder, info, name)
                if target is None:
                    continue
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                total = _extract(package, info, target, total, name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise refused("archive-broken", archive, name=name) from exc
    return find_workbook(folder, name)


def _check_directory(entries: list[zipfile.ZipInfo], name: str) -> None:
    if len(entries) > limits.ARCHIVE_FILES:
        raise refused("archive-too-many", name, count=len(entries), limit=limits.ARCHIVE_FILES)
    declared = sum(info.file_size for info in entries)
    if declared > limits.ARCHIVE_INFLATED_BYTES:
        raise _too_large(name, declared)


def _too_large(name: str, size: int):
    return refused("archive-too-large", name, size=size // limits.MB, limit=limits.ARCHIVE_INFLATED_BYTES // limits.MB)


def _target(folder: Path, info: zipfile.ZipInfo, name: str) -> Path | None:
    """Where an entry goes inside folder; None for what is left out (Mac and Windows leftovers)."""
    entry = _decoded_name(info)
    if entry.startswith(IGNORED) or PurePosixPath(entry).name in IGNORED:
        return None
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise refused("archive-link", name, entry=entry)
    parts = PurePosixPath(entry.replace("\\", "/")).parts
    if not parts or entry.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise refused("archive-outside", name, entry=entry)
    return folder.joinpath(*parts)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The entry's name: zipfile reads names without the UTF-8 flag as cp437, Chinese Windows writes them in GBK."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _extract(package: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, total: int, name: str) -> int:
    """Copy one entry out in pieces, counting what really comes out against the limits; returns the new total."""
    written = 0
    with package.open(info) as source, target.open("xb") as sink:
        while piece := source.read(CHUNK):
            written += len(piece)
            total += len(piece)
            ratio_bomb = written > limits.RATIO_FLOOR_BYTES and written / max(info.compress_size, 1) > limits.PART_RATIO
            if written > limits.PART_BYTES or ratio_bomb or total > limits.ARCHIVE_INFLATED_BYTES:
                raise _too_large(name, total)
            sink.write(piece)
    return total


def find_workbook(folder: Path, name: str) -> Path:
    """The one spreadsheet in an unpacked folder (lock files and hidden files left out); name: the archive's."""
    kinds = {path: sniff.sniff(path) for path in sorted(folder.rglob("*")) if path.is_file() and not _hidden(path)}
    found = [path for path, kind in kinds.items() if kind in sniff.SPREADSHEETS and kind != sniff.TEXT]
    if not found:
        shutil.rmtree(folder, ignore_errors=True)
        raise refused("archive-no-workbook", name)
    if len(found) > 1:
        names = "、".join(path.relative_to(folder).as_posix() for path in found[:5])
        shutil.rmtree(folder, ignore_errors=True)
        raise refused("archive-many-workbooks", name, count=len(found), names=names)
    return found[0]


def _hidden(path: Path) -> bool:
    return path.name.startswith(("~$", "."))
