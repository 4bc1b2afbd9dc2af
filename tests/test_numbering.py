import pytest

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


def test_chinese_numerals_in_the_thousands():
    numbers = (1000, 1001, 1010, 1100, 2021, 9999)
    assert [chinese_numeral(n) for n in numbers] == [
        "一千",
        "一千零一",
        "一千零一十",
        "一千一百",
        "二千零二十一",
        "九千九百九十九",
    ]


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_numbers_out_of_range_are_refused(n):
    with pytest.raises(ValueError, match=f"cannot number {n}"):
        chinese_numeral(n)


@pytest.mark.parametrize(("level", "first"), [(1, "一、"), (2, "（一）"), (3, "1."), (4, "（1）")])
def test_the_first_heading_of_any_level_is_number_one(level, first):
    assert Numberer().next(level) == first


def test_a_chinese_numeral_reads_back_as_it_was_written():
    from annual_report.core.numerals import parse_chinese, parse_digits

    assert all(parse_chinese(chinese_numeral(n)) == n for n in range(1, 10000))
    assert [parse_chinese(text) for text in ("叁万", "一万二千", "两百", "五六", "十万")] == [30000, 12000, 200, None, 100000]
    assert parse_digits("二〇二二") == 2022 and parse_digits("二〇二x") is None
