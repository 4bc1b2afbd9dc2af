"""Access codes: made up by the tool, easy to read aloud and type, compared as typed (spaces, case, width ignored)."""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from annual_report.core.formula_safe import set_cell
from annual_report.core.write import write_atomically

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
LENGTH = 12  # about 59 bits
MIN_REMOTE = 10  # a code that others on the network may guess must be at least this long
GROUP = 4  # shown as kq7m-x3pa-9hte


def new_code() -> str:
    """A random code of LENGTH letters and digits."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """A made-up code in groups, as it is printed: kq7m-x3pa-9hte."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def typed(text: str | None) -> str:
    """A made-up code as someone typed or pasted it: without spaces and hyphens, full-width and capitals folded."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-‐‑–—")


def digest(code: str, salt: str) -> str:
    """What is stored instead of a made-up code (so that neither the database nor a backup reveals it)."""
    return hashlib.sha256(f"{salt}:{typed(code)}".encode()).hexdigest()


def same(given: str | None, expected: str | None) -> bool:
    """Whether a chosen code (e.g. serve --access-code) was given; only spaces around it are ignored."""
    given, expected = (given or "").strip(), (expected or "").strip()
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def write_code_list(path: Path | str, rows: list[tuple[str, str, str]], year: int, force: bool = False) -> Path:
    """The libraries' codes as a workbook to print or send (name, code, address); never the office's code."""
    book = Workbook()
    sheet = book.active
    sheet.title = "报送码"
    set_cell(sheet["A1"], f"{year} 年度年报报送码（每馆一个，请只发给该馆；输入时不分大小写，连字符可有可无）")
    sheet["A1"].font = Font(bold=True)
    for column, title in enumerate(("图书馆", "报送码", "邮箱"), start=1):
        set_cell(sheet.cell(row=2, column=column), title)
        sheet.cell(row=2, column=column).font = Font(bold=True)
    for number, (name, code, email) in enumerate(rows, start=3):
        for column, value in enumerate((name, shown(code), email), start=1):
            set_cell(sheet.cell(row=number, column=column), value)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 28
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomically(Path(path), buffer.getvalue(), force=force)
