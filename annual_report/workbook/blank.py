"""Write the standard workbook from the schema: blank, or filled with a report's data."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from annual_report.core.schema import Field, Part, Schema, load_schema
from annual_report.workbook.read import FIGURE_COLUMNS, FIRST_DATA_ROW, FORM_VALUE_COLUMN

FONT = "宋体"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
HINT_FONT = Font(name=FONT, size=10, color="808080")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
FIRST_YEAR, LAST_YEAR = 1949, 2100


def write_workbook(path: Path | str, data: dict | None = None, schema: Schema | None = None) -> Path:
    """Write the workbook for the schema, filled with data when given; returns the path."""
    schema = schema or load_schema()
    data = data or {}
    book = Workbook()
    _write_instructions(book.active, schema)
    for part in schema.parts:
        sheet = book.create_sheet(part.sheet)
        if part.layout == "table":
            _write_table(sheet, part, data.get(part.key) or [])
        else:
            _write_form(sheet, part, data.get(part.key) or {})
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        if part.layout == "table":
            sheet.protection.insertRows = False
            sheet.protection.deleteRows = False
    book.active = 1
    path = Path(path)
    book.save(path)
    return path


def _write_instructions(sheet, schema: Schema) -> None:
    sheet.title = "说明"
    lines = [
        ("公共图书馆年度工作报告 填报工作簿", Font(name=FONT, size=16, bold=True)),
        ("", None),
        ("怎样填写", Font(name=FONT, size=12, bold=True)),
        ("1. 按工作表逐张填写淡黄色的单元格；灰色的标签和说明受保护，不要改动，也不要改工作表的名字。", None),
        ("2. 选中单元格时会显示填写提示；有下拉箭头的单元格请从列表中选择。带 * 的项目必须填写。", None),
        ("3. 数字只填阿拉伯数字，不带单位；日期按 2020-12-31 的样式填写。", None),
        (
            "4. “正文”表一行一个标题或一段文字。级别 1–4 对应 一、（一）1.（1），不要自己输入序号，工具会自动编号。",
            None,
        ),
        ("5. 需要在正文某处放表格时，在那一行的“在此插入”列选择表格名称，例如“党组织表”。", None),
        (
            "6. 填好后保存为 .xlsx，运行 python fill.py validate 本文件.xlsx 检查，再运行 python fill.py render 本文件.xlsx 生成年报。",
            None,
        ),
        ("", None),
        ("各工作表", Font(name=FONT, size=12, bold=True)),
    ]
    lines += [(f"· {part.sheet}：{part.intro}", None) for part in schema.parts]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.font = font or Font(name=FONT, size=11)
        cell.alignment = Alignment(wrap_text=False, vertical="center")
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def _header(sheet, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22


def _write_form(sheet, part: Part, values: dict) -> None:
    figures = part.layout == "figures"
    label_width = max(_display_width(f.label) for f in part.fields) + 6
    if figures:
        _header(sheet, ["指标", "本年", "上年", "单位", "填写说明"], [label_width, 14, 14, 12, 40])
    else:
        _header(sheet, ["项目", "内容", "填写说明"], [label_width, 40, 50])
    for row, item in enumerate(part.fields, start=FIRST_DATA_ROW):
        label = sheet.cell(row=row, column=1, value=_label(item))
        label.font = Font(name=FONT, size=11)
        label.border = BOX
        columns = FIGURE_COLUMNS if figures else {item.key: FORM_VALUE_COLUMN}
        for key, column in columns.items():
            value = values.get(item.key, {}).get(key) if figures else values.get(item.key)
            _input_cell(sheet, f"{column}{row}", item, value)
        extra = [item.unit, item.hint] if figures else [item.hint]
        for offset, text in enumerate(extra, start=len(columns) + 2):
            hint = sheet.cell(row=row, column=offset, value=text or None)
            hint.font = HINT_FONT
            hint.border = BOX
            hint.alignment = Alignment(wrap_text=True, vertical="center")
        for column in columns.values():
            _validate(sheet, item, f"{column}{row}")


def _write_table(sheet, part: Part, rows: list[dict]) -> None:
    _header(sheet, [_label(f) for f in part.fields], [f.width for f in part.fields])
    last = max(part.rows, len(rows)) + FIRST_DATA_ROW - 1
    for column, item in enumerate(part.fields, start=1):
        letter = get_column_letter(column)
        styled = None
        for row in range(FIRST_DATA_ROW, last + 1):
            index = row - FIRST_DATA_ROW
            value = rows[index].get(item.key) if index < len(rows) else None
            if styled is None:
                styled = _input_cell(sheet, f"{letter}{row}", item, value)
            else:  # the column's style once; setting it cell by cell costs most of the workbook's writing time
                cell = sheet[f"{letter}{row}"]
                cell.value = _typed(item, value)
                cell._style = copy.copy(styled._style)
        _validate(sheet, item, f"{letter}{FIRST_DATA_ROW}:{letter}{last}")


def _typed(item: Field, value):
    """A date typed as text becomes a date; anything else is written as typed (validation says what is wrong)."""
    if item.kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    return value


def _input_cell(sheet, ref: str, item: Field, value):
    """Write and style one input cell; returns the cell."""
    cell = sheet[ref]
    cell.value = _typed(item, value)
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    cell.border = BOX
    cell.font = Font(name=FONT, size=11)
    if item.kind == "date":
        cell.number_format = "yyyy-mm-dd"
    elif item.kind == "number":
        cell.number_format = "0.00"
    elif item.kind == "text":
        cell.number_format = "@"
        cell.alignment = Alignment(wrap_text=item.width >= 30, vertical="top")
    return cell


def _validate(sheet, item: Field, ref: str) -> None:
    """Attach the input hint and, where the kind allows, Excel's own check."""
    options = {"showInputMessage": True, "promptTitle": item.label[:32], "prompt": _prompt(item)[:250]}
    if item.kind == "integer":
        low, high = (FIRST_YEAR, LAST_YEAR) if item.key == "year" else (0, 1_000_000_000)
        rule = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high), **options)
        rule.error = f"请填写 {low} 到 {high} 之间的整数"
    elif item.kind == "number":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **options)
        rule.error = "请填写不小于 0 的数字"
    elif item.kind == "date":
        low = (dt.date(FIRST_YEAR, 1, 1) - dt.date(1899, 12, 30)).days
        rule = DataValidation(type="date", operator="greaterThanOrEqual", formula1=str(low), **options)
        rule.error = "请按 2020-12-31 的样式填写日期"
    elif item.choices:
        listed = ",".join(str(c) for c in item.choices)
        rule = DataValidation(type="list", formula1=f'"{listed}"', **options)
        rule.error = "请从下拉列表中选择"
    else:
        rule = DataValidation(type=None, **options)
    rule.showErrorMessage = item.kind != "text" or item.strict_choices
    rule.errorTitle = item.label[:32]
    rule.allow_blank = True
    sheet.add_data_validation(rule)
    rule.add(ref)


def _prompt(item: Field) -> str:
    need = "必填。" if item.required else ""
    unit = f"单位：{item.unit}。" if item.unit else ""
    return f"{need}{item.hint}{'。' if item.hint and not item.hint.endswith('。') else ''}{unit}"


def _label(item: Field) -> str:
    return f"{item.label} *" if item.required else item.label


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
