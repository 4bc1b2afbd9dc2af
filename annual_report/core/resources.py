"""Where the files the tool ships live: schema.json and the templates.

In a checkout (and an editable install) they are the top-level sources; an installed wheel
carries copies in annual_report/data, made at build time by setup.py, so there is one source.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent

# shipped name → its path in the checkout, relative to SOURCE_ROOT
SHIPPED = {
    "schema.json": "schema.json",
    "年报模板.docx": "templates/年报模板.docx",
    "年报填报模板.xlsx": "templates/年报填报模板.xlsx",
}


def resource(name: str) -> Path:
    """The path of a shipped file: the installed copy if there is one, else the checkout's source."""
    installed = PACKAGE_DATA / name
    return installed if installed.is_file() else SOURCE_ROOT / SHIPPED[name]


SCHEMA_PATH = resource("schema.json")
TEMPLATE_PATH = resource("年报模板.docx")
BLANK_WORKBOOK_PATH = resource("年报填报模板.xlsx")
