"""A 总馆 with its branches: the checks across the set and the 全馆 totals."""

from __future__ import annotations

import pytest

from annual_report.pipeline.branches import validate_network
from annual_report.workbook.text import identity

BRANCHES = ("古城区分馆", "玉龙县分馆", "华坪县分馆")


def _library(data: dict, name: str, visits: int, previous: int | None = None) -> dict:
    data["cover"]["name"] = name
    data["figures"]["visits"] = {"current": visits, **({"previous": previous} if previous is not None else {})}
    return data


@pytest.fixture
def network(tmp_path, lijiang, make_workbook):
    """A 总馆 workbook that lists three branches, and a folder with their three workbooks."""
    import copy

    head = _library(copy.deepcopy(lijiang), "丽江市图书馆", 30000, 80400)
    head["cover"]["branch_names"] = "、".join(BRANCHES)
    head_path = make_workbook(head, "总馆.xlsx")
    folder = tmp_path / "分馆"
    folder.mkdir()
    for index, name in enumerate(BRANCHES, start=1):
        branch = _library(copy.deepcopy(lijiang), name, 1000 * index, 900 * index)
        branch["pictures"] = []
        from annual_report.workbook.blank import write_workbook

        write_workbook(folder / f"{name}.xlsx", branch)
    return head_path, folder, lijiang


def _codes(result) -> list[str]:
    return [p.code for p in result.problems if p.code.startswith(("branch", "network"))]


def test_a_complete_network_has_no_problems_and_sums_to_the_whole(network, schema):
    head_path, folder, _ = network
    _, result, found = validate_network(head_path, folder, schema)
    assert _codes(result) == []
    assert [b.name for b in found.branches] == sorted(BRANCHES, key=identity)
    assert found.totals["visits"] == {"current": 30000 + 1000 + 2000 + 3000, "previous": 80400 + 900 + 1800 + 2700}


def test_a_branch_of_another_year_is_an_error_naming_its_file_and_cell(network, schema):
    from openpyxl import load_workbook

    head_path, folder, _ = network
    path = folder / "玉龙县分馆.xlsx"
    book = load_workbook(path)
    sheet = book["封面"]
    row = next(r for r in range(1, 20) if sheet.cell(r, 1).value and "报告年度" in str(sheet.cell(r, 1).value))
    sheet.cell(row, 2).value = 2019
    book.save(path)
    _, result, _ = validate_network(head_path, folder, schema)
    other = [p for p in result.problems if p.code == "branch-other-year"]
    assert len(other) == 1
    assert other[0].message.startswith(f"玉龙县分馆.xlsx 封面!B{row}：")
    assert "2019" in other[0].message and "2020" in other[0].message


def test_the_same_branch_twice_is_an_error(network, schema, lijiang):
    from annual_report.workbook.blank import write_workbook

    head_path, folder, _ = network
    again = _library(lijiang, "古城区\u200b分馆 ", 5)  # an invisible character and a space: the same library
    again["pictures"] = []
    write_workbook(folder / "古城区分馆-改正.xlsx", again)
    _, result, _ = validate_network(head_path, folder, schema)
    duplicate = [p for p in result.problems if p.code == "branch-duplicate"]
    assert len(duplicate) == 1 and "古城区分馆" in duplicate[0].message


def test_listed_branch_without_file_is_an_error_and_unlisted_file_a_warning(network, schema, lijiang):
    from annual_report.workbook.blank import write_workbook

    head_path, folder, _ = network
    (folder / "华坪县分馆.xlsx").unlink()
    extra = _library(lijiang, "永胜县分馆", 7)
    extra["pictures"] = []
    write_workbook(folder / "永胜县分馆.xlsx", extra)
    _, result, _ = validate_network(head_path, folder, schema)
    missing = [p for p in result.problems if p.code == "branch-missing"]
    unlisted = [p for p in result.problems if p.code == "branch-not-listed"]
    assert [p.severity for p in missing] == ["error"] and "华坪县分馆" in missing[0].message
    assert missing[0].sheet == "封面" and missing[0].cell
    assert [p.severity for p in unlisted] == ["warning"] and "永胜县分馆" in unlisted[0].message


def test_a_branch_with_errors_blocks_the_network(network, schema, lijiang):
    from annual_report.workbook.blank import write_workbook

    head_path, folder, _ = network
    broken = _library(lijiang, "古城区分馆", 1000)
    broken["pictures"] = []
    broken["figures"]["visits"]["current"] = -5
    write_workbook(folder / "古城区分馆.xlsx", broken)
    _, result, _ = validate_network(head_path, folder, schema)
    assert "branch-has-errors" in _codes(result)
    assert result.blocks()


def test_an_empty_branch_folder_is_an_error(tmp_path, lijiang, make_workbook, schema):
    head = make_workbook(lijiang, "总馆.xlsx")
    (tmp_path / "空").mkdir()
    _, result, _ = validate_network(head, tmp_path / "空", schema)
    assert _codes(result) == ["branch-none"]
