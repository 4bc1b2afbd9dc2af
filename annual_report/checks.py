"""Consistency checks beyond the JSON schema: figures that contradict each other or the narrative."""

from __future__ import annotations

from .problems import Problem
from .read import WorkbookData
from .schema import Schema


def run_all(book: WorkbookData, schema: Schema) -> list[Problem]:
    """Every consistency problem of data that already satisfies the schema."""
    found: list[Problem] = []
    for check in CHECKS:
        found += check(book, schema)
    return found


CHECKS: list = []
