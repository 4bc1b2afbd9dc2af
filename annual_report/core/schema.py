"""A typed view of schema.json: the parts (sheets) of the workbook and their fields."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from annual_report.core.errors import ReportError
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
    recommended: bool = False  # customarily reported: a warning when left empty
    text_names: dict | None = None  # how the narrative names this figure: keywords and unit
    in_document: bool = True  # False for fields kept for the receiving office, not printed
    suggest_from: str = ""  # suggestions kept in code: "inserts" = the insert registry's names
    group: str = ""  # the topic a figure belongs to (服务, 馆藏, 活动, 设施)
    sums_over_network: bool = False  # a figure that adds up over a 总馆's branches: its pair has a 全馆 value


@dataclass(frozen=True)
class Part:
    """One sheet of the workbook and the top-level schema property it fills."""

    key: str
    sheet: str
    layout: str  # form, figures, table
    intro: str
    fields: tuple[Field, ...]
    required: bool
    rows: int = 0

    def field(self, key: str) -> Field:
        """The field with this key."""
        return next(f for f in self.fields if f.key == key)


class Schema:
    """schema.json with its parts resolved, in sheet order."""

    def __init__(self, raw: dict):
        self.raw = raw
        required = set(raw.get("required", []))
        self.parts = tuple(self._part(key, spec, key in required) for key, spec in raw["properties"].items())

    def part(self, key: str) -> Part:
        """The part stored under this top-level key."""
        return next(p for p in self.parts if p.key == key)

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
        return Part(key, spec["x-sheet"], layout, spec.get("x-intro", ""), fields, required, spec.get("x-rows", 0))

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
            choices, strict = tuple(spec.get("x-suggest", ())), False
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
            recommended=spec.get("x-recommended", False),
            text_names=spec.get("x-text-names"),
            in_document=spec.get("x-document", True),
            suggest_from=spec.get("x-suggest-from", ""),
            group=spec.get("x-group", ""),
            sums_over_network=sums,
        )


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """The project's schema, read once."""
    if not Path(path).is_file():
        raise ReportError(f"找不到 {path}：本工具的安装不完整，请按 README 重新安装")
    return Schema(json.loads(Path(path).read_text(encoding="utf-8")))
