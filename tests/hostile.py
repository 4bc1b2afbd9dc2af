"""Hostile or unlucky workbooks, each built by code and small on disk: what others may hand the office."""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from pathlib import Path

from make_samples import fixture, write_test_workbook


def good(path: Path, name: str = "丽江市图书馆", **cover) -> Path:
    """A valid workbook (丽江's data, which has no pictures) under another library's name."""
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["cover"].update(name=name, **cover)
    return write_test_workbook(path, data)


def sheet_part(path: Path, sheet: str) -> str:
    """The package part of a sheet (the blank workbook's sheets are sheet1.xml… in order)."""
    from openpyxl import load_workbook

    names = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def rewrite(path: Path, part: str, change) -> Path:
    """Replace one part of the package with change(old bytes) → new bytes (or a (bytes, compress level) pair)."""
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                data = change(data)
            new.writestr(info.filename, data, compresslevel=9)
    return path


def add_cell(path: Path, sheet: str, ref: str, value: str = "1") -> Path:
    """A number in a far-away cell of a sheet, with the sheet's <dimension> left as it was."""
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    cell = f'<row r="{row}"><c r="{ref}"><v>{value}</v></c></row>'.encode()
    return rewrite(path, sheet_part(path, sheet), lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))


def far_cell(path: Path, ref: str = "XFD1048576") -> Path:
    good(path)
    return add_cell(path, "封面", ref)


def zip_bomb(path: Path, inflated: int = 300 * 1024 * 1024) -> Path:
    """A sheet whose XML unpacks to hundreds of MB of blanks (a few hundred KB packed)."""
    good(path)
    part = sheet_part(path, "正文")
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info.filename, old.read(info))
                continue
            head, _, tail = old.read(info).partition(b"</sheetData>")
            packed = zipfile.ZipInfo(part)
            packed.compress_type = zipfile.ZIP_DEFLATED
            with new.open(packed, "w", force_zip64=True) as handle:
                handle.write(head)
                blank = b" " * (1024 * 1024)
                for _ in range(inflated // len(blank)):
                    handle.write(blank)
                handle.write(b"</sheetData>" + tail)
    return path


def lying_size(path: Path) -> Path:
    """A sheet part whose directory entry claims fewer bytes than it unpacks to."""
    good(path)
    part = sheet_part(path, "正文")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    name = part.encode()
    for start in (m.start() for m in re.finditer(re.escape(name), bytes(data))):
        if data[start - 46 : start - 42] == b"PK\x01\x02":  # central directory: sizes at offset 24
            data[start - 46 + 24 : start - 46 + 28] = (info.file_size // 4).to_bytes(4, "little")
        elif data[start - 30 : start - 26] == b"PK\x03\x04":  # local header: sizes at offset 22
            data[start - 30 + 22 : start - 30 + 26] = (info.file_size // 4).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def malformed_sheet(path: Path) -> Path:
    good(path)
    return rewrite(path, sheet_part(path, "人员"), lambda xml: xml.replace(b"</sheetData>", b"<row><c r="))


def text_in(path: Path, sheet_key: str, value: str, **where) -> Path:
    """A workbook with a value written into one field (a form field, or a narrative row's text)."""
    data = copy.deepcopy(fixture("lijiang_2020"))
    target = data
    for step in where["at"][:-1]:
        target = target[step]
    target[where["at"][-1]] = value
    return write_test_workbook(path, data)


def raw_text(path: Path, sheet: str, ref: str, escaped: str) -> Path:
    """Put text written exactly as given (e.g. Excel's _xD83D_ escape) into a cell as an inline string."""
    part = sheet_part(path, sheet)

    def change(xml: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
        attributes = re.sub(rb'\s*t="\w+"', b"", pattern.search(xml).group(1))
        cell = (
            b'<c r="'
            + ref.encode()
            + b'"'
            + attributes
            + b' t="inlineStr"><is><t>'
            + escaped.encode()
            + b"</t></is></c>"
        )
        return pattern.sub(lambda m: cell, xml, count=1)

    return rewrite(path, part, change)


def picture_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A PNG whose header claims width × height pixels: tiny on disk, gigabytes when decoded."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 8)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def raw_number(path: Path, sheet: str, ref: str, written: str) -> Path:
    """Put a number cell written exactly as given (e.g. NaN, INF) into a cell."""
    part = sheet_part(path, sheet)

    def change(xml: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
        attributes = re.sub(rb'\s*t="\w+"', b"", pattern.search(xml).group(1))
        cell = b'<c r="' + ref.encode() + b'"' + attributes + b"><v>" + written.encode() + b"</v></c>"
        return pattern.sub(lambda m: cell, xml, count=1)

    return rewrite(path, part, change)
