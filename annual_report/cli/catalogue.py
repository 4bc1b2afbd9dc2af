"""Click's messages in Chinese: the gettext catalogue compiled from locale/zh_CN/LC_MESSAGES/click.po.

The compiled click.mo is committed beside its source (python tests/make_samples.py compiles it with polib; a test
checks that it is up to date), so the command line and an installed wheel read the same file.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "click"
LANGUAGE = "zh_CN"
LOCALE = Path(__file__).resolve().parent / "locale"
PO_PATH = LOCALE / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = PO_PATH.with_suffix(".mo")


@cache
def translations() -> gettext.GNUTranslations:
    """The Chinese catalogue (read once)."""
    with MO_PATH.open("rb") as mo:
        return gettext.GNUTranslations(mo)
