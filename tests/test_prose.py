"""The prose figure matcher: which indicator a sentence states, with which number."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from make_samples import fixture, write_test_workbook

from annual_report.cli.main import main
from annual_report.core.schema import load_schema
from annual_report.workbook.model import Workbook
from annual_report.workbook.prose import indicators_in_text, mention_column, plan_heading
from annual_report.workbook.validate import validate_data, validate_workbook

SCHEMA = load_schema()


def stated(text: str) -> list[tuple[str, float, bool]]:
    return [(m.key, m.value, m.approximate) for m in indicators_in_text(text, SCHEMA)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("馆外共建设图书服务点92个", [("service_points", 92, False)]),
        ("建成94个基层社区服务点", [("service_points", 94, False)]),
        ("进馆人次：47000 人", [("visits", 47000, False)]),
        ("外借人次：49800", [("loans_people", 49800, False)]),
        ("外借册次 55818", [("loans_items", 55818, False)]),
        ("全年图书（不含分馆）外借仍达13.10万册次", [("loans_items", 131000, False)]),
        ("新办读者证433个，持证读者总量达到1.36万人。", [("new_cards", 433, False), ("valid_cards", 13600, False)]),
        ("共接待读者 3 万余人次", [("visits", 30000, True)]),
        ("每周开馆时间 60 小时", [("opening_hours", 60, False)]),
    ],
)
def test_states(text, expected):
    assert stated(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "持证读者比上年增加500人",  # a change, not the figure
        "其中外借处接待读者12.1万人次",  # a part
        "15 期线上展览",  # a subset
        "举办第 36 讲讲座",  # an ordinal
        "新办读者证工作于2020年启动",  # a year
    ],
)
def test_states_nothing(text):
    assert stated(text) == []


def test_the_unit_tells_books_from_people():
    assert stated("外借人次 5000 人次，外借 8000 册次") == [("loans_people", 5000, False), ("loans_items", 8000, False)]


def test_a_year_inside_an_earlier_clause_names_no_column():
    # a year that qualifies an object ("2024年报刊征订") is no time for what follows; one that opens its clause is
    text = "完成2024年报刊征订工作，新增图书3000册。我馆2022年接待读者5万人次，外借图书3万册。"
    columns = [mention_column(text, m, 2023) for m in indicators_in_text(text, SCHEMA)]
    assert columns == ["current", "previous", "previous"]


def test_a_summary_and_plan_heading_opens_the_summary():
    assert not plan_heading("2022年工作总结及2023年工作计划", 2022)
    assert plan_heading("2023年工作计划", 2022) and plan_heading("下一步打算", 2022)


def test_the_year_named_before_decides_the_column():
    text = "2020 年度接待读者 3 万人次；同比降幅较大（2019 年度接待读者 8.04 万人次）。2018 年接待读者 9 万人次。"
    columns = [mention_column(text, m, 2020) for m in indicators_in_text(text, SCHEMA)]
    assert columns == ["current", "previous", None]


# Sentences of real reports (the shared seeds and the statistics note) with the figures they state:
# the check must stay silent on every one.
AGREEING = [
    ("馆外共建设有92个图书服务点", {"service_points": {"current": 92}}),
    ("全馆共举办活动423场次，其中总馆108场次", {"activities": {"current": 108}}),  # the network's, its column empty
    ("全馆共举办活动423场次，其中总馆108场次", {"activities": {"current": 108, "network": 423}}),
    ("2019年全馆共举办活动400场次，其中总馆100场次", {"activities": {"previous": 100, "network": 423}}),  # no 上年 全馆
    ("全市建成94个基层社区服务点", {"service_points": {"current": 94}}),
    ("年订购报刊800余种", {"periodicals": {"current": 830}}),
    ("馆内可供阅读电子书16.5万册", {"ebooks": {"current": 165234}}),
    ("进馆人次：47000 人，外借人次：49800，外借册次 55818", {
        "visits": {"current": 47000}, "loans_people": {"current": 49800}, "loans_items": {"current": 55818}}),
    ("每周开馆时间61.5小时", {"opening_hours": {"current": 61.5}}),
    ("馆舍面积5860平方米", {"floor_area": {"current": 5860}}),
    ("图书馆365天开馆", {"opening_days": {"current": 365}}),
    ("全年图书（不含分馆）外借仍达13.10万册次（不含电子图书借阅等）。接待来馆市民14.3万人次，其中外借处接待读者12.1万人次，"
     "阅览室接待读者2.2万人次。新办读者证433个，持证读者总量达到1.36万人。", {
        "loans_items": {"current": 131000}, "visits": {"current": 143000}, "loans_people": {"current": 121000},
        "reading_room": {"current": 22000}, "new_cards": {"current": 433}, "valid_cards": {"current": 13600}}),
    ("上述活动累计78次，服务人次2.7万。", {"activities": {"current": 78}}),
    ("2020 年度新增读者证 654 张，有效持证读者 8952 人；图书流通 57588 册次（其中青少年读物及少儿类图书借阅 39219 册次），"
     "共接待读者 3 万余人次；同比上年度服务数据降幅较大（受新冠疫情影响非常严重，2019 年度接待读者 8.04 万余人次，"
     "图书流通 93008 册）。", {
        "new_cards": {"current": 654}, "valid_cards": {"current": 8952},
        "loans_items": {"current": 57588, "previous": 93008}, "visits": {"current": 30000, "previous": 80400}}),
    ("丽江市图书馆全年 365 天免费开放，每周开馆时间 60 小时", {
        "opening_days": {"current": 365}, "opening_hours": {"current": 60}}),
    ("2020 年度新增 2 个公共阅读点。目前共有 14 个流动图书室，32 个公共阅读点", {"service_points": {"current": 32}}),
    ("15 期线上展览，5 期线下展览。", {"exhibitions": {"current": 21}}),
    ("2020 年度举办线下活动 13 场次，线上活动 10 次", {"activities": {"current": 23}}),
    ("2020 年度举办线上线下展览 21 次。", {"exhibitions": {"current": 21}}),
    ("举办 2 讲“天雨流芳”文化讲坛讲座。9 月 24 日上午 9:00-12:00，举办第 36 讲", {"lectures": {"current": 9}}),
    ("两次讲座现场听众约 250 人，区县图书馆参与了视频直播", {"lecture_participants": {"current": 800}}),
    ("2020 年度，累计发布各类推广信息或文章达 600 余次，馆员周三绘本推荐 14 期", {"activities": {"current": 23}}),
    ("2020 年度新购图书总量 10008 册，目前馆藏图书总量 28.4 万余册", {"holdings_print": {"current": 284000}}),
    ("馆内自购数字资源仅 11 万余册电子书，难以满足读者数字阅读需要", {"ebooks": {"current": 450000}}),
    ("2020 年度我馆微信公众号共推出涵盖 837 册电子书及期刊资源的推文", {"ebooks": {"current": 450000}}),
    ("截至 2020 年 12 月 31 日，累计关注人数达 10628 人，与 2019 年第四季度关注人数数据相比，新增关注人数 971 人",
     {"wechat_followers": {"current": 10628}}),
    ("全年共召开支委会15次，党小组共开展集中学习10次，召开党员大会4次", {"activities": {"current": 78}}),
    ("来自全省市、县级公共图书馆馆长和业务骨干共170余人参加活动", {"activity_participants": {"current": 27000}}),
    ("做好 2020 年度征订的 206 种期刊，30 种报纸记到上架等管理工作", {"periodicals": {"current": 236}}),
    ("持证读者比上年增加500人，达到 8952 人", {"valid_cards": {"current": 8952}}),
]  # fmt: skip

# Invented contradictions: (text, figures, the column whose cell the warning names, the number the text states)
CONTRADICTING = [
    ("馆外共建设图书服务点92个", {"service_points": {"current": 94}}, "current", "92"),
    ("新办读者证 500 个，有效持证读者 8952 人", {"new_cards": {"current": 433}}, "current", "500"),
    ("年订购报刊800余种", {"periodicals": {"current": 600}}, "current", "800"),
    ("全年开馆 300 天", {"opening_days": {"current": 365}}, "current", "300"),
    ("举办公益讲座 12 场，听众 1500 人次", {"lectures": {"current": 20}}, "current", "12"),
    ("电子书16.5万册", {"ebooks": {"current": 120000}}, "current", "16.5"),
    ("到馆人次 14.3万", {"visits": {"current": 152000}}, "current", "14.3"),
    ("2019 年度接待读者 8.04 万人次", {"visits": {"current": 30000, "previous": 60000}}, "previous", "8.04"),
    ("阅览室坐席 300 个", {"seats": {"current": 800}}, "current", "300"),
    ("举办展览 15 次，参观展览 3200 人次", {"exhibition_visitors": {"current": 5000}}, "current", "3200"),
    ("开办读者培训班 6 期", {"trainings": {"current": 9}}, "current", "6"),
    ("全馆接待读者30万人次，其中总馆接待读者12万人次", {"visits": {"current": 120000, "network": 350000}}, "network", "30"),
    ("全馆接待读者30万人次，其中总馆接待读者12万人次", {"visits": {"current": 100000, "network": 300000}}, "current", "12"),
]  # fmt: skip


@pytest.fixture(scope="module")
def one_paragraph(tmp_path_factory):
    """丽江's workbook with a narrative of one heading and one paragraph (正文!C3), read once."""
    data = fixture("lijiang_2020") | {"pictures": []}
    data["narrative"] = [{"level": 1, "title": "概况"}, {"level": "正文", "text": "待替换"}]
    book, _ = validate_workbook(write_test_workbook(tmp_path_factory.mktemp("prose") / "一段.xlsx", data))
    return book


