"""How report prose words each figure of 主要数据 (schema.json's x-text-names, read once), and the kinds of
numbers that are never taken as a figure, in words a librarian reads in README."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from types import MappingProxyType

from annual_report.core.schema import Schema

GAP = "…"  # in a name: up to MAX_GAP characters of other words ("接待…读者" reads 接待到馆读者, 共接待来馆读者)
MAX_GAP = 4
FILLER = "(?:各类|各种|各项|全部|所有|的)?"  # words a name may hold without naming something else
_GAP_CHARS = r"[^\d\s，,。；;：:！!？?\n（）()“”《》【】]"  # 、 may stand between: "接待、服务市民"

# Words that make a number something other than the figure its indicator counts, by kind; prose.py applies them.
PART_MARKS = ("其中", "包括", "包含", "含")  # what follows is a part of the figure before (不含 excludes)
LEFT_OUT_MARKS = ("不含", "不包括", "未含", "除")  # "总藏量（不含电子文献）": the name in brackets is left out
CHANGE_WORDS = ("增加", "减少", "增长", "下降", "提高", "降低", "上升", "回升", "增", "减", "降", "同比", "环比", "比",
                "较", "相比", "多于", "少于")  # fmt: skip
STOCK_CHANGE_WORDS = ("新增", "增加", "净增", "新建", "新设", "设立", "增设", "新开", "减少", "增", "新购", "购进", "采购",
                      "新进", "更新", "补充", "添置", "增购", "购置")  # fmt: skip
HELD_BEFORE_NEW = ("已", "累计", "先后")  # "累计新建分馆12个": what is there now (but "共新建" is this year's)
STOCK_HELD = (*HELD_BEFORE_NEW, "共")  # "共设立流通点30个": what is there now
NEW_WORDS = ("新建", "新增")  # the words of change after which 共 still means this year's ("共新建分馆3个")
RATE_WORDS = ("人均", "平均", "日均", "月均", "占")  # and 每 right before a name
OWN_SHARE = ("总馆", "本馆", "馆本部", "本级")  # "其中总馆…": after a network figure, the library's own
CAPACITY_WORDS = ("可接待", "可容纳", "能容纳", "能接待")  # a capacity, unless the figure is one (seats)
PLAN_WORDS = ("计划", "目标", "不少于", "不低于", *CAPACITY_WORDS, "设计")  # right before a name
# A plan verb that governs its whole clause, however long the list after it: "拟开展流动服务40次、阅读推广活动15次"
# (not 模拟, 拟定; not 争取到, which is done)
PLAN_VERB = re.compile(r"(?<![模虚草])拟(?![定稿])|预计|力争|力求|争取(?!到)")
# Another service counted in the same number, right before the name: "内阅及外借人次约15万" counts reading too
JOINED_SERVICE = re.compile(r"(?:阅览|内阅|到馆|进馆|借还)(?:及|和|与|以及)$")
EXAMPLE_WORDS = ("例如", "比如", "诸如", "譬如", "如")  # after a name: what follows is an example ("如期" is not)
YEAR_WORDS = ("全年", "本年", "今年", "年内")  # the whole report year, whatever was said before
# A span since an event, not the year: "开馆以来", "新馆建成后，截止2.23号累计接待读者37087人" (a bare 后 only with
# 累计 or 截至 after it: "新馆开放后读者大增，接待读者30万人次" is the year's; a stock since then is still one)
SINCE_EVENT = re.compile(r"(?:建成|建馆|开馆|开放|落成|成立|启用|投入使用|搬迁|迁入|开通|上线)(?:(?P<since>以来)|之后|以后|后)")
COUNTED_SINCE = ("累计", "截至", "截止", "至今")
# "原馆址位于…，馆舍面积900余平方米", "旧馆舍面积900平方米": the old building's, unless the new one is named after it
FORMER_PLACE = re.compile(r"(?:原|旧|老)(?:馆址|馆舍)|原址")
FORMER_LEFT = re.compile(r"新馆|新址|现馆|现址|现有|目前|重建|改造|扩建|改建|搬迁|迁|后")
PERIOD_WORDS = ("上半年", "下半年", "季度", "寒假", "暑假", "暑期", "期间", "当天", "当日")
SUBSET_WORDS = ("少儿", "儿童", "青少年", "未成年人", "成人", "老年", "线上", "线下", "网上", "网络", "数字", "电子",
                "手机", "移动", "自助", "上网", "外文", "外语", "盲人", "盲文", "幼儿", "低幼", "现场", "馆外", "流动", "特色",
                "数字资源", "电子资源")  # fmt: skip
ALL_CHANNELS = ("线上线下", "线上和线下", "线下线上", "线上、线下")  # both together: everything, no subset
ROOM_ENDINGS = ("室", "处", "库", "厅", "部")  # 少儿阅览室, 外借处, 书库, 少儿部: one room or department of the library
WHOLE_ENDINGS = ("全部", "总部", "本部")  # end like a department (部) but name the whole
ONE_KIND_MARKS = ("等", "系列", "主题", "“", "《", "「")  # "“阅读之星”等活动20场": some activities, not all
ONE_EVENT_WORDS = ("本次", "此次", "该次", "这次", "上述")  # inside a name: "参加了本次活动" is one event's people
TOTAL_WORDS = ("各类", "各种", "各项", "多种", "多类", "多项", "全部", "累计", "共计", "总计", "合计", "共")
STAFF_WORDS = ("党", "支部", "职工", "馆员", "员工", "干部", "会议", "学习", "志愿")
PEOPLE_PHRASES = ("培训人员", "参训人员", "参加人员", "参与人员")  # 人员 only in these: "工作人员30人" are staff
PEOPLE_WORDS = ("参与", "参加", "惠及", "服务", "吸引", "听众", "观众", "受众", "受益", "覆盖", "读者", "群众", "市民",
                "学员", "人次", "人数", "观展", "参观", "共", "达到", "达", "超过", "逾", "约", "近")  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """How prose names one figure: its names (with … for a few words between), the units its number takes,
    and what kind of count it is."""

    key: str
    label: str
    names: tuple[str, ...]
    units: tuple[str, ...]
    number_first: bool = False  # "94个基层服务点": the number may stand before the name
    part_of: str = ""  # the figure it is a part of (其中：采购 of 新增藏量)
    part_names: tuple[str, ...] = ()  # names it has only after 其中/包括 following its whole ("包括…捐赠（2560 册）")
    people_of: str = ""  # the events it counts the people of: "讲座 19 场，1228 人" → 讲座参加人次
    stock: bool = False  # a year-end stock: 新增 or 增加 before it makes the number a difference
    by_room: bool = False  # it adds up over rooms and desks: "少儿阅览室座席180个" is one room's share
    capacity: bool = False  # it is a capacity itself: "可容纳读者阅览座席300余个" states the seats
    excluding: tuple[str, ...] = ()  # words that make a number with this name something else (借还, 下载…)
    summed: tuple[tuple[str, ...], ...] = ()  # kinds it adds up, each by its names: "期刊212种、报纸42种" is 254
    summed_after: tuple[str, ...] = ()  # the verbs one of which stands before such a list (征订, 订阅)

    @cached_property
    def patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """The names as patterns (… for a few other words), each with its first two characters, looked for first."""
        return tuple((name.split(GAP)[0][:2], _pattern(name)) for name in self.names)

    @cached_property
    def part_patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """The names it has only as a part of its whole, likewise."""
        return tuple((name.split(GAP)[0][:2], _pattern(name)) for name in self.part_names)


@cache
def _pattern(name: str) -> re.Pattern:
    """A name as a pattern: … for a few other words, and a quantifier or 的 allowed inside a piece ("借阅各类图书",
    "到馆的读者" read as 借阅图书, 到馆读者); never between the first two characters, which patterns looks for."""
    first, *rest = name.split(GAP)
    pieces = [re.escape(first[:2]) + "".join(FILLER + re.escape(ch) for ch in first[2:])]
    pieces += [FILLER.join(re.escape(ch) for ch in piece) for piece in rest]
    return re.compile(f"{_GAP_CHARS}{{0,{MAX_GAP}}}?".join(pieces))


@cache
def wordings(schema: Schema) -> Mapping[str, Wording]:
    """Each figure the prose can name, by key, from the schema's x-text-names (built once per schema)."""
    found = {}
    for item in schema.part("indicators").fields:
        spec = item.text_names
        if not spec:
            continue
        label, part_of = plain_label(item.label), spec.get("part_of", "")
        names = tuple(dict.fromkeys([*([] if part_of else [label]), *spec.get("names", ())]))
        part_names = tuple(dict.fromkeys([*spec.get("part_names", ()), *([label] if part_of else [])]))
        part_names = tuple(name for name in part_names if name not in names)  # a part's label alone names it only
        # as a part ("其中：捐赠": 捐赠 is a part of 新增藏量 after 包括, and something else in "捐赠了500册图书")
        found[item.key] = Wording(
            item.key,
            item.label,
            names,
            tuple(spec.get("units", ())),
            spec.get("number_first", False),
            part_of,
            part_names,
            spec.get("people_of", ""),
            spec.get("stock", False),
            spec.get("by_room", False),
            spec.get("capacity", False),
            tuple(spec.get("excluding", ())),
            tuple(tuple(kind) for kind in spec.get("summed", {}).get("kinds", ())),
            tuple(spec.get("summed", {}).get("after", ())),
        )
    return MappingProxyType(found)  # shared by every caller: read-only


