"""template --from-docx as a library: seeds typed as plain Word files and their variants, the round trip of the
samples, levels inferred from numbers and their sequence, the import report."""

from __future__ import annotations

import json

import pytest
from docx import Document
from seed_accuracy import score
from seed_documents import NAMES, VARIANTS, build, structure

from annual_report.core.numerals import chinese
from annual_report.importer.document import import_document, write_imported
from annual_report.importer.report import as_json, as_text, stale_note
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.report.context import build_context
from annual_report.workbook.read import read_workbook

FIRST_ITEM = {  # as the rendered report prints a numbered item: number, title, 。 and its text in one paragraph
    "qufu_2020": "1.“青年志愿服务先进集体”。",
    "lijiang_2020": "1.加强思想建设，促进党建工作有序开展。扎实有效地推进党员队伍的思想建设、组织建设、作风建设和制度建设，"
    "使党员干部的整体素质不断提高，促进馆内各项工作取得了明显成效。",
}
COVER_FIELDS = ("name", "name_en", "compiler", "email", "phone")
# the sheets a sample prints through 在此插入 (only what the document shows can come back)
PRINTED = {"organisation": "组织机构表", "party_branch": "党组织表", "awards": "荣誉表", "staff": "职称结构表"}


def docx_of(tmp_path, paragraphs: list, name: str = "年报.docx"):
    """A .docx with these paragraphs: text, or (text, style) pairs."""
    document = Document()
    for paragraph in paragraphs:
        text, style = paragraph if isinstance(paragraph, tuple) else (paragraph, None)
        document.add_paragraph(text, style=style)
    path = tmp_path / name
    document.save(path)
    return path


def headings(rows: list[dict]) -> list[tuple]:
    return [(row["level"], row.get("title")) for row in rows if row["level"] != "正文"]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", NAMES)
def test_seed_imports_with_95_percent_of_headings_right_and_text_under_its_heading(tmp_path, name, variant):
    imported = import_document(build(name, variant, tmp_path / f"{name}-{variant}.docx"))
    result = score(name, imported.data["narrative"], merged=variant == "merged")
    assert result.accuracy >= 0.95, result.wrong
    assert result.misplaced_text == []
    assert imported.data["cover"]["year"] == 2021


def test_seed_cover_tables_and_figures(tmp_path):
    lijiang = import_document(build("lijiang_2020", "plain", tmp_path / "l.docx")).data
    assert lijiang["cover"] == {
        "title": "丽江市图书馆2021年年报",
        "name": "丽江市图书馆",
        "name_en": "LIJIANG CITY LIBRARY",
        "compiler": "丽江市图书馆行政办公室",
        "email": "LJSTSG@163.COM",
        "phone": "0888-5170611",
        "year": 2021,
    }
    assert lijiang["indicators"]["loans_items"] == {"previous": 57588, "basis": "据上年报告第 75 段"}
    assert lijiang["indicators"]["visits"] == {"previous": 30000, "basis": "约；据上年报告第 75 段"}
    qufu = import_document(build("qufu_2020", "plain", tmp_path / "q.docx")).data
    assert qufu["party_branch"][0] == {"role": "书记", "name": "孔德安"}
    assert qufu["staff"] == {
        "title_senior": 2,
        "title_intermediate": 8,
        "title_junior": 3,
        "management": 1,
        "edu_college": 1,
        "edu_bachelor": 13,
        "edu_postgraduate": 0,
    }
    assert len(qufu["pictures"]) == 2


@pytest.mark.parametrize("sample", ["qufu", "lijiang"])
def test_round_trip_of_a_rendered_sample(tmp_path, make_workbook, request, sample):
    data = request.getfixturevalue(sample)
    workbook = make_workbook(data)
    rendered = render_workbook(workbook, RenderOptions(output=tmp_path / "报告.docx")).output
    back = import_document(rendered).data
    said = {block["text"] for block in build_context(read_workbook(workbook))["body"] if "chart" in block}

    def rows(narrative):  # a chart too small to draw was printed as a sentence: it comes back as text
        return [(r["level"], r.get("title"), r.get("text", "").strip()) for r in narrative if r.get("text") not in said]

    assert rows(back["narrative"]) == rows(data["narrative"])
    for key in COVER_FIELDS:
        assert back["cover"].get(key) == data["cover"].get(key), key
    year = data["cover"]["year"]
    assert back["cover"]["title"] == data["cover"]["title"].replace(str(year), str(year + 1))
    inserts = "、".join(row.get("insert", "") for row in data["narrative"])
    for part, insert in PRINTED.items():
        if insert in inserts:
            assert back[part] == data[part], part


