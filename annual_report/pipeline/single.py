"""The whole pipeline for one workbook, in one pass: read → validate → context → render → finish → lay out → write.

The document stays in memory from rendering to writing: LibreOffice lays out a copy of it, its page numbers go into
the document's contents, and the .docx (with its PDF) is written once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from annual_report.core.errors import OutputError
from annual_report.core.messages import message
from annual_report.core.problems import ValidationResult
from annual_report.core.schema import Schema, load_schema
from annual_report.core.write import OUTPUTS, refuse_existing, report_path, write_together
from annual_report.layout.libreoffice import LaidOut, LayoutError, LibreOffice, page_numbers
from annual_report.pipeline.branches import validate_network
from annual_report.pipeline.options import Layout, RenderOptions
from annual_report.report.context import build_context
from annual_report.report.finish import (
    CONTENTS_DEPTH,
    contents_entries,
    figure_contents,
    fill_contents,
    finish_document,
)
from annual_report.report.properties import drop_thumbnail, set_report_properties, set_thumbnail
from annual_report.report.render import load_template, render_document, to_bytes
from annual_report.report.trace import TraceLine, appendix_blocks, trace_lines
from annual_report.workbook.model import Workbook
from annual_report.workbook.validate import validate_workbook

NOT_LAID_OUT = "未用 LibreOffice 排版：目录页码在 Word 打开文件时更新（Word 会询问，请选择“是”）"
PAGES_NOT_FOUND = "目录页码未能自动计算，Word 打开文件时会询问是否更新目录，请选择“是”"


class Office(Protocol):
    """What lays a document out: a LibreOffice, an OfficePool, or a batch worker's way to the batch's pool."""

    def lay_out(self, docx: bytes, *, pdf: bool = False, thumbnail: bool = False) -> LaidOut: ...


@dataclass(frozen=True)
class Report:
    """One workbook's report in memory: its problems and, unless they blocked it, the finished files."""

    book: Workbook
    result: ValidationResult
    docx: bytes | None = None
    pdf: bytes | None = None
    laid_out: bool = False  # the contents carry LibreOffice's page numbers
    notes: tuple[str, ...] = ()  # what the user should know (in Chinese)

    @property
    def cover(self) -> dict:
        return self.book.data.get("cover", {})


@dataclass(frozen=True)
class RenderOutcome:
    """What rendering one workbook gave: its problems and, unless they blocked it, the files written."""

    book: Workbook
    result: ValidationResult
    output: Path | None
    pdf: Path | None = None
    laid_out: bool = False
    notes: tuple[str, ...] = ()

    @property
    def cover(self) -> dict:
        return self.book.data.get("cover", {})


def render_workbook(workbook: Path | str, options: RenderOptions, office: Office | None = None) -> RenderOutcome:
    """Validate a workbook and, if nothing blocks it, write its report (and PDF) once; raises ReportError on bad files.

    office: lays the document out (default: a LibreOffice started for this report, when options.layout asks for one).
    """
    book, result, network = _validate(workbook, options)
    if result.blocks(options.strict):
        return RenderOutcome(book, result, None)
    target = _target(Path(workbook), book.data["cover"], options.output)
    pdf_target = target.with_suffix(".pdf") if options.pdf else None
    refuse_existing(target, pdf_target, force=options.force)  # before any work
    report = _render(book, result, network, options, office)
    files = {target: report.docx} | ({pdf_target: report.pdf} if pdf_target else {})
    write_together(files, force=options.force)
    return RenderOutcome(book, result, target, pdf_target, report.laid_out, report.notes)


def render_report(workbook: Path | str, options: RenderOptions, office: Office | None = None) -> Report:
    """Validate a workbook and, if nothing blocks it, make its report in memory (options.output is not used)."""
    book, result, network = _validate(workbook, options)
    if result.blocks(options.strict):
        return Report(book, result)
    return _render(book, result, network, options, office)


