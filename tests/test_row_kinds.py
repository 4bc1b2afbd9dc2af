"""The kinds of 正文 rows: headings, 条目, 无编号, opening paragraphs, titles on 正文 rows; and the contents' depth."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.workbook.validate import validate_workbook

MIXED = [
    {"level": "正文", "text": "2020年，本馆坚持“读者第一”的宗旨。\n现将工作汇报如下："},
    {"level": "无编号", "title": "前言：", "text": "前言的文字。"},
    {"level": 1, "title": "年度概况。", "text": "概况的文字。"},
    {"level": "条目", "title": "为残疾人送书上门活动。"},
    {"level": "条目", "title": "开展读书月活动", "text": "共举办12场。"},
    {"level": 2, "title": "免费开放工作"},
    {"level": "条目", "text": "配备有先进的书库防火门。"},
    {"level": "正文", "text": "条目之间的一段文字。"},
    {"level": "条目", "title": "安装监控", "text": "第一段。\n第二段。"},
    {"level": 3, "title": "阵地服务"},
    {"level": "条目", "title": "周末故事会？", "text": "每月两期。"},
    {"level": 4, "title": "少儿服务"},
    {"level": "条目", "title": "绘本推荐"},
    {"level": 2, "title": "馆藏建设"},
    {"level": 1, "title": "存在的问题"},
    {"level": "正文", "title": "安全生产月活动", "text": "6月开展了宣传。"},
    {"level": "无编号", "title": "结语"},
    {"level": "条目", "title": "附一"},
    {"level": 1, "title": "下年计划"},
]


def body_paragraphs(document) -> list[tuple[str, str]]:
    """(style, text) of every paragraph after the report's title, up to the end."""
    found, started = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Title":
            started = True
        elif started and paragraph.text.strip():
            found.append((paragraph.style.name, paragraph.text))
    return found


def contents(document) -> list[str]:
    """The contents' entries as printed (without page numbers)."""
    return [p.text.strip() for p in document.paragraphs if p.style.name.startswith("toc")]


@pytest.fixture
def render_mixed(qufu, make_workbook, tmp_path):
    def render(depth=None, rows=MIXED):
        qufu["narrative"] = rows
        if depth is not None:
            qufu["cover"]["contents_depth"] = depth
        outcome = render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / f"report{depth}.docx"))
        assert outcome.output is not None, outcome.result.problems
        return Document(outcome.output)

    return render


def test_every_row_kind_in_place(render_mixed):
    assert body_paragraphs(render_mixed()) == [
        ("Normal", "2020年，本馆坚持“读者第一”的宗旨。"),
        ("Normal", "现将工作汇报如下："),
        ("Heading 1", "前言"),
        ("Normal", "前言的文字。"),
        ("Heading 1", "一、年度概况"),
        ("Normal", "概况的文字。"),
        ("Normal", "1.为残疾人送书上门活动。"),
        ("Normal", "2.开展读书月活动。共举办12场。"),
        ("Heading 2", "（一）免费开放工作"),
        ("Normal", "1.配备有先进的书库防火门。"),
        ("Normal", "条目之间的一段文字。"),
        ("Normal", "2.安装监控。第一段。"),
        ("Normal", "第二段。"),
        ("Heading 3", "1.阵地服务"),
        ("Normal", "（1）周末故事会？每月两期。"),
        ("Heading 4", "（1）少儿服务"),
        ("Normal", "①绘本推荐。"),  # a 条目 of a title only is a sentence too
        ("Heading 2", "（二）馆藏建设"),
        ("Heading 1", "二、存在的问题"),
        ("Normal", "安全生产月活动。6月开展了宣传。"),
        ("Heading 1", "结语"),
        ("Normal", "1.附一。"),
        ("Heading 1", "三、下年计划"),
        ("Closing Signature", "曲阜市图书馆"),
        ("Closing Date", "2021年1月15日"),
    ]


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (1, ["前言", "一、年度概况", "二、存在的问题", "结语", "三、下年计划"]),
        (None, ["前言", "一、年度概况", "（一）免费开放工作", "（二）馆藏建设", "二、存在的问题", "结语", "三、下年计划"]),
        (
            4,
            [
                "前言", "一、年度概况", "（一）免费开放工作", "1.阵地服务", "（1）少儿服务", "（二）馆藏建设",
                "二、存在的问题", "结语", "三、下年计划",
            ],
        ),
    ],
)  # fmt: skip
def test_contents_list_the_levels_down_to_the_depth(render_mixed, depth, expected):
    document = render_mixed(depth)
    assert contents(document) == expected
    instruction = "".join(t.text for t in document.element.body.iter(qn("w:instrText")) if "TOC" in t.text)
    assert f'\\o "1-{depth or 2}"' in instruction


def test_contents_styles_indent_by_level(render_mixed):
    styles = {p.text.strip(): p.style.name for p in render_mixed(4).paragraphs if p.style.name.startswith("toc")}
    assert styles["1.阵地服务"] == "toc 3"
    assert styles["（1）少儿服务"] == "toc 4"


def test_unnumbered_heading_without_title_is_an_error(qufu, make_workbook):
    qufu["narrative"] = [{"level": "无编号", "text": "只有文字。"}]
    _, result = validate_workbook(make_workbook(qufu))
    assert [(p.code, p.cell) for p in result.errors] == [("heading-no-title", "B2")]


def test_contents_depth_out_of_range_is_an_error(qufu, make_workbook):
    qufu["cover"]["contents_depth"] = 5
    _, result = validate_workbook(make_workbook(qufu))
    assert [p.field for p in result.errors] == ["cover.contents_depth"]
