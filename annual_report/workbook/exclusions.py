"""Why a number next to an indicator's name is not that figure: a part after 其中, one room, branch or kind of
readers, a difference, a rate, a plan or capacity, a part of the year, staff's events, one kind of events, a count
shared by two indicators, or a count about one event."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from annual_report.workbook.mentions import mention_at
from annual_report.workbook.text_numbers import TextNumber
from annual_report.workbook.wording import (
    ALL_CHANNELS,
    CAPACITY_WORDS,
    COUNTED_SINCE,
    FORMER_LEFT,
    FORMER_PLACE,
    HELD_BEFORE_NEW,
    JOINED_SERVICE,
    NEW_WORDS,
    ONE_EVENT_WORDS,
    ONE_KIND_MARKS,
    OWN_SHARE,
    PART_MARKS,
    PERIOD_WORDS,
    PLAN_VERB,
    PLAN_WORDS,
    RATE_WORDS,
    ROOM_ENDINGS,
    SINCE_EVENT,
    STAFF_WORDS,
    STOCK_CHANGE_WORDS,
    STOCK_HELD,
    SUBSET_WORDS,
    TOTAL_WORDS,
    WHOLE_ENDINGS,
    YEAR_WORDS,
)
from annual_report.workbook.years import clause_around

_MONTH = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?!底|末)")
_NAMED_EVENT = re.compile(r"(?:开展|举办|组织|启动|开展了|举办了)[^，,。；;]{0,6}[“《][^”》]{1,20}[”》][^，,。；;]{0,8}活动\s*[，,]\s*"
                          r"(?=[^，,。；;]*$)")  # "开展“你选书我买单”活动，": the clause right after is that activity's
_EVENT_COUNT = re.compile(r"(?:活动|讲座|展览|培训|比赛|竞赛|故事会|读书会|沙龙|课堂)[^，,。；;\d]{0,3}\d+\s*(?:场次|场|次|期)")
_TO_DATE = re.compile(
    r"(?:截至|截止|到)\s*(?:(?:19|20)\d{2}\s*年\s*)?(?:年?底|年末|(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
    r"(?:\s*\d{1,2}\s*日)?)[^。；;]*$"
)
ROOM_NAMED = tuple("室处库厅部")  # what turns a name into a room's or a department's: 外借室, 借阅部
_ADVERBS = re.compile(r"(?:一共|共计|总计|合计|总共|累计|全年|共|还|也|又|已|可容纳|能容纳)+$")  # between a subject and
# its verb ("少儿阅览室可容纳座席80个": the room's)
_PLANS_NOT_CAPACITY = tuple(word for word in PLAN_WORDS if word not in CAPACITY_WORDS)  # for what is a capacity
PLAN_REACH = 6  # characters before a name within which 计划, 预计, 可… make its number a plan or a capacity


@dataclass(frozen=True)
class NameAt:
    """Where a sentence names an indicator."""

    key: str
    start: int
    end: int
    part: bool  # found by a name it has only as a part of its whole


def has(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text holds any of the words."""
    return any(word in text for word in words)


