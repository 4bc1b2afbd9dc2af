"""Click in Chinese: Click's own messages (help headings, usage errors) answered from our gettext catalogue."""

from __future__ import annotations

import gettext
import sys

import click  # noqa: F401 (loads Click's modules, so that they are there to be rebound)

from annual_report.cli.catalogue import translations

# Click translates through gettext, but each of its modules binds the functions once, at its import
# (`from gettext import gettext as _`, `from gettext import ngettext`), and gettext picks the language
# from the environment (LANGUAGE, LANG), which a Windows user does not set. So the command line rebinds
# those module names to our Chinese catalogue, before any command is defined (some texts, like a
# Path's "file", are translated when the decorators run). This relies on Click's module layout:
# pyproject.toml bounds the version and tests/test_translations.py fails if the layout changes.
GETTEXT_NAMES = {"_": gettext.gettext, "ngettext": gettext.ngettext}


def speak_chinese() -> None:
    """Bind the gettext names of Click's loaded modules to the Chinese catalogue."""
    catalogue = translations()
    chinese = {"_": catalogue.gettext, "ngettext": catalogue.ngettext}
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            for attribute, original in GETTEXT_NAMES.items():
                if getattr(module, attribute, None) is original:
                    setattr(module, attribute, chinese[attribute])
