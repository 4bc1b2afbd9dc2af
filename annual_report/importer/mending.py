"""The written workbook checked as `validate` checks it, before it is handed over: what the import made that the
workbook's own checks reject is mended (or left out) and written again, and each change is told.

Left as they are: the facts only the library can give (a required 封面 field such as 馆名 that the Word file
does not state), which the librarian fills in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annual_report.core.problems import Problem
from annual_report.core.refusals import refused
from annual_report.core.schema import Schema
from annual_report.workbook.inserts import split_inserts
from annual_report.workbook.validate import validate_workbook

ROUNDS = 6  # each round mends every problem found; a second one rarely finds more
NAMED_PROBLEMS = 3  # the refusal of a workbook that cannot be mended names its first few problems


def library_fact(found: Problem) -> bool:
    """A problem only the library can settle: a required field of the 封面 the document does not give."""
    return found.code == "required" and found.field.startswith("cover.")


def checked_import(
    draft: Path, data: dict, pictures: list[dict], schema: Schema, write: Callable[[Path], None], source: str = ""
) -> list[dict]:
    """Write, validate, mend and write again until the draft has no error but library facts; returns the changes.

    data and pictures (the 图片 rows with their bytes, parallel to data["pictures"]) are mended in place; a draft
    that cannot be mended is refused (InputUnreadable) naming source, the Word file it was imported from.
    """
    changes: list[dict] = []
    for _ in range(ROUNDS):
        write(draft)
        _book, result = validate_workbook(draft, schema)
        errors = [p for p in result.errors if not library_fact(p)]
        if not errors:
            return changes
        errors.sort(key=_from_the_end)  # a row removed moves the rows after it: mend those first
        made = [change for found in errors if (change := _mend(found, data, pictures))]
        if not made:
            break
        changes += made
    named = "；".join(p.message for p in errors[:NAMED_PROBLEMS])
    more = f"等 {len(errors)} 处" if len(errors) > NAMED_PROBLEMS else ""
    raise refused("import-not-valid", source or draft.name, problems=named + more)


def _from_the_end(found: Problem) -> tuple:
    return tuple((0, -int(step)) if step.isdigit() else (1, step) for step in found.field.split("."))


def _mend(found: Problem, data: dict, pictures: list[dict]) -> dict | None:
    """Change the data so that this problem is gone; the change as the import report tells it, or None."""
    path = [int(step) if step.isdigit() else step for step in found.field.split(".")] if found.field else []
    if not path:
        return None
    where = f"{found.sheet}!{found.cell}" if found.cell else found.sheet
    if path[0] == "pictures" and len(path) >= 2 and isinstance(path[1], int):
        return _drop_picture(path[1], data, pictures, where, found)
    if path[0] == "narrative" and len(path) == 3 and path[2] == "insert":
        return _drop_insert(data, path[1], found, where)
    if path[0] == "narrative" and len(path) == 3 and path[2] == "title":
        row = data["narrative"][path[1]]
        row["level"] = "正文"
        row.pop("title", None)
        return _change(where, found, "这一行没有标题文字，已改为“正文”")
    container, key = _parent(data, path)
    if container is None:
        return None
    del container[key]
    if path[0] in data and isinstance(data[path[0]], list) and len(path) >= 2:
        rows = data[path[0]]
        if isinstance(path[1], int) and path[1] < len(rows) and not rows[path[1]]:
            del rows[path[1]]  # nothing of the row is left
    return _change(where, found, "这一项已删去，请按原文核对后填写")


def _drop_picture(index: int, data: dict, pictures: list[dict], where: str, found: Problem) -> dict | None:
    rows = data.get("pictures", [])
    if index >= len(rows):
        return None
    name = rows[index].get("name", "")
    del rows[index]
    if index < len(pictures):
        del pictures[index]
    for row in data.get("narrative", []):
        kept = [item for item in split_inserts(row.get("insert"), _pictures(data)) if item != name]
        _set_insert(row, kept)
    return _change(
        where,
        found,
        f"这张图片无法放入工作簿，已删去这一行（及正文中对“{name}”的插入），请另存为 PNG 或 JPG 后贴到“图片”表",
    )


def _drop_insert(data: dict, index: int, found: Problem, where: str) -> dict | None:
    row = data["narrative"][index]
    name = found.message.split("“", 1)[-1].split("”", 1)[0] if "“" in found.message else ""
    items = split_inserts(row.get("insert"), _pictures(data))
    kept = [item for item in items if item != name] if name in items else []
    _set_insert(row, kept)
    return _change(where, found, "已从“在此插入”中删去，需要时请在工作簿中重新选择")


def _set_insert(row: dict, items: list[str]) -> None:
    if items:
        row["insert"] = "、".join(items)
    else:
        row.pop("insert", None)


def _parent(data: dict, path: list) -> tuple[object, object]:
    """The dict or list holding the value at path, and its key there; (None, None) when it is not there."""
    node: object = data
    for step in path[:-1]:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and step < len(node)
        ):
            node = node[step]
        else:
            return None, None
    last = path[-1]
    if (isinstance(node, dict) and last in node) or (
        isinstance(node, list) and isinstance(last, int) and last < len(node)
    ):
        return node, last
    return None, None


def _change(where: str, found: Problem, action: str) -> dict:
    message = found.message.split("：", 1)[-1] if found.message.startswith(where) else found.message
    return {"where": where, "problem": message, "change": action}


def _pictures(data: dict) -> list[str]:
    return [row.get("name", "") for row in data.get("pictures", []) if isinstance(row, dict)]
