"""Open the Word file to import: a .docx as it is, a .doc or .wps converted by LibreOffice first;
encrypted, corrupt or oversized files refused with a message naming the file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annual_report.core.errors import InputUnreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .wps and encrypted Office files
MAX_UNPACKED = 300 * 1024 * 1024  # a report with photos is tens of MB; more is no report (or a zip bomb)
CONVERT_TIMEOUT = 180  # seconds LibreOffice may take to convert one .doc
SAVE_AS_DOCX = "请在 Word 或 WPS 中打开它，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入新文件"


@contextmanager
def opened_document(path: Path) -> Iterator:
    """The python-docx Document of the file (converted first when it is a .doc or .wps)."""
    from docx import Document

    path = Path(path)
    if not path.is_file():
        raise InputUnreadable(f"找不到文件 {path}")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        if _encrypted(path):
            raise InputUnreadable(
                f"{path.name} 设有打开密码，无法读取。请在 Word 中打开它，在“文件 → 信息 → 保护文档 → 用密码进行加密”"
                "中删去密码并保存，再导入"
            )
        with _converted(path) as converted:
            yield _open(converted, path.name, Document)
        return
    if head.startswith(b"{\\rtf"):  # RTF, often saved with a .doc name
        with _converted(path) as converted:
            yield _open(converted, path.name, Document)
        return
    if not zipfile.is_zipfile(path):
        raise InputUnreadable(f"{path.name} 不是 Word 文档（.docx），或者文件已损坏。{SAVE_AS_DOCX}")
    yield _open(path, path.name, Document)


def _open(path: Path, name: str, document_class):
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                kind = "Excel 工作簿" if any(n.startswith("xl/") for n in names) else "Word 文档"
                raise InputUnreadable(f"{name} 不是 Word 文档（像是{kind if kind != 'Word 文档' else '其他文件'}）")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise InputUnreadable(
                    f"{name} 解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像是一份年报，已拒绝读取"
                )
        return document_class(str(path))
    except InputUnreadable:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many kinds for a damaged file
        raise InputUnreadable(f"{name} 已损坏，无法读取（{type(exc).__name__}）。{SAVE_AS_DOCX}") from exc


def _encrypted(path: Path) -> bool:
    """Whether an OLE file is an encrypted Office document (it holds an EncryptedPackage stream)."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        return marker in handle.read(4 * 1024 * 1024)


@contextmanager
def _converted(path: Path) -> Iterator[Path]:
    """A .docx made from a .doc, .wps or .rtf by LibreOffice, in a scratch folder removed afterwards."""
    from annual_report.layout.libreoffice import find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise InputUnreadable(
            f"{path.name} 是旧式的 Word/WPS 文件，需要 LibreOffice 才能读取，本机没有安装。{SAVE_AS_DOCX}"
        )
    with tempfile.TemporaryDirectory(prefix="annual-report-import-") as scratch:
        source = Path(scratch) / ("source" + (path.suffix.lower() or ".doc"))
        shutil.copyfile(path, source)
        profile = Path(scratch, "profile").as_uri()
        command = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        command += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", scratch, str(source)]
        _run(command, path.name)
        converted = source.with_suffix(".docx")
        if not converted.is_file():
            raise InputUnreadable(f"LibreOffice 无法转换 {path.name}（文件可能已损坏或设有密码）。{SAVE_AS_DOCX}")
        yield converted


def _run(command: list[str], name: str) -> None:
    """Run LibreOffice's conversion; stop it and everything it started when it takes too long."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=os.name != "nt"
        )
    except OSError as exc:
        raise InputUnreadable(f"无法启动 LibreOffice 转换 {name}（{exc.strerror}）。{SAVE_AS_DOCX}") from exc
    try:
        process.wait(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()
        raise InputUnreadable(f"LibreOffice 在 {CONVERT_TIMEOUT} 秒内没能转换 {name}。{SAVE_AS_DOCX}") from exc