def _validated(figures: dict, text: str, one_paragraph, year: int = 2020):
    """The problems of that workbook read with these key figures, this paragraph and this report year."""
    data = copy.deepcopy(one_paragraph.data)
    data["indicators"] = figures
    data["narrative"][1]["text"] = text
    data["cover"]["year"] = year
    return validate_data(Workbook.of(data, one_paragraph.cells, one_paragraph.path), load_schema())


@pytest.mark.parametrize(("text", "figures"), AGREEING)
def test_real_sentences_that_agree_raise_nothing(text, figures, one_paragraph):
    _, result = _validated(figures, text, one_paragraph)
    assert [p.message for p in result.problems if p.code == "text-contradicts-figure"] == []


@pytest.mark.parametrize(("text", "figures", "column", "written"), CONTRADICTING)
def test_invented_contradictions_are_reported_with_both_cells(text, figures, column, written, one_paragraph):
    book, result = _validated(figures, text, one_paragraph)
    found = [p for p in result.problems if p.code == "text-contradicts-figure"]
    assert len(found) == 1
    (key,) = [k for k, pair in figures.items() if column in pair]
    assert (found[0].sheet, found[0].cell) == ("正文", "C3")
    assert str(book.where("indicators", key, column)) in found[0].message
    assert written in found[0].message and f"{figures[key][column]:g}" in found[0].message


