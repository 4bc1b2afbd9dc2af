from annual_report.report.numbering import Numberer, chinese_numeral, section_number


def test_chinese_numerals_past_ten():
    assert [chinese_numeral(n) for n in (1, 10, 11, 17, 20, 21, 99, 100, 101, 110)] == [
        "一",
        "十",
        "十一",
        "十七",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零一",
        "一百一十",
    ]


def test_section_numbers_per_level():
    assert [section_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]


def test_deeper_levels_restart_under_each_parent():
    numberer = Numberer()
    seen = [numberer.next(level) for level in (1, 3, 3, 2, 3, 4, 4, 1, 3, 2)]
    assert seen == ["一、", "1.", "2.", "（一）", "1.", "（1）", "（2）", "二、", "1.", "（一）"]
