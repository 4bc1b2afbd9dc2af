"""Infer the structure of a report's text: which paragraphs are headings (and of which level), numbered
items, unnumbered parts (前言, 结语…) or body text, from the typed numbers, their sequence and the styles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annual_report.importer.numbers import (
    CANONICAL_LEVEL,
    Number,
    clean_title,
    number_from_label,
    split_number,
    split_title,
)
from annual_report.importer.reader import Paragraph

UNNUMBERED = re.compile(
    r"^(前言|引言|序言|概述|结语|结束语|后记|附件\s*\d*|附录\s*\d*|附表\s*\d*)(?:\s*[:：]\s*(.*))?$"
)
HEADING, ITEM, UNNUMBERED_HEADING, BODY = "heading", "item", "unnumbered", "body"
DEEPEST = 4
NESTED = "+"  # marks a numbering of a kind opened inside one of the same kind
HEADING_STYLES = ("chapter", "section", "cn", "cn_paren")  # 第一部分, 第一节, 一、, （一）: headings, never list items
# "2充分运用…": a number typed without its stop, read as one when it is the next of a list of such numbers
GLUED = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff“《])(?![年月日号时点个人次万千百册件种场期天元名位家所座台部篇届岁倍余多])")
DATE_RUN = re.compile(r"^(\d{2,3})(?=[.．]\d{1,2}(?!\d)|月)")  # "14.23是…", "25月…": an item number run into a date
BRACKETED = re.compile(r"^【([^】]{1,20})】\s*(.*)$")  # 【阅读推广】 a run-in label
SENTENCE_END = "。！？；：…!?;:，,、"
TITLE_LENGTH = (4, 30)  # characters of an unnumbered title line
BODY_LENGTH = 40  # characters from which a paragraph is text whatever its ending


@dataclass
class Entry:
    """What one paragraph is in the report's structure."""

    paragraph: int  # its number in the document
    kind: str  # heading, item, unnumbered or body
    level: int | None = None  # 1–4 for headings; the numbering level for items
    title: str = ""
    text: str = ""  # body text; for a heading or item, the text typed after the title in the same paragraph
    number: Number | None = None
    styled: bool = False  # a Heading style, outline level, bold or heading font says "heading"
    children: int = 0  # numbered paragraphs below it
    body: int = 0  # body paragraphs of its own below it
    quote: str = ""  # the paragraph as typed, for the report


@dataclass(frozen=True)
class Guess:
    """A place where the reader had to decide without certainty, for the librarian to check."""

    paragraph: int
    message: str


@dataclass
class Structure:
    """The entries (one per paragraph given) and the guesses made."""

    entries: list[Entry]
    guesses: list[Guess] = field(default_factory=list)


def infer_structure(paragraphs: list[Paragraph]) -> Structure:
    """Decide what every paragraph is; the list of entries is parallel to the paragraphs."""
    structure = Structure([_entry(p) for p in paragraphs])
    _glued_numbers(structure)
    numbered = [e for e in structure.entries if e.number is not None]
    _assign_levels(numbered, structure)
    _count_children(structure.entries)
    _decide_kinds(structure)
    _split_titles(structure)
    if sum(e.kind == HEADING and e.number is not None for e in structure.entries) < 2:
        _unnumbered_titles(structure)
    return structure


def _glued_numbers(structure: Structure) -> None:
    """A paragraph starting with a number typed without its stop is an item when the sequence says so: "2充分运用…"
    between items 1) and 3); "1打造…" followed by "2增添…"; "14.23是世界读书日" and "25月…" before 3、 (items 1 and
    2 run into the dates 4.23 and 5月)."""
    entries = structure.entries
    readings = _unstopped_readings(entries)
    ahead_of = _ahead(entries, readings)
    before: Number | None = None
    for index, entry in enumerate(entries):
        options = readings[index]
        if options:
            ahead, between, nexts = ahead_of[index]
            style = before.style if _arabic(before) else ahead.style if _arabic(ahead) else "ar"
            value, rest = next(((v, r) for v, r in options if _in_sequence(before, v, (ahead, between, style), nexts)),
                               (None, ""))  # fmt: skip
            if value is not None:
                typed = entry.number.typed + entry.text if entry.number is not None else entry.text
                entry.number, entry.text = Number(style, value, typed[: len(typed) - len(rest)]), rest.strip()
                structure.guesses.append(Guess(entry.paragraph, f"「{entry.quote}」的编号后面没有标点，按第 {value} 项处理"))
        before = entry.number or before


