"""Look at a workbook's package before any reader does: refuse what would take too much memory or time.

An .xlsx file is a zip package of XML parts. Its directory says how large each part unpacks to;
every part is then unpacked once, in bounded pieces, to make sure the directory tells the truth,
and each sheet's XML is scanned as it streams by for the cells it holds. Nothing is kept in memory
but the current piece, so a zip bomb or a value in cell XFD1048576 costs a few MB to refuse.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from xml.parsers import expat

from annual_report.core import limits
from annual_report.core.cells import column_letter
from annual_report.core.refusals import ROW, refused

CHUNK = 1024 * 1024
INDEX_PART_BYTES = 1024 * 1024  # xl/workbook.xml and the .rels parts: lists of names, never large
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra field length
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL = f"{_MAIN} row", f"{_MAIN} c"  # expat's names of <row> and <c> (namespace, space, local name)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class _Refused(Exception):
    """A reason to refuse the package: a code of core.refusals and the values its message names."""

    def __init__(self, code: str, **values) -> None:
        super().__init__(code)
        self.code, self.values = code, values


def check_package(path: Path) -> None:
    """Raise InputUnreadable, naming the file (and sheet), when the workbook is beyond core.limits."""
    try:
        _check(path)
    except _Refused as exc:
        raise refused(exc.code, path, **exc.values) from None
    except (zipfile.BadZipFile, zlib.error, expat.ExpatError, struct.error, EOFError, KeyError, ValueError) as exc:
        raise refused("broken-package", path) from exc


def _check(path: Path) -> None:
    size = path.stat().st_size
    if size > limits.WORKBOOK_BYTES:
        raise _Refused("package-too-large", size=_mb(size), limit=_mb(limits.WORKBOOK_BYTES))
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        _check_directory(infos)
        sheets = _sheet_names(archive)
        total = _Totals()
        with path.open("rb") as handle:
            for info in infos:
                if info.filename.replace("\\", "/") in sheets:
                    scan = _SheetScan(sheets[info.filename.replace("\\", "/")], total)
                elif info.filename.endswith((".xml", ".rels", ".vml")):
                    scan = _XmlCheck()  # well-formed, no document type: what the readers will parse
                else:
                    scan = None
                _unpack(handle, info, scan)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """The sizes the package's directory declares, before anything is unpacked."""
    if len(infos) > limits.PARTS:
        raise _Refused("package-too-many-parts", count=len(infos), limit=limits.PARTS)
    total = sum(info.file_size for info in infos)
    if total > limits.INFLATED_BYTES:
        raise _Refused("package-inflated-too-large", size=_mb(total), limit=_mb(limits.INFLATED_BYTES))
    xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels", ".vml")))
    if xml > limits.XML_BYTES:
        raise _Refused("package-xml-too-large", size=_mb(xml), limit=_mb(limits.XML_BYTES))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        too_large = info.file_size > limits.PART_BYTES
        bomb = info.file_size > limits.RATIO_FLOOR_BYTES and ratio > limits.PART_RATIO
        if too_large or bomb:
            raise _Refused("package-part-bomb", part=info.filename, size=_mb(info.file_size), ratio=ratio)
        if info.filename.endswith((".rels", "workbook.xml")) and info.file_size > INDEX_PART_BYTES:
            raise _Refused("package-index-too-large", part=info.filename, size=_mb(info.file_size))


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's sheets, read safely; [] for a file that is no workbook."""
    if not Path(path).is_file():  # a pipe would block the reader
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > INDEX_PART_BYTES:
                return []
            return [a.get("name", "") for a in _elements(archive.read(info), f"{_MAIN} sheet")]
    except (OSError, zipfile.BadZipFile, KeyError, expat.ExpatError, _Refused, ValueError):
        return []


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part in the package → the sheet's name, from the workbook part and its relationships.

    Part names are compared with / for \\ (some Windows programs write those); the workbook part is the
    target of the package's officeDocument relationship, wherever it lies.
    """
    names = {name.replace("\\", "/"): name for name in archive.namelist()}
    workbook = next(
        (
            part
            for kind, part in _targets(archive, names, "").values()
            if kind.endswith("/officeDocument") and part in names
        ),
        "xl/workbook.xml",
    )
    if workbook not in names:
        return {}
    targets = {rel_id: part for rel_id, (_kind, part) in _targets(archive, names, workbook).items()}
    found = {}
    for attributes in _elements(archive.read(names[workbook]), f"{_MAIN} sheet"):
        part = targets.get(attributes.get(f"{_REL} id"))
        if part:
            found[part] = attributes.get("name", "")
    return found


def _targets(archive: zipfile.ZipFile, names: dict[str, str], part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships ("" for the package's own): id → (type, target part)."""
    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels not in names or archive.getinfo(names[rels]).file_size > INDEX_PART_BYTES:
        return {}
    found = {}
    for attributes in _elements(archive.read(names[rels]), f"{_PKG} Relationship"):
        target = attributes.get("Target", "").replace("\\", "/")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}").lstrip("/")
        found[attributes.get("Id")] = (attributes.get("Type", ""), target)
    return found


