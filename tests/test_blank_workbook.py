"""The blank workbook: derived from the schema, committed up to date, guiding the librarian."""

import datetime as dt

from make_samples import BLANK
from openpyxl import load_workbook

from annual_report.workbook.blank import write_workbook
from annual_report.workbook.read import read_workbook


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
    level = rules["A6:A305"]  # below the four example rows
    assert level.type == "list" and level.formula1 == '"1,2,3,4,正文,条目,无编号"'
    assert "（一）" in level.prompt
    staff = {str(v.sqref): v for v in book["人员"].data_validations.dataValidation}
    assert staff["B3"].type == "whole" and (staff["B3"].formula1, staff["B3"].formula2) == ("0", "1000000000")
    date = {str(v.sqref): v for v in book["封面"].data_validations.dataValidation}["B9"]
    assert date.type == "date"


def test_readme_lists_every_problem_code():
    from make_samples import README, readme_with_codes

    text = README.read_text(encoding="utf-8")
    assert readme_with_codes(text) == text, "run: python tests/make_samples.py"


def _validations(book, schema):
    """(field, data validation) of every data validation of the blank workbook, by the row label or column header."""
    found = []
    for part in schema.parts:
        sheet = book[part.sheet]
        headers = {cell.column_letter: cell.value for cell in sheet[1]}
        labels = {cell.row: cell.value for cell in sheet["A"]}
        by_text = {label: item for item in part.fields for label in (item.label, f"{item.label} *")}
        for rule in sheet.data_validations.dataValidation:
            ref = str(rule.sqref).split(":")[0]
            letter, row = ref.rstrip("0123456789"), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            if part.layout == "table":
                item = by_text[headers[letter]]
            else:
                item = by_text.get(labels[row]) if headers[letter] != "口径" else None
            found.append((part, item, headers[letter], rule))
    return found


def test_every_data_validation_bound_is_the_schemas(tmp_path, schema):
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    checked = 0
    year = schema.part("cover").field("year")
    for part, item, header, rule in _validations(book, schema):
        if item is None:  # 口径: a hint only
            assert rule.type is None and header == "口径"
            continue
        if item.kind in ("integer", "number"):
            assert rule.type == ("whole" if item.kind == "integer" else "decimal"), (part.sheet, item.key)
            assert (rule.operator, float(rule.formula1), float(rule.formula2)) == ("between", item.minimum, item.maximum)
        elif item.kind == "date":  # a date of the years a report can be of
            first, last = (dt.date(1899, 12, 30) + dt.timedelta(days=int(f)) for f in (rule.formula1, rule.formula2))
            assert (first.year, last.year) == (year.minimum, year.maximum)
        elif item.choices:
            assert rule.type == "list" and rule.formula1 == '"' + ",".join(map(str, item.choices)) + '"'
            assert rule.showErrorMessage == item.strict_choices
        elif item.max_length:
            assert (rule.type, rule.operator, int(rule.formula1)) == ("textLength", "lessThanOrEqual", item.max_length)
        checked += 1
    assert checked > 60


def test_the_schemas_bounds_are_real(schema):
    cover, indicators = schema.part("cover"), schema.indicators
    assert (cover.field("contents_depth").minimum, cover.field("contents_depth").maximum) == (1, 4)
    assert (indicators.field("opening_days").minimum, indicators.field("opening_days").maximum) == (0, 366)
    assert (indicators.field("opening_hours").minimum, indicators.field("opening_hours").maximum) == (0, 168)
    assert (cover.field("year").minimum, cover.field("year").maximum) == (1949, 2100)
    numbers = [item for part in schema.parts for item in part.fields if item.kind in ("integer", "number")]
    assert all(item.minimum == 0 or item.key in ("year", "contents_depth") for item in numbers)
    assert all(item.maximum is not None and item.maximum <= 1_000_000_000 for item in numbers)
    assert schema.part("narrative").field("level").choices[:4] == (1, 2, 3, 4)


def test_the_example_rows_of_the_narrative_are_greyed_and_never_read(tmp_path, schema):
    path = write_workbook(tmp_path / "blank.xlsx")
    sheet = load_workbook(path)["正文"]
    examples = schema.part("narrative").examples
    assert len(examples) >= 3 and {row["level"] for row in examples} >= {1, "条目", "正文"}
    for row in range(2, 2 + len(examples)):
        assert sheet[f"A{row}"].font.color.rgb.endswith("808080") and sheet[f"A{row}"].protection.locked
    assert list(read_workbook(path).table("narrative")) == []  # the reader skips them


def test_only_a_head_library_fills_the_network_column_and_it_looks_so(tmp_path, schema):
    book = load_workbook(write_workbook(tmp_path / "blank.xlsx"))
    figures = book[schema.indicators.sheet]
    network = next(cell.column_letter for cell in figures[1] if cell.value == schema.column("network").label)
    current = next(cell.column_letter for cell in figures[1] if cell.value == schema.column("current").label)
    assert figures[f"{network}2"].fill.fgColor.rgb != figures[f"{current}2"].fill.fgColor.rgb
    explained = [cell for cell in book["说明"]["A"] if cell.value and "只有总馆" in cell.value]
    assert [cell.fill.fgColor.rgb for cell in explained] == [figures[f"{network}2"].fill.fgColor.rgb]
