"""Messages a librarian reads live in the catalogues, and never name a programming exception (KeyError,
BadZipFile…): not in the catalogues, not in what the tool says about the bad-input corpus."""

from __future__ import annotations

import ast
import builtins
import errno
import inspect
import re
import shutil
import socket
import string
import zipfile
from pathlib import Path

import pytest
from bad_documents import english
from corpus import broken, write_submission
from ole import excel_workbook, other_ole, word_document
from other_formats import flat_ods, numbers, printing_workbook, spreadsheet_xml, sylk, tab_separated
from test_hardening import BAD_FILES
from test_hostile import HOSTILE

from annual_report.core import messages
from annual_report.core.errors import ReportError
from annual_report.core.messages import os_reason
from annual_report.core.problems import CODES, MESSAGES
from annual_report.core.refusals import REFUSALS
from annual_report.importer.document import write_imported
from annual_report.pipeline.batch import validate_folder

PACKAGE = Path(__file__).resolve().parents[1] / "annual_report"
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # 汉字: punctuation alone (a list's separator) is no text


def exception_names() -> set[str]:
    """The names of the exceptions of Python and of every library the tool reads files with."""
    import xml.etree.ElementTree
    import xml.parsers.expat

    import docx.opc.exceptions
    import jsonschema.exceptions
    import lxml.etree
    import olefile
    import openpyxl.utils.exceptions
    import PIL
    import python_calamine

    import annual_report.core.errors
    import annual_report.layout.libreoffice

    modules = [builtins, zipfile, xml.etree.ElementTree, xml.parsers.expat, docx.opc.exceptions, jsonschema.exceptions]
    modules += [lxml.etree, olefile, openpyxl.utils.exceptions, PIL.Image, python_calamine, annual_report.core.errors]
    modules += [annual_report.layout.libreoffice]
    found = set()
    for module in modules:
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and len(name) > 4:
                found.add(name)
    return found | {"PackageNotFoundError", "XMLSyntaxError", "UnidentifiedImageError", "NotOleFileError"}


NAMES = re.compile(r"\b(" + "|".join(sorted(exception_names(), key=len, reverse=True)) + r")\b")


def named_exceptions(texts) -> list[str]:
    return [text for text in texts if NAMES.search(text)]


def test_the_catalogues_name_no_exception():
    texts = [*MESSAGES.values(), *REFUSALS.values(), *messages.MESSAGES.values()]
    texts += [part for code in CODES.values() for part in (code.meaning, code.fix)]
    assert NAMES.search("已损坏（KeyError）"), "the test would find one"
    assert named_exceptions(texts) == []


@pytest.fixture(scope="module")
def bad_folder(hostile_folder, tmp_path_factory) -> Path:
    """Every bad input of the corpus in one folder: hostile workbooks, files that are no workbook, broken ones."""
    from conftest import INPUTS

    folder = tmp_path_factory.mktemp("bad")
    for path in hostile_folder.iterdir():
        if path.is_file():  # not the pipe
            shutil.copyfile(path, folder / path.name)
    assert len(list(folder.iterdir())) == len(HOSTILE) - 1
    for name, make, _code, _words in BAD_FILES:
        make(folder / name.replace("~$", "锁-"))
    for index in range(3):
        data, _cell = broken(index)
        write_submission(folder / f"broken{index}.xlsx", data)
    for make in (numbers, sylk, spreadsheet_xml, tab_separated, flat_ods):
        make(
            folder
            / f"{make.__name__}.{ {'numbers': 'numbers', 'sylk': 'slk', 'tab_separated': 'tsv'}.get(make.__name__, 'xml') }"
        )
    printing_workbook(INPUTS / "丽江市图书馆-2020.xlsx", folder / "printing.xlsx")
    excel_workbook(folder / "ole.xls")
    other_ole(folder / "other.xls")
    return folder


def test_what_the_tool_says_about_bad_workbooks_names_no_exception(bad_folder):
    results = validate_folder(bad_folder, jobs=2)
    messages = [p.message for r in results for p in r.problems] + [r.first_problem for r in results]
    assert len(results) >= 30 and messages
    assert named_exceptions(messages) == []


