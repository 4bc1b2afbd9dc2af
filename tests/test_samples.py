"""The samples in inputs/ are the fixtures' data, and render into the seeds' structure."""

import pytest
from conftest import INPUTS, headings, table_after
from make_samples import SAMPLES, fixture

from annual_report.core.schema import load_schema
from annual_report.workbook.read import read_workbook
from annual_report.workbook.validate import validate_workbook


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_workbook_holds_exactly_the_fixture(name):
    assert read_workbook(INPUTS / SAMPLES[name]).data == _without_empty_parts(fixture(name))


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_have_no_errors(name):
    _, result = validate_workbook(INPUTS / SAMPLES[name])
    assert result.errors == []


def _without_empty_parts(data: dict) -> dict:
    """The data with every part the schema knows, empty when the fixture leaves it out (as reading gives it)."""
    return {part.key: ([] if part.layout == "table" else {}) for part in load_schema().parts} | data


def test_lijiang_level_one_and_plan_headings(rendered):
    found = headings(rendered["lijiang_2020"])
    level_one = [text for level, text in found if level == 1]
    assert [t.split("、")[0] for t in level_one] == ["一", "二", "三", "四", "五", "六", "七"]
    assert level_one[0] == "一、年度业务工作情况"
    assert level_one[6] == "七、2021 年度工作计划"
    start = found.index((1, level_one[6]))
    plan = [text for level, text in found[start + 1 :] if level == 2]
    expected = [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
    ]
    assert [t[1 : t.index("）")] for t in plan] == expected
    assert plan[-1] == "（十七）完成上级部门临时安排部署的其他各项工作"


def test_lijiang_level_two_and_deeper_numbers_restart(rendered):
    found = headings(rendered["lijiang_2020"])
    assert (2, "（一）免费开放工作") in found
    assert (3, "1.阵地服务工作") in found
    assert (2, "（一）开展践行社会主义核心价值观主题活动") in found  # restarts under 三、
    paragraphs = [p.text for p in rendered["lijiang_2020"].paragraphs if p.style.name == "Normal"]
    assert "（5）持续开展现有品牌读者活动，加强市图书馆的品牌活动建设。" in paragraphs  # 条目 under 3.
    assert "5.完成馆内各项常规工作；完成上级部门交办的其它各项工作任务。" in paragraphs  # 条目 under （八）
    assert all("持续开展现有品牌" not in text for _, text in found)


def test_qufu_awards_are_items_not_headings(rendered):
    paragraphs = [(p.style.name, p.text) for p in rendered["qufu_2020"].paragraphs]
    at = paragraphs.index(("Heading 1", "六、获奖统计"))
    assert paragraphs[at + 1 : at + 3] == [("Normal", "1.“青年志愿服务先进集体”。"), ("Normal", "2.“群众满意度先进单位”。")]


def test_every_seed_heading_of_levels_one_and_two_appears(rendered):
    seed = INPUTS.parent.parent / "shared" / "seeds" / "004_fbd04a4f318f8150.txt"
    if not seed.exists():
        pytest.skip("shared/ is not beside the checkout")
    contents = seed.read_text(encoding="utf-8").split("目 录")[1].split("丽江市图书馆 2020 年年报")[0]
    lines = [line.split("\t") for line in contents.splitlines() if line.count("\t") == 2]
    wanted = [title.rstrip("。").replace(", ", "，") for number, title, _ in lines if not number[0].isdigit()]
    assert len(wanted) == 25
    texts = [text for level, text in headings(rendered["lijiang_2020"]) if level <= 2]
    for title in wanted:
        assert any(text.endswith(title) for text in texts), title


def test_qufu_headings_keep_level_three_directly_under_level_one(rendered):
    found = headings(rendered["qufu_2020"])
    assert found[:2] == [(1, "一、年度概况"), (3, "1.文献借阅服务保持稳定")]
    assert (3, "8.完成了“民意5来听” 及包村扶贫工作") in found
    assert [t for level, t in found if level == 1] == [
        "一、年度概况",
        "二、组织结构",
        "三、党组织架构",
        "四、人员结构",
        "五、服务保障",
        "六、获奖统计",
    ]
    assert (3, "1.职称结构（共14人）") in found  # restarted under 四、


def test_qufu_party_branch_table(rendered):
    rows = table_after(rendered["qufu_2020"], "党组织架构")
    assert rows[0] == ["职务", "姓名"]  # 备注 is empty in every row: left out
    assert [r[:2] for r in rows[1:]] == [
        ["书记", "孔德安"],
        ["组织委员", "王建伟"],
        ["宣传委员", "季旭"],
        ["纪检委员", "马亮"],
    ]


def test_qufu_staff_tables_with_totals(rendered):
    by_title = table_after(rendered["qufu_2020"], "人员职称结构")
    assert by_title[1:] == [["高级职称", "2"], ["中级职称", "8"], ["初级职称", "3"], ["管理人员", "1"], ["合计", "14"]]
    by_education = table_after(rendered["qufu_2020"], "人员学历结构")
    assert dict(by_education[1:]) == {"研究生": "0", "本科": "13", "大专": "1", "合计": "14"}


def test_lijiang_cover(rendered):
    cover = [p.text for p in rendered["lijiang_2020"].paragraphs if p.style.name.startswith("Cover")]
    assert "丽江市图书馆" in cover
    assert "LIJIANG CITY LIBRARY" in cover
    assert "电子邮箱：LJSTSG@163.COM" in cover
    assert "联系电话：0888-5170611" in cover
    assert "2020年12月31日" in cover


def test_lijiang_key_figures_with_change(rendered):
    rows = table_after(rendered["lijiang_2020"], "主要业务数据")
    assert rows[0] == ["指标", "单位", "本年", "上年", "同比"]
    assert ["进馆人次", "人次", "30000", "80400", "-62.7%"] in rows
    assert ["新办读者证", "个", "654", "—", "—"] in rows


def test_lijiang_projects_with_total(rendered):
    rows = table_after(rendered["lijiang_2020"], "经费项目")
    assert rows[-1][:2] == ["合计", "152.00"]
    assert ["图书自助借还项目", "90.00", "结转下年"] in rows  # 备注 is empty in every row: left out


def test_contents_lists_level_one_and_two(rendered):
    document = rendered["lijiang_2020"]
    entries = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    levels = [text for level, text in headings(document) if level <= 2]
    assert entries == levels
