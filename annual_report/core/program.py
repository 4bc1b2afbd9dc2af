"""How the user started this tool, for the commands our messages suggest: "python fill.py" in a checkout,
"fill" after pip install, "python -m annual_report" as a module."""

from __future__ import annotations

_started_as = "python fill.py"


def program() -> str:
    """The command that runs this tool, as the user typed it (default: the checkout's python fill.py)."""
    return _started_as


def started_as(name: str) -> None:
    """Remember how the command line was started (called once by the CLI)."""
    global _started_as
    _started_as = name
