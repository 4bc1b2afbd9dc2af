"""Open the Word file to import, decided by its content: a .docx (.docm, .dotx, .dotm) as it is, a .doc, .wps, .rtf,
.odt or Word 2003 XML converted by LibreOffice first; anything else refused at once with a message naming the file.

python-docx is strict where Word is not: a macro-enabled document or a template, a relationship to a part that is
not there (webSettings…), a style without its type. Such a package is mended in memory before python-docx reads it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from annual_report.core import limits, sniff
from annual_report.core.errors import InputUnreadable
from annual_report.core.quiet import quiet
from annual_report.core.refusals import KINDS, OTHER_PACKAGE, OTHER_PROGRAM, refused
from annual_report.importer.convert import converted_to_docx

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OOXML = (sniff.DOCX, sniff.DOCM, sniff.DOTX, sniff.DOTM)
CONVERTED = (sniff.DOC, sniff.RTF, sniff.ODT, sniff.WORD_XML, sniff.FODT)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?/>|<Relationship\b[^>]*?>\s*</Relationship>", re.S)


@contextmanager
def opened_document(path: Path) -> Iterator:
    """The python-docx Document of the file (converted by LibreOffice first when it is a .doc, .wps, .rtf, .odt)."""
    path = Path(path)
    if not path.is_file():
        raise refused("not-found", path, name=str(path))
    kind = sniff.sniff(path)
    if kind == sniff.ENCRYPTED:
        raise refused("encrypted", path, name=path.name)
    if kind in OOXML:
        yield _open(path, path.name)
    elif kind in CONVERTED:
        with converted_to_docx(path, kind) as converted:
            yield _open(converted, path.name)
    elif kind == sniff.EMPTY:
        raise refused("empty", path, name=path.name)
    elif kind == sniff.BROKEN_OLE or (kind == sniff.ZIP and not zipfile.is_zipfile(path)):
        raise refused("broken-document", path, name=path.name)
    else:
        raise refused("not-word", path, name=path.name, what=KINDS.get(kind, OTHER_PROGRAM))


def _open(path: Path, name: str):
    """python-docx's Document of a .docx package, mended first where python-docx would refuse it."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist() and _main_part(archive) is None:
                raise refused(
                    "not-word", path, name=name, what=KINDS[sniff.XLSX] if _has_workbook(archive) else OTHER_PACKAGE
                )
            if sum(info.file_size for info in archive.infolist()) > limits.DOCUMENT_INFLATED_BYTES:
                raise refused("document-too-large", path, name=name, size=limits.DOCUMENT_INFLATED_BYTES // limits.MB)
            mended = _mended(archive)
        with quiet("python-docx"):
            document = Document(mended if mended is not None else str(path))
        for style in document.styles.element.findall(qn("w:style")):
            if style.get(qn("w:type")) is None:  # a style without its type is a paragraph style (ECMA-376 17.7.4.17)
                style.set(qn("w:type"), "paragraph")
        return document
    except InputUnreadable:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx raise many kinds for a damaged part
        raise refused("broken-document", path, name=name) from exc


def _has_workbook(archive: zipfile.ZipFile) -> bool:
    return any(name.startswith("xl/") for name in archive.namelist())


def _main_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main document part, from its relationships."""
    if "_rels/.rels" not in archive.namelist():
        return None
    for rel in _RELATIONSHIP.findall(archive.read("_rels/.rels")):
        if re.search(rb'Type="[^"]*/officeDocument"', rel):
            target = re.search(rb'Target="([^"]+)"', rel)
            return target.group(1).decode().lstrip("/") if target else None
    return None


def _mended(archive: zipfile.ZipFile) -> io.BytesIO | None:
    """A copy of the package python-docx accepts, or None when it needs no mending.

    The main part of a .docm, .dotx or .dotm gets the .docx content type; relationships to parts the package
    does not have are dropped.
    """
    names = set(archive.namelist())
    changed: dict[str, bytes] = {}
    types = archive.read("[Content_Types].xml")
    main = _main_part(archive) or "word/document.xml"
    override = re.compile(
        rb'(<Override\b[^>]*PartName="/' + re.escape(main.encode()) + rb'"[^>]*ContentType=")([^"]+)(")'
    )
    found = override.search(types)
    if found and found.group(2).decode() != DOCX_MAIN:
        changed["[Content_Types].xml"] = override.sub(
            lambda m: m.group(1) + DOCX_MAIN.encode() + m.group(3), types, count=1
        )
    for rels in (n for n in names if n.endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(rels))
        xml = archive.read(rels)
        kept = _RELATIONSHIP.sub(lambda m, base=folder: b"" if _dangling(m.group(0), base, names) else m.group(0), xml)
        if kept != xml:
            changed[rels] = kept
    if not changed:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            copy.writestr(info, changed.get(info.filename, archive.read(info)))
    buffer.seek(0)
    return buffer


def _dangling(relationship: bytes, folder: str, names: set[str]) -> bool:
    """Whether an internal relationship points at a part the package does not have."""
    if b'TargetMode="External"' in relationship:
        return False
    target = re.search(rb'Target="([^"]*)"', relationship)
    if target is None:
        return True
    name = target.group(1).decode("utf-8", "replace")
    part = name.lstrip("/") if name.startswith("/") else posixpath.normpath(posixpath.join(folder, name))
    return part not in names
