"""A cell's text made safe once, at read time: what is validated is exactly what the report contains."""

from __future__ import annotations

import math
import re
import unicodedata

_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # Excel writes \x07 as _x0007_, a lone surrogate as _xD83D_
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")  # no XML document (a .docx, an .xlsx) can hold these
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # keeps tab and line breaks
UNWRITABLE, CONTROL = "unwritable-characters", "control-characters"


def clean_text(raw: str) -> tuple[str, str | None, str]:
    """The text with Excel's escapes decoded, in NFC, without control characters.

    Also returns the problem's code when something had to change (UNWRITABLE: characters no
    document can hold, replaced by �, an error; CONTROL: control characters removed, a warning)
    and the characters concerned, as U+XXXX.
    """
    text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
    text = _SURROGATE_PAIR.sub(lambda m: m.group(0).encode("utf-16", "surrogatepass").decode("utf-16"), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    unwritable = _UNWRITABLE.findall(text)
    if unwritable:
        return _UNWRITABLE.sub("\ufffd", _CONTROL.sub("", text)), UNWRITABLE, _code_points(unwritable)
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        return unicodedata.normalize("NFC", cleaned), CONTROL, _code_points(_CONTROL.findall(text))
    return unicodedata.normalize("NFC", text), None, ""


def finite(value) -> bool:
    """False for NaN and infinities, which no report may print."""
    return not isinstance(value, float) or math.isfinite(value)


def identity(text) -> str:
    """A name as compared to another: without invisible characters (U+200B…) or spaces, width and case folded."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn"))


def _code_points(found: list[str]) -> str:
    return "、".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in found))