def _unstopped_readings(entries: list[Entry]) -> list[list[tuple[int, str]]]:
    """For each paragraph, the item numbers it may start with though no stop follows them, with the text after:
    a body paragraph, or one whose dotted number does not go on from the dotted number before (14.23 after 1.1)."""
    found: list[list[tuple[int, str]]] = []
    dotted: tuple[int, ...] | None = None
    for entry in entries:
        text = None
        if entry.number is None and entry.kind == BODY:
            text = entry.text
        elif entry.number is not None and entry.number.style == "dotted":
            parts = tuple(int(p) for p in re.findall(r"\d+", entry.number.typed))
            if not _dotted_follows(dotted, parts):
                text = entry.number.typed + entry.text
            dotted = parts
        found.append(_readings(text) if text else [])
    return found


def _dotted_follows(before: tuple[int, ...] | None, parts: tuple[int, ...]) -> bool:
    """Whether a dotted number goes on from the one before (1.1 → 1.2 or 2.1), or starts a list (x.1)."""
    if len(parts) != 2:
        return True
    if before is None or len(before) != 2:
        return parts[1] == 1
    return parts in ((before[0], before[1] + 1), (before[0] + 1, 1)) or parts[1] == 1


def _readings(text: str) -> list[tuple[int, str]]:
    glued = GLUED.match(text)
    if glued:
        return [(int(glued.group(1)), text[glued.end() :])]
    run = DATE_RUN.match(text)
    if not run:
        return []
    digits, options = run.group(1), []
    day = re.match(r"[.．](\d{1,2})", text[run.end() :])
    for cut in range(1, len(digits)):
        month = int(digits[cut:])
        if digits[cut] != "0" and 1 <= month <= 12 and (day is None or 1 <= int(day.group(1)) <= 31):
            options.append((int(digits[:cut]), text[cut:]))
    return options


def _ahead(entries: list[Entry], readings: list) -> list[tuple[Number | None, int, set[int]]]:
    """For each paragraph, in one backward pass: the next number typed with its stop, how many unstopped numbers
    stand before it, and the values the next numbered paragraph may have (typed, or read without a stop)."""
    found: list[tuple[Number | None, int, set[int]]] = [(None, 0, set())] * len(entries)
    typed: Number | None = None
    between, values = 0, set()
    for index in range(len(entries) - 1, -1, -1):
        found[index] = (typed, between, values)
        if readings[index]:
            between, values = between + 1, {value for value, _ in readings[index]}
        elif entries[index].number is not None:
            number = entries[index].number
            typed, between, values = number, 0, {number.value} if _arabic(number) else set()
    return found


def _arabic(number: Number | None) -> bool:
    return number is not None and number.style in ("ar", "ar_half", "ar_paren")


def _in_sequence(before: Number | None, value: int, ahead: tuple, next_values: set[int]) -> bool:
    """Whether value is the next item after before (or the first of a list whose second follows), and the typed
    number ahead, where it is of the list's kind, comes right after it and the unstopped numbers between."""
    number, between, style = ahead
    if _arabic(before):
        if before.value != value - 1:
            return False
    elif value != 1 or value + 1 not in next_values:
        return False
    return number is None or number.style != style or number.value == value + 1 + between


def _unnumbered_titles(structure: Structure) -> None:
    """In a report whose sections are not numbered: a short line without closing punctuation followed by text,
    or a 【…】 label, is an unnumbered heading (无编号), its text below it."""
    entries = structure.entries
    for index, entry in enumerate(entries):
        if entry.kind != BODY or entry.number is not None:
            continue
        label = BRACKETED.match(entry.text)
        following = entries[index + 1] if index + 1 < len(entries) else None
        if label:
            entry.kind, entry.title, entry.text = UNNUMBERED_HEADING, clean_title(label.group(1)), label.group(2)
        elif _title_shaped(entry.text) and following is not None and _body_shaped(following):
            entry.kind, entry.title, entry.text = UNNUMBERED_HEADING, clean_title(entry.text), ""
        else:
            continue
        structure.guesses.append(Guess(entry.paragraph, f"「{entry.quote}」没有编号，按无编号标题处理"))


