"""The import report: what was read from the Word file and every place the reader had to guess, in Chinese;
the same as data for --format json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from annual_report.core.program import program
from annual_report.importer.indicators import IndicatorTaken
from annual_report.importer.levels import Guess

SHEETS = {"organisation": "组织机构", "party_branch": "党组织", "staff": "人员", "awards": "荣誉", "projects": "项目"}
SHEETS |= {"budget": "经费", "indicators": "主要数据"}
COVER_LABELS = {"name": "馆名", "name_en": "英文名称", "title": "标题", "compiler": "编制单位", "email": "电子邮箱"}
COVER_LABELS |= {"phone": "联系电话"}


def stale_note() -> str:
    """What to do about last year's years and figures left in the imported text."""
    return (
        "导入的正文仍是上一年的文字，其中的年份和数字都是上一年的："
        f"运行 {program()} validate 时，“年份不是报告年度”和“正文与主要数据不一致”两类提示会逐处指出，请逐条改写。"
    )


@dataclass
class ImportReport:
    """What one import read and decided."""

    source: str
    year: int  # the report year of the new workbook
    source_year: int  # the year of the imported report
    output: str = ""
    headings: dict[str, int] = field(default_factory=dict)  # level "1".."4" → count
    items: int = 0
    unnumbered: int = 0
    body_paragraphs: int = 0
    cover: list[str] = field(default_factory=list)  # cover fields found, by key
    tables: list[dict] = field(default_factory=list)  # {"sheet": 组织机构, "rows": 5}
    tables_as_text: int = 0
    figures: list[dict] = field(default_factory=list)  # {"key", "label", "value", "approximate", "source"}
    pictures: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # 目录, 空段落, 封面…
    guesses: list[dict] = field(default_factory=list)  # {"paragraph": 57, "message": "…"}
    changes: list[dict] = field(default_factory=list)  # what the workbook's own checks made the import change

    def add_guesses(self, guesses: list[Guess]) -> None:
        """Record guesses, in paragraph order."""
        self.guesses += [{"paragraph": g.paragraph, "message": g.message} for g in guesses]
        self.guesses.sort(key=lambda g: g["paragraph"])

    def add_figures(self, figures: list[IndicatorTaken]) -> None:
        """Record the figures taken from the text."""
        self.figures += [asdict(f) for f in figures]

    def to_dict(self) -> dict:
        """The report as data, with the note on last year's text."""
        return asdict(self) | {"note": stale_note()}


def as_json(report: ImportReport) -> str:
    """The report as JSON (what --format json prints)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def as_text(report: ImportReport) -> str:
    """The report as the librarian reads it."""
    counts = "，".join(f"{'一二三四'[int(level) - 1]}级标题 {n} 个" for level, n in sorted(report.headings.items()))
    lines = [
        f"从 {report.source}（{report.source_year} 年度）读到：",
        f"· 正文：{counts or '没有标题'}，条目 {report.items} 个，无编号标题 {report.unnumbered} 个，"
        f"正文段落 {report.body_paragraphs} 段",
    ]
    cover = "、".join(COVER_LABELS[key] for key in COVER_LABELS if key in report.cover)
    lines.append(f"· 封面：{cover or '没有读到'}；报告年度定为 {report.year}")
    tables = "、".join(f"{t['sheet']}（{t['rows']} 项）" for t in report.tables)
    text_tables = f"；另有 {report.tables_as_text} 个表格无法识别，已作为文字放入正文" if report.tables_as_text else ""
    lines.append(f"· 表格：{tables or '没有识别出工作簿中的表'}{text_tables}")
    if report.figures:
        taken = "、".join(
            f"{f['label']} {'约' if f['approximate'] else ''}{_number(f['value'])}"
            f"（{f['to_date'] + '，' if f.get('to_date') else ''}{f['source']}）"
            for f in report.figures
        )
        lines.append(f"· 主要数据（放入“上年”列）：{taken}")
    else:
        lines.append("· 主要数据：没有找到能确定的数字")
    lines.append(f"· 图片：{report.pictures} 张，已放入“图片”表")
    dropped = "，".join(f"{what} {n} 段" for what, n in report.dropped.items() if n)
    if dropped:
        lines.append(f"· 未导入：{dropped}")
    if report.changes:
        lines.append(f"按工作簿的检查规则改动的地方（{len(report.changes)} 处）：")
        lines += [f"  {c['where']}：{c['problem']}——{c['change']}" for c in report.changes]
    if report.guesses:
        lines.append(f"需要核对的地方（{len(report.guesses)} 处）：")
        lines += [f"  第 {g['paragraph']} 段：{g['message']}" for g in report.guesses]
    else:
        lines.append("没有需要猜测的地方。")
    lines.append(stale_note())
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
