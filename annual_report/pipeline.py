"""The whole pipeline for one workbook: read → validate → build the context → render → finish → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .context import build_context
from .finish import finish_document
from .problems import ValidationResult
from .properties import set_report_properties
from .read import WorkbookData
from .render import TEMPLATE_PATH, load_template, render_document, to_bytes
from .schema import Schema, load_schema
from .validate import validate_workbook
from .write import OUTPUTS, report_path, write_atomically


@dataclass(frozen=True)
class RenderOutcome:
    """What rendering one workbook gave: its problems and, unless they blocked it, the report."""

    book: WorkbookData
    result: ValidationResult
    output: Path | None

    @property
    def cover(self) -> dict:
        return self.book.data.get("cover", {})


def render_workbook(
    workbook: Path | str,
    output: Path | str | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    template: Path | str = TEMPLATE_PATH,
    outputs: Path = OUTPUTS,
    schema: Schema | None = None,
) -> RenderOutcome:
    """Validate a workbook and, if nothing blocks it, write its report; raises ReportError on bad files."""
    schema = schema or load_schema()
    document_template = load_template(template, schema)
    book, result = validate_workbook(workbook, schema)
    if result.blocks(strict):
        return RenderOutcome(book, result, None)
    target = Path(output) if output else report_path(book.data["cover"], outputs)
    document = render_document(build_context(book.data, schema), document_template)
    finish_document(document.docx)
    set_report_properties(document.docx.core_properties, book.data["cover"])
    written = write_atomically(target, to_bytes(document), force=force)
    return RenderOutcome(book, result, written)
