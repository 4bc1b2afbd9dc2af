"""Validate a workbook's data against schema.json and the report's own consistency checks."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from annual_report.core.problems import Problem, ValidationResult, problem, sort_key
from annual_report.core.schema import Schema, load_schema
from annual_report.workbook import checks
from annual_report.workbook.model import Workbook
from annual_report.workbook.pictures import check_pictures
from annual_report.workbook.read import read_workbook

_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@cache
def _validator(schema: Schema) -> Draft202012Validator:
    return Draft202012Validator(schema.raw, format_checker=FormatChecker())


def validate_workbook(
    path: Path | str, schema: Schema | None = None, file: str = ""
) -> tuple[Workbook, ValidationResult]:
    """Read a workbook and find all its problems; raises InputUnreadable for a file that is no workbook.

    Returns the workbook without the values the schema rejected (each reported) and every problem.
    """
    schema = schema or load_schema()
    return validate_data(read_workbook(path, schema, file), schema)


def validate_data(book: Workbook, schema: Schema) -> tuple[Workbook, ValidationResult]:
    """All problems of a workbook already read: reading, schema and consistency, in sheet and cell order."""
    found = list(book.problems)
    rejected = set()
    for error in _validator(schema).iter_errors(book.data):
        found.append(_from_schema_error(error, book, schema))
        if error.validator != "required":
            rejected.add(tuple(error.absolute_path))
    clean = book.without(rejected)
    found += checks.run_all(clean, schema)
    found += check_pictures(clean, schema)
    return clean, ValidationResult(tuple(sorted_problems(found, schema)))


def sorted_problems(found, schema: Schema) -> list[Problem]:
    """The problems without repeats, in the order a reader scans the workbook: by sheet, then row, then column."""
    order = [schema.notes_sheet, *schema.sheet_names]
    return sorted(dict.fromkeys(p for p in found if p), key=lambda p: sort_key(p, order))


def _from_schema_error(error: ValidationError, book: Workbook, schema: Schema) -> Problem | None:
    path = tuple(error.absolute_path)
    if error.validator == "required":
        match = _REQUIRED.match(error.message)
        path = (*path, match.group(1)) if match else path
    if any(path[:n] in book.unusable for n in range(1, len(path) + 1)) or (path[0], "*", path[-1]) in book.unusable:
        return None
    located = book.where(*path)
    sheet, cell = located.sheet, located.ref
    label = _label(schema, path)
    dotted = ".".join(str(step) for step in path)
    value = error.instance
    kind = error.validator
    if kind in ("required", "minLength"):
        return problem("required", sheet, cell, dotted, label=label)
    if kind == "minItems":
        return problem("required", sheet, cell, dotted, label=f"{sheet}内容")
    if kind == "type":
        expected = error.validator_value
        if expected == "integer" and isinstance(value, float):
            return problem("not-an-integer", sheet, cell, dotted, label=label, value=value)
        if expected in ("integer", "number"):
            return problem("not-a-number", sheet, cell, dotted, label=label, value=value)
        return problem("invalid-value", sheet, cell, dotted, label=label, value=value, extra="类型不对")
    if kind == "minimum" and error.validator_value == 0:
        return problem("negative", sheet, cell, dotted, label=label, value=value)
    if kind in ("minimum", "maximum"):
        if path[-1] == "year":
            return problem("invalid-value", sheet, cell, dotted, label=label, value=value, extra="应为四位年份")
        code = "too-large" if kind == "maximum" else "invalid-value"
        return problem(code, sheet, cell, dotted, label=label, value=value, extra=f"不能小于 {error.validator_value}")
    if kind == "enum":
        choices = "、".join(str(c) for c in error.validator_value)
        return problem("not-in-list", sheet, cell, dotted, label=label, value=value, extra=choices)
    if kind == "format":
        code = {"date": "not-a-date", "email": "invalid-email"}.get(error.validator_value, "invalid-value")
        return problem(code, sheet, cell, dotted, label=label, value=value, extra=error.validator_value)
    if kind == "pattern":
        return problem("invalid-phone", sheet, cell, dotted, label=label, value=value)
    if kind == "maxLength":
        return problem("text-too-long", sheet, cell, dotted, label=label, value=len(value), extra=error.validator_value)
    return problem("invalid-value", sheet, cell, dotted, label=label, value=value, extra=error.message)


def _label(schema: Schema, path: tuple) -> str:
    """The Chinese label of the field at a data path."""
    if not path:
        return ""
    part = next((p for p in schema.parts if p.key == path[0]), None)
    if part is None:
        return str(path[0])
    keys = [step for step in path[1:] if isinstance(step, str)]
    if not keys:
        return part.sheet
    label = part.field(keys[0]).label
    if part.layout == "indicators" and len(keys) > 1:
        label += f"（{schema.column(keys[1]).name}）"
    return label
