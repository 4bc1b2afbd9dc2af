"""What the libraries print while they read a file is kept off standard output (which carries --format json).

    with quiet("openpyxl"):
        book = load_workbook(path)

Inside the block, whatever this thread prints goes to the log (level DEBUG, shown with --debug) instead of
standard output; other threads (the web page's) print as before. Safe to nest and to use from many threads.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LOG = logging.getLogger("annual_report.libraries")
_lock = threading.Lock()
_local = threading.local()
_users = 0
_original = None


class _Router(io.TextIOBase):
    """sys.stdout while some thread is quiet: that thread's text to its buffer, everyone else's to the real one."""

    def __init__(self, real):
        self.real = real

    def write(self, text: str) -> int:
        buffer = getattr(_local, "buffer", None)
        return buffer.write(text) if buffer is not None else self.real.write(text)

    def flush(self) -> None:
        if getattr(_local, "buffer", None) is None:
            self.real.flush()

    @property
    def encoding(self):
        return getattr(self.real, "encoding", "utf-8")

    def isatty(self) -> bool:
        return False


@contextmanager
def quiet(library: str) -> Iterator[None]:
    """Keep what this thread prints off standard output for the block; log it, naming the library."""
    global _users, _original
    outer = getattr(_local, "buffer", None)
    buffer = io.StringIO()
    with _lock:
        if _users == 0:
            _original = sys.stdout
            sys.stdout = _Router(_original)
        _users += 1
    _local.buffer = buffer
    try:
        yield
    finally:
        _local.buffer = outer
        with _lock:
            _users -= 1
            if _users == 0:
                if isinstance(sys.stdout, _Router):  # someone else (a test runner) may have replaced it meanwhile
                    sys.stdout = _original
                _original = None
        printed = buffer.getvalue().strip()
        if printed:
            LOG.debug("%s printed: %s", library, printed[:2000])