def _title_shaped(text: str) -> bool:
    return TITLE_LENGTH[0] <= len(text) <= TITLE_LENGTH[1] and not text.endswith(tuple(SENTENCE_END)) and not (
        text[:1].isdigit()
    )


def _body_shaped(entry: Entry) -> bool:
    return entry.kind == BODY and entry.number is None and (len(entry.text) >= BODY_LENGTH or entry.text.endswith("。"))


def _entry(paragraph: Paragraph) -> Entry:
    text = paragraph.text.strip()
    styled = paragraph.style_level is not None or paragraph.bold or paragraph.heading_font
    entry = Entry(paragraph.number, BODY, text=text, styled=styled, quote=_quote(text))
    if paragraph.label is not None and paragraph.label.text:
        number, rest = number_from_label(paragraph.label.text, paragraph.label.list_id, paragraph.label.level), text
        typed, after = split_number(text)  # a number typed as well as Word's: keep one
        if typed is not None and typed.style == number.style:
            rest = after
        entry.quote = _quote(f"{paragraph.label.text} {text}")
    else:
        number, rest = split_number(text)
    if number is not None:
        entry.number, entry.text = number, rest
        return entry
    unnumbered = UNNUMBERED.match(text)
    if unnumbered and (paragraph.style_level or len(text) <= 30):
        entry.kind, entry.title, entry.text = UNNUMBERED_HEADING, clean_title(text), ""
    elif paragraph.style_level is not None and len(text) <= 60:
        entry.kind, entry.level, entry.title, entry.text = HEADING, min(paragraph.style_level, DEEPEST), text, ""
    return entry


def _assign_levels(numbered: list[Entry], structure: Structure) -> None:
    """Levels from the kind of number and the sequence: a kind seen before keeps its level, a new kind goes
    below the heading above it, at least at the level official documents give it."""
    stack: list[tuple[str, int]] = []
    last_value: dict[str, int] = {}
    introduced = _introduced(structure.entries)
    for entry in numbered:
        key = _stack_key(entry, stack, last_value, entry.paragraph in introduced)
        position = next((i for i, (k, _) in enumerate(stack) if k == key), None)
        if position is not None:
            del stack[position + 1 :]
            level = stack[position][1]
        else:
            canonical = CANONICAL_LEVEL.get(key.rstrip(NESTED))
            while stack and canonical and canonical < CANONICAL_LEVEL.get(stack[-1][0].rstrip(NESTED), canonical):
                stack.pop()  # 一、 after items 1、 2、 with no heading above them: back to the top, as a reader goes
            parent = stack[-1][1] if stack else 0
            if entry.number.style == "dotted" and not stack:
                canonical = entry.number.depth
            level = max(canonical or 0, parent + 1)
            if canonical != level:
                structure.guesses.append(
                    Guess(entry.paragraph, f"「{entry.quote}」按{_level_name(level)}处理（由上下文判断）")
                )
            stack.append((key, level))
        for deeper in [k for k in last_value if k not in {k for k, _ in stack}]:
            del last_value[deeper]
        expected = last_value.get(key, 0) + 1
        if entry.number.value and entry.number.value != expected:
            structure.guesses.append(
                Guess(entry.paragraph, f"「{entry.quote}」的编号不连续（应为第 {expected} 个），生成时会按顺序重新编号")
            )
        last_value[key] = entry.number.value
        entry.level = level
    top = min((e.level for e in numbered), default=1)
    if top > 1:
        first = next(e for e in numbered if e.level == top)
        structure.guesses.append(
            Guess(first.paragraph, f"全文没有更高一级的编号，「{first.quote}」这一级按一级标题处理，以下各级依次上提")
        )
        for entry in numbered:
            entry.level -= top - 1


def _introduced(entries: list[Entry]) -> set[int]:
    """The paragraphs that follow a body paragraph ending with a colon ("…做好以下工作：")."""
    return {
        entries[i + 1].paragraph for i in range(len(entries) - 1)
        if entries[i].kind == BODY and entries[i].number is None and entries[i].text.rstrip().endswith(("：", ":"))
    }  # fmt: skip