def test_history_years_are_no_stale_years_even_with_strict(make_workbook):
    text = (
        "本馆成立于1979年7月，始建于1958年，自2015年以来坚持开展读书月，根据《公共图书馆服务规范（2011年）》开展服务。"
    )
    data = fixture("lijiang_2020") | {"indicators": {}, "pictures": []}
    data["cover"] = data["cover"] | {"year": 2022}
    data["narrative"] = [{"level": 1, "title": "概况"}, {"level": "正文", "text": text}]
    book, result = validate_workbook(make_workbook(data))
    assert [p for p in result.problems if p.field.startswith("narrative")] == []
    outcome = CliRunner().invoke(main, ["validate", str(book.path), "--strict", "--format", "json"])
    assert "stale-year" not in outcome.stdout


def test_a_leftover_year_is_still_a_stale_year(one_paragraph):
    _, result = _validated({}, "截至 2018 年 12 月，本馆编制28人。", one_paragraph)
    assert [p.code for p in result.problems if p.field.startswith("narrative")] == ["stale-year"]


def test_a_large_figure_is_shown_in_plain_digits(one_paragraph):
    _, result = _validated({"holdings_total": {"current": 1234567}}, "馆藏总量达到 150 万册。", one_paragraph)
    [found] = [p for p in result.problems if p.code == "text-contradicts-figure"]
    assert "填的是 1234567" in found.message and "e+" not in found.message


