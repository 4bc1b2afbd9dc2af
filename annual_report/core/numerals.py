"""Numbers as Chinese documents write them: Chinese numerals both ways, digit-by-digit years, Word's list formats.

One home for the numeral reading of headings (importer), of counts in prose (叁万, 一万二千) and of years
(二〇二二年), and for the writing of section numbers (十一、).
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
DIGIT_VALUES = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
DIGIT_VALUES |= {"九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
UNIT_VALUES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
NUMERAL_CHARACTERS = "".join(DIGIT_VALUES) + "".join(UNIT_VALUES) + "万萬"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_numeral(n: int) -> str:
    """Chinese numeral for 1 ≤ n ≤ 9999, as official documents write it: 十一、 二十、 一百零一."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot number {n}")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    text = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            text += ("零" if zero and text else "") + DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return text


def chinese(n: int) -> str:
    """n as a Chinese numeral where one can write it (1 to 9999), else in digits."""
    return chinese_numeral(n) if 0 < n < 10000 else str(n)


def parse_chinese(text: str) -> int | None:
    """The value of a Chinese numeral (一, 十一, 一百零一, 叁万, 一万二千); None for anything else, such as 五六
    (two digits side by side are a range, not a number)."""
    total, section, current, last_unit = 0, 0, None, None
    for ch in text:
        if ch in DIGIT_VALUES:
            if current is not None and current != 0 and DIGIT_VALUES[ch] != 0:
                return None
            current = DIGIT_VALUES[ch]
        elif ch in UNIT_VALUES:
            unit = UNIT_VALUES[ch]
            if last_unit is not None and unit >= last_unit and section:
                return None
            section += (current if current is not None else 1) * unit
            current, last_unit = None, unit
        elif ch in "万萬":
            total += (section + (current or 0)) * 10000
            section, current, last_unit = 0, None, None
        else:
            return None
    value = total + section + (current or 0)
    return value or None


def parse_digits(text: str) -> int | None:
    """A number written digit by digit in Chinese (二〇二二 → 2022), or None."""
    if not text or any(ch not in DIGIT_VALUES for ch in text):
        return None
    return int("".join(str(DIGIT_VALUES[ch]) for ch in text))


def digits_of(n: int) -> str:
    """A number written digit by digit in Chinese, as years are (2022 → 二〇二二)."""
    return "".join("〇一二三四五六七八九"[int(digit)] for digit in str(n))


def formatted(n: int, number_format: str) -> str:
    """n written in one of Word's list number formats (w:numFmt)."""
    if number_format in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"):
        return chinese(n)
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
    for value, letters in _ROMAN:
        while n >= value:
            text, n = text + letters, n - value
    return text