def test_round_trip_workbook_renders_with_the_same_headings(tmp_path, make_workbook, qufu):
    original = render_workbook(make_workbook(qufu), RenderOptions(output=tmp_path / "原.docx")).output
    workbook, _ = write_imported(original, tmp_path / "新.xlsx")
    data = read_workbook(workbook).data  # the librarian fills this year's figures beside last year's
    data["indicators"] = {key: pair | {"current": pair["previous"]} for key, pair in data["indicators"].items()}
    filled = make_workbook(data, "新-已填.xlsx")
    again = render_workbook(filled, RenderOptions(output=tmp_path / "新.docx")).output

    def numbered(path):
        return [p.text for p in Document(path).paragraphs if p.style.name.startswith("Heading")]

    assert numbered(again) == numbered(original)
    assert read_workbook(workbook).data["indicators"]["visits"]["previous"] == 143000


def test_slips_in_the_numbering_are_corrected_when_rendered(tmp_path):
    source = docx_of(
        tmp_path,
        ["2020年度某某县图书馆工作年报", "一、概况", "全年开放。", "三、服务", "1. 借阅", "借阅正常。", "3. 活动",
         "活动正常。", "一、问题", "经费不足。"],
    )  # fmt: skip
    workbook, _ = write_imported(source, tmp_path / "新.xlsx")
    report = render_workbook(workbook, RenderOptions(output=tmp_path / "新.docx")).output
    titles = [p.text for p in Document(report).paragraphs if p.style.name.startswith("Heading")]
    assert titles == ["一、概况", "二、服务", "1.借阅", "2.活动", "三、问题"]


def test_the_report_year_comes_from_the_body_never_from_history(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆工作总结", "某某县图书馆成立于1979年7月，1985年在原文化馆图书室的基础上迁入新址，2011年维修改建。",
         "2022年，我馆坚持公益服务方向，全年免费开放，现将一年来的工作总结如下。", "一、阵地服务",
         "全年接待读者12万人次。", "二、阅读推广", "荣获2019年度全省阅读推广先进单位。"],
    )  # fmt: skip
    imported = import_document(source)
    assert imported.data["cover"]["year"] == 2023 and imported.report.source_year == 2022
    assert any("按正文“2022年" in g["message"] and "--year" in g["message"] for g in imported.report.guesses)
    assert imported.data["indicators"]["visits"]["previous"] == 120000


def test_a_figure_counted_to_a_date_is_taken_with_that_date(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆2022年工作总结", "截至2022年11月，我馆接待读者5.2万人次，借阅图书4万余册次。",
         "6月新办读者证200个。", "截至年底，持证读者1.2万人。"],
    )  # fmt: skip
    imported = import_document(source)
    assert imported.data["indicators"] == {
        "visits": {"previous": 52000, "basis": "截至11月；据上年报告第 2 段"},
        "loans_items": {"previous": 40000, "basis": "约；截至11月；据上年报告第 2 段"},
        "valid_cards": {"previous": 12000, "basis": "据上年报告第 4 段"},
    }
    assert "进馆人次 52000（截至11月，第 2 段）" in as_text(imported.report)


def test_numbering_slips_keep_their_headings(tmp_path):
    # "3." after "1." and its （1）–（4）, and "1." again right after a paragraph: read as a person reads them
    source = docx_of(
        tmp_path,
        ["某县图书馆2022年工作总结", "2022年，我馆全年接待读者10万人次。", "一、开展节日活动",
         "1.春节活动。春节期间举办猜灯谜等活动。", "（1）猜灯谜，参与读者200人次。", "（2）写春联，参与读者100人次。",
         "（3）送福字，共送出500张。", "（4）读书会，参与读者80人次。", "3.元宵节活动。元宵节举办灯谜会。",
         "4.端午节活动。端午节举办包粽子活动。", "二、安全工作", "全年未发生安全事故，安全工作扎实有效。",
         "1.人防。配备保安2名。", "2.技防。安装监控30个。", "2.1月19日，开展消防演练。"],
    )  # fmt: skip
    imported = import_document(source)
    rows = imported.data["narrative"]
    titles = [(row["level"], row.get("title")) for row in rows if row["level"] != "正文"]
    assert titles == [
        (1, "开展节日活动"), (3, "春节活动"), ("条目", "猜灯谜，参与读者200人次"), ("条目", "写春联，参与读者100人次"),
        ("条目", "送福字，共送出500张"), ("条目", "读书会，参与读者80人次"), (3, "元宵节活动"), (3, "端午节活动"),
        (1, "安全工作"), ("条目", "人防"), ("条目", "技防"), ("条目", "1月19日，开展消防演练"),
    ]  # fmt: skip
    messages = [g["message"] for g in imported.report.guesses]
    assert any("「3.元宵节活动。元宵节举办灯谜会。」的编号不连续（应为第 2 个）" in m for m in messages)
    assert any("「2.1月19日，开展消防演练。」的编号不连续（应为第 3 个）" in m for m in messages)


