"""A filled workbook as read: every value typed and carrying its cell, read-only.

Paths name a value the way the schema nests it: ("cover", "year"), ("indicators", "visits", "current"),
("organisation", 2, "head"). Everything after reading (validation, checks, the report, the trace) asks the
model for values by path; nobody walks nested dicts or keeps a second table of cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType

DataPath = tuple  # (part, field) · (part, field, column) · (part, row index, field)

# The kinds (级别) of a 正文 row besides plain text (正文): heading levels, a numbered item, an unnumbered heading.
HEADING_LEVELS = (1, 2, 3, 4)
ITEM, UNNUMBERED = "条目", "无编号"


@dataclass(frozen=True, order=True)
class Cell:
    """Where a value lives: 工作表!单元格, and the workbook's file when it is not the report's own (a branch's)."""

    sheet: str
    ref: str = ""
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.ref}" if self.ref else self.sheet
        return f"{self.file} {where}" if self.file else where


@dataclass(frozen=True)
class Value:
    """One typed value (int, float, str; a date as its ISO text) and the cell it was read from."""

    value: object
    cell: Cell

    @property
    def number(self) -> int | float | None:
        """The value if it is a number (never a bool), else None."""
        return as_number(self.value)


def as_number(value) -> int | float | None:
    """The value if it is a number (never a bool), else None: the one test of "is this a number"."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Picture:
    """The picture of a 图片 row: its bytes when usable, else why not (a problem code and what to show)."""

    data: bytes | None
    pasted: bool
    trouble: str = ""  # a problem code of the picture checks: picture-missing, picture-too-large…
    shown: str = ""  # the file name as written, or how the row is described in the message


@dataclass(frozen=True)
class Workbook:
    """The values of one workbook by path, with their cells; what could not be used is left out and reported."""

    path: Path
    file: str  # how the user names this workbook in messages ("" for the one being reported on)
    values: Mapping[DataPath, Value]
    cells: Mapping[DataPath, Cell]  # every located path, a blank cell's or a row's too
    parts: tuple[str, ...]  # the parts whose sheet was read
    rows: Mapping[str, int]  # table parts: how many rows were read (blank rows skipped)
    problems: tuple = ()  # found while reading (core.problems.Problem)
    unusable: frozenset[DataPath] = frozenset()  # paths whose problem is reported already (a missing sheet's part)
    pictures: Mapping[int, Picture] = field(default_factory=dict)  # 图片 row index → its picture

    def value(self, *path) -> Value | None:
        """The value at a path, if one was read and not rejected."""
        return self.values.get(tuple(path))

    def get(self, *path):
        """The plain value at a path, or None."""
        found = self.values.get(tuple(path))
        return None if found is None else found.value

    def number(self, *path) -> Value | None:
        """The value at a path if it is a number."""
        found = self.values.get(tuple(path))
        return found if found is not None and found.number is not None else None

    def text(self, *path) -> str:
        """The value at a path as text ("" when absent)."""
        found = self.values.get(tuple(path))
        return "" if found is None else str(found.value)

    def where(self, *path) -> Cell:
        """The cell of a path, or of its nearest located parent (the sheet's first data cell for a part)."""
        return _nearest(self.cells, tuple(path))

    def row_indexes(self, part: str) -> range:
        """The indexes of a table part's rows."""
        return range(self.rows.get(part, 0))

    def row(self, part: str, index: int) -> Mapping[str, Value]:
        """One row of a table part: its values by field key."""
        return MappingProxyType({p[2]: v for p, v in self._by_row.get((part, index), ())})

    def table(self, part: str) -> Iterator[tuple[int, Mapping[str, Value]]]:
        """Every row of a table part with its index."""
        for index in self.row_indexes(part):
            yield index, self.row(part, index)

    def given(self, pattern: str) -> bool:
        """Whether any value is given at a path pattern: "staff.title_*", "indicators.*.current", "projects.*"."""
        steps = pattern.split(".")
        return any(
            len(names) >= len(steps) and all(fnmatchcase(n, s) for n, s in zip(names, steps, strict=False))
            for names in self._names
        )

    @cached_property
    def _names(self) -> frozenset[tuple[str, ...]]:
        """Every path that holds a value, without table rows' indexes (a few hundred, however long the tables)."""
        return frozenset(tuple(str(step) for step in path if not isinstance(step, int)) for path in self.values)

    def without(self, paths: Iterable[DataPath]) -> Workbook:
        """The workbook without the values at these paths (and below them), which count as reported."""
        rejected = frozenset(tuple(p) for p in paths)
        if not rejected:
            return self
        kept = {p: v for p, v in self.values.items() if not any(p[: len(r)] == r for r in rejected)}
        return Workbook(
            self.path, self.file, kept, self.cells, self.parts, self.rows, self.problems, self.unusable | rejected,
            self.pictures,
        )  # fmt: skip

    @classmethod
    def of(cls, data: dict, cells: Mapping[DataPath, Cell] | None = None, path: Path | str = "年报.xlsx") -> Workbook:
        """A workbook holding nested data (as schema.json describes it), its values located by cells where given."""
        cells = dict(cells or {})
        values: dict[DataPath, Value] = {}
        rows: dict[str, int] = {}

        def walk(node, trail: DataPath) -> None:
            if isinstance(node, dict):
                for key, item in node.items():
                    walk(item, (*trail, key))
            elif isinstance(node, list):
                rows[trail[0]] = len(node)
                for index, item in enumerate(node):
                    walk(item, (*trail, index))
            elif node is not None:
                values[trail] = Value(node, cells.get(trail) or _nearest(cells, trail))

        for part, content in data.items():
            walk(content, (part,))
        return cls(Path(path), "", values, cells, tuple(data), rows)

    @cached_property
    def data(self) -> dict:
        """The values nested as schema.json describes them (what jsonschema validates and templates read)."""
        data: dict = {part: [{} for _ in range(self.rows[part])] if part in self.rows else {} for part in self.parts}
        for path, found in self.values.items():
            target = data
            for step, following in pairwise(path):
                if isinstance(target, list):
                    target = target[step]
                else:
                    target = target.setdefault(step, [] if isinstance(following, int) else {})
            target[path[-1]] = found.value
        return data

    @cached_property
    def _by_row(self) -> dict[tuple[str, int], list[tuple[DataPath, Value]]]:
        grouped: dict[tuple[str, int], list[tuple[DataPath, Value]]] = {}
        for path, found in self.values.items():
            if len(path) == 3 and isinstance(path[1], int):
                grouped.setdefault((path[0], path[1]), []).append((path, found))
        return grouped


def _nearest(cells: Mapping[DataPath, Cell], path: DataPath) -> Cell:
    while path:
        if path in cells:
            return cells[path]
        path = path[:-1]
    return Cell("")