def plain_label(label: str) -> str:
    """A label as prose would write it: without 其中： and without a bracketed unit or note."""
    return re.sub(r"（[^）]*）$", "", label.removeprefix("其中："))


NEVER_TAKEN = (
    ("一部分", "“其中”“包括”“含”后面、与前面的总数同一指标的数（“接待读者10万人次，其中少儿3万人次”的 3 万）；后面写的是"
     "另一项指标或分项指标的（“其中讲座50场”“其中采购8000册”），照常读取；“其中总馆……”是本馆自己的数，照常读取"
     "（名称省略也读取：“全馆接待读者30万人次，其中总馆12万人次”），它前面的总数含分馆，只与“全馆（总馆填）”一栏核对；"
     "总数的分项里有这项指标不算的部分（“其中纸质图书59486册次，电子文献下载63147册次”）时，总数不读取，读取纸质的部分", PART_MARKS),
    ("差额", "与上年相比的增减（比、较、同比、增加、减少……），以及年末总数前的“新增”“设立”“新购”“更新”（新增的部分）；"
     "“由38万册增长至42万册”只读取增长后的 42 万册，“由”“从”后面的起点和“从20人到50人不等”的范围都不读取",
     CHANGE_WORDS),
    ("平均数和比例", "人均、平均、日均、每……、占……，以及百分比", RATE_WORDS),
    ("计划、目标、预计和容量", "下一年度工作计划部分中的数，紧挨着写“计划”“目标”“不少于”“可接待”的数，以及“拟”“预计”"
     "“力争”“争取”后面一口气列出的各数（“拟开展流动服务40次、阅读推广活动15次”；“模拟”“争取到”不算）", PLAN_WORDS),
    ("一年中的一段时间", "某月、上半年、暑期、疫情期间等的数；“截至11月”这种到某日为止的数照常读取，口径注明“截至11月”；"
     "“开馆以来”以及“新馆建成后……累计（截至）”等从某件事起算的累计数也不读取（馆藏、分馆等年末的总数照常读取）", PERIOD_WORDS),
    ("旧馆舍的数", "同一句前面写“原馆址”“旧馆舍”“原址”的数（“原馆址位于……，馆舍面积900余平方米”）", ("原馆址", "旧馆舍", "原址")),
    ("一个分馆、一个阅览室、一类读者", "名称前面写某个分馆、某个阅览室或外借处、少儿、线上、网上、现场等的数", SUBSET_WORDS),
    ("一项或几项活动", "“……等活动”、带引号或书名号的某项活动、系列活动的场次和人次，以及写在这种活动后面的借阅、办证等数"
     "（“各类”“累计”“共”等总数照常读取）", ONE_KIND_MARKS),
    ("本馆职工和党组织的活动", "党课、党日、职工学习、志愿服务等", STAFF_WORDS),
    ("举的例子", "名称后面“如”“例如”“比如”引出的数（“开展线上活动：如举办‘连图讲坛’15场次”）", EXAMPLE_WORDS),
    ("两项合在一起的数", "如“讲座、培训359场”“内阅及外借人次约15万”“开展读书会、讲座，共计50场”：一个数分不清属于哪一项",
     ("、",)),
)  # fmt: skip


