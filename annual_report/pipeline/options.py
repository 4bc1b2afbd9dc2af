"""How to render: every option of a render, decided once (from the command line, a batch or the web settings)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from annual_report.core.resources import TEMPLATE_PATH
from annual_report.core.schema import Schema
from annual_report.layout.libreoffice import available


class Layout(enum.Enum):
    """Whether a report is laid out in LibreOffice (for the contents' page numbers, the PDF and the thumbnail)."""

    NONE = "none"  # no: Word fills the contents' page numbers when the file is opened
    IF_POSSIBLE = "if-possible"  # yes; if LibreOffice fails, the report is still written, with a note
    REQUIRED = "required"  # yes, or the report fails (asked for, or a PDF is wanted)


def decide_layout(asked: bool | None, pdf: bool) -> Layout:
    """The layout for what was asked (None: where LibreOffice is installed; a PDF always needs it)."""
    if pdf or asked:
        return Layout.REQUIRED
    if asked is None and available():
        return Layout.IF_POSSIBLE
    return Layout.NONE


@dataclass(frozen=True)
class RenderOptions:
    """Everything that decides how one workbook is rendered; RenderOptions() renders without LibreOffice."""

    output: Path | None = None  # a .docx or a folder for it; None: outputs/<馆名>-<年度>-年报.docx
    force: bool = False  # overwrite existing files
    strict: bool = False  # warnings block the report too
    template: Path = TEMPLATE_PATH
    layout: Layout = Layout.NONE
    pdf: bool = False  # also the PDF (PDF/A-2b) beside the .docx
    thumbnail: bool = False  # the first page as the .docx's thumbnail, for file browsers
    trace: bool = False  # append 附：数据来源, the cell of every printed number
    branches: Path | None = None  # a 总馆's folder of branch workbooks
    schema: Schema | None = None  # None: the shipped schema.json

    def __post_init__(self) -> None:
        if (self.pdf or self.thumbnail) and self.layout is Layout.NONE:
            raise ValueError("a PDF or a thumbnail needs the layout")
        if self.pdf and self.layout is not Layout.REQUIRED:
            raise ValueError("a PDF that was asked for makes the layout required")


def render_options(
    *,
    output: Path | str | None = None,
    force: bool = False,
    strict: bool = False,
    template: Path | str | None = None,
    layout: bool | None = None,
    pdf: bool = False,
    thumbnail: bool | None = None,
    trace: bool = False,
    branches: Path | str | None = None,
    folder: bool = False,
) -> RenderOptions:
    """The options as the command line decides them: layout None lays out where LibreOffice is installed.

    thumbnail None: for a single report when it is laid out, not for the reports of a folder (folder=True).
    """
    decided = decide_layout(layout, pdf)
    laid_out = decided is not Layout.NONE
    return RenderOptions(
        output=Path(output) if output is not None else None,
        force=force,
        strict=strict,
        template=Path(template) if template is not None else TEMPLATE_PATH,
        layout=decided,
        pdf=pdf,
        thumbnail=laid_out and (thumbnail if thumbnail is not None else not folder),
        trace=trace,
        branches=Path(branches) if branches is not None else None,
    )
