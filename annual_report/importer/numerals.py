"""Numbers as reports type them: Chinese numerals, circled digits, and numbers in Word's list formats."""

from __future__ import annotations

from annual_report.report.numbering import chinese_numeral

DIGITS = "零一二三四五六七八九"
CHINESE_NUMERAL_CHARS = "零〇一二三四五六七八九十百千两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"


def parse_chinese(text: str) -> int | None:
    """The value of a Chinese numeral (一, 十一, 二十三, 一百零一), or None."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            current = 2 if ch == "两" else DIGITS.index("零" if ch == "〇" else ch)
    return total + current


def chinese(n: int) -> str:
    """Chinese numeral as official documents write it (十一, 二十, 一百零一); other numbers in digits."""
    return chinese_numeral(n) if 0 < n < 10000 else str(n)


def formatted(n: int, number_format: str) -> str:
    """n written in one of Word's list number formats (w:numFmt)."""
    if number_format in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"):
        return chinese(n) if 0 < n < 10000 else str(n)
    if number_format == "ideographTraditional":
        return _TRADITIONAL[(n - 1) % 10]
    if number_format in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format == "decimalEnclosedParen":
        return f"({n})"
    if number_format in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    text = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            text, n = text + letters, n - value
    return text