def _elements(xml: bytes, name: str) -> list[dict]:
    """The attributes of every element of this (namespace-qualified) name in a small XML part."""
    found = []
    parser = _parser()
    parser.StartElementHandler = lambda tag, attributes: found.append(attributes) if tag == name else None
    parser.Parse(xml, True)
    return found


def _parser():
    """An expat parser with namespaces that refuses document types (and so entity expansion)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*args):
        raise _Refused("package-doctype")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _unpack(handle, info: zipfile.ZipInfo, scan: _SheetScan | None) -> None:
    """Unpack one part in bounded pieces; it may not give more bytes than the directory declares."""
    produced = 0
    for piece in _pieces(handle, info):
        produced += len(piece)
        if produced > info.file_size:
            raise _Refused("package-part-longer", part=info.filename)
        if scan is not None:
            scan.feed(piece)
    if scan is not None:
        scan.close()


def _pieces(handle, info: zipfile.ZipInfo) -> Iterator[bytes]:
    handle.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(info.filename)
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            piece = handle.read(min(CHUNK, left))
            if not piece:
                return
            left -= len(piece)
            yield piece
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _Refused("package-compression", part=info.filename)
    inflater = zlib.decompressobj(-15)
    while left > 0 and not inflater.eof:
        packed = handle.read(min(CHUNK, left))
        if not packed:
            return
        left -= len(packed)
        while packed and not inflater.eof:
            yield inflater.decompress(packed, CHUNK)
            packed = inflater.unconsumed_tail


class _XmlCheck:
    """An XML part parsed as it streams by: malformed XML or a document type is refused before any reader sees it."""

    def __init__(self):
        self.parser = _parser()

    def feed(self, piece: bytes) -> None:
        self.parser.Parse(piece, False)

    def close(self) -> None:
        self.parser.Parse(b"", True)


class _Totals:
    """What the sheets scanned so far hold together."""

    cells = 0
    area = 0


class _SheetScan(_XmlCheck):
    """Where a sheet's cells lie and how many there are, from its XML as it streams by."""

    def __init__(self, sheet: str, total: _Totals):
        super().__init__()
        self.sheet, self.total = sheet, total
        self.row = self.column = self.last_row = self.last_column = 0
        self.parser.StartElementHandler = self._start

    def close(self) -> None:
        super().close()
        self.total.area += self.last_row * self.last_column
        if self.total.area > limits.WORKBOOK_AREA:
            raise _Refused("package-area-too-large", sheet=self.sheet)

    def _start(self, tag: str, attributes: dict) -> None:
        if tag == _CELL:  # called for every element of the sheet: the cheap comparisons first
            reference = attributes.get("r")
            if reference:
                letters = reference.rstrip("0123456789").lstrip("$").upper()
                self.column = _column_number(letters)
                self.row = int(reference[len(letters) :] or self.row)
            else:
                self.column += 1
            self.total.cells += 1
            self.last_row, self.last_column = max(self.last_row, self.row), max(self.last_column, self.column)
            self._check()
        elif tag == _ROW:
            self.row = int(attributes["r"]) if "r" in attributes else self.row + 1
            self.column = 0

    def _check(self) -> None:
        if self.row > limits.SHEET_ROWS or self.column > limits.SHEET_COLUMNS:
            where = f"{column_letter(self.column)}{self.row}" if self.column <= 16384 else ROW.format(row=self.row)
            raise _Refused(
                "package-cell-too-far",
                sheet=self.sheet,
                cell=where,
                rows=limits.SHEET_ROWS,
                columns=limits.SHEET_COLUMNS,
                last=column_letter(limits.SHEET_COLUMNS),
            )
        if self.total.cells > limits.WORKBOOK_CELLS:
            raise _Refused("package-too-many-cells", sheet=self.sheet, limit=limits.WORKBOOK_CELLS)


@cache
def _column_number(letters: str) -> int:
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        raise ValueError(f"bad cell reference: {letters}")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _mb(size: int) -> str:
    return f"{size / limits.MB:.0f} MB" if size >= limits.MB else f"{size / 1024:.0f} KB"
