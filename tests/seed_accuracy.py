"""Measure an import against a seed's written-down structure: headings at the right level with the right title,
and every body paragraph under the right heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seed_documents import IMAGE, seed_lines, structure

HEADING_ROW = re.compile(r"^[1-4]$|^无编号$")


@dataclass
class Score:
    """How an import compares with the written-down structure."""

    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)
    misplaced_text: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """The share of headings and items read at the right level with the right title."""
        return self.right / self.total if self.total else 0.0


def squash(text: str) -> str:
    """Text without spaces and closing punctuation, for comparing titles typed in different ways."""
    return re.sub(r"[\s。．.，,；;：:]+", "", text or "")


def score(name: str, rows: list[dict], merged: bool = False) -> Score:
    """Compare the imported 正文 rows with the seed's structure."""
    truth = structure(name)
    expected = [(e["kind"], e["level"], squash(e["title"])) for e in truth["entries"]]
    found = [(_kind(row), row.get("level"), squash(row.get("title", ""))) for row in rows if _kind(row) != "body"]
    result = Score(total=max(len(expected), len(found)))
    remaining = list(found)
    for kind, level, title in expected:
        match = next((f for f in remaining if f[2] == title), None)
        if match is None:
            result.wrong.append(f"missing {kind} {level} {title}")
            continue
        remaining.remove(match)
        same_kind = match[0] == kind or (merged and {match[0], kind} == {"heading", "item"})
        if same_kind and (kind != "heading" or match[1] == level or (merged and match[0] == "item")):
            result.right += 1
        else:
            result.wrong.append(f"{title}: expected {kind} {level}, got {match[0]} {match[1]}")
    result.wrong += [f"extra {f}" for f in remaining]
    _check_text(name, rows, truth, result, merged)
    return result


def _kind(row: dict) -> str:
    level = row.get("level")
    if isinstance(level, int):
        return "heading"
    return {"条目": "item", "无编号": "unnumbered"}.get(level, "body")


def _check_text(name: str, rows: list[dict], truth: dict, result: Score, merged: bool) -> None:
    """Every body line of the seed must stand in a row of its heading's section.

    When headings and their text were typed in one paragraph, a heading may come back as an item holding its text:
    then items start sections too."""
    lines = seed_lines(name)
    headings = {e["line"]: squash(e["title"]) for e in truth["entries"] if e["kind"] != "item"}
    items = {e["line"] for e in truth["entries"] if e["kind"] == "item"}
    sections = _sections(rows, ("heading", "unnumbered", "item") if merged else ("heading", "unnumbered"))
    current = ""
    for number in range(truth["text_starts"], len(lines) + 1):
        line = lines[number - 1]
        if number in headings:
            current = headings[number]
            continue
        if number in items or number in truth["skip"] or not line.strip() or IMAGE.match(line):
            continue
        text = squash(re.sub(r"\[bookmark: [^\]]*\]", "", line))
        if not any(text in squash(part) for part in sections.get(current, [])):
            result.misplaced_text.append(f"line {number} not under {current or '(opening)'}: {line[:30]}")


def _sections(rows: list[dict], starts: tuple[str, ...]) -> dict[str, list[str]]:
    """Each heading's title → the texts of its rows (items and body rows until the next heading)."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for row in rows:
        if _kind(row) in starts:
            current = squash(row.get("title", ""))
            sections.setdefault(current, [])
        sections[current].append(f"{row.get('title', '')}{row.get('text', '')}")
    return sections
