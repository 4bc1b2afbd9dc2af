"""A typed view of schema.json: the parts (sheets) of the workbook and their fields."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from annual_report.core.errors import ReportError
from annual_report.core.messages import message
from annual_report.core.resources import SCHEMA_PATH


@dataclass(frozen=True)
class Field:
    """One input: a row of a form sheet or a column of a table sheet."""

    key: str
    label: str
    hint: str
    kind: str  # integer, number, text, date, choice
    required: bool = False
    choices: tuple = ()
    strict_choices: bool = False
    unit: str = ""
    width: int = 14
    max_length: int | None = None
    minimum: float | None = None  # a number's bounds (JSON Schema's minimum and maximum)
    maximum: float | None = None
    head_only: bool = False  # filled by a 总馆 only (x-head-only), like the 全馆 column
    recommended: bool = False  # customarily reported: a warning when left empty
    text_names: dict | None = None  # how the narrative names this indicator: keywords and unit
    in_document: bool = True  # False for fields kept for the receiving office, not printed
    group: str = ""  # the topic an indicator belongs to (服务, 馆藏, 活动, 设施)
    sums_over_network: bool = False  # an indicator that adds up over a 总馆's branches: its pair has a 全馆 value
    printed_as: str = ""  # how a table prints it when not as typed: amount (two decimals), month (2020年10月)
    heading: str = ""  # its column's header in the report, where it differs from the label
    synonyms: tuple[str, ...] = ()  # other names a Word report's table gives it (the importer reads them)
    next_year: str = ""  # what next year's workbook does with it: clear (a cover field of one year), advance (+1)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a table may give it: its label (without a bracketed unit too), its heading and synonyms."""
        return tuple(dict.fromkeys((self.label, self.plain_label, self.heading or self.label, *self.synonyms)))


    @property
    def plain_label(self) -> str:
        """The label as prose and charts write it: without 其中： and without a bracketed unit or note at its end."""
        return re.sub(r"（[^）]*）$", "", self.label.removeprefix("其中："))


@dataclass(frozen=True)
class Column:
    """A column of the indicators sheet: 本年, 上年, 口径 or 全馆, found by its header."""

    key: str  # current, previous, basis, network
    label: str  # its header
    letter: str = ""  # where a workbook without the header has it
    optional: bool = False  # added in a later template: read only where the header is present
    short: str = ""  # how a message names it, if not by its header

    @property
    def name(self) -> str:
        """How messages and the trace name the column: 本年, 上年, 口径, 全馆."""
        return self.short or self.label


@dataclass(frozen=True)
class Part:
    """One sheet of the workbook and the top-level schema property it fills."""

    key: str
    sheet: str
    layout: str  # form, indicators, table
    intro: str
    fields: tuple[Field, ...]
    required: bool
    rows: int = 0
    columns: tuple[Column, ...] = ()  # the indicators sheet's value columns
    next_year: str = ""  # what next year's workbook keeps of it: carry (as it is), previous (本年 → 上年), or nothing
    examples: tuple[dict, ...] = ()  # rows the blank workbook shows greyed at the top (x-examples); the reader skips them

    def field(self, key: str) -> Field:
        """The field with this key."""
        return next(f for f in self.fields if f.key == key)


TABLE, CHART, PLAN, PICTURE = "table", "chart", "plan", "picture"  # what an insert is
FIGURE_BLOCK = "figure"  # the template's block for every chart and picture


@dataclass(frozen=True)
class Insert:
    """One thing a 在此插入 cell can name (schema.json's x-inserts, or a 图片 row by its name)."""

    name: str  # as the librarian writes it
    kind: str  # TABLE, CHART, PLAN or PICTURE
    block: str  # the template block placing it: a table's own key, FIGURE_BLOCK, or "" (the plan's headings)
    caption: str  # printed after 表N / 图N
    needs: tuple[str, ...]  # value patterns (part.field[.column]); it has data when any is given
    about: str = ""  # what it shows, for README's list (default: the labels of the fields it shows)
    needs_branches: bool = False  # built from the branch workbooks (render --branches), not from this workbook
    one_row: bool = False  # every pattern of needs must be given in one row (one indicator with both years)
    part: str = ""  # a plain table of one part's rows, every field as it prints (no builder of its own)
    group_first_column: bool = False  # equal cells of the first column are merged (组织机构: a department's rows)
    index: int | None = None  # a picture's 图片 row
    categories: str = ""  # a chart's categories as workbook.charts names them (staff_by_title, compared_indicators…)
    series: int = 1  # a chart's number of series

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields it shows, as part.field patterns."""
        return tuple(dict.fromkeys(".".join(pattern.split(".")[:2]) for pattern in self.needs))

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts (sheets) its data comes from."""
        return tuple(dict.fromkeys(pattern.split(".")[0] for pattern in self.needs))

    @classmethod
    def of(cls, spec: dict) -> Insert:
        """An entry of schema.json's x-inserts: a table of one part needs only its part."""
        part = spec.get("part", "")
        block = spec.get("block") or (f"{part}_table" if part else FIGURE_BLOCK if spec["kind"] == CHART else "")
        needs = tuple(spec.get("needs") or (f"{part}.*",))
        options = {
            key: spec[key]
            for key in ("about", "needs_branches", "one_row", "group_first_column", "categories", "series")
            if key in spec
        }
        return cls(spec["name"], spec["kind"], block, spec.get("caption", ""), needs, part=part, **options)


