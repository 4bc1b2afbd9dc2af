"""How the user started this tool, for the commands our messages suggest: "python fill.py" in a checkout,
"fill" after pip install, "python -m annual_report" as a module."""

from __future__ import annotations

CHECKOUT = "python fill.py"  # how the README runs it
_started_as = CHECKOUT


def program() -> str:
    """The command that runs this tool, as the user typed it."""
    return _started_as


def started_as(name: str | None) -> None:
    """Remember how the command line was started (called by the CLI on every run; None: as in the checkout)."""
    global _started_as
    _started_as = name or CHECKOUT
