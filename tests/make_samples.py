"""Regenerate the committed workbooks from code: the blank template and the samples in inputs/.

Run after changing schema.json or a fixture: python tests/make_samples.py
"""

from __future__ import annotations

import json
from pathlib import Path

from annual_report.blank import write_workbook
from annual_report.report import codes_table

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BLANK = ROOT / "templates" / "年报填报模板.xlsx"
README = ROOT / "README.md"
CODES_START, CODES_END = "<!-- codes:start -->", "<!-- codes:end -->"
SAMPLES = {"qufu_2020": "曲阜市图书馆-2020.xlsx", "lijiang_2020": "丽江市图书馆-2020.xlsx"}


def fixture(name: str) -> dict:
    """A sample report's data as the schema describes it."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def readme_with_codes(text: str) -> str:
    """The README with its problem-code table regenerated from the code."""
    head, rest = text.split(CODES_START)
    _, tail = rest.split(CODES_END)
    return f"{head}{CODES_START}\n{codes_table()}\n{CODES_END}{tail}"


def main() -> None:
    README.write_text(readme_with_codes(README.read_text(encoding="utf-8")), encoding="utf-8")
    write_workbook(BLANK)
    for name, filename in SAMPLES.items():
        write_workbook(ROOT / "inputs" / filename, fixture(name))
    print("written:", BLANK, *(ROOT / "inputs" / f for f in SAMPLES.values()))


if __name__ == "__main__":
    main()