def excluded(text: str, start: int, name: NameAt, number: TextNumber, found: tuple, named: Mapping) -> bool:
    """Whether the number is not the figure: a part, one place or kind, a difference, a rate, a plan or capacity,
    a period of the year, staff's or one kind of events, a count shared by two indicators or about one event.

    found: the sentence's names and the figures taken from it so far (the whole a part after 其中 belongs to)."""
    wording, (names, mentions) = named[name.key], found  # the sentence's names, and the figures taken so far
    head = min(name.start, number.start)
    clause_start, _ = clause_around(text, head, head)
    clause_start = max(clause_start, start)
    near = text[clause_start : name.start]
    said = text[clause_start : number.end]
    part_at = _open_part(text, start, head)
    whole = next((m for m in reversed(mentions) if m.end <= part_at), None) if part_at >= 0 else None
    if part_at >= 0 and (_part_of_whole(whole, name, named) if whole else _part_of_unnamed(wording, names, part_at)):
        return True  # "接待读者…，其中少儿…人次": a part of the figure named before 其中, not that figure
    if name.part and (part_at < 0 or not any(m.key == wording.part_of and m.end <= part_at for m in mentions)):
        return True  # "捐赠" alone is a part of 新增藏量 only after 包括 following it
    if _narrowed(near, text[name.start : name.end], wording.by_room) or JOINED_SERVICE.search(near):
        return True
    if wording.by_room and text[name.end : name.end + 1] in ROOM_NAMED:
        return True  # "期刊外借室2890余册": the name is a room's (外借室), the number that room's
    if _mixed_whole(text, number, wording):
        return True
    if (wording.stock and _stock_changed(near)) or has(near, RATE_WORDS) or "每" in near[-3:]:
        return True
    planned = text[max(clause_start, name.start - PLAN_REACH) : number.end]
    plans = _PLANS_NOT_CAPACITY if wording.capacity else PLAN_WORDS
    if has(planned, plans) or PLAN_VERB.search(said) or has(said, wording.excluding) or _period(text[start:head]):
        return True
    if _of_former_place(text, start, name):
        return True
    since = None if wording.stock else SINCE_EVENT.search(text, start, head)
    counted = since and (since.group("since") or has(text[since.end() : head], COUNTED_SINCE))
    if counted and not has(text[since.end() : head], YEAR_WORDS):
        return True  # "新馆建成后…累计接待读者…": since that day, not this year (unless 全年 follows)
    events = {w.people_of for w in named.values() if w.people_of}
    if name.key in events or wording.people_of:
        return has(near, STAFF_WORDS) or _one_kind(text, start, name, number) or _shared(text, name, names, events)
    return _of_one_event(text[start:head], start, mentions)


def split_network(text: str, mentions: list, numbers: list, named: Mapping, taken: set) -> list:
    """The sentence's figures with the network's told apart from the library's own: a figure followed by the library's
    own share of it counts the branches too, the 全馆 column's ("全馆…423场次，其中总馆108场次": 423 is the network's,
    108 the library's own, 本年's, even with its name left out as here or with a verb between: "其中总馆共举办108场次").

    mentions: the figures so far, those of a sentence joined by a semicolon first (their network may be told here)."""
    shares = []
    for whole in mentions:
        after = _OWN_AFTER.match(text, whole.end)
        number = next((n for n in numbers if after and n.start >= after.end()), None)
        if number and number.start not in taken and _own_share_of(text, whole, after.end(), number, named):
            taken.add(number.start)
            shares.append(mention_at(text, whole.key, after.start() + 1, number))
    last = max((m.start for m in mentions + shares), default=0)
    first = min((m.end for m in mentions), default=last)
    marks = [m.start() for m in _OWN_PART.finditer(text, first, last)]
    network = [  # a figure named again after "其中总馆" ("…，其中总馆接待读者12万人次，外借图书8万册")
        w for w in mentions
        if any(o.key == w.key and any(w.end <= at < o.start for at in marks) for o in mentions + shares)
    ]  # fmt: skip
    return sorted([replace(m, network=True) if m in network else m for m in mentions] + shares, key=lambda m: m.start)


def _own_share_of(text: str, whole, at: int, number: TextNumber, named: Mapping) -> bool:
    """Whether the number after "其中总馆" (at) is the library's own share of the whole: in its unit, with nothing
    between but a verb of the count ("共举办", "接待"; never 同比增长, 以外, 暑期, 预计)."""
    return number.unit in named[whole.key].units and _SHARE_FILLER.fullmatch(text, at, number.start) is not None


