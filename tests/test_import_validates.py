"""An import never writes a workbook that `validate` rejects, but for the facts only the library can give (馆名):
the seeds in every variant, the shared real reports and the bad-input documents, each passes once 馆名 is filled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bad_documents import BAD_DOCUMENTS, english, word_numbering_under_typed
from docx import Document
from openpyxl import load_workbook
from seed_documents import NAMES, build
from test_messages import named_exceptions

from annual_report.core.errors import InputUnreadable
from annual_report.importer.document import import_document, write_imported
from annual_report.workbook.inserts import split_inserts
from annual_report.workbook.validate import validate_workbook

REAL_PROSE = Path(__file__).resolve().parents[2] / "shared" / "real-prose" / "corpus.json"


def real_reports() -> list[dict]:
    if not REAL_PROSE.is_file():
        return []
    return [r for r in json.loads(REAL_PROSE.read_text(encoding="utf-8"))["records"]]


def passes_once_named(source: Path, tmp_path: Path, year: int | None = None):
    """Import, check that only library facts are wrong, fill 馆名 if the document did not give it, check that
    nothing is wrong."""
    try:
        written, report = write_imported(source, tmp_path / "导入.xlsx", year=year)
    except InputUnreadable as refused:  # a document that is no report is refused, never half imported
        assert source.name in str(refused)
        assert refused.code != "import-not-valid", str(refused)  # the import's own checks gave up on it
        return None
    _, result = validate_workbook(written)
    assert {(p.code, p.field) for p in result.errors} <= {("required", "cover.name")}, [
        p.message for p in result.errors
    ]
    if not result.errors:  # the document gave 馆名: nothing to fill in
        return report
    book = load_workbook(written)
    cover = book["封面"]
    row = next(r for r in range(2, 30) if cover[f"A{r}"].value and "馆名" in str(cover[f"A{r}"].value))
    cover[f"B{row}"] = cover[f"B{row}"].value or "某某县图书馆"
    book.save(written)
    _, result = validate_workbook(written)
    assert result.errors == [], [p.message for p in result.errors]
    return report


# every import is checked as it is written; the plain variant passes when test_importer.py renders it
@pytest.mark.parametrize("variant", ["styles", "merged"])
@pytest.mark.parametrize("name", NAMES)
def test_seeds(name, variant, tmp_path):
    passes_once_named(build(name, variant, tmp_path / f"{name}.docx"), tmp_path)


@pytest.mark.parametrize("record", real_reports(), ids=lambda r: r["id"])
def test_shared_real_reports(record, tmp_path):
    document = Document()
    for line in record["lines"]:
        document.add_paragraph(line)
    path = tmp_path / f"{record['id']}.docx"
    document.save(path)
    passes_once_named(path, tmp_path, year=record["year"] + 1)


@pytest.mark.parametrize("kind", sorted(BAD_DOCUMENTS))
def test_bad_input_documents(kind, tmp_path):
    report = passes_once_named(BAD_DOCUMENTS[kind](tmp_path / f"{kind}.docx"), tmp_path, year=2021)
    assert report is not None
    said = [g["message"] for g in report.guesses] + [c["problem"] + c["change"] for c in report.changes]
    assert named_exceptions(said) == []  # what the import report tells names no exception (test_messages.py)
    if kind == "图片":  # what the checks changed is in the import report
        [change] = report.changes
        assert change["where"] == "图片!B3" and "删去" in change["change"]
    elif kind == "没有数据的图表":
        assert [c["where"] for c in report.changes] == ["正文!D2"]


def test_a_caption_with_commas_names_one_picture(tmp_path):
    from bad_documents import pictures

    imported = import_document(pictures(tmp_path / "图片.docx"), 2021)
    name = imported.data["pictures"][0]["name"]
    assert "，" in name and "、" not in name
    names = [row["name"] for row in imported.data["pictures"]]
    assert any(split_inserts(row.get("insert"), names)[:1] == [name] for row in imported.data["narrative"])


def test_words_numbering_under_typed_numbers_is_the_third_level(tmp_path):
    imported = import_document(word_numbering_under_typed(tmp_path / "编号.docx"), 2021)
    levels = [(row.get("level"), row.get("title")) for row in imported.data["narrative"] if row.get("title")]
    assert levels == [
        (1, "基本情况"),
        (3, "读者服务"),
        (3, "阅读推广"),
        (1, "主要工作"),
        (3, "读者服务"),
        (3, "阅读推广"),
    ]


def test_deep_outlines_are_folded_into_four_levels(tmp_path):
    from bad_documents import deep_outline

    imported = import_document(deep_outline(tmp_path / "深.docx"), 2021)
    levels = {row["level"] for row in imported.data["narrative"]}
    assert levels <= {1, 2, 3, 4, "正文", "条目"}
    assert any("最多四级" in g["message"] for g in imported.report.to_dict()["guesses"])


def test_a_document_without_chinese_report_text_is_refused(tmp_path):
    with pytest.raises(InputUnreadable, match="不像年度报告"):
        import_document(english(tmp_path / "英文.docx"), 2021)
