"""The office's list of expected libraries: a workbook or a CSV file of names (and optionally e-mail addresses)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from annual_report.core import limits
from annual_report.core.errors import InputUnreadable
from annual_report.core.messages import message, os_reason
from annual_report.workbook.text import clean_text, identity

NAME_HEADERS = ("馆名", "图书馆", "图书馆名称", "名称", "单位", "单位名称", "报送单位")
EMAIL_HEADERS = ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail")
LIST_ROWS = 10_000
NAME_LENGTH = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Expected:
    """A library the office expects a report from, as its list names it."""

    name: str
    email: str = ""


def read_library_list(path: Path | str) -> list[Expected]:
    """The libraries of an .xlsx or CSV list, in its order; raises InputUnreadable naming the file and row."""
    path = Path(path)
    try:
        if path.stat().st_size > limits.LIBRARY_LIST_BYTES:
            raise InputUnreadable(message("list-too-large", file=path, limit=limits.shown('LIBRARY_LIST_BYTES')))
        data = path.read_bytes()
    except OSError as exc:
        raise InputUnreadable(message("list-unreadable", file=path, reason=os_reason(exc))) from exc
    rows = _workbook_rows(path, data) if data.startswith(b"PK") else _csv_rows(path, data)
    return expected_libraries(path, rows)


def expected_libraries(path: Path, rows: list[list[str]]) -> list[Expected]:
    """The libraries of a list's rows: a header row if there is one, names once each (see text.identity)."""
    name_column, email_column, first = 0, None, 0
    if rows:
        header = [identity(cell) for cell in rows[0]]
        named = [index for index, cell in enumerate(header) if cell in NAME_HEADERS]
        if named:
            name_column, first = named[0], 1
            email_column = next((i for i, cell in enumerate(header) if cell in EMAIL_HEADERS), None)
    found: list[Expected] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[first:], start=first + 1):
        name = _cell(row, name_column)
        if not identity(name):
            continue
        if len(name) > NAME_LENGTH:
            raise InputUnreadable(message("list-name-too-long", file=path, row=number, limit=NAME_LENGTH))
        if identity(name) in seen:
            raise InputUnreadable(
                message("list-duplicate", file=path, row=number, name=name, first=seen[identity(name)])
            )
        seen[identity(name)] = number
        email = _cell(row, email_column) if email_column is not None else _email_beside(row, name_column)
        if email and not _EMAIL.match(email):
            raise InputUnreadable(message("list-bad-email", file=path, row=number, email=email))
        found.append(Expected(name, email))
    if not found:
        raise InputUnreadable(message("list-no-names", file=path))
    if len(found) > LIST_ROWS:
        raise InputUnreadable(message("list-too-many", file=path, count=len(found), limit=LIST_ROWS))
    return found


def _cell(row: list[str], column: int | None) -> str:
    if column is None or column >= len(row):
        return ""
    text, _code, _chars = clean_text(str(row[column]))
    return " ".join(text.split())


def _email_beside(row: list[str], name_column: int) -> str:
    """Without a header: the first other cell of the row that looks like an address."""
    others = (_cell(row, index) for index in range(len(row)) if index != name_column)
    return next((text for text in others if "@" in text), "")


def _workbook_rows(path: Path, data: bytes) -> list[list[str]]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows()][: LIST_ROWS + 1]
    except Exception as exc:  # calamine's errors name no file
        raise InputUnreadable(message("list-broken", file=path)) from exc


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV in GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputUnreadable(message("list-not-text", file=path))
    if "\0" in text:
        raise InputUnreadable(message("list-not-csv", file=path))
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return list(csv.reader(io.StringIO(text), dialect))[: LIST_ROWS + 1]
