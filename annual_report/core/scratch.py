"""Scratch folders: named after the process that made them, so that those of a killed process are found later."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PREFIX = "annual-report-"
_OWNER = re.compile(rf"^(?:{PREFIX}|\.tmp-batch-)(?:[a-z]+-)?(\d+)-")  # annual-report-web-4711-…
UNOWNED_AGE = 24 * 3600  # seconds after which a scratch folder whose owner cannot be told is stale


def prefix(kind: str = "") -> str:
    """The name prefix of this process's scratch folders, e.g. annual-report-office-4711-."""
    return f"{PREFIX}{kind}{os.getpid()}-"


def scratch_folder(kind: str = "", directory: Path | str | None = None) -> tempfile.TemporaryDirectory:
    """A temporary folder of this process, removed when closed (and later by remove_stale if it was killed)."""
    return tempfile.TemporaryDirectory(prefix=prefix(kind), dir=directory, ignore_cleanup_errors=True)


def private_environment(folder: Path | str) -> dict[str, str]:
    """The environment for a program (LibreOffice) that may write only into folder: its own HOME, XDG folders, TMP.

    Nothing lands in the user's home then: no ~/.cache/dconf/user, no fontconfig or GTK caches.
    """
    folder = Path(folder)
    home = folder / "home"
    for name in ("home", "home/.config", "home/.cache", "home/.local/share", "runtime", "tmp"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "runtime").chmod(0o700)
    environment = dict(os.environ)
    environment.pop("PYTHONHOME", None)
    environment.pop("PYTHONPATH", None)
    environment |= {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(folder / "runtime"),
        "TMPDIR": str(folder / "tmp"),
        "TMP": str(folder / "tmp"),
        "TEMP": str(folder / "tmp"),
        "GSETTINGS_BACKEND": "memory",  # no dconf database (~/.cache/dconf/user)
        "SAL_USE_VCLPLUGIN": "svp",  # no desktop integration
    }
    return environment


def remove_stale(directory: Path | str | None = None) -> list[Path]:
    """Remove the scratch folders left by processes that no longer run; returns what was removed."""
    directory = Path(directory or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for entry in directory.iterdir():
            if entry.name.startswith((PREFIX, ".tmp-batch-")) and entry.is_dir() and _stale(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _stale(folder: Path) -> bool:
    match = _OWNER.match(folder.name)
    if match and sys.platform != "win32":
        return not _running(int(match.group(1)))
    try:
        return time.time() - folder.stat().st_mtime > UNOWNED_AGE
    except OSError:
        return False


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists (never used on Windows)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def exit_on_terminate() -> Callable[[], None]:
    """Turn SIGTERM into SystemExit, so that every finally block (scratch folders, LibreOffice) runs.

    Returns the function that puts the previous handler back.
    """

    def terminate(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except (ValueError, OSError):  # only the main thread may set handlers
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)
