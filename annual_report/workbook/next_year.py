"""Next year's workbook from last year's: the year advanced, last year's figures moved to the 上年 column."""

from __future__ import annotations

from pathlib import Path

from annual_report.core.errors import OutputError
from annual_report.core.messages import message
from annual_report.core.problems import ValidationResult
from annual_report.core.schema import Field, Schema, load_schema
from annual_report.core.write import report_path, write_via
from annual_report.workbook.blank import write_workbook
from annual_report.workbook.model import Workbook
from annual_report.workbook.paste import paste_pictures
from annual_report.workbook.pictures import PICTURES
from annual_report.workbook.validate import validate_workbook


def next_year_data(data: dict, schema: Schema | None = None) -> dict:
    """The data of next year's workbook, as schema.json's x-next-year says: parts carried over as they are (the
    cover without the fields of one year, the year advanced), this year's indicators as 上年; the 图片 rows'
    pictures are pasted anew by write_next_year."""
    schema = schema or load_schema()
    carried: dict = {}
    for part in schema.parts:
        values = data.get(part.key)
        if part.next_year == "previous":
            carried[part.key] = {
                key: {"previous": pair["current"]}
                for key, pair in (values or {}).items()
                if isinstance(pair, dict) and pair.get("current") is not None
            }
        elif part.next_year == "carry" and part.layout != "table" and isinstance(values, dict):
            carried[part.key] = {key: _next(part.field(key), value) for key, value in values.items()}
            carried[part.key] = {key: value for key, value in carried[part.key].items() if value is not None}
        elif part.next_year == "carry" and values and part.key != PICTURES:
            carried[part.key] = values
    return carried


def _next(item: Field, value):
    """A form field's value next year: cleared, advanced by one (the year), or as it is."""
    if item.next_year == "clear":
        return None
    if item.next_year == "advance":
        return value + 1 if isinstance(value, int) else None
    return value


def carried_pictures(book: Workbook) -> list[dict]:
    """Last year's 图片 rows that have a picture (pasted, in a cell or from a file), each with its bytes."""
    rows = []
    for index, row in book.table(PICTURES):
        picture = book.pictures.get(index)
        if "name" in row and picture is not None and picture.data:
            rows.append({key: row[key].value for key in ("name", "caption") if key in row} | {"data": picture.data})
    return rows


def write_next_year(
    source: Path | str, output: Path | str | None = None, force: bool = False
) -> tuple[Path, ValidationResult]:
    """Write next year's workbook (by default <library>-<year>-年报填报.xlsx here); returns it and last year's problems.

    Last year's problems are returned for reporting, they do not stop it; raises InputUnreadable when
    last year's file is no workbook at all.
    """
    schema = load_schema()
    book, result = validate_workbook(source, schema)
    data = next_year_data(book.data, schema)
    pictures = carried_pictures(book)
    data[PICTURES] = [{k: v for k, v in row.items() if k != "data"} for row in pictures]
    output = Path(output) if output else report_path(data["cover"], Path("."), "填报.xlsx")
    if output.resolve() == Path(source).resolve():
        raise OutputError(message("template-from-itself", file=output))

    def make(draft: Path) -> None:
        write_workbook(draft, data, schema)
        if pictures:
            paste_pictures(draft, pictures, schema.part(PICTURES).sheet)

    return write_via(output, make, force=force), result
