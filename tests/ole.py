"""A minimal OLE compound file (the container of .doc, .xls, .wps…) written by code: named streams, as the
format's specification ([MS-CFB], version 3, 512-byte sectors) lays them out; each stream at least 4096 bytes,
so that all live in regular sectors."""

from __future__ import annotations

import struct
from pathlib import Path

SECTOR = 512
FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """Write an OLE file holding these streams (at most three) in its root storage."""
    assert len(streams) <= 3
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    chains, next_sector = [], 2  # sector 0: the FAT, sector 1: the directory
    for data in datas:
        count = -(-len(data) // SECTOR)
        chains.append(list(range(next_sector, next_sector + count)))
        next_sector += count
    assert next_sector <= SECTOR // 4
    fat = [FAT_SECTOR, END] + [FREE] * (SECTOR // 4 - 2)
    for chain in chains:
        for here, there in zip(chain, [*chain[1:], END], strict=True):
            fat[here] = there
    entries = [_entry("Root Entry", 5, child=1 if streams else FREE, start=END, size=0)]
    for index, (name, chain, data) in enumerate(zip(streams, chains, datas, strict=True)):
        right = index + 2 if index + 1 < len(streams) else FREE
        entries.append(_entry(name, 2, right=right, start=chain[0], size=len(data)))
    directory = b"".join(entries).ljust(SECTOR, b"\0")
    header = MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", 0, *([FREE] * 108))
    body = b"".join(data.ljust(len(chain) * SECTOR, b"\0") for data, chain in zip(datas, chains, strict=True))
    path.write_bytes(header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + body)
    return path


def _entry(name: str, kind: int, right: int = FREE, child: int = FREE, start: int = END, size: int = 0) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", FREE, right, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


def word_document(path: Path, encrypted: bool = False) -> Path:
    """An OLE file like a Word 97-2003 .doc: a WordDocument stream starting with its FIB, and a table stream."""
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0409, 0, 0x0100 if encrypted else 0)  # flags at offset 10
    return write_ole(path, {"WordDocument": fib, "1Table": b""})


def excel_workbook(path: Path) -> Path:
    """An OLE file like an Excel 97-2003 .xls: a Workbook stream starting with a BOF record."""
    return write_ole(path, {"Workbook": struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005)})


def other_ole(path: Path) -> Path:
    """An OLE file of no Office program (e.g. a Works or CAD file)."""
    return write_ole(path, {"CONTENTS": b"", "MatOST": b""})