def test_contents_pages_in_all_their_forms_are_dropped(tmp_path):
    entries = ["一、工作计划", "二、工作总结", "三、机构设置"]
    body = ["一、工作计划", "全年计划开展各项工作。", "二、工作总结", "全年完成各项工作。", "三、机构设置", "内设六个部门。"]
    for contents in (entries, [f"{e}……{n}" for n, e in enumerate(entries, 1)], [f"{e}\t{n}-{n + 1}" for n, e in
                                                                                      enumerate(entries, 1)]):
        source = docx_of(tmp_path, ["某某县图书馆2020年年报", "目录", *contents, *body])
        imported = import_document(source)
        assert headings(imported.data["narrative"]) == [(1, "工作计划"), (1, "工作总结"), (1, "机构设置")]
        assert imported.report.dropped["目录"] == 4


def test_a_number_glued_to_its_text_and_headings_with_their_text(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆2020年年报", "（一）重点工作。全年推进三项重点工作。", "1）建设新馆。", "2完善总分馆制。",
         "3）推进法人治理。", "（二）行政工作。做好党建工作。"],
    )  # fmt: skip
    rows = import_document(source).data["narrative"]
    assert [(r["level"], r.get("title")) for r in rows] == [
        (1, "重点工作"), ("条目", "建设新馆"), ("条目", "完善总分馆制"), ("条目", "推进法人治理"), (1, "行政工作")]  # fmt: skip


def test_a_list_whose_numbers_lack_their_stop_from_the_first(tmp_path):
    # "1改造…" then "2增设…": the first item too, since its second follows; "13.5学雷锋日" and "24月…" before "3、"
    # are items 1 and 2 run into the dates 3.5 and 4月
    source = docx_of(
        tmp_path,
        ["某县图书馆2021年工作总结", "（一）完善设施", "1改造少儿阅览区", "全年改造阅览区两处。", "2增设自助借还机",
         "新增自助借还机3台。", "（二）阅读活动", "全年开展了以下活动：", "13.5学雷锋日，组织志愿者进社区。",
         "24月读书月期间，举办诵读会。", "3、六一儿童节，举办绘本剧表演。"],
    )  # fmt: skip
    imported = import_document(source)
    assert headings(imported.data["narrative"]) == [
        (1, "完善设施"), (2, "改造少儿阅览区"), (2, "增设自助借还机"), (1, "阅读活动"),
        ("条目", "3.5学雷锋日，组织志愿者进社区"), ("条目", "4月读书月期间，举办诵读会"), ("条目", "六一儿童节，举办绘本剧表演"),
    ]  # fmt: skip
    messages = [g["message"] for g in imported.report.guesses]
    assert "「1改造少儿阅览区」的编号后面没有标点，按第 1 项处理" in messages
    assert "「13.5学雷锋日，组织志愿者进社区。」的编号后面没有标点，按第 1 项处理" in messages


def _table_report(tmp_path, rows: list[list[str]], title: str = "某县图书馆2022年工作总结"):
    document = Document()
    document.add_paragraph(title)
    document.add_paragraph("一、主要业务数据")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    document.add_paragraph("二、工作")
    document.add_paragraph("全年工作顺利。")
    document.save(tmp_path / "表格.docx")
    imported = import_document(tmp_path / "表格.docx")
    return {key: value["previous"] for key, value in imported.data["indicators"].items() if "previous" in value}


def test_a_key_figures_table_in_the_reports_own_words(tmp_path):
    # a real report's table: its years as columns and its rows named as prose names the figures
    rows = [["项目", "单位", "2021年", "2022年", "增减"], ["接待读者", "万人次", "12.1", "15.2", "+25%"],
            ["书刊外借", "册次", "60000", "68,000", ""], ["馆藏总量（册）", "", "180000", "186000", ""],
            ["财政拨款", "万元", "120", "130", ""]]  # fmt: skip
    assert _table_report(tmp_path, rows) == {"visits": 152000, "loans_items": 68000, "holdings_total": 186000}