# Each kind of number that is not the figure (issue 22), in invented sentences: what is read, and what is not.
CLASSES = [
    ("part after 其中", "全年接待读者10万人次，其中少儿读者3万人次", [("visits", 100000)]),
    ("parts that are figures", "新增藏量1.2万册，其中采购8000册、捐赠2000册",
     [("acquisitions", 12000), ("acq_purchase", 8000), ("acq_donation", 2000)]),
    ("another figure after 其中", "举办各类活动200场，其中讲座50场", [("activities", 200), ("lectures", 50)]),
    ("the library's own after a network figure", "全馆（含分馆）接待读者30万人次，其中总馆接待读者12万人次",
     [("visits", 300000), ("visits", 120000)]),
    ("a part name alone", "向学校捐赠了300册图书", []),
    ("one room", "少儿阅览室座席120个，书库面积800平方米", []),
    ("one branch", "城南分馆外借图书5000册次", []),
    ("a difference", "持证读者比上年增加500人，新增 3 个服务点", []),
    ("a rate", "读者人均外借3册次", []),
    ("a plan and a capacity", "计划举办讲座10场，每年可接待读者30万人次", []),
    ("a part of the year", "上半年接待读者5万人次。6月新办读者证200个。", []),
    ("a figure to a date", "截至11月，接待读者5万人次", [("visits", 50000)]),
    ("one kind of activities", "举办“读书月”等活动20场", []),
    ("all activities", "全年举办各类读者活动120场", [("activities", 120)]),
    ("one count for two indicators", "举办讲座、培训30场", []),
    ("counts of one event", "举办图书漂流活动8场，借阅图书300册次", []),
    ("the people of events", "举办讲座20场，参与读者3000人次", [("lectures", 20), ("lecture_participants", 3000)]),
    ("staff's events", "组织职工开展读书活动5次", []),
    ("a Chinese numeral", "全年接待读者叁万余人次", [("visits", 30000)]),
    ("万 without a unit", "书刊外借册次达12.5万", [("loans_items", 125000)]),
    ("册 for 册次", "全年外借图书8000册", [("loans_items", 8000)]),
    ("titles, then volumes", "征集地方文献30种120册", [("acq_local", 120)]),
    ("loans and returns", "借还图书12万册次", []),
    ("a room named by the figure", "期刊外借室借出2890余册", []),
    ("two verbs before the noun", "全年接待、服务市民约14万余人次", [("visits", 140000)]),
    ("online views", "数字资源浏览量12万人次", []),
    ("a stock renewed", "今年更新电子图书2万余册，补充馆藏图书3000册", []),
    ("a stock built before", "目前累计新建分馆12个", [("branches", 12)]),
    ("a plan verb over its list", "下一年拟举办读书会12场、开展阅读推广活动30次以上", []),
    ("模拟 is no plan verb", "开展模拟招聘讲座6场", [("lectures", 6)]),
    ("周开馆 for the weekly hours", "坚持周开馆63小时", [("opening_hours", 63)]),
    ("a full stop typed as '.'", "共设服务窗口5个、其中馆外2个.共设阅览座席80个", [("seats", 80)]),
    ("exhibitions by their kind", "全年举办书画展8期", [("exhibitions", 8)]),
    ("cards counted in 本", "新办借书证1200本", [("new_cards", 1200)]),
    ("people before the verb", "共有8000人次参与各类活动", [("activity_participants", 8000)]),
    ("people of one event before the verb", "1200人参加了本次活动", []),
    ("people of some activities before the verb", "举办“阅读之星”等活动20场，500人参与活动", []),
    ("right after a named activity", "开展“你选书我买单”活动，采购图书142册", []),
    ("after a named activity, the year's", "开展“书香满城”全民阅读活动，全年接待读者10万人次", [("visits", 100000)]),
    ("one verb, two indicators by unit", "全年外借12000册次，外借3500人次", [("loans_items", 12000), ("loans_people", 3500)]),
    ("其中 across a semicolon", "读者流通总量为9000余人次；其中，外借2100人次，外借书刊5200册次",
     [("visits", 9000), ("loans_people", 2100), ("loans_items", 5200)]),
    ("a part of a total no figure names", "共有藏书室3间，其中少儿读者接待2000人次", []),
    ("a breakdown after 包括", "建成服务阵地60个，包括21个分馆、30个服务点", [("branches", 21), ("service_points", 30)]),
    ("a room as the subject", "少儿阅览室全年共接待读者3000人次", []),
    ("a change's result", "馆藏文献总量增长至45万册，较上年增加2万册", [("holdings_total", 450000)]),
    ("from one number to another", "馆藏图书由38万册增长至42万册，接待读者从10万人次下降到9万人次",
     [("holdings_print", 420000), ("visits", 90000)]),
    ("from last year's number", "接待读者由2019年的10万人次增长到12万人次，分馆从原来的3个增加到5个",
     [("visits", 120000), ("branches", 5)]),
    ("a start without its result, and a range", "馆藏图书由38万册增长了4万册，讲座参加人数从20人到50人不等", []),
    ("trainees", "举办培训班12期，培训学员600人；举办讲座20场，服务人员30人",
     [("trainings", 12), ("training_participants", 600), ("lectures", 20)]),
    ("kinds counted one by one", "征订期刊212种、报纸42种", [("periodicals", 254)]),
    ("kinds under their total", "订阅报刊254种，其中期刊212种、报纸42种", [("periodicals", 254)]),
    ("kinds planned", "计划征订期刊200种、报纸40种", []),
    ("kinds added", "新增订阅期刊20种、报纸5种；订阅期刊增加20种、报纸增加5种", []),
    ("kinds held or given, not subscribed", "馆藏期刊3000种、报纸200种，捐赠期刊200种、报纸30种", []),
    ("storage, not resources", "数字资源存储容量100T", []),
    ("loans by 借阅量, not of digital resources", "借阅量达8.6万册次，数字资源借阅量2万册次", [("loans_items", 86000)]),
    ("registered readers in all", "共有注册读者3.5万人", [("valid_cards", 35000)]),
    ("数字资源 in T", "自建数字资源4T", [("digital_resources", 4)]),
    ("a department", "少儿部座位120个，全部座位500个", [("seats", 500)]),
    ("the library itself (本部)", "馆本部座席300个", [("seats", 300)]),
    ("等多种 is all", "开展讲座、展览等多种类型读者活动66次", [("activities", 66)]),
    ("和 before a number", "县图书馆总馆和12个乡镇分馆", [("branches", 12)]),
    ("a quantifier inside a name", "借阅各类图书4.1万册次", [("loans_items", 41000)]),
    ("的 inside a name", "到馆的读者达2.2万人次", [("visits", 22000)]),
    ("cards called 卡", "办理借阅卡860张", [("new_cards", 860)]),
    ("a named series with 共", "开展“书香润童心”系列活动共12场", []),
    ("two kinds after 各类", "全年举办各类讲座、培训300场", []),
    ("cards held now", "读者卡现有8500张", []),
    ("featured ones", "建成主题特色分馆4个", []),
    ("new holdings named by the stock", "新增馆藏图书6000余册", [("acquisitions", 6000)]),
    ("one kind of books bought", "购买盲文图书40册", []),
    ("registered readers now", "现有注册读者2.6万人", [("valid_cards", 26000)]),
    ("registered this year", "全年注册读者1200人", []),
    ("readers online", "全年接待上网读者4100人", []),
    ("a unit in Latin letters", "电子图书120G", []),
    ("all events, lectures among them", "全年开展各类讲座与活动共计38次", [("activities", 38)]),
    ("books added by purchase", "增购新书9000册", [("acq_purchase", 9000)]),
    ("a name inside the unit's name", "外借6100人次，外借阅书12000册", [("loans_people", 6100), ("loans_items", 12000)]),
    ("a list of kinds with 共 is all", "共举办讲座、培训、展览等读者活动150余场", [("activities", 150)]),
    ("the event named again with its people", "举办讲座16场次，参加讲座的读者1300人次",
     [("lectures", 16), ("lecture_participants", 1300)]),
    ("online and offline together are all", "开展阅读推广活动186场次，线上线下参与人数达12万人次；举办讲座20场，线上和线下听众3000人次",
     [("activities", 186), ("activity_participants", 120000), ("lectures", 20), ("lecture_participants", 3000)]),
    ("online and offline before the name", "全年线上线下参与活动人数达12万人次", [("activity_participants", 120000)]),
    ("the branches' online and offline", "各分馆线上线下参与活动人数达1万人次，城东分馆线上线下参与活动人数达3000人次", []),
    ("online alone is a part", "举办讲座20场，线上听众3000人次", [("lectures", 20)]),
    ("events listed before 等 are some", "举办国学、历史、健康等讲座3场；开展普法主题讲座共5场", []),
    ("线上线下 people after online events", "开展阅读推广活动186场次，其中线上活动80场，线上线下参与人数达12万人次",
     [("activities", 186), ("online_activities", 80)]),
    ("stocks set up in all", "全县共设立图书流通点30个", [("circulation_points", 30)]),
    ("a series without a name, with 共", "以“书香”“悦读”等为主题，举办了系列阅读推广活动共57场次", [("activities", 57)]),
    ("a programme called 讲堂", "承办道德讲堂活动30场，举办市民大讲堂12期", []),
    ("points newly built, listed after the verb", "共新建外借点、流动图书室7个，集体外借点保持在15个以上",
     [("circulation_points", 15)]),
    ("a word of change not opening the list", "通过新建、改扩建等方式建成流通点30个；新增服务点3个、流通点5个",
     [("circulation_points", 30)]),
    ("a span since an event", "新馆建成后，截止2.23号累计接待读者37087余人；新馆开馆后，全年接待读者12万人次",
     [("visits", 120000)]),
    ("after an event, the year's", "新馆开放后读者大幅增加，接待读者30万人次；开馆以来外借图书12万册",
     [("visits", 300000)]),
    ("a stock since an event", "新馆建成以来，馆藏图书达30万册", [("holdings_print", 300000)]),
    ("e-books bought", "购置了防盗仪、电子读报机、电子图书10000余种；购置电子图书5000册", []),
    ("an example after the name", "开展了丰富多彩的线上活动：如举办“连图讲坛”15场次；举办讲座，如“国学讲堂”12场", []),
    ("如期 is no example", "读者活动如期举办120场", [("activities", 120)]),
    ("the former building's", "原馆址位于东路，馆舍面积900余平方米；现馆舍面积3000平方米；旧馆舍面积800平方米",
     [("floor_area", 3000)]),
    ("the new building after the old", "图书馆由原馆址整体搬迁至新馆，新馆建筑面积20000平方米；新馆在原址重建，建筑面积12000平方米",
     [("floor_area", 20000), ("floor_area", 12000)]),
    ("seats a room can hold", "可容纳读者阅览座席300个，每年可接待读者30万人次", [("seats", 300)]),
    ("a whole counting downloads, its printed part", "年文献外借量122633册次，其中纸质期刊杂志、图书59486册次，"
     "电子文献下载63147册次", [("loans_items", 59486)]),
    ("a whole with its printed part", "全年外借图书5万册次，其中纸质图书2万册次", [("loans_items", 50000)]),
    ("a whole counting downloads, no printed part", "外借图书5万册次，其中少儿图书1万册次，数字资源下载3万册次", []),
    ("a printed part in another unit", "年文献外借量12万册次，其中纸质图书借阅3万人次，电子文献下载6万册次", []),
    ("a planned whole's printed part", "计划外借图书5万册次，其中纸质图书2万册次", []),
    ("an example in brackets", "全年举办讲座（如“国学讲堂”）共30场", [("lectures", 30)]),
    ("a heading's number before a total", "二、读者活动，共计120场次；3、讲座，共50场", [("activities", 120), ("lectures", 50)]),
    ("a room's capacity", "少儿阅览室可容纳座席80个", []),
    ("a change over a list joined by 和", "全年新增分馆、服务点和流通点共10个", []),
    ("since an event, 以后", "新馆开放以后累计接待读者12万人次", []),
    ("the total after a comma", "订阅杂志、报纸，共计286种，647份", [("periodicals", 286)]),
    ("semicolons, the last without a number", "新增图书300册；订阅报刊20种；工作有序开展",
     [("acquisitions", 300), ("periodicals", 20)]),
    ("a list's total after a comma", "开展读书会、讲座，共计50场；建有图书室、流通点，共45个", []),
    ("a list of one figure's kinds, totalled", "现有流动图书室、流动书屋，共计20个", [("circulation_points", 20)]),
    ("another service in the same number", "内阅及外借人次累计约15万人次，外借人次3.2万", [("loans_people", 32000)]),
]  # fmt: skip


