"""Click's messages in Chinese: the .po catalogue, compiled to .mo at build time or in memory in a checkout.

Standard library only: setup.py loads this file by its path to compile the catalogue into the wheel.
"""

from __future__ import annotations

import ast
import gettext
import io
import struct
from pathlib import Path

DOMAIN = "click"
LANGUAGE = "zh_CN"
LOCALE = Path(__file__).resolve().parent / "locale"
PO_PATH = LOCALE / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = PO_PATH.with_suffix(".mo")
_MAGIC = 0x950412DE


def read_po(text: str) -> dict[str, str]:
    """The translated entries of a .po file as .mo keys and values: plural forms joined by NUL, the header under ""."""
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    current, fuzzy = None, False

    def finish() -> None:
        forms = [fields[name] for name in sorted(fields) if name.startswith("msgstr")]
        if "msgid" in fields and (fields["msgid"] == "" or (any(forms) and not fuzzy)):  # as msgfmt does
            key = fields["msgid"] + ("\0" + fields["msgid_plural"] if "msgid_plural" in fields else "")
            entries[key] = "\0".join(forms)
        fields.clear()

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#,"):
            finish()
            current, fuzzy = None, "fuzzy" in line
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{PO_PATH.name} line {number}: a string continues no field")
            fields[current] += ast.literal_eval(line)
            continue
        name, _, value = line.partition(" ")
        if name == "msgid" and "msgid" in fields:
            finish()
            fuzzy = False
        current = name
        fields[name] = ast.literal_eval(value)
    finish()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The GNU .mo file of these entries (the format msgfmt writes)."""
    keys = sorted(entries, key=lambda key: key.encode())
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    table_start = 7 * 4
    id_start = table_start + 16 * len(keys)
    str_start = id_start + sum(len(b) + 1 for b in ids)
    id_table, str_table = [], []
    for table, items, start in ((id_table, ids, id_start), (str_table, strs, str_start)):
        offset = start
        for item in items:
            table += [len(item), offset]
            offset += len(item) + 1
    header = struct.pack("<7I", _MAGIC, 0, len(keys), table_start, table_start + 8 * len(keys), 0, 0)
    tables = struct.pack(f"<{4 * len(keys)}I", *id_table, *str_table)
    return header + tables + b"".join(item + b"\0" for item in (*ids, *strs))


def compile_po(po_path: Path = PO_PATH, mo_path: Path = MO_PATH) -> None:
    """Write the .mo file of a .po file (setup.py calls this when building the wheel)."""
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    mo_path.write_bytes(mo_bytes(read_po(po_path.read_text(encoding="utf-8"))))


def translations() -> gettext.GNUTranslations:
    """The Chinese catalogue: from the .po source in a checkout, else from the .mo an installed wheel carries."""
    if PO_PATH.is_file():
        return gettext.GNUTranslations(io.BytesIO(mo_bytes(read_po(PO_PATH.read_text(encoding="utf-8")))))
    with MO_PATH.open("rb") as mo:
        return gettext.GNUTranslations(mo)
