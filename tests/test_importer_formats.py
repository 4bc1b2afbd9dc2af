"""Word files as people have them: .docm, .dotx, a missing optional part, styles without a type, a .doc or .rtf
under a .docx name; what is no Word document is refused at once, without LibreOffice; a conversion leaves
nothing in HOME."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from ole import excel_workbook, other_ole
from seed_documents import build

from annual_report.core.errors import InputUnreadable
from annual_report.importer.document import import_document
from annual_report.layout import libreoffice

MACRO_TYPES = {
    "docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
    "dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "dotm": "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}


def rewritten(path, change: dict) -> object:
    """The package with parts replaced (name → function of the old bytes; None deletes the part)."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in change and change[info.filename] is None:
                continue
            data = old.read(info)
            new.writestr(info, change[info.filename](data) if info.filename in change else data)
    return path


@pytest.fixture
def seed(tmp_path):
    return build("qufu_2020", "plain", tmp_path / "曲阜.docx")


def headings_of(path) -> list:
    return [row.get("title") for row in import_document(path).data["narrative"]][1:3]


@pytest.mark.parametrize("kind", sorted(MACRO_TYPES))
def test_macro_documents_and_templates_are_read(seed, kind):
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    path = rewritten(seed, {"[Content_Types].xml": lambda xml: xml.replace(main, MACRO_TYPES[kind].encode())})
    renamed = path.rename(path.with_suffix(f".{kind}"))
    assert headings_of(renamed) == ["年度概况", "文献借阅服务保持稳定"]


def test_a_relationship_to_a_missing_part_is_dropped(seed):
    rels = "word/_rels/document.xml.rels"
    extra = b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/webSettings" Target="webSettings.xml"/>'
    rewritten(seed, {rels: lambda xml: xml.replace(b"</Relationships>", extra + b"</Relationships>")})
    assert headings_of(seed) == ["年度概况", "文献借阅服务保持稳定"]


def test_styles_without_a_type_are_paragraph_styles(seed):
    def untyped(xml: bytes) -> bytes:
        return re.sub(rb'(<w:style )w:type="paragraph" ', rb"\1", xml)

    rewritten(seed, {"word/styles.xml": untyped})
    assert b'w:type="paragraph"' not in zipfile.ZipFile(seed).read("word/styles.xml")
    assert headings_of(seed) == ["年度概况", "文献借阅服务保持稳定"]


@pytest.mark.parametrize(("make", "words"), [(excel_workbook, "Excel 97-2003"), (other_ole, "其他程序")])
def test_an_ole_file_that_is_no_word_document_is_refused_without_libreoffice(tmp_path, monkeypatch, make, words):
    def no_libreoffice(*args, **kwargs):
        raise AssertionError("LibreOffice was started for a file that is no Word document")

    monkeypatch.setattr(subprocess, "Popen", no_libreoffice)
    path = make(tmp_path / "其实不是.doc")
    with pytest.raises(InputUnreadable, match=words) as refused:
        import_document(path, 2021)
    assert "其实不是.doc" in str(refused.value)


@pytest.mark.libreoffice
def test_a_conversion_leaves_home_as_it_was_and_reads_a_doc_called_docx(old_doc, tmp_path, monkeypatch):
    """LibreOffice converts in its own folder: the user's HOME stays as it was, the source's name does not matter."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    made = tmp_path / "其实是旧格式.docx"
    shutil.copyfile(old_doc, made)
    assert headings_of(made) == ["年度概况", "文献借阅服务保持稳定"]
    assert list(home.iterdir()) == [], "the conversion wrote into HOME"


def test_an_rtf_is_sniffed_as_one_whatever_its_name(tmp_path):
    from annual_report.core import sniff

    path = tmp_path / "其实是.docx"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}\\f0 text}")
    assert sniff.sniff(path) == sniff.RTF


@pytest.mark.libreoffice
def test_the_layout_pass_leaves_home_as_it_was(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with libreoffice.LibreOffice():  # started and stopped: it wrote its dconf database into HOME when started
        pass
    assert list(home.iterdir()) == [], "LibreOffice wrote into HOME"
