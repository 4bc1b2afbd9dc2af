"""The blank workbook: derived from the schema, committed up to date, guiding the librarian."""

from make_samples import BLANK
from openpyxl import load_workbook

from annual_report.workbook.blank import write_workbook


def fingerprint(path) -> dict:
    """What a user sees and what validation relies on: values, validations, protection, layout."""
    book = load_workbook(path)
    result = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        cells = {
            c.coordinate: (c.value, c.protection.locked)
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        }
        rules = sorted((str(v.sqref), v.type, v.formula1, v.prompt) for v in sheet.data_validations.dataValidation)
        widths = {k: d.width for k, d in sheet.column_dimensions.items()}
        result[sheet.title] = (cells, rules, sheet.freeze_panes, sheet.protection.sheet, widths)
    return result


def test_committed_blank_workbook_matches_the_schema(tmp_path):
    fresh = write_workbook(tmp_path / "blank.xlsx")
    assert fingerprint(fresh) == fingerprint(BLANK), "run: python tests/make_samples.py"


def test_blank_workbook_has_one_sheet_per_part_after_instructions(schema, tmp_path):
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    assert book.sheetnames == ["说明", *schema.sheet_names]


def test_labels_are_protected_and_inputs_unlocked(tmp_path):
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    cover = book["封面"]
    assert cover.protection.sheet
    assert cover["A2"].value == "图书馆名称（中文） *"
    assert cover["A2"].protection.locked
    assert not cover["B2"].protection.locked
    assert cover.freeze_panes == "A2"


def test_inputs_carry_hints_lists_and_number_checks(tmp_path):
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    rules = {str(v.sqref): v for v in book["正文"].data_validations.dataValidation}
    level = rules["A2:A301"]
    assert level.type == "list" and level.formula1 == '"1,2,3,4,正文,条目,无编号"'
    assert "（一）" in level.prompt
    staff = {str(v.sqref): v for v in book["人员"].data_validations.dataValidation}
    assert staff["B3"].type == "whole" and staff["B3"].formula1 == "0"
    date = {str(v.sqref): v for v in book["封面"].data_validations.dataValidation}["B9"]
    assert date.type == "date"


def test_readme_lists_every_problem_code():
    from make_samples import README, readme_with_codes

    text = README.read_text(encoding="utf-8")
    assert readme_with_codes(text) == text, "run: python tests/make_samples.py"
