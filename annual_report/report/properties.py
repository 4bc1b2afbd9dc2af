"""The report's document properties (文件属性): which library and year a .docx is, readable without the workbook."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from PIL import Image

CATEGORY = "年报"
LANGUAGE = "zh-CN"
THUMBNAIL_URI = "/docProps/thumbnail.jpeg"
THUMBNAIL_SIZE = (256, 362)  # pixels, an A4 page
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


def set_report_properties(properties, cover: dict, now: dt.datetime | None = None) -> None:
    """Write title, author (编制单位, else the library), subject, keywords, category, language and dates."""
    info = info_from_cover(cover)
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    properties.title = info.title
    properties.author = str(cover.get("compiler") or "").strip() or info.name
    properties.last_modified_by = properties.author
    properties.subject = info.subject
    properties.keywords = f"{CATEGORY}, {info.name}, {info.year}"
    properties.category = CATEGORY
    properties.language = LANGUAGE
    properties.created = properties.modified = now
    properties.comments = ""
    properties.revision = 1


def info_from_properties(properties) -> ReportInfo | None:
    """The report's library and year from core properties this tool wrote (keywords: 年报, 馆名, 年度), else None."""
    category, _, rest = (properties.keywords or "").partition(",")
    name, _, year = rest.rpartition(",")
    if properties.category != CATEGORY or category.strip() != CATEGORY or not name.strip():
        return None
    if not year.strip().isdigit():
        return None
    return ReportInfo(name.strip(), year.strip(), properties.title)


def set_thumbnail(document, png: bytes) -> None:
    """Make a picture of the first page (PNG) the .docx's thumbnail, as a JPEG that file browsers show."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture.thumbnail(THUMBNAIL_SIZE)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    drop_thumbnail(document)
    package = document.part.package
    package.relate_to(Part(PackURI(THUMBNAIL_URI), "image/jpeg", buffer.getvalue(), package), RT.THUMBNAIL)


def drop_thumbnail(document) -> None:
    """Remove the thumbnail the template brought along (a blank page, or the template's own first page)."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def info_from_file_name(path: Path) -> ReportInfo:
    """<馆名>-<年度>-年报.docx gives the library and year; any other name is used as it is."""
    found = FILE_NAME.match(Path(path).stem)
    if found:
        return ReportInfo(found["name"], found["year"], default_title(found["name"], found["year"]))
    return ReportInfo(Path(path).stem, "", Path(path).stem)
