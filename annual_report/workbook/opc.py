"""A workbook's zip package as its parts and their relationships (Open Packaging Conventions), read leniently:
part names written with backslashes (some Windows programs) are the same parts, the main part is found through
the package's relationships wherever it lies."""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree import ElementTree

_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DEFAULT_MAIN = "xl/workbook.xml"


class Package:
    """The parts of a zip package by their normalised names."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._names = {name.replace("\\", "/").lstrip("/"): name for name in archive.namelist()}

    def __contains__(self, part: str) -> bool:
        return part in self._names

    def names(self) -> set[str]:
        return set(self._names)

    def read(self, part: str) -> bytes:
        return self.archive.read(self._names[part])

    def open(self, part: str):
        return self.archive.open(self._names[part])

    def main_part(self) -> str:
        """The workbook part: the target of the package's officeDocument relationship (normally xl/workbook.xml)."""
        for kind, target in self.typed("").values():
            if kind.endswith("/officeDocument") and target in self:
                return target
        return DEFAULT_MAIN

    def relationships(self, part: str, kind: str = "") -> dict[str, str]:
        """A part's relationships (of a type ending in kind) as id → part name inside the package."""
        return {rel_id: target for rel_id, (type_, target) in self.typed(part).items() if type_.endswith(kind)}

    def by_type(self, part: str) -> dict[str, str]:
        """A part's relationships as the last word of their type (lower case) → part name."""
        return {type_.rsplit("/", 1)[-1].lower(): target for type_, target in self.typed(part).values()}

    def typed(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's internal relationships (part "" is the package's own): id → (type, part name)."""
        folder, _, name = part.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if rels not in self:
            return {}
        found = {}
        for rel in ElementTree.fromstring(self.read(rels)).iter(_PKG):
            if rel.get("TargetMode") != "External":
                target = rel.get("Target", "").replace("\\", "/")
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(f"{folder}/{target}").lstrip("/")
                )
                found[rel.get("Id")] = (rel.get("Type", ""), target)
        return found
