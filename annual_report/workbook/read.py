"""Read a filled workbook into its typed model (workbook.model): every value with the cell it came from."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from annual_report.core.cells import column_letter, range_boundaries
from annual_report.core.errors import InputUnreadable
from annual_report.core.problems import Problem, problem
from annual_report.core.schema import Field, Part, Schema, load_schema
from annual_report.workbook.convert import converted
from annual_report.workbook.fastread import open_values  # openpyxl is imported only when needed
from annual_report.workbook.model import Cell, DataPath, Value, Workbook
from annual_report.workbook.package import check_package
from annual_report.workbook.pictures import PICTURES, resolve_pictures
from annual_report.workbook.text import UNWRITABLE, clean_text, finite

BASIS = Field("basis", "口径", "", "text")  # the 口径 cell of an indicator: a period or 约/余, as typed
HEADER_ROW = 1
FIRST_DATA_ROW = 2
FORM_VALUE_COLUMN = "B"
SINGLE_LINE = ("name", "name_en", "compiler", "email", "phone")  # cover fields that go into file names and mail


@dataclass
class _Reading:
    """What reading has found so far: the model's parts before it is frozen."""

    values: dict[DataPath, Value] = field(default_factory=dict)
    cells: dict[DataPath, Cell] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unusable: set[DataPath] = field(default_factory=set)
    pasted: dict[int, bytes] = field(default_factory=dict)  # 图片 row index → the picture pasted on it


def read_workbook(path: Path | str, schema: Schema | None = None, file: str = "") -> Workbook:
    """Read every sheet the schema knows; raise InputUnreadable if the file is no workbook.

    file: how messages name this workbook when it is not the one reported on (a branch's, in a folder).
    """
    schema = schema or load_schema()
    path = Path(path)
    formulas, values = _open(path)
    found = _Reading()
    known = {*schema.sheet_names, schema.notes_sheet}
    for name in values.sheetnames:
        if name not in known:
            found.problems.append(problem("sheet-unknown", name))
    for part in schema.parts:
        if part.sheet not in values.sheetnames:
            _report_missing_sheet(found, part, values.sheetnames, known)
            continue
        sheet = values[part.sheet]
        _SheetReader(found, part, sheet, formulas[part.sheet] if formulas else None, file).read()
    pictures = resolve_pictures(path, found.rows.get(PICTURES, 0), found.pasted, found.values)
    return Workbook(
        path, file, found.values, found.cells, tuple(found.parts), found.rows, tuple(found.problems),
        frozenset(found.unusable), pictures,
    )  # fmt: skip


def _report_missing_sheet(found: _Reading, part: Part, present: list[str], known: set[str]) -> None:
    strays = [name for name in present if name not in known]
    guess = _closest(part.sheet, strays)
    extra = f"（是否改名成了「{guess}」？请改回「{part.sheet}」）" if guess else "，请从空白模板复制这张表"
    found.problems.append(problem("sheet-missing", part.sheet, field=part.key, label=part.sheet, extra=extra))
    found.unusable.add((part.key,))


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.3)
    if matches:
        return matches[0]
    return next((c for c in candidates if name in c or c in name), None)


def _open(path: Path):
    """Both views of the workbook: formulas (only if it has any) and cached values."""
    _check_file(path)
    check_package(path)  # sizes and used ranges within core.limits, before any reader allocates for them
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fast = open_values(path)  # values only, much faster; None when openpyxl must read the file
            if fast is not None:
                return None, fast
            from openpyxl import load_workbook

            formulas = load_workbook(path, data_only=False)
            if not _has_formulas(formulas):
                return None, formulas
            return formulas, load_workbook(path, data_only=True)
    except PermissionError as exc:
        raise InputUnreadable(f"无法读取 {path}：文件可能正被其他程序占用，请关闭后重试") from exc
    except Exception as exc:  # whatever the XML readers raise for a malformed part
        raise InputUnreadable(
            f"{path} 已损坏，无法作为 Excel 工作簿读取：请用 Excel 或 WPS 打开后重新另存为 .xlsx"
        ) from exc


