"""What a file is, told by its content in a few milliseconds, never by its name alone: the one place that looks
inside spreadsheets and Word files before any reader does, and the one detector of encrypted Office files
(kind ENCRYPTED: an OOXML file in an OLE container, a .doc or .xls whose encryption flag is set)."""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from pathlib import Path

import olefile

HEAD_BYTES = 64 * 1024  # enough of an XML or text file to tell what it is
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls, .doc, .wps, .et and encrypted Office files
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")

# Kinds of file. Spreadsheets:
XLSX, XLSM, XLTX, XLTM, XLSB, ODS, NUMBERS = "xlsx", "xlsm", "xltx", "xltm", "xlsb", "ods", "numbers"
XLS, FODS, SPREADSHEET_XML, SLK, TEXT = "xls", "fods", "spreadsheetml", "slk", "text"
# Word processing and the rest:
DOCX, DOCM, DOTX, DOTM, ODT, DOC, WORD_XML, FODT, RTF = (
    "docx",
    "docm",
    "dotx",
    "dotm",
    "odt",
    "doc",
    "wordml",
    "fodt",
    "rtf",
)
PRESENTATION, PDF, HTML, XML, IMAGE, ZIP, OLE, EMPTY, BINARY = (
    "presentation",
    "pdf",
    "html",
    "xml",
    "image",
    "zip",
    "ole",
    "empty",
    "binary",
)
ENCRYPTED = "encrypted"  # an Office file with an open password (OOXML in an OLE container)
BROKEN_OLE = "broken-ole"  # starts like an OLE file but its directory cannot be read: damaged

OOXML_SPREADSHEETS = (XLSX, XLSM, XLTX, XLTM)
SPREADSHEETS = (*OOXML_SPREADSHEETS, XLSB, ODS, NUMBERS, XLS, FODS, SPREADSHEET_XML, SLK, TEXT)
WORD_FILES = (DOCX, DOCM, DOTX, DOTM, ODT, DOC, WORD_XML, FODT, RTF)

_MAIN_TYPES = {  # the content type of an OOXML package's main part → its kind
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": XLSM,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": XLTX,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": XLTM,
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": XLSB,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": DOCM,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": DOTX,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": DOTM,
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": ODS,
    "application/vnd.oasis.opendocument.spreadsheet-template": ODS,
    "application/vnd.oasis.opendocument.text": ODT,
    "application/vnd.oasis.opendocument.text-template": ODT,
}
_FLAT_ODF = re.compile(rb'office:mimetype="application/vnd\.oasis\.opendocument\.(spreadsheet|text)')
_WORD_FIB_ENCRYPTED = 0x0100  # fEncrypted in the FIB's flags (offset 10 of the WordDocument stream)
_BIFF_FILEPASS = 0x002F  # the record that starts the encrypted part of an .xls workbook stream


def sniff(path: Path | str) -> str:
    """The kind of a file (one of this module's constants), from its content."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        return EMPTY
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path)
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(IMAGE_MAGIC) and (not head.startswith(b"RIFF") or head[8:12] == b"WEBP"):
        return IMAGE
    text = _decoded(head)
    if text is None:
        return BINARY
    return _text_kind(text)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size < 1024 * 1024:
                types = archive.read("[Content_Types].xml")
                for content_type, kind in _MAIN_TYPES.items():
                    if content_type.encode() in types:
                        return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                return _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip(), ZIP)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        return ZIP  # a damaged zip: the reader that opens it says so
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if "word/document.xml" in names:
        return DOCX
    if any(name.startswith("ppt/") for name in names):
        return PRESENTATION
    if "Index/Document.iwa" in names or "index.xml" in names or any(n.startswith("Index/") for n in names):
        return NUMBERS  # an Apple iWork package: Numbers (or Pages, Keynote; the name tells which)
    return ZIP


def _ole_kind(path: Path) -> str:
    """The kind of an OLE compound file, from the names of its streams (and the encryption flags)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
            if {"encryptedpackage", "encryptioninfo"} & streams:
                return ENCRYPTED
            if "worddocument" in streams:
                return ENCRYPTED if _word_encrypted(ole) else DOC
            for name in ("workbook", "book"):
                if name in streams:
                    return ENCRYPTED if _biff_encrypted(ole, name) else XLS
            if "powerpoint document" in streams:
                return PRESENTATION
    except Exception:  # olefile raises many kinds for a damaged directory
        return BROKEN_OLE
    return OLE


def _word_encrypted(ole: olefile.OleFileIO) -> bool:
    with ole.openstream("WordDocument") as stream:
        fib = stream.read(12)
    return len(fib) == 12 and bool(struct.unpack_from("<H", fib, 10)[0] & _WORD_FIB_ENCRYPTED)


def _biff_encrypted(ole: olefile.OleFileIO, name: str) -> bool:
    """Whether a FILEPASS record follows the first BOF record of the workbook stream."""
    with ole.openstream(name) as stream:
        data = stream.read(4096)
    offset = 0
    for _ in range(64):  # the records before FILEPASS are few and small
        if offset + 4 > len(data):
            return False
        kind, size = struct.unpack_from("<HH", data, offset)
        if kind == _BIFF_FILEPASS:
            return True
        if kind in (0x00FC, 0x0085):  # shared strings or the first sheet: past where FILEPASS may stand
            return False
        offset += 4 + size
    return False


def _decoded(head: bytes) -> str | None:
    """The head of a text file as text (UTF-8, UTF-16 with a BOM, or GB18030), or None for binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "ignore")
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the head
                return head[: exc.start].decode(encoding, "ignore")
    return None


def _text_kind(text: str) -> str:
    start = text.lstrip()[:2048].lower()
    if start.startswith("{\\rtf"):
        return RTF
    if start.startswith("id;p") or start.startswith("id;"):
        return SLK
    if start.startswith("<"):
        if 'progid="excel.sheet"' in start or "urn:schemas-microsoft-com:office:spreadsheet" in text[:HEAD_BYTES]:
            return SPREADSHEET_XML
        if 'progid="word.document"' in start or "schemas.microsoft.com/office/word/2003/wordml" in text:
            return WORD_XML
        flat = _FLAT_ODF.search(text.encode("utf-8", "ignore"))
        if flat:
            return FODS if flat.group(1) == b"spreadsheet" else FODT
        if "<html" in start or "<!doctype html" in start or "<table" in start:
            return HTML
        return XML
    return TEXT