def _validate(workbook: Path | str, options: RenderOptions) -> tuple:
    """The workbook, its problems and a 总馆's network (None without branches); a broken template stops it first."""
    schema = options.schema or load_schema()
    load_template(options.template, schema)
    return validate_report(workbook, options.branches, schema)


def validate_report(workbook: Path | str, branches: Path | str | None = None, schema: Schema | None = None):
    """The workbook (without what the schema rejected), all its problems and a 总馆's branches (or None)."""
    schema = schema or load_schema()
    if branches is not None:
        return validate_network(workbook, branches, schema)
    book, result = validate_workbook(workbook, schema)
    return book, result, None


def trace_report(
    workbook: Path | str, branches: Path | str | None = None, schema: Schema | None = None
) -> tuple[ValidationResult, list[TraceLine]]:
    """Where every number of the report comes from (nothing when the workbook has errors), and its problems."""
    schema = schema or load_schema()
    book, result, network = validate_report(workbook, branches, schema)
    if result.blocks():
        return result, []
    return result, trace_lines(build_context(book, schema, network)["body"])


def _target(workbook: Path, cover: dict, output: Path | None) -> Path:
    """Where the .docx goes: the given file, the usual name in the given folder, or outputs/<馆名>-<年度>-年报.docx."""
    target = output or report_path(cover, OUTPUTS)
    if target.is_dir():  # -o names a folder: the report goes into it under its usual name
        target = report_path(cover, target)
    elif not target.suffix:
        target = target.with_suffix(".docx")
    if target.resolve() == workbook.resolve() or target.suffix.lower() != ".docx":
        raise OutputError(message("output-not-docx", file=target))
    return target


def _render(
    book: Workbook, result: ValidationResult, network, options: RenderOptions, office: Office | None
) -> Report:
    """Render and finish the document in memory, lay it out if asked, and return its bytes."""
    if options.layout is Layout.REQUIRED and office is None:
        LibreOffice().check_installed()  # say what is missing before the work
    schema = options.schema or load_schema()
    context = build_context(book, schema, network)
    if options.trace:
        context["body"] += appendix_blocks(context["body"])
    document = render_document(context, load_template(options.template, schema))
    cover = book.data["cover"]
    finish_document(document.docx, figure_contents(context["body"]), cover.get("contents_depth", CONTENTS_DEPTH))
    set_report_properties(document.docx.core_properties, cover)
    drop_thumbnail(document.docx)  # the template's; the layout makes the report's own when asked
    if options.layout is Layout.NONE:
        return Report(book, result, to_bytes(document), notes=(NOT_LAID_OUT,))
    try:
        pdf, laid_out, notes = lay_out_document(document, office, pdf=options.pdf, thumbnail=options.thumbnail)
    except LayoutError as exc:
        if options.layout is Layout.REQUIRED:
            raise
        return Report(book, result, to_bytes(document), notes=(f"{exc}；目录页码将在 Word 打开文件时更新",))
    return Report(book, result, to_bytes(document), pdf, laid_out, notes)


def lay_out_document(
    document, office: Office | None, *, pdf: bool = False, thumbnail: bool = False
) -> tuple[bytes | None, bool, tuple[str, ...]]:
    """Lay out a copy of a finished document and put its page numbers (and thumbnail) into it; raises LayoutError.

    document: the rendered template (docxtpl), still open. Returns the PDF if asked, whether the contents got their
    pages, and notes. office None: a LibreOffice started for this document.
    """
    draft = to_bytes(document)
    if office is None:
        with LibreOffice() as running:
            pages = running.lay_out(draft, pdf=pdf, thumbnail=thumbnail)
    else:
        pages = office.lay_out(draft, pdf=pdf, thumbnail=thumbnail)
    found = page_numbers(contents_entries(document.docx), list(pages.contents)) if pages.contents else None
    if found:
        fill_contents(document.docx, found)
    if pages.thumbnail:
        set_thumbnail(document.docx, pages.thumbnail)
    return pages.pdf, bool(found), () if found else (PAGES_NOT_FOUND,)
