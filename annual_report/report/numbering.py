"""Section numbers of official Chinese documents: 一、 （一） 1. （1）."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Chinese numeral for 1 ≤ n ≤ 9999, as in 十一、 二十、 一百零一."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot number {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    text = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            text += ("零" if zero and text else "") + _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return text


def section_number(level: int, n: int) -> str:
    """The number that starts a heading of this level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


class Numberer:
    """Counts headings; a heading restarts the count of every deeper level."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]

    def next(self, level: int) -> str:
        """The number of the next heading at this level."""
        self.counts[level - 1] += 1
        for deeper in range(level, 4):
            self.counts[deeper] = 0
        return section_number(level, self.counts[level - 1])
