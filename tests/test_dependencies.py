"""What we rely on inside python-docx, docxtpl, openpyxl and waitress beyond their documented API.

pyproject.toml bounds these packages' versions; before raising a bound, run this file against the new
release: a failure names the assumption that broke.
"""

from __future__ import annotations

import copy
import inspect

import docx
import docxtpl
import openpyxl
from docx.document import Document as WordDocument
from docx.opc.part import Part, XmlPart
from docx.parts.document import DocumentPart

from annual_report.report import render


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_docxtpl_cleans_the_xml_in_patch_xml_and_compiles_it_with_from_string(tmp_path):
    """render.py caches both per process by overriding them; docxtpl must still call them, with the XML as text."""
    assert parameters(docxtpl.DocxTemplate.patch_xml) == ["self", "src_xml"], "DocxTemplate.patch_xml changed"
    document = docx.Document()
    document.add_paragraph("{{ name }}")
    document.save(tmp_path / "模板.docx")
    render._PATCHED.clear()
    template = render._Template(tmp_path / "模板.docx")
    environment = render._CompilingOnceEnvironment(autoescape=True)
    template.render({"name": "丽江"}, environment, autoescape=True)
    assert render._PATCHED, "docxtpl no longer calls patch_xml while rendering"
    assert any("丽江" not in source and "name" in source for source in environment._compiled), (
        "docxtpl no longer compiles the document XML through jinja_env.from_string(text)"
    )
    assert isinstance(template.docx, WordDocument), "DocxTemplate.docx is no longer the python-docx Document"
    assert "丽江" in "".join(p.text for p in template.docx.paragraphs)


def test_python_docx_parts_we_create_and_relate():
    """charts.py adds chart and workbook parts to the package and relates them."""
    assert parameters(Part.__init__)[:5] == ["self", "partname", "content_type", "blob", "package"]
    assert parameters(XmlPart.__init__)[:5] == ["self", "partname", "content_type", "element", "package"]
    assert parameters(Part.relate_to)[:3] == ["self", "target", "reltype"]
    assert isinstance(inspect.getattr_static(DocumentPart, "next_id"), property), "DocumentPart.next_id is gone"
    document = docx.Document()
    assert document.part.next_id > 0
    assert any(part is document.part for part in document.part.package.iter_parts())


def test_python_docx_paragraph_takes_the_document_as_parent():
    """pictures.py wraps a bare w:p in a Paragraph whose parent is the Document, to add a picture run."""
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    paragraph = Paragraph(document.add_paragraph()._p, document)
    assert paragraph.part is document.part


def test_openpyxl_internals_for_copied_styles():
    """blank.py copies cell._style."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"].font = openpyxl.styles.Font(bold=True)
    sheet["A2"]._style = copy.copy(sheet["A1"]._style)
    assert sheet["A2"].font.bold, "Cell._style can no longer be copied from cell to cell"


def test_waitress_parser_channel_and_tasks_we_extend():
    """web/front.py asks the gate once a request's headers are in, answers refusals in Chinese and lingers after them."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.server import BaseWSGIServer
    from waitress.task import ErrorTask, WSGITask
    from waitress.utilities import Error

    parser = HTTPRequestParser.__new__(HTTPRequestParser)
    for name in ("headers_finished", "completed", "empty", "expect_continue", "error", "connection_close"):
        assert hasattr(parser, name), f"HTTPRequestParser.{name} is gone"
    assert parameters(HTTPRequestParser.received) == ["self", "data"]
    assert HTTPChannel.parser_class is HTTPRequestParser and HTTPChannel.error_task_class is ErrorTask
    assert HTTPChannel.task_class is WSGITask and "channel_class" in vars(BaseWSGIServer)
    for name in ("received", "readable", "handle_read", "handle_close", "writable"):
        assert callable(getattr(HTTPChannel, name)), f"HTTPChannel.{name} is gone"
    assert "self.parser_class(self.adj)" in inspect.getsource(HTTPChannel.received)
    assert "e.to_response(" in inspect.getsource(ErrorTask.execute)
    assert parameters(Error.to_response) == ["self", "ident"] and callable(WSGITask.get_environment)