def test_a_key_figures_table_by_its_report_year_with_units_and_row_numbers(tmp_path):
    # the plan's 2023 column is not 2022's figure; a label the schema names still takes the 单位 column's 万
    rows = [["序号", "指标", "单位", "2021年", "2022年", "2023年"], ["1", "进馆人次", "万人次", "12.1", "15.2", "18"],
            ["2", "外借册次", "册次", "6万", "6.8万", "8万"], ["3", "新办读者证", "个", "1100", "1260个", "1500"]]  # fmt: skip
    title = "某县图书馆2022年工作总结暨2023年工作计划"
    assert _table_report(tmp_path, rows, title) == {"visits": 152000, "loans_items": 68000, "new_cards": 1260}


def test_chapters_and_their_sections(tmp_path):
    source = docx_of(tmp_path, ["某区图书馆2023年工作总结", "第一章 基本情况", "全年接待读者9万人次。", "第二章 主要工作",
                                "第一节 读者服务", "一、免费开放", "外借图书5万册次。", "第二节 阅读推广",
                                "第一节课由馆员讲授。", "第一节，由馆长主讲。", "第二节日期间，举办活动。"])  # fmt: skip
    rows = import_document(source).data["narrative"]
    assert headings(rows) == [(1, "基本情况"), (1, "主要工作"), (2, "读者服务"), (3, "免费开放"), (2, "阅读推广")]


def test_a_body_paragraph_starting_with_a_date_stays_text(tmp_path):
    source = docx_of(tmp_path, ["某县图书馆2021年工作总结", "一、阅读活动", "12月5日，举办读者座谈会。", "二、资源建设",
                                "10余家单位捐赠图书。", "10 余家单位参与共建", "2 楼少儿阅览室完成改造"])  # fmt: skip
    rows = import_document(source).data["narrative"]
    assert headings(rows) == [(1, "阅读活动"), (1, "资源建设")]
    assert [r.get("text") for r in rows] == [
        "12月5日，举办读者座谈会。", "10余家单位捐赠图书。\n10 余家单位参与共建\n2 楼少儿阅览室完成改造"]  # fmt: skip


def test_a_numbering_started_again_under_its_heading_is_one_level_below(tmp_path):
    # the plan of part 一 numbers its own sections 一、二、 after "…如下："; part 二 comes back to the top
    source = docx_of(
        tmp_path,
        ["某县图书馆2019年年报", "一、2019年工作计划", "某县图书馆2019年度工作计划", "全年将做好以下工作：",
         "一、做好免费开放。", "1、延长开放时间。", "2、增加服务窗口。", "二、办好读者活动。", "全年计划举办讲座10场。",
         "二、2019年工作总结", "全年完成各项工作。", "一、服务", "全年接待读者5万人次。", "一、活动", "全年举办活动。"],
    )  # fmt: skip
    imported = import_document(source)
    assert headings(imported.data["narrative"]) == [
        (1, "2019年工作计划"), (2, "做好免费开放"), ("条目", "延长开放时间"), ("条目", "增加服务窗口"),
        (2, "办好读者活动"), (1, "2019年工作总结"), (1, "服务"), (1, "活动"),
    ]  # fmt: skip
    messages = [g["message"] for g in imported.report.guesses]
    assert "「一、做好免费开放。」按二级标题处理（由上下文判断）" in messages
    assert any("「一、服务」的编号不连续" in m for m in messages)  # no "…如下：" before it: a slip, not a new list


def test_levels_come_from_the_numbers_and_their_sequence(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆2020年年报", "前言", "这是前言。", "一、馆内概况", "1.1 馆内简介", "简介正文。", "1.2 馆舍",
         "馆舍正文。", "二、服务", "1、借阅", "借阅正文。", "2、活动", "活动正文。", "一、问题", "问题正文。",
         "结语", "结语正文。"],
    )  # fmt: skip
    imported = import_document(source)
    assert headings(imported.data["narrative"]) == [
        ("无编号", "前言"),
        (1, "馆内概况"),
        (2, "馆内简介"),
        (2, "馆舍"),
        (1, "服务"),
        (3, "借阅"),
        (3, "活动"),
        (1, "问题"),
        ("无编号", "结语"),
    ]
    messages = [g["message"] for g in imported.report.guesses]
    assert "「1.1 馆内简介」按二级标题处理（由上下文判断）" in messages
    assert any("「一、问题」的编号不连续" in m for m in messages)