def _has_formulas(book) -> bool:
    return any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def _check_file(path: Path) -> None:
    """Refuse, with a specific message, anything that is not an .xlsx workbook."""
    if not path.exists():
        raise InputUnreadable(f"找不到文件：{path}")
    if path.is_dir():
        raise InputUnreadable(f"{path} 是一个文件夹，不是 Excel 工作簿")
    if not path.is_file():  # a pipe or a device would block the reader or never end
        raise InputUnreadable(f"{path} 不是普通文件（可能是管道或设备），不是 Excel 工作簿")
    if path.name.startswith("~$"):
        raise InputUnreadable(f"{path} 是 Excel 打开文件时生成的临时锁文件，请选择原来的工作簿")
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise InputUnreadable(f"{path} 是含宏的工作簿（.xlsm），请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = handle.seek(0, 2)
    except PermissionError as exc:
        raise InputUnreadable(f"无法读取 {path}：没有读取权限，或文件正被其他程序占用") from exc
    if size == 0:
        raise InputUnreadable(f"{path} 是空文件（0 字节），请重新保存工作簿")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in path.read_bytes():
            raise InputUnreadable(
                f"{path} 设置了打开密码，本工具无法读取：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存"
            )
        raise InputUnreadable(
            f"{path} 是旧版 Excel 97-2003 格式（.xls），请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"
        )
    if not head.startswith(b"PK"):
        raise InputUnreadable(f"{path} 不是 Excel 工作簿（看起来是 CSV 或文本文件），请使用空白模板填写后保存为 .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise InputUnreadable(f"{path} 已损坏（可能没有完整复制或下载），请用 Excel 或 WPS 重新保存为 .xlsx") from exc
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "其他类型的文件"
        raise InputUnreadable(f"{path} 是{kind}，不是 Excel 工作簿，请选择填好的年报工作簿（.xlsx）")


class _SheetReader:
    """Reads one sheet of one part into the model's values."""

    def __init__(self, found: _Reading, part: Part, sheet, formula_sheet, file: str):
        self.found, self.part, self.sheet, self.formula_sheet, self.file = found, part, sheet, formula_sheet, file
        self.merged = [range_boundaries(str(r)) for r in sheet.merged_cells.ranges]
        self.merged_names = [str(r) for r in sheet.merged_cells.ranges]

    def read(self) -> None:
        self.found.parts.append(self.part.key)
        if self.part.layout == "table":
            self._read_table()
        else:
            self._read_form()

    def _cell(self, ref: str) -> Cell:
        return Cell(self.part.sheet, ref, self.file)

    def _read_form(self) -> None:
        rows = {}
        labels = self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=1, values_only=True)
        for row_number, (label,) in enumerate(labels, start=FIRST_DATA_ROW):
            rows.setdefault(normalised_label(label), row_number)
        absent = []  # optional rows a workbook of an earlier template does not have
        columns = self._indicator_columns() if self.part.layout == "indicators" else {}
        for item in self.part.fields:
            row = rows.get(normalised_label(item.label))
            if row is None:
                if item.required:
                    self._add(problem("label-missing", self.part.sheet, field=item.key, label=item.label))
                else:
                    absent.append(item.label)
                self.found.unusable.add((self.part.key, item.key))
                continue
            if self.part.layout == "indicators":
                for key, column in columns.items():
                    if key == "network" and not item.sums_over_network:
                        continue  # a rate of one library or the network's own count: no 全馆 cell
                    self._read_cell((self.part.key, item.key, key), BASIS if key == "basis" else item, f"{column}{row}")
            else:
                self._read_cell((self.part.key, item.key), item, f"{FORM_VALUE_COLUMN}{row}")
        if absent:
            self._add(problem("rows-missing", self.part.sheet, value=len(absent), label="、".join(absent)))
        self.found.cells[(self.part.key,)] = self._cell(f"{FORM_VALUE_COLUMN}{FIRST_DATA_ROW}")

    def _indicator_columns(self) -> dict[str, str]:
        """The value columns (本年, 上年, 口径, 全馆) found by their headers, so that a column added later moves none."""
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        found = {normalised_label(text): column_letter(index + 1) for index, text in enumerate(header) if text}
        columns = {column.key: found.get(column.label, column.letter) for column in self.part.columns}
        return {key: letter for key, letter in columns.items() if letter}

    def _read_table(self) -> None:
        header = next(self.sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        columns = {normalised_label(text): index + 1 for index, text in enumerate(header) if text is not None}
        located = {}
        for item in self.part.fields:
            index = columns.get(normalised_label(item.label))
            if index is None:
                self._add(problem("column-missing", self.part.sheet, field=item.key, label=item.label))
                self.found.unusable.add((self.part.key, "*", item.key))
            else:
                located[item] = column_letter(index)
        self.found.cells[(self.part.key,)] = self._cell(f"A{FIRST_DATA_ROW}")
        count = 0
        if located:
            width = max(columns.values())
            images = self._images_by_row() if self.part.key == PICTURES else {}
            rows = self.sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width, values_only=True)
            for row_number, row in enumerate(rows, start=FIRST_DATA_ROW):
                if all(_is_blank(v) for v in row) and not self._formula_row(row_number, located) and row_number not in images:
                    continue
                if row_number in images:
                    self.found.pasted[count] = images[row_number]
                for item, column in located.items():
                    self._read_cell((self.part.key, count, item.key), item, f"{column}{row_number}")
                self.found.cells[(self.part.key, count)] = self._cell(f"A{row_number}")
                count += 1
        else:
            self.found.unusable.add((self.part.key,))
        self.found.rows[self.part.key] = count

    def _images_by_row(self) -> dict[int, bytes]:
        """Pictures pasted on the sheet, by the row of their top-left corner (the first one per row)."""
        if hasattr(self.sheet, "pictures_by_row"):  # the fast reader found them already
            return {row: data for row, data in self.sheet.pictures_by_row.items() if row >= FIRST_DATA_ROW}
        found: dict[int, bytes] = {}
        for image in getattr(self.sheet, "_images", []):
            start = getattr(image.anchor, "_from", None)
            if start is not None and start.row + 1 >= FIRST_DATA_ROW:
                found.setdefault(start.row + 1, image._data())
        return found

    def _formula_row(self, row_number: int, located: dict) -> bool:
        if self.formula_sheet is None:
            return False
        return any(self.formula_sheet[f"{c}{row_number}"].data_type == "f" for c in located.values())

    def _read_cell(self, path: DataPath, item: Field, ref: str) -> None:
        cell = self.found.cells[path] = self._cell(ref)
        merged = self._merged_range(ref)
        if merged:
            self._add(problem("merged-cells", self.part.sheet, ref, _dotted(path), value=merged))
            self.found.unusable.add(path)
            return
        raw = self.sheet[ref].value
        if raw is None and self.formula_sheet is not None and self.formula_sheet[ref].data_type == "f":
            formula = self.formula_sheet[ref].value
            self._add(problem("formula-no-value", self.part.sheet, ref, _dotted(path), label=item.label, value=formula))
            self.found.unusable.add(path)
            return
        raw = self._clean(raw, item, ref, path)
        if _is_blank(raw):
            return
        value, note, extra = converted(raw, item)
        if note:
            shown = raw if not isinstance(raw, str) else raw.strip()
            self._add(problem(note, self.part.sheet, ref, _dotted(path), label=item.label, value=shown, extra=extra))
        self.found.values[path] = Value(value, cell)

    def _merged_range(self, ref: str) -> str | None:
        cell = self.sheet[ref]
        for (min_col, min_row, max_col, max_row), name in zip(self.merged, self.merged_names, strict=True):
            if min_col <= cell.column <= max_col and min_row <= cell.row <= max_row:
                return name
        return None

    def _clean(self, raw, item: Field, ref: str, path: DataPath):
        """Every cell's value made safe once, whatever its kind: text normalised, NaN and infinities refused."""
        where = (self.part.sheet, ref, _dotted(path))
        if not finite(raw):
            self._add(problem("not-finite", *where, label=item.label, value=raw))
            self.found.unusable.add(path)
            return None
        if not isinstance(raw, str):
            return raw
        text, code, characters = clean_text(raw)
        if code == UNWRITABLE:
            self.found.unusable.add(path)  # the one error to fix here
        if code:
            self._add(problem(code, *where, label=item.label, value=characters))
        if self.part.key == "cover" and item.key in SINGLE_LINE and "\n" in text.strip():
            self._add(problem("line-break", *where, label=item.label))
            self.found.unusable.add(path)
        return text

    def _add(self, found: Problem) -> None:
        self.found.problems.append(found)


def _dotted(path: tuple) -> str:
    return ".".join(str(step) for step in path)


def normalised_label(text) -> str:
    """A label or header as compared: without spaces and the * of a required field."""
    if text is None:
        return ""
    return re.sub(r"[\s*＊]", "", str(text))


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