# The network's figure, told by the library's own share after it: (text, [(key, value, the network's)])
NETWORK = [
    ("全馆共举办活动423场次，其中总馆108场次", [("activities", 423, True), ("activities", 108, False)]),
    ("全年举办各类活动423场次，其中总馆共举办108场次", [("activities", 423, True), ("activities", 108, False)]),
    ("全年举办各类活动423场次，其中，总馆108场次", [("activities", 423, True), ("activities", 108, False)]),
    ("全年接待读者30万人次；其中总馆12万人次", [("visits", 300000, True), ("visits", 120000, False)]),
    ("全年接待读者30万人次，外借图书20万册；其中总馆接待读者12万人次，外借图书8万册",
     [("visits", 300000, True), ("loans_items", 200000, True), ("visits", 120000, False), ("loans_items", 80000, False)]),
    ("全年举办各类活动423场次，其中总馆少儿活动108场次", [("activities", 423, False)]),
    ("全年举办各类活动423场次，其中总馆开展讲座108场次", [("activities", 423, False), ("lectures", 108, False)]),
    ("全年接待读者30万人次，其中总馆外借图书12万册", [("visits", 300000, False), ("loans_items", 120000, False)]),
    ("全年接待读者30万人次，其中总馆在全年各项工作中12万人次", [("visits", 300000, False)]),
    ("全年接待读者30万人次，其中总馆：12万人次", [("visits", 300000, True), ("visits", 120000, False)]),
    ("全年举办各类活动423场次，其中总馆共1200人次", [("activities", 423, False)]),
    ("全年举办各类活动423场次，其中总馆系列讲座5期", [("activities", 423, False)]),
    ("全年接待读者30万人次，其中总馆居多，约12万人次", [("visits", 300000, False)]),
    ("全年接待读者30万人次，其中总馆同比增长2万人次", [("visits", 300000, False)]),
    ("全年接待读者30万人次，其中总馆以外18万人次", [("visits", 300000, False)]),
    ("全年接待读者30万人次，其中总馆暑期接待5万人次", [("visits", 300000, False)]),
    ("全年接待读者30万人次，其中总馆预计12万人次", [("visits", 300000, False)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NETWORK)
def test_the_network_figure_is_told_by_the_library_share_after_it(text, expected):
    assert [(m.key, m.value, m.network) for m in indicators_in_text(text, SCHEMA)] == expected


@pytest.mark.parametrize(("kind", "text", "expected"), CLASSES, ids=[kind for kind, _, _ in CLASSES])
def test_what_is_read_and_what_is_never_taken(kind, text, expected):
    assert [(key, value) for key, value, _ in stated(text)] == expected


def test_a_message_quotes_the_whole_clause_of_the_number(one_paragraph):
    text = "本馆重视阅读推广，全年开展阅读推广活动20余次，深受读者欢迎。"
    _, result = _validated({"activities": {"current": 100}}, text, one_paragraph)
    [found] = [p for p in result.problems if p.code == "text-contradicts-figure"]
    assert "正文写“全年开展阅读推广活动20余次”" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "本馆1985年在原文化馆图书室的基础上成立，2011年迁入新馆。",
        "荣获2016年度全省公共图书馆先进集体称号。",
        "原馆舍建于1992年，1998年更名为市图书馆。",
        "根据《2015年公共图书馆服务规范》开展服务。",
        "2015年至2019年，连续五年开展读书月活动。",
        "2019年10月1日，图书馆改扩建后对外开放。",
        "2019年十月一日，图书馆改扩建后对外开放。",
        "2019年10月底，新馆建成开放。",
        "2019年初，新馆落成。",
    ],
)
def test_history_statements_are_no_stale_years(text, one_paragraph):
    _, result = _validated({}, text, one_paragraph, year=2022)
    assert [p.code for p in result.problems if p.code == "stale-year"] == []


def test_a_date_of_this_work_in_an_old_year_is_a_stale_year(one_paragraph):
    _, result = _validated({}, "2019年10月1日，图书馆举办读书分享会。", one_paragraph, year=2022)
    assert [p.code for p in result.problems if p.code == "stale-year"] == ["stale-year"]


def test_readme_says_how_figures_are_found_from_the_schema_wordings():
    from make_samples import README, readme_with_wording

    text = README.read_text(encoding="utf-8")
    assert readme_with_wording(text) == text, "run: python tests/make_samples.py"
    assert "| 进馆人次 | 进馆人次，到馆人次" in text and "接待……读者" in text