def wording_table(schema: Schema) -> str:
    """README's section on how figures are found in the text: each indicator's wordings, then what is never taken."""
    names = wordings(schema)
    lines = ["| 指标 | 正文中的说法 | 数字的单位 | 说明 |", "| --- | --- | --- | --- |"]
    for wording in names.values():
        said = "，".join(name.replace(GAP, "……") for name in wording.names)
        notes = []
        if wording.number_first:
            notes.append("数字也可以写在名称前面")
        if wording.part_of:
            extra = f"；在“其中”“包括”之后也可以只写“{'”“'.join(wording.part_names)}”" if wording.part_names else ""
            notes.append(f"是「{names[wording.part_of].label}」的一部分{extra}")
        if wording.people_of:
            notes.append(f"紧跟在{names[wording.people_of].label}后面的人数（“……场，……人次”）")
        if wording.stock:
            notes.append("年末的总数：前面写“新增”“增加”的是增量，不读取")
        if wording.by_room:
            notes.append("前面写某个阅览室、外借处、书库或某个部（少儿部）的，是其中一处的数，不读取")
        if wording.capacity:
            notes.append("前面写“可容纳”“能容纳”的照常读取（容量就是这项指标）")
        if wording.summed:
            kinds = "”和“".join("”或“".join(kind) for kind in wording.summed)
            verbs = "”“".join(wording.summed_after)
            notes.append(f"在“{verbs}”之后分别写“{kinds}”的数（前后紧挨着列出）时，取它们的和")
        if wording.excluding:
            notes.append(f"同一句中有“{'、'.join(wording.excluding)}”的不算")
        lines.append(f"| {wording.label} | {said} | {'，'.join(wording.units)} | {'；'.join(notes)} |")
    lines += ["", "以下的数不当作主要数据读取，也不拿来和“主要数据”表比较：", ""]
    lines += [f"- **{what}**：{detail}。" for what, detail, _words in NEVER_TAKEN]
    return "\n".join(lines)
