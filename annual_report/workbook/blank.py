"""Write the standard workbook from the schema: blank, or filled with a report's data."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from annual_report.core.formula_safe import set_cell
from annual_report.core.problems import plain_number
from annual_report.core.schema import Field, Part, Schema, load_schema
from annual_report.core.width import display_width
from annual_report.workbook.read import BASIS, FIRST_DATA_ROW, FORM_VALUE_COLUMN

FONT = "宋体"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFEB9C")  # a yellow that shows on every screen and on paper
HEAD_FILL = PatternFill("solid", fgColor="E2EFDA")  # a pale green: filled by a 总馆 only (全馆, 所辖分馆)
EXAMPLE_FONT = Font(name=FONT, size=11, italic=True, color="808080")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
HINT_FONT = Font(name=FONT, size=10, color="808080")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
FIRST_YEAR, LAST_YEAR = 1949, 2100  # a date's bounds: those of the schema's 报告年度 (a test compares them)
BLANK_PRINTED_ROWS = 25  # a blank table sheet prints this many empty rows: one page to fill by hand
LINE_HEIGHT = 15  # points per line of 11-point text
# staff rows that are parts of another (shown indented, with what they belong to)
PART_OF = {"title_senior_full": "高级职称", "title_senior_associate": "高级职称"}
SUM_OF = {"title_senior": "正高级＋副高级"}
BASIS_HINT = Field("basis", "口径", "可选：数字的统计口径，例：截至10月、约、余、不含分馆", "text")
NETWORK_HINT = "总馆填写：总馆与全部分馆合计的本年数（生成时加 --branches 会与总馆和各分馆之和核对）；其他馆不填"


HEAD_STYLE = "年报-填写-总馆"
# an input cell's style by the field's kind: its number format, and wrapped text in wide text columns
INPUT_STYLES = {
    "年报-填写": ("General", Alignment()),
    "年报-填写-日期": ("yyyy-mm-dd", Alignment()),
    "年报-填写-小数": ("0.00", Alignment()),
    "年报-填写-文本": ("@", Alignment(wrap_text=False, vertical="top")),
    "年报-填写-长文本": ("@", Alignment(wrap_text=True, vertical="top")),
}


def _cell_styles() -> list[NamedStyle]:
    """The workbook's cell styles: a cell set by style name costs a lookup, not five style objects."""
    plain, wrapped = Font(name=FONT, size=11), Alignment(wrap_text=True, vertical="center")
    styles = [
        NamedStyle(
            "年报-表头",
            font=Font(name=FONT, size=11, bold=True),
            fill=HEADER_FILL,
            border=BOX,
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
        NamedStyle("年报-说明", font=HINT_FONT, border=BOX, alignment=wrapped),
        NamedStyle("年报-项目", font=plain, border=BOX, alignment=wrapped),
        NamedStyle(
            "年报-分项", font=plain, border=BOX, alignment=Alignment(wrap_text=True, vertical="center", indent=2)
        ),
    ]
    for name, (number_format, alignment) in INPUT_STYLES.items():
        styles.append(
            NamedStyle(
                name, font=plain, fill=INPUT_FILL, border=BOX, protection=UNLOCKED, number_format=number_format,
                alignment=alignment,
            )
        )  # fmt: skip
    styles.append(NamedStyle(HEAD_STYLE, font=plain, fill=HEAD_FILL, border=BOX, protection=UNLOCKED,
                             number_format=INPUT_STYLES["年报-填写"][0]))  # fmt: skip
    return styles


def _input_style(item: Field) -> str:
    """The name of the input style for this field (one of INPUT_STYLES, or the 总馆's own)."""
    if item.head_only:
        return HEAD_STYLE
    if item.kind == "text":
        return "年报-填写-长文本" if item.width >= 30 else "年报-填写-文本"
    return {"date": "年报-填写-日期", "number": "年报-填写-小数"}.get(item.kind, "年报-填写")


def write_workbook(path: Path | str, data: dict | None = None, schema: Schema | None = None) -> Path:
    """Write the workbook for the schema, filled with data when given; returns the path."""
    schema = schema or load_schema()
    data = data or {}
    book = Workbook()
    for style in _cell_styles():
        book.add_named_style(style)
    _write_instructions(book.active, schema)
    _print_setup(book.active, landscape=False, header_rows=None)
    fit_row_heights(book.active)
    for part in schema.parts:
        sheet = book.create_sheet(part.sheet)
        if part.layout == "table":
            rows = data.get(part.key) or []
            _write_table(sheet, part, rows)
            _print_setup(sheet, landscape=sum(f.width for f in part.fields) > 100, header_rows="1:1")
            last = FIRST_DATA_ROW + max(len(rows), BLANK_PRINTED_ROWS) - 1
            sheet.print_area = f"A1:{get_column_letter(len(part.fields))}{last}"
        else:
            _write_form(sheet, part, data.get(part.key) or {})
            _print_setup(sheet, landscape=False, header_rows="1:1")
        fit_row_heights(sheet)
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        if part.layout == "table":
            sheet.protection.insertRows = False
            sheet.protection.deleteRows = False
    book.active = 0  # opens on 说明
    path = Path(path)
    book.save(path)
    return path


def _write_instructions(sheet, schema: Schema) -> None:
    sheet.title = "说明"
    heading = Font(name=FONT, size=12, bold=True)
    lines = [
        ("公共图书馆年度工作报告 填报工作簿", Font(name=FONT, size=16, bold=True), None),
        ("", None, None),
        ("这份工作簿做什么", heading, None),
        (
            "把本馆一年的数据和工作情况填在这里，交给收报单位（如文化和旅游局、上级图书馆）负责年报的同志，"
            "由他们用年报工具检查并生成格式规范的年报（Word 和 PDF）。您只需要 Excel 或 WPS，不用安装、运行任何程序。",
            None,
            None,
        ),
        ("", None, None),
        ("谁填写，交给谁", heading, None),
        (
            "由本馆负责年报的同志填写；填好后保存为 .xlsx（不要另存为 .xls 或 .et），按收报单位的通知用电子邮件或"
            "其他方式交给联系人。总馆为分馆填报时，每个分馆一份工作簿。收报单位发现问题时，会告诉您位置"
            "（例如“人员!B3”，即“人员”表的 B3 格）和原因，改好后再交一次即可。",
            None,
            None,
        ),
        ("", None, None),
        ("颜色的意思", heading, None),
        ("黄色格子：在这里填写（或从下拉列表选择）", None, INPUT_FILL),
        ("浅绿格子：只有总馆填写（“全馆（总馆填）”一列、所辖分馆）；其他馆不填", None, HEAD_FILL),
        ("灰色斜体的行：“正文”表开头的示例，说明标题、条目和插入怎样填，不会写入报告，可以不管它", EXAMPLE_FONT, EXAMPLE_FILL),
        ("蓝色表头：各列的名称，不要改动", None, HEADER_FILL),
        ("灰色小字：填写说明，不要改动", HINT_FONT, None),
        ("带 * 的项目必须填写；其余能填的尽量填写", None, None),
        ("", None, None),
        ("怎样填写", heading, None),
        ("1. 按工作表逐张填写黄色格子；标签和说明受保护，不要改动，也不要改工作表的名字。", None, None),
        ("2. 选中格子时会显示填写提示；有下拉箭头的格子请从列表中选择。", None, None),
        ("3. 数字只填阿拉伯数字，不带单位；日期按 2020-12-31 的样式填写。", None, None),
        (
            "4. “正文”表一行一个标题、条目或一段文字。级别 1–4 对应 一、（一）1.（1）；“条目”是标题下带序号的一条内容，"
            "“无编号”是前言、结语这类不编号的标题。不要自己输入序号，会自动编号。一格里按 Alt+Enter 换行就是分段。",
            None,
            None,
        ),
        (
            "5. 要在正文某处放表格、图表或图片，在那一行的“在此插入”列选择它的名称，例如“" + schema.inserts[0].name + "”。"
            "填了数据却没有在任何地方插入的表，不会出现在年报里。",
            None,
            None,
        ),
        ("6. 填好后保存，交给收报单位。", None, None),
        ("", None, None),
        ("各工作表", heading, None),
    ]
    lines += [(f"· {part.sheet}：{part.intro}", None, None) for part in schema.parts]
    lines += [("", None, None), ("表格各列的填写说明", heading, None)]
    for part in schema.parts:
        if part.layout == "table":
            hints = "；".join(f"{item.label}：{item.hint}" for item in part.fields if item.hint)
            lines.append((f"· {part.sheet}——{hints}", None, None))
    for row, (text, font, fill) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.font = font or Font(name=FONT, size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if fill is not None:
            cell.fill = fill
            cell.border = BOX
    sheet.column_dimensions["A"].width = 68  # fits the A4 width unscaled
    sheet.protection.sheet = True


def _print_setup(sheet, landscape: bool, header_rows: str | None) -> None:
    """A4, fitted to the page width, the header row on every page, the sheet's name above, the page below."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if header_rows:
        sheet.print_title_rows = header_rows
    sheet.oddHeader.center.text = "&A"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def fit_row_heights(sheet) -> None:
    """Make every row tall enough for its wrapped text, counting a Chinese character as two columns."""
    widths = {key: dimension.width for key, dimension in sheet.column_dimensions.items()}
    for row in sheet.iter_rows():
        lines = 1.0
        for cell in row:
            if cell.value is None or not isinstance(cell.value, str):
                continue
            width = max((widths.get(cell.column_letter) or 8.43) - 1.5, 1)
            suffix = cell.number_format.partition('"')[2].rstrip('"') if cell.number_format.startswith("@") else ""
            scale = (cell.font.size or 11) / 11
            text = f"{cell.value}{suffix}".split("\n")
            count = sum(max(1, math.ceil(display_width(line) * scale / width)) for line in text)
            lines = max(lines, count * scale)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = round(lines * LINE_HEIGHT + 3)


def _header(sheet, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        sheet.cell(row=1, column=column, value=title).style = "年报-表头"
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22


def _write_form(sheet, part: Part, values: dict) -> None:
    figures = part.layout == "indicators"
    # the indicators' value columns from B in the schema's order: 本年, 上年, 口径, 全馆 (only a 总馆 fills it)
    letters = {column.key: get_column_letter(index) for index, column in enumerate(part.columns, start=2)}
    label_width = max(display_width(f.label + _label_note(f.key)) for f in part.fields) + 6
    if figures:
        headers = [column.label for column in part.columns]
        _header(sheet, ["指标", *headers, "单位", "填写说明"], [label_width, 14, 14, 12, 16, 12, 40])
    else:
        _header(sheet, ["项目", "内容", "填写说明"], [label_width, 40, 50])
    for row, item in enumerate(part.fields, start=FIRST_DATA_ROW):
        label = sheet.cell(row=row, column=1, value=_label(item))
        label.style = "年报-分项" if item.key in PART_OF else "年报-项目"
        if _label_note(item.key):  # shown after the label; the cell's text stays the label the reader looks for
            label.number_format = f'@"{_label_note(item.key)}"'
        columns = {key: letters[key] for key in ("current", "previous")} if figures else {item.key: FORM_VALUE_COLUMN}
        for key, column in columns.items():
            value = values.get(item.key, {}).get(key) if figures else values.get(item.key)
            _input_cell(sheet, f"{column}{row}", item, value)
        if figures:
            _input_cell(sheet, f"{letters['basis']}{row}", BASIS, values.get(item.key, {}).get("basis"))
            _validate(sheet, BASIS_HINT, f"{letters['basis']}{row}")
            _network_cell(sheet, f"{letters['network']}{row}", item, values.get(item.key, {}).get("network"))
        extra = [item.unit, item.hint] if figures else [item.hint]
        for offset, text in enumerate(extra, start=len(part.columns) + 2 if figures else 3):
            sheet.cell(row=row, column=offset, value=text or None).style = "年报-说明"
        for column in columns.values():
            _validate(sheet, item, f"{column}{row}")


def _network_cell(sheet, ref: str, item: Field, value) -> None:
    """The 全馆 cell of a figure: an input for figures that add up over a network, else a locked empty box."""
    if not item.sums_over_network:
        sheet[ref].border = BOX
        return
    whole = dataclasses.replace(item, label=f"{item.label}（全馆）", hint=NETWORK_HINT, required=False, head_only=True)
    _input_cell(sheet, ref, whole, value)
    _validate(sheet, whole, ref)


def _write_table(sheet, part: Part, rows: list[dict]) -> None:
    _header(sheet, [_label(f) for f in part.fields], [f.width for f in part.fields])
    examples = () if rows else part.examples  # a blank sheet shows them; the reader skips them (read._is_example)
    for row, example in enumerate(examples, start=FIRST_DATA_ROW):
        for column, item in enumerate(part.fields, start=1):
            cell = sheet.cell(row=row, column=column, value=example.get(item.key))
            cell.font, cell.fill, cell.border = EXAMPLE_FONT, EXAMPLE_FILL, BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    first = FIRST_DATA_ROW + len(examples)
    last = max(part.rows, len(rows)) + first - 1
    for column, item in enumerate(part.fields, start=1):
        letter = get_column_letter(column)
        styled = None
        for row in range(first, last + 1):
            index = row - first
            value = rows[index].get(item.key) if index < len(rows) else None
            if styled is None:
                styled = _input_cell(sheet, f"{letter}{row}", item, value)
            else:  # the column's style once; setting it cell by cell costs most of the workbook's writing time
                cell = sheet[f"{letter}{row}"]
                cell.value = _typed(item, value)
                cell._style = copy.copy(styled._style)
        _validate(sheet, item, f"{letter}{first}:{letter}{last}")


def _typed(item: Field, value):
    """A date typed as text becomes a date; anything else is written as typed (validation says what is wrong)."""
    if item.kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    return value


def _input_cell(sheet, ref: str, item: Field, value):
    """Write and style one input cell; returns the cell."""
    cell = sheet[ref]
    set_cell(cell, _typed(item, value))  # last year's text goes back as text, never as a formula
    cell.style = _input_style(item)
    return cell


def _validate(sheet, item: Field, ref: str) -> None:
    """Attach the input hint and, where the kind allows, Excel's own check."""
    options = {"showInputMessage": True, "promptTitle": item.label[:32], "prompt": _prompt(item)[:250]}
    if item.kind in ("integer", "number"):  # the schema's own bounds (a test compares them)
        low, high = (plain_number(bound) for bound in (item.minimum, item.maximum))
        whole = item.kind == "integer"
        kind = "whole" if whole else "decimal"
        rule = DataValidation(type=kind, operator="between", formula1=low, formula2=high, **options)
        rule.error = f"请填写 {low} 到 {high} 之间的{'整数' if whole else '数字'}"
    elif item.kind == "date":
        low, high = ((day - dt.date(1899, 12, 30)).days for day in (dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)))
        rule = DataValidation(type="date", operator="between", formula1=str(low), formula2=str(high), **options)
        rule.error = f"请按 2020-12-31 的样式填写 {FIRST_YEAR} 到 {LAST_YEAR} 年之间的日期"
    elif choices := item.choices:
        listed = ",".join(str(c) for c in choices)
        rule = DataValidation(type="list", formula1=f'"{listed}"', **options)
        rule.error = "请从下拉列表中选择"
    elif item.max_length:
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(item.max_length), **options)
        rule.error = f"文字不能超过 {item.max_length} 个字"
    else:
        rule = DataValidation(type=None, **options)
    rule.showErrorMessage = item.kind != "text" or item.strict_choices or rule.type == "textLength"
    rule.errorTitle = item.label[:32]
    rule.allow_blank = True
    sheet.add_data_validation(rule)
    rule.add(ref)


def _prompt(item: Field) -> str:
    need = "必填。" if item.required else ""
    unit = f"单位：{item.unit}。" if item.unit else ""
    return f"{need}{item.hint}{'。' if item.hint and not item.hint.endswith('。') else ''}{unit}"


def _label_note(key: str) -> str:
    """How a staff row relates to another: 正高 and 副高 are parts of 高级, which is their sum."""
    if key in PART_OF:
        return f"（计入{PART_OF[key]}）"
    return f"（＝{SUM_OF[key]}）" if key in SUM_OF else ""


def _label(item: Field) -> str:
    return f"{item.label} *" if item.required else item.label

