"""The whole pipeline for one workbook: read → validate → build the context → render → finish → write."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from annual_report.core.errors import OutputError
from annual_report.core.problems import ValidationResult
from annual_report.core.schema import Schema, load_schema
from annual_report.core.scratch import scratch_folder
from annual_report.core.write import OUTPUTS, refuse_existing, report_path, write_atomically
from annual_report.pipeline.branches import validate_network
from annual_report.report.context import build_context
from annual_report.report.finish import (
    CONTENTS_DEPTH,
    contents_entries,
    figure_contents,
    fill_contents,
    finish_document,
)
from annual_report.report.properties import set_report_properties, set_thumbnail
from annual_report.report.render import TEMPLATE_PATH, load_template, render_document, to_bytes
from annual_report.report.trace import TraceLine, appendix_blocks, trace_lines
from annual_report.workbook.model import Workbook
from annual_report.workbook.validate import validate_workbook


@dataclass(frozen=True)
class RenderOutcome:
    """What rendering one workbook gave: its problems and, unless they blocked it, the report."""

    book: Workbook
    result: ValidationResult
    output: Path | None
    pdf: Path | None = None
    laid_out: bool = False  # the contents carry LibreOffice's page numbers
    notes: tuple[str, ...] = ()  # what the user should know (in Chinese)

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
    layout: bool | None = None,
    pdf: bool = False,
    office=None,
    branches: Path | str | None = None,
    trace: bool = False,
) -> RenderOutcome:
    """Validate a workbook and, if nothing blocks it, write its report; raises ReportError on bad files.

    layout: lay the document out in LibreOffice to fill the contents' page numbers (None: when
    LibreOffice is installed). pdf: also write the PDF beside the .docx (needs LibreOffice).
    office: an open layout.LibreOffice to reuse across workbooks. branches: a 总馆's folder of branch
    workbooks (the branch table, 全馆 figures). trace: append 附：数据来源, the source of every printed number.
    """
    schema = schema or load_schema()
    document_template = load_template(template, schema)
    book, result, network = validate_report(workbook, branches, schema)
    if result.blocks(strict):
        return RenderOutcome(book, result, None)
    target = Path(output) if output else report_path(book.data["cover"], outputs)
    if target.is_dir():  # -o names a folder: the report goes into it under its usual name
        target = report_path(book.data["cover"], target)
    elif not target.suffix:
        target = target.with_suffix(".docx")
    if target.resolve() == Path(workbook).resolve() or target.suffix.lower() != ".docx":
        raise OutputError(
            f"{target} 不是 .docx 文件名，不能写在这里（输入的工作簿从不被改动），请用 -o 给出 .docx 文件名"
        )
    pdf_target = target.with_suffix(".pdf") if pdf else None
    refuse_existing(target, pdf_target, force=force)
    if pdf or layout:  # asked for explicitly: say what is missing before anything is written
        from annual_report.layout.libreoffice import LibreOffice

        (office or LibreOffice()).check_installed()
    context = build_context(book, schema, network)
    if trace:
        context["body"] += appendix_blocks(context["body"])
    document = render_document(context, document_template)
    depth = book.data["cover"].get("contents_depth", CONTENTS_DEPTH)
    finish_document(document.docx, figure_contents(context["body"]), depth)
    set_report_properties(document.docx.core_properties, book.data["cover"])
    written = write_atomically(target, to_bytes(document), force=force)
    automatic = layout is None
    if automatic:
        from annual_report.layout.libreoffice import available

        layout = pdf or available()
    if not (layout or pdf):
        note = "未用 LibreOffice 排版：目录页码在 Word 打开文件时更新（Word 会询问，请选择“是”）"
        return RenderOutcome(book, result, written, notes=(note,))
    from annual_report.layout.libreoffice import LayoutError

    try:
        done = lay_out_report(written, pdf=pdf, office=office, force=force)
    except LayoutError as exc:
        if pdf or not automatic:
            raise
        return RenderOutcome(book, result, written, notes=(f"{exc}；目录页码将在 Word 打开文件时更新",))
    return RenderOutcome(book, result, written, done.pdf, done.laid_out, done.notes)


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


@dataclass(frozen=True)
class LaidOut:
    """What laying out a written report gave: its PDF, whether the contents got their pages, and notes."""

    pdf: Path | None
    laid_out: bool
    notes: tuple[str, ...] = ()


def lay_out_report(docx: Path, *, pdf: bool = False, office=None, force: bool = False) -> LaidOut:
    """Fill a written report's contents with LibreOffice's page numbers (in place) and write its PDF beside it.

    Used where reports are rendered without layout first, e.g. a batch that shares one LibreOffice.
    """
    from docx import Document

    from annual_report.layout.libreoffice import page_numbers

    pdf_target = docx.with_suffix(".pdf") if pdf else None
    refuse_existing(pdf_target, force=force)
    data = docx.read_bytes()
    pages, pdf_bytes, thumbnail = _lay_out(data, pdf, office)
    document = Document(io.BytesIO(data))
    found = page_numbers(contents_entries(document), pages) if pages else None
    notes = () if found else ("目录页码未能自动计算，Word 打开文件时会询问是否更新目录，请选择“是”",)
    if found:
        fill_contents(document, found)
    if thumbnail:
        set_thumbnail(document, thumbnail)
    if found or thumbnail:
        buffer = io.BytesIO()
        document.save(buffer)
        write_atomically(docx, buffer.getvalue(), force=True)
    written_pdf = write_atomically(pdf_target, pdf_bytes, force=force) if pdf_target else None
    return LaidOut(written_pdf, bool(found), notes)


def _lay_out(docx: bytes, pdf: bool, office) -> tuple[list[tuple[str, str]], bytes | None, bytes | None]:
    """LibreOffice's contents entries for a draft of the document, its PDF if asked and its first page as PNG."""
    from annual_report.layout.libreoffice import LibreOffice

    with scratch_folder() as directory:
        draft = Path(directory) / "report.docx"
        draft.write_bytes(docx)
        pdf_path = draft.with_suffix(".pdf") if pdf else None
        thumbnail = draft.with_suffix(".png")
        reused = contextlib.nullcontext(office) if office is not None else LibreOffice()
        with reused as running:
            contents = running.lay_out(draft, pdf_path, thumbnail)
        png = thumbnail.read_bytes() if thumbnail.is_file() else None
        return contents, pdf_path.read_bytes() if pdf_path else None, png
