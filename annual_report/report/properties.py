"""The report's document properties (文件属性): which library and year a .docx is, readable without the workbook."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CATEGORY = "年报"
FILE_NAME = re.compile(r"^(?P<name>.+)-(?P<year>\d{4})-年报$")


@dataclass(frozen=True)
class ReportInfo:
    """Which report a file is: the library, the year and the title on its cover."""

    name: str
    year: str
    title: str = ""

    @property
    def subject(self) -> str:
        """例：丽江市图书馆 2020 年年报"""
        return f"{self.name} {self.year} 年年报" if self.name and self.year else self.name


def default_title(name: str, year) -> str:
    """The title of a report whose cover gives none: 丽江市图书馆2020年年报."""
    return f"{name}{year}年年报"


def info_from_cover(cover: dict) -> ReportInfo:
    name, year = str(cover.get("name", "")).strip(), str(cover.get("year", "")).strip()
    return ReportInfo(name, year, str(cover.get("title") or default_title(name, year)))


def set_report_properties(properties, cover: dict) -> None:
    """Write title, author (the library), subject, keywords and category into python-docx core properties."""
    info = info_from_cover(cover)
    properties.title = info.title
    properties.author = info.name
    properties.subject = info.subject
    properties.keywords = f"{CATEGORY}, {info.name}, {info.year}"
    properties.category = CATEGORY


def info_from_properties(properties) -> ReportInfo | None:
    """The report's library and year from core properties this tool wrote, else None."""
    if properties.category != CATEGORY or not properties.author:
        return None
    year = properties.keywords.rpartition(",")[2].strip()
    if not year.isdigit():
        return None
    return ReportInfo(properties.author, year, properties.title)


def info_from_file_name(path: Path) -> ReportInfo:
    """<馆名>-<年度>-年报.docx gives the library and year; any other name is used as it is."""
    found = FILE_NAME.match(Path(path).stem)
    if found:
        return ReportInfo(found["name"], found["year"], default_title(found["name"], found["year"]))
    return ReportInfo(Path(path).stem, "", Path(path).stem)