def change_in(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text holds a word of change that is not about what is there already ("累计新建", "先后新增")."""
    return any(
        not text[: found.start()].endswith(HELD_BEFORE_NEW if word in NEW_WORDS else STOCK_HELD)
        for word in words for found in re.finditer(re.escape(word), text)
    )


def _stock_changed(near: str) -> bool:
    """Whether a year-end stock's number is this year's change: a word of change right before its name ("新增分馆",
    "更新电子图书1万余册") or opening the list it stands in ("新建外借点、流动图书室7个", not "通过新建、改扩建等方式
    建成流通点30个"), not one about what is there already ("累计新建分馆12个")."""
    listed = near.rstrip()
    items = re.split("、|和|及|与", listed)
    opener = items[0][:-1] if len(items) > 1 and not items[-1] else ""  # the list's first item, less its last word
    return change_in(near[-4:], STOCK_CHANGE_WORDS) or change_in(opener, STOCK_CHANGE_WORDS)


def printed_part(text: str, number: TextNumber, numbers: list, wording) -> TextNumber | None:
    """The printed part after a whole that counts more than the figure ("…122633册次，其中纸质图书59486册次，电子
    文献下载…": 59486 is the loans), or None."""
    if not _mixed_whole(text, number, wording):
        return None
    part = _PRINTED_PART.match(text, number.end)
    after = next((n for n in numbers if n.start == part.end()), None) if part else None
    return after if after and after.unit in wording.units else None


def _of_former_place(text: str, start: int, name: NameAt) -> bool:
    """Whether the sentence, up to the name, speaks of the old building and not of the new one after it."""
    former = [m.end() for m in FORMER_PLACE.finditer(text, start, name.end)]
    return bool(former) and FORMER_LEFT.search(text, former[-1], name.start) is None


def _mixed_whole(text: str, number: TextNumber, wording) -> bool:
    """"年文献外借量122633册次，其中纸质图书59486册次，电子文献下载63147册次": a whole whose parts after 其中 count
    what the figure leaves out (下载) is not the figure."""
    rest = _REST_OF_SENTENCE.match(text, number.end, number.end + MAX_PARTS_AFTER).group()
    return bool(wording.excluding) and _PARTS_FOLLOW.match(rest) is not None and has(rest, wording.excluding)


def _of_one_event(before: str, start: int, mentions: list) -> bool:
    """"举办漂流书香车活动8场，…图书借阅量达1065册次", "开展“你选书我买单”活动，采购图书142册": after the count of
    events that are no figure, or right after a named activity, the sentence goes on about those events."""
    for event in _EVENT_COUNT.finditer(before):
        if not any(start + event.start() <= m.start < start + event.end() for m in mentions):
            return True
    named = _NAMED_EVENT.search(before)
    return bool(named) and not has(before[named.end() :], (*TOTAL_WORDS, "全年", "全馆"))


def _part_of_whole(whole, name: NameAt, named: Mapping) -> bool:
    """Whether a name after 其中 counts a part of the whole before it rather than another figure: the same figure,
    or one of another kind ("新增图书14.8万册（其中电子图书14.6万册）": new e-books, not all e-books)."""
    wording = named[name.key]
    return whole.key == name.key or (wording.part_of != whole.key and wording.stock != named[whole.key].stock)


def _part_of_unnamed(wording, names: list, part_at: int) -> bool:
    """Whether a name after 其中 whose whole no figure names is a part of that whole: unless it is a part by kind
    (其中：采购), or the 其中 lists two figures or more ("服务阵地95个，包括1个总馆，57个分馆": a breakdown)."""
    listed = {n.key for n in names if n.start >= part_at and not n.part}
    return not wording.part_of and len(listed) < 2


_OWN_PART = re.compile(f"(?:{'|'.join(PART_MARKS)})[：:，, ]*(?:{'|'.join(OWN_SHARE)})")
_OWN_AFTER = re.compile(f"\\s*[，,（(；;]\\s*{_OWN_PART.pattern}\\s*")  # "…，其中总馆108场次", "…（其中本馆…）"
_PARTS_FOLLOW = re.compile(f"\\s*[，,（(]?\\s*(?:{'|'.join(PART_MARKS)})")
_PRINTED_PART = re.compile(f"{_PARTS_FOLLOW.pattern}[：:]?\\s*纸质[^\\d，,。；;！!？?\n（）()]{{0,12}}?(?=\\d)")
_REST_OF_SENTENCE = re.compile(r"[^。；;！!？?\n]*")
MAX_PARTS_AFTER = 60  # characters after a whole within which its parts are looked at
# Between "其中总馆" and its unnamed share: a colon, 共 or 全年, a verb of the count ("其中总馆共举办108场次")
_SHARE_FILLER = re.compile(r"[：:\s]*(?:共计|合计|累计|一共|共|全年)?(?:举办|开展|组织|接待|服务|外借|借出|办理|完成)?了?"
                           r"(?:为|达到|达|计|有)?\s*")


def _open_part(text: str, start: int, at: int) -> int:
    """Where a 其中/包括/含 before this place begins the part it is in, or -1 (a bracketed one closes with its bracket)."""
    before = text[start:at]
    found = max((m.start() for m in re.finditer("|".join(PART_MARKS), before) if not before[:m.start()].endswith("不")),
                default=-1)  # fmt: skip
    if found < 0 or before[found:].lstrip("其中包括含：: ").startswith(OWN_SHARE):
        return -1  # "…（含分馆），其中总馆…": the library's own figure, what its 本年 column holds
    opened = max(before.rfind("（", 0, found), before.rfind("(", 0, found))
    closed = max(before.rfind("）", found), before.rfind(")", found))
    return -1 if opened >= 0 and closed > found else start + found


def _narrowed(near: str, name: str, by_room: bool) -> bool:
    """Whether the words right before a name (or inside it) narrow it to a branch, a kind of readers, one event
    ("参加了本次活动") or, for a figure that adds up over rooms, one room."""
    qualifier = _ADVERBS.sub("", near.rstrip().removesuffix("的"))  # "电子阅览室一共接待读者": the room's
    channels = next((both for both in ALL_CHANNELS if qualifier.endswith(both)), "")
    qualifier = qualifier.removesuffix(channels)  # "分馆线上线下参与…": the branches', online and offline
    if (qualifier.endswith("分馆") and not qualifier.endswith("总分馆")) or ("各分馆" in near and not channels):
        return True
    if channels:
        return False  # "线上线下参与人数": everyone, not a part online or offline
    inside = name[1:-1]
    return (
        (by_room and qualifier.endswith(ROOM_ENDINGS) and not qualifier.endswith(WHOLE_ENDINGS))
        or qualifier.endswith(SUBSET_WORDS)
        or has(inside, SUBSET_WORDS) or has(inside, ONE_EVENT_WORDS)
    )  # fmt: skip


def _period(before: str) -> bool:
    """Whether the sentence limits what follows to a part of the year (6月, 上半年, 暑期) with no 全年 after it; a
    figure to a date (截至11月) is the year's so far, not a part."""
    found = [m for m in _MONTH.finditer(before) if to_date(before[: m.end()]) is None]
    at = max([m.end() for m in found] + [before.rfind(word) + len(word) for word in PERIOD_WORDS if word in before],
             default=-1)  # fmt: skip
    return at >= 0 and "全年" not in before[at:]


def to_date(before: str) -> str | None:
    """"截至11月" when the words before a figure end with a date it is counted up to ("截至2022年11月份，"); "" for
    the year's end (截至年底, 截至12月31日); None when they name no such date."""
    found = _TO_DATE.search(before)
    if found is None:
        return None
    month = found.group("month")
    return "" if month in (None, "12", "十二") else f"截至{month}月"


def _one_kind(text: str, start: int, name: NameAt, number: TextNumber) -> bool:
    """"“…”等活动20场", "系列讲座5期": some events of one kind, not all of them (unless 各类, 累计, 共 follow)."""
    head = min(name.start, number.start)
    earlier = [m.end() for m in re.finditer(r"\d", text[start:head])]
    span = text[start + (earlier[-1] if earlier else 0) : head]
    marks = [span.rfind(mark) for mark in ONE_KIND_MARKS if mark in span]
    if not marks:
        return False
    at = max(marks)
    listed = "、" in span[:at] and has(span, TOTAL_WORDS)  # "共举办讲座、培训、展览等活动160场": all kinds
    # "系列阅读推广活动共57场次": all of them, but not one series named in quotes ("“书香润童心”系列活动共12场")
    series = span.startswith("系列", at) and not any(quote in re.split(r"[，,；;]", span)[-1] for quote in "“《「")
    counted = text[name.start : number.start] if series and number.start >= name.end else ""
    return not (has(span[at:] + counted, TOTAL_WORDS) or listed)


def _shared(text: str, name: NameAt, names: list, events: set) -> bool:
    """"专题讲座、培训359场": one count for two kinds of events (not after 各类, which counts them all)."""
    previous = [n for n in names if n.end <= name.start and n.key != name.key]
    if not previous:
        return False
    between = text[previous[-1].end : name.start].strip()
    if name.key == "activities" and has(text[max(0, previous[-1].start - 3) : previous[-1].start], TOTAL_WORDS):
        return False  # "各类讲座与活动共计45次": all events, lectures among them
    return previous[-1].key in events and between in ("、", "和", "及", "与", "以及")
