"""Every spreadsheet format a library reads is read (or the file is refused naming the program to save it from):
decided by content, whatever the file is called."""

from __future__ import annotations

import subprocess

import pytest
from conftest import INPUTS
from other_formats import macro_copy, printing_workbook

from annual_report.core import sniff
from annual_report.layout import libreoffice
from annual_report.workbook.validate import validate_workbook

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
KINDS = {
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    ".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
}


@pytest.fixture(scope="module")
def sample():
    return validate_workbook(LIJIANG)


@pytest.mark.parametrize("suffix", sorted(KINDS))
def test_macro_workbooks_and_templates_are_read_as_xlsx(suffix, tmp_path, sample):
    path = macro_copy(LIJIANG, tmp_path / f"丽江{suffix}", KINDS[suffix])
    assert sniff.sniff(path) == suffix[1:]
    book, result = validate_workbook(path)
    assert book.data == sample[0].data and result.problems == sample[1].problems


def test_a_workbook_named_otherwise_is_read_by_its_content(tmp_path, sample):
    path = tmp_path / "丽江.xls"
    path.write_bytes(LIJIANG.read_bytes())
    book, result = validate_workbook(path)
    assert book.data == sample[0].data and not result.errors


def test_when_openpyxl_fails_the_values_are_read_with_a_warning(tmp_path, sample):
    book, result = validate_workbook(printing_workbook(LIJIANG, tmp_path / "丽江.xlsx"))
    assert book.data == sample[0].data
    assert [p.code for p in result.warnings if p.code == "read-values-only"] == ["read-values-only"]
    assert not result.errors


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["xls"])  # .ods goes the same way (calamine); tried on calamine's own files
def test_xls_is_read_by_its_values(kind, tmp_path, sample):
    soffice = str(libreoffice.find_soffice())
    command = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", kind]
    subprocess.run([*command, "--outdir", str(tmp_path), str(LIJIANG)], capture_output=True, timeout=180, check=True)
    path = tmp_path / f"丽江市图书馆-2020.{kind}"
    book, result = validate_workbook(path)
    assert book.data["cover"]["name"] == sample[0].data["cover"]["name"]
    assert book.data["indicators"] == sample[0].data["indicators"]
    assert "format-values-only" in [p.code for p in result.warnings]
    assert not result.errors, [p.message for p in result.errors]
