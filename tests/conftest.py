"""Shared fixtures: the schema, the sample data and workbooks built from them by code."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# No test may touch the machine's real keyring: keyring's "fail" backend makes the tool use its settings file.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest
from docx import Document
from docx.oxml.ns import qn

# the tests' helpers, and this checkout's package before any other installed in the environment
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_samples import FIXTURES, ROOT, SAMPLES, attach_pictures, fixture, write_test_workbook

from annual_report.core.schema import load_schema
from annual_report.core.scratch import private_environment
from annual_report.layout import libreoffice
from annual_report.pipeline.options import RenderOptions, render_options
from annual_report.pipeline.single import render_workbook

INPUTS = ROOT / "inputs"
_find_soffice = libreoffice.find_soffice
_office_allowed = True  # while collecting; each test then gets LibreOffice only if marked


def _find_soffice_if_allowed():
    """LibreOffice for tests marked libreoffice; for the others it is as if not installed."""
    return _find_soffice() if _office_allowed else None


libreoffice.find_soffice = _find_soffice_if_allowed


def screenshot_path(name: str, tmp_path: Path) -> Path:
    """Where a browser test saves its screenshot: docs/ when UPDATE_SCREENSHOTS=1 (the README's pictures), else tmp."""
    return ROOT / "docs" / name if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / name


def pytest_collection_modifyitems(items):
    """LibreOffice's and the browser's tests first: one worker starts on them together (sharing one LibreOffice)
    while the other takes the quick ones, and no long test is left for the end. A browser test's whole module
    goes with it, so that the server its module starts once serves all of them on that worker."""
    browsing = {item.module for item in items if item.get_closest_marker("browser")}
    items.sort(
        key=lambda item: not (
            item.get_closest_marker("libreoffice") or item.get_closest_marker("browser") or item.module in browsing
        )
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: LibreOffice only for tests that need a layout or a PDF (skipped without it)."""
    global _office_allowed
    _office_allowed = item.get_closest_marker("libreoffice") is not None
    if _office_allowed and not libreoffice.available():
        pytest.skip("LibreOffice with its Python bridge is not installed")


@pytest.fixture
def mail_isolated(tmp_path, monkeypatch):
    """Work in tmp_path (outputs/ and the send log land there), mail settings in tmp, no NIANBAO_SMTP_* from outside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NIANBAO_CONFIG_DIR", str(tmp_path / "config"))
    for name in list(os.environ):
        if name.startswith("NIANBAO_SMTP_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """The tool's cache (checked templates) and the temporary folder (scratch files, LibreOffice's kept profile) in
    folders of the test session's own, for this process and those it starts (LibreOffice's pipes stay in /tmp)."""
    temporary = str(tmp_path_factory.mktemp("tmp"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NIANBAO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("TMPDIR", temporary)
        patch.setattr(tempfile, "tempdir", temporary)
        yield


@pytest.fixture(scope="session")
def schema():
    return load_schema()


@pytest.fixture
def qufu() -> dict:
    """The 曲阜 2020 report's data (a fresh copy to mutate)."""
    return copy.deepcopy(fixture("qufu_2020"))


@pytest.fixture
def lijiang() -> dict:
    """The 丽江 2020 report's data (a fresh copy to mutate)."""
    return copy.deepcopy(fixture("lijiang_2020"))


@pytest.fixture
def make_workbook(tmp_path):
    """Write data into a standard workbook in tmp_path and return its path."""

    def make(data: dict, name: str = "年报.xlsx") -> Path:
        path = write_test_workbook(tmp_path / name, data)
        attach_pictures(path, data)
        return path

    return make


@pytest.fixture
def bad_workbook(lijiang, make_workbook) -> Path:
    """丽江's data under another name, with one error on each of 封面 (B7), 主要数据 (B2) and 人员 (B3)."""
    lijiang["cover"]["name"] = "待修改图书馆"
    lijiang["staff"]["employed"] = "十四"
    lijiang["cover"]["email"] = "ljstsg.163.com"
    lijiang["indicators"]["visits"]["current"] = -5
    return make_workbook(lijiang, "待修改.xlsx")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Document]:
    """Both samples in inputs/ rendered once, opened with python-docx."""
    out = tmp_path_factory.mktemp("rendered")
    documents = {}
    for name, filename in SAMPLES.items():
        outcome = render_workbook(INPUTS / filename, RenderOptions(output=out / f"{name}.docx"))
        documents[name] = Document(outcome.output)
    return documents


def headings(document) -> list[tuple[int, str]]:
    """(level, text) of every heading paragraph, in order."""
    names = {style.style_id: style.name for style in document.styles}  # paragraph.style scans them every time
    found = []
    for paragraph in document.paragraphs:
        name = names.get(paragraph._p.style, "")
        if name.startswith("Heading "):
            found.append((int(name.split()[1]), paragraph.text))
    return found


def table_after(document, caption: str) -> list[list[str]]:
    """The cells of the table that follows the caption paragraph containing this text."""
    body = list(document.element.body)
    for index, element in enumerate(body):
        if element.tag == qn("w:p") and element.style == "Caption" and _text(element).endswith(caption):
            table = next(e for e in body[index + 1 :] if e.tag == qn("w:tbl"))
            return [[_text(tc) for tc in tr.iter(qn("w:tc"))] for tr in table.iter(qn("w:tr"))]
    raise AssertionError(f"no table after a caption with {caption!r}")


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


__all__ = ["FIXTURES", "INPUTS", "headings", "table_after"]


@pytest.fixture(scope="session")
def office():
    """One LibreOffice for every test of this worker that lays out a report through the library."""
    if not libreoffice.available():
        pytest.skip("LibreOffice is not installed")
    with libreoffice.LibreOffice() as running:
        yield running


@pytest.fixture(scope="session")
def laid_out(tmp_path_factory, office) -> dict:
    """Both samples laid out, with their PDFs (shared by every layout test)."""
    out = tmp_path_factory.mktemp("laid_out")
    return {
        name: render_workbook(INPUTS / filename, render_options(output=out / f"{name}.docx", pdf=True), office)
        for name, filename in SAMPLES.items()
    }


@pytest.fixture(scope="session")
def old_doc(tmp_path_factory) -> Path:
    """曲阜's seed saved by LibreOffice as a Word 97-2003 document (.doc), made once for the tests that read one."""
    from seed_documents import build

    folder = tmp_path_factory.mktemp("doc")
    docx = build("qufu_2020", "plain", folder / "曲阜.docx")
    profile = (folder / "profile").as_uri()
    command = [str(libreoffice.find_soffice()), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc"]
    subprocess.run([*command, "--outdir", str(folder), str(docx)], env=private_environment(folder / "scratch"),
                   capture_output=True, timeout=180, check=True)  # fmt: skip
    return folder / "曲阜.doc"


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory) -> Path:
    """Every hostile workbook of test_hostile.HOSTILE, built once (read only: copy what a test changes)."""
    from test_hostile import HOSTILE

    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        make(folder / f"{name}.xlsx")
    return folder