def test_items_heading_with_text_and_a_report_without_top_level(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆2020年年报", "1. 志愿服务", "全年开展志愿服务。", "（1）为残疾人送书上门。", "（2）文明劝导。",
         "2. 安全", "（1）人防。配备保安 2 名。", "（2）物防。配备有先进的书库防火门。", "以上为安全工作。"],
    )  # fmt: skip
    rows = import_document(source).data["narrative"]
    assert rows == [
        {"level": 1, "title": "志愿服务", "text": "全年开展志愿服务。"},
        {"level": "条目", "title": "为残疾人送书上门"},
        {"level": "条目", "title": "文明劝导"},
        {"level": 1, "title": "安全"},
        {"level": "条目", "title": "人防", "text": "配备保安 2 名。"},
        {"level": "条目", "title": "物防", "text": "配备有先进的书库防火门。\n以上为安全工作。"},  # prints the same
    ]


def test_heading_styles_count_as_evidence(tmp_path):
    source = docx_of(
        tmp_path,
        ["某某县图书馆2020年年报", ("一、服务", "Heading 1"), ("1. 借阅", "Heading 3"), "借阅正文。",
         "1. 为读者送书。", "2. 延长开放时间。", ("二、管理", "Heading 1"), "管理正文。"],
    )  # fmt: skip
    assert headings(import_document(source).data["narrative"]) == [
        (1, "服务"),
        (3, "借阅"),
        ("条目", "为读者送书"),
        ("条目", "延长开放时间"),
        (1, "管理"),
    ]


def test_import_report_in_chinese_and_as_data(tmp_path):
    report = import_document(build("lijiang_2020", "plain", tmp_path / "l.docx")).report
    text = as_text(report)
    assert "一级标题 7 个，二级标题 35 个" in text
    assert "条目 21 个" in text
    assert "第 191 段：「1. 加强思想建设，促进党建工作有序开展…」等 5 段下面没有单独的正文，按条目处理" in text
    assert "外借册次 57588（第 75 段）" in text
    assert stale_note() in text
    data = json.loads(as_json(report))
    assert data["headings"] == {"1": 7, "2": 35, "3": 16, "4": 2}
    assert data["items"] == 21
    assert {"paragraph": 191, "message": report.guesses[4]["message"]} in data["guesses"]
    assert data["note"] == stale_note()
    assert data["dropped"]["目录"] == 39


def test_written_workbook_holds_pictures_and_last_years_figures(tmp_path):
    workbook, report = write_imported(build("qufu_2020", "plain", tmp_path / "q.docx"), tmp_path / "新.xlsx")
    book = read_workbook(workbook)
    assert [row["name"] for row in book.data["pictures"]] == ["图片1", "图片2"]
    assert len([picture for picture in book.pictures.values() if picture.data]) == 2
    assert book.data["indicators"]["new_cards"] == {"previous": 433, "basis": "据上年报告第 5 段"}  # its paragraph
    assert book.data["cover"]["year"] == 2021
    assert report.output == str(workbook)


@pytest.mark.parametrize("name", NAMES)
def test_imported_seed_renders_with_correct_numbering_and_comes_back_the_same(tmp_path, name):
    workbook, _ = write_imported(build(name, "plain", tmp_path / f"{name}.docx"), tmp_path / "新.xlsx")
    report = render_workbook(workbook, RenderOptions(output=tmp_path / "新.docx")).output
    assert report is not None  # the import passes validate (test_import_validates.py has the other variants)
    document = Document(report)
    titles = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert titles == expected_headings(name)
    texts = [p.text for p in document.paragraphs if p.style.name == "Normal"]
    assert FIRST_ITEM[name] in texts
    again = import_document(report).data["narrative"]
    written = read_workbook(workbook).data["narrative"]
    assert [(r["level"], r.get("title"), r.get("text")) for r in again] == [
        (r["level"], r.get("title"), r.get("text")) for r in written
    ]


def expected_headings(name: str) -> list[str]:
    """The seed's headings numbered as official documents number them, counted afresh (slips corrected)."""
    counts, titles = [0, 0, 0, 0], []
    marks = ("{}、", "（{}）", "{}.", "（{}）")
    for entry in structure(name)["entries"]:
        if entry["kind"] != "heading":
            continue
        level = entry["level"]
        counts[level - 1] += 1
        counts[level:] = [0] * (4 - level)
        n = counts[level - 1]
        number = marks[level - 1].format(chinese(n) if level <= 2 else n)
        titles.append(number + entry["title"])
    return titles