def test_what_the_importer_says_about_bad_documents_names_no_exception(tmp_path, bad_folder):
    """The refusals of files that are no report; what is said of each of BAD_DOCUMENTS is checked where they are
    imported (test_import_validates.py)."""
    said = []
    sources = [english(tmp_path / "英文.docx"), word_document(tmp_path / "加密.doc", encrypted=True)]
    sources += [excel_workbook(tmp_path / "表格.doc"), other_ole(tmp_path / "其他.doc")]
    sources += sorted(p for p in bad_folder.iterdir() if p.suffix in (".xlsx", ".xls"))[:12]
    for index, source in enumerate(sources):
        try:
            _written, report = write_imported(source, tmp_path / f"out{index}.xlsx", year=2021)
        except ReportError as refused:
            said.append(str(refused))
        else:
            said += [g["message"] for g in report.guesses] + [c["problem"] + c["change"] for c in report.changes]
    assert len(said) >= len(sources)  # every file is refused with a message, or its import report says something
    assert named_exceptions(said) == []


# Modules whose raises still carry their text inline, each with why.
INLINE_TEXTS: dict[str, str] = {}


def inline_texts(tree: ast.Module) -> list[int]:
    """The lines where this module gives an exception a Chinese text written in place: in a raise statement, or
    in making an exception (a class named …Error, …Exception or …Unknown) to raise elsewhere."""

    def chinese(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and CHINESE.search(n.value) for n in ast.walk(node))

    def makes_exception(node: ast.AST) -> bool:
        name = (getattr(node.func, "id", None) or getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
        return name.endswith(("Error", "Exception", "Unknown"))

    raised = [node.exc for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None]
    made = [node for node in ast.walk(tree) if makes_exception(node)]
    return sorted({node.lineno for node in (*raised, *made) if chinese(node)})


def test_every_exception_text_comes_from_a_catalogue():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = inline_texts(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[path.relative_to(PACKAGE).as_posix()] = lines
    assert inline_texts(ast.parse('raise OSError(f"{x} 已损坏")')), "the test would find one"
    assert inline_texts(ast.parse('def f(x):\n    return SendError(f"{x} 没有发出")')), "and one made to be raised"
    assert {module: lines for module, lines in found.items() if module not in INLINE_TEXTS} == {}, (
        "put these texts into core/messages.py (or core/refusals.py for a file refused before it is read)"
    )
    assert set(INLINE_TEXTS) - set(found) == set(), "these modules raise no inline text any more: unlist them"


def test_every_message_of_the_catalogue_is_used_and_each_use_fills_its_blanks():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message" and node.args:
                code = node.args[0].value
                used.add(code)
                blanks = {name for _text, name, _spec, _conversion in string.Formatter().parse(messages.MESSAGES.get(code, "")) if name}
                given = {keyword.arg for keyword in node.keywords}
                assert blanks - {"program"} == given, f"{path.name}:{node.lineno} message({code!r}) gives {given}, needs {blanks}"
    assert used - set(messages.MESSAGES) == set(), "codes used but not in core/messages.py"
    assert set(messages.MESSAGES) - used == set(), "messages no code uses"


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), PermissionError(errno.EACCES, "Permission denied"),
     OSError(errno.EADDRINUSE, "Address already in use"), OSError(errno.ENOENT, "No such file or directory"),
     OSError(errno.ENOLINK, "Link has been severed"), OSError("something odd"), TimeoutError("timed out"),
     socket.gaierror(socket.EAI_NONAME, "Name or service not known")],
)  # fmt: skip
def test_what_the_system_said_is_said_in_chinese(error):
    assert not re.search("[A-Za-z]", os_reason(error)) and not re.search("[A-Za-z]", os_reason(error, network=True))


def test_a_port_refused_is_no_folder_problem():
    assert "端口" in os_reason(PermissionError(errno.EACCES, "Permission denied"), network=True)
    assert "端口" not in os_reason(PermissionError(errno.EACCES, "Permission denied"))
