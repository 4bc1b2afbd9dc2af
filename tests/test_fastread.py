"""The fast value reader (calamine) reads exactly what openpyxl reads; formulas and error cells still go to openpyxl."""

import datetime as dt

import pytest
from conftest import INPUTS
from openpyxl import load_workbook

from annual_report.workbook import formats
from annual_report.workbook.fastread import ValueBook, open_values
from annual_report.workbook.validate import validate_workbook


def edit(path, change):
    book = load_workbook(path)
    change(book)
    book.save(path)
    return path


def both_ways(path, monkeypatch):
    """validate_workbook through the fast reader and through openpyxl alone."""
    assert isinstance(open_values(path), ValueBook), "the fast reader should take this workbook"
    fast = validate_workbook(path)
    with monkeypatch.context() as patched:
        patched.setattr(formats, "open_values", lambda path, whatever=False: None)
        slow = validate_workbook(path)
    return fast, slow


MUTATIONS = {
    "sample": lambda book: None,
    "merged input cells": lambda book: book["人员"].merge_cells("B3:B4"),
    "numbers as text": lambda book: book["主要数据"].__setitem__("B2", "１２，３４５"),
    "words in a number cell": lambda book: book["人员"].__setitem__("B3", "十四"),
    "decimal in a count": lambda book: book["主要数据"].__setitem__("B3", 12.5),
    "date as text": lambda book: book["封面"].__setitem__("B9", "2020年12月31日"),
    "date as number": lambda book: book["封面"].__setitem__("B9", 44196),
    "datetime in a text cell": lambda book: book["封面"].__setitem__("B3", dt.datetime(2020, 1, 2, 3, 4)),
    "renamed sheet": lambda book: setattr(book["荣誉"], "title", "荣誉情况"),
    "unknown sheet": lambda book: book.create_sheet("草稿"),
    "renamed header": lambda book: book["项目"].__setitem__("A1", "名称"),
    "renamed label": lambda book: book["人员"].__setitem__("A3", "在岗人数"),
    "boolean and choice as number": lambda book: book["正文"].__setitem__("A3", True),
    "empty table sheet": lambda book: book["计划"].delete_rows(1, 100),
}


# every mutation of one sample, and the other sample as it is
CASES = [("曲阜市图书馆-2020.xlsx", mutation) for mutation in MUTATIONS] + [("丽江市图书馆-2020.xlsx", "sample")]


@pytest.mark.parametrize(("sample", "mutation"), CASES)
def test_fast_reader_reads_what_openpyxl_reads(sample, mutation, tmp_path, monkeypatch):
    path = tmp_path / sample
    path.write_bytes((INPUTS / sample).read_bytes())
    edit(path, MUTATIONS[mutation])
    (fast_book, fast_result), (slow_book, slow_result) = both_ways(path, monkeypatch)
    assert fast_book.data == slow_book.data
    assert fast_book.cells == slow_book.cells
    assert fast_book.unusable == slow_book.unusable
    assert fast_result.problems == slow_result.problems


def test_pasted_pictures_are_read_as_openpyxl_reads_them(monkeypatch):
    (fast, _), (slow, _) = both_ways(INPUTS / "曲阜市图书馆-2020.xlsx", monkeypatch)  # its org chart is pasted
    assert any(picture.pasted for picture in fast.pictures.values()) and fast.pictures == slow.pictures
    [image] = load_workbook(INPUTS / "曲阜市图书馆-2020.xlsx")["图片"]._images  # what openpyxl itself finds there
    assert fast.pictures[0].data == image._data() and image.anchor._from.row + 1 == 2


def test_formulas_and_error_cells_go_to_openpyxl(tmp_path):
    formula = tmp_path / "f.xlsx"
    formula.write_bytes((INPUTS / "丽江市图书馆-2020.xlsx").read_bytes())
    edit(formula, lambda book: book["人员"].__setitem__("B3", "=B5+B6"))
    assert open_values(formula) is None
    _, result = validate_workbook(formula)
    assert [(p.code, p.cell) for p in result.errors] == [("formula-no-value", "B3")]

    error = tmp_path / "e.xlsx"
    error.write_bytes((INPUTS / "丽江市图书馆-2020.xlsx").read_bytes())
    edit(error, lambda book: book["人员"].__setitem__("B3", "#N/A"))
    assert open_values(error) is None
    _, result = validate_workbook(error)
    assert [(p.code, p.cell) for p in result.errors] == [("not-a-number", "B3")]


def test_excels_escaped_control_characters_are_decoded(tmp_path):
    """Excel stores a control character as _x0007_; calamine decodes it as Excel shows it, and it is removed."""
    path = tmp_path / "c.xlsx"
    path.write_bytes((INPUTS / "丽江市图书馆-2020.xlsx").read_bytes())
    edit(path, lambda book: book["正文"].__setitem__("C2", "第一段_x0007_\n第二段"))
    book, result = validate_workbook(path)
    assert book.data["narrative"][0]["text"] == "第一段\n第二段"
    assert ("control-characters", "C2") in [(p.code, p.cell) for p in result.warnings if p.sheet == "正文"]


def test_cell_references_match_openpyxl():
    from openpyxl.utils import get_column_letter, range_boundaries

    from annual_report.core import cells

    for index in (1, 2, 26, 27, 52, 53, 702, 703, 16384):
        assert cells.column_letter(index) == get_column_letter(index)
    for text in ("A1:B2", "B3:C4", "AA10:AB200", "$A$1:$C$3", "C7"):
        assert cells.range_boundaries(text) == range_boundaries(text)


def test_rendering_a_plain_workbook_does_not_import_openpyxl(tmp_path):
    """Importing openpyxl (and numpy through it) costs more than reading the workbook: the CLI's start-up counts."""
    import subprocess
    import sys

    from make_samples import ROOT

    code = (
        "import sys; from annual_report.cli.main import main\n"
        f"main(['render', {str(INPUTS / '丽江市图书馆-2020.xlsx')!r}, '-o', {str(tmp_path / 'r.docx')!r}, '--no-layout'],"
        " standalone_mode=False)\n"
        "assert 'openpyxl' not in sys.modules, 'openpyxl was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.docx").is_file()