def _stack_key(entry: Entry, stack: list[tuple[str, int]], last_value: dict[str, int], introduced: bool) -> str:
    """Which open numbering an entry continues: its kind's; a kind's numbering started again at 1 straight under a
    heading of that kind, after "…如下：", is a list one level below it (the plan of part 一 with its own 一、二、);
    of two open numberings of its kind, the one it goes on from."""
    base = entry.number.key
    same = [k for k, _ in stack if k.rstrip(NESTED) == base]
    if not same:
        return base
    top, level = stack[-1]
    if entry.number.value == 1 and top in same and last_value.get(top, 0) >= 1 and introduced and level < DEEPEST:
        return top + NESTED
    going_on = [k for k in same if last_value.get(k, 0) + 1 == entry.number.value]
    return (going_on or same)[-1]


def _count_children(entries: list[Entry]) -> None:
    """How many numbered paragraphs and body paragraphs each numbered paragraph has below it."""
    open_: list[Entry] = []
    for entry in entries:
        if entry.kind == BODY and entry.number is None:
            if open_:
                open_[-1].body += 1
            continue
        level = entry.level or 1
        while open_ and (open_[-1].level or 1) >= level:
            open_.pop()
        if open_ and entry.number is not None:
            open_[-1].children += 1
        if entry.kind == UNNUMBERED_HEADING:
            open_.clear()
        open_.append(entry)


def _decide_kinds(structure: Structure) -> None:
    """Headings or items, group by group: numbered siblings are all headings or all items."""
    entries = structure.entries
    styled_document = _uses_heading_evidence(entries)
    for group in _sibling_groups(entries):
        last = group[-1]
        if group[0].level == 1 or any(e.children for e in group) or group[0].number.style in HEADING_STYLES:
            kind = HEADING
        elif group[0].level > DEEPEST:
            kind = ITEM
        elif styled_document:  # each paragraph as it is marked: an unmarked one is an item of the heading above
            for entry in group:
                entry.kind = HEADING if entry.styled or entry.children else ITEM
            continue
        elif any(e.body for e in group[:-1]) or (len(group) == 1 and last.body):
            kind = HEADING
        else:
            kind = ITEM
            first = group[0]
            more = f"等 {len(group)} 段" if len(group) > 1 else ""
            structure.guesses.append(Guess(first.paragraph, f"「{first.quote}」{more}下面没有单独的正文，按条目处理"))
            if last.body:
                structure.guesses.append(
                    Guess(last.paragraph, f"「{last.quote}」之后的正文放在条目之后单独成段（“正文”行）")
                )
        for entry in group:
            entry.kind = kind
            if kind == ITEM:
                entry.level = min(entry.level, DEEPEST)


def _uses_heading_evidence(entries: list[Entry]) -> bool:
    """Whether the document marks its headings (styles, bold): then unmarked numbered paragraphs are items."""
    top = [e for e in entries if e.number is not None and e.level == 1]
    marked_body = sum(e.styled for e in entries if e.kind == BODY and e.number is None)
    return len(top) >= 2 and all(e.styled for e in top) and marked_body * 4 < max(1, len(entries))


def _sibling_groups(entries: list[Entry]) -> list[list[Entry]]:
    """Numbered paragraphs grouped by parent and level, in order."""
    groups: dict[tuple[int, int], list[Entry]] = {}
    parents: list[Entry] = []
    for entry in entries:
        if entry.number is None:
            if entry.kind != BODY:
                parents = [entry]
            continue
        while parents and (parents[-1].level or 0) >= entry.level:
            parents.pop()
        parent = id(parents[-1]) if parents else -1
        groups.setdefault((parent, entry.level), []).append(entry)
        parents.append(entry)
    return list(groups.values())


def _split_titles(structure: Structure) -> None:
    for entry in structure.entries:
        if entry.number is None:
            continue
        title, rest = split_title(entry.text)
        entry.title, entry.text = title, rest
        if rest and entry.kind == HEADING:
            structure.guesses.append(
                Guess(entry.paragraph, f"「{entry.quote}」的标题和正文在同一段，已在第一个句号处分开")
            )


def _level_name(level: int) -> str:
    return f"{'一二三四'[level - 1]}级标题" if level <= DEEPEST else "条目（比四级标题更深）"


def _quote(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"