class Schema:
    """schema.json with its parts resolved, in sheet order."""

    def __init__(self, raw: dict):
        self.raw = raw
        self.inserts = tuple(Insert.of(spec) for spec in raw.get("x-inserts", ()))  # what 在此插入 can name
        required = set(raw.get("required", []))
        self.parts = tuple(self._part(key, spec, key in required) for key, spec in raw["properties"].items())
        self.notes_sheet = raw.get("x-notes-sheet", "")  # the sheet of instructions, read by no one

    def part(self, key: str) -> Part:
        """The part stored under this top-level key."""
        return next(p for p in self.parts if p.key == key)

    @property
    def indicators(self) -> Part:
        """The part of the key figures (主要数据): one row per indicator, a column per year."""
        return next(p for p in self.parts if p.layout == "indicators")

    def column(self, key: str) -> Column:
        """The indicators sheet's column with this key (current, previous, basis, network)."""
        return next(c for c in self.indicators.columns if c.key == key)

    def part_for_sheet(self, sheet: str) -> Part | None:
        """The part whose sheet has this name, if any."""
        return next((p for p in self.parts if p.sheet == sheet), None)

    @property
    def sheet_names(self) -> list[str]:
        """Every data sheet's name, in order."""
        return [p.sheet for p in self.parts]

    def resolve(self, spec: dict) -> dict:
        """The spec with a local $ref merged in (the ref's own keys lose to the spec's)."""
        ref = spec.get("$ref")
        if not ref:
            return spec
        target = self.raw
        for step in ref.removeprefix("#/").split("/"):
            target = target[step]
        merged = dict(self.resolve(target))
        merged.update({k: v for k, v in spec.items() if k != "$ref"})
        return merged

    def _part(self, key: str, spec: dict, required: bool) -> Part:
        layout = spec["x-layout"]
        body = spec["items"] if layout == "table" else spec
        needed = set(body.get("required", []))
        fields = tuple(
            self._field(name, self.resolve(fspec), name in needed, layout) for name, fspec in body["properties"].items()
        )
        columns = tuple(
            Column(c["key"], c["label"], c.get("column", ""), c.get("optional", False), c.get("short", ""))
            for c in spec.get("x-columns", ())
        )
        return Part(
            key, spec["x-sheet"], layout, spec.get("x-intro", ""), fields, required, spec.get("x-rows", 0), columns,
            spec.get("x-next-year", ""), tuple(spec.get("x-examples", ())),
        )  # fmt: skip

    def _field(self, key: str, spec: dict, required: bool, layout: str) -> Field:
        sums = False
        if layout == "indicators":
            sums = "network" in spec["properties"]
            spec = self.resolve(spec["properties"]["current"]) | {k: v for k, v in spec.items() if k.startswith("x-")}
        if "enum" in spec:
            kind, choices, strict = "choice", tuple(spec["enum"]), True
        else:
            kind = {"integer": "integer", "number": "number"}.get(spec.get("type"), "text")
            if spec.get("format") == "date":
                kind = "date"
            suggested = [entry.name for entry in self.inserts] if spec.get("x-suggest-from") == "inserts" else []
            choices, strict = tuple(spec.get("x-suggest", suggested)), False
        return Field(
            key=key,
            label=spec["x-label"],
            hint=spec.get("x-hint", ""),
            kind=kind,
            required=required,
            choices=choices,
            strict_choices=strict,
            unit=spec.get("x-unit", ""),
            width=spec.get("x-width", 14),
            max_length=spec.get("maxLength"),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
            head_only=spec.get("x-head-only", False),
            recommended=spec.get("x-recommended", False),
            text_names=spec.get("x-text-names"),
            in_document=spec.get("x-document", True),
            group=spec.get("x-group", ""),
            sums_over_network=sums,
            printed_as=spec.get("x-print", ""),
            heading=spec.get("x-heading", spec["x-label"]),
            synonyms=tuple(spec.get("x-synonyms", ())),
            next_year=spec.get("x-next-year", ""),
        )


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """The project's schema, read once."""
    if not Path(path).is_file():
        raise ReportError(message("install-incomplete", file=path))
    return Schema(json.loads(Path(path).read_text(encoding="utf-8")))
