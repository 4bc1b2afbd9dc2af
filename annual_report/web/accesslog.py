"""The access log: one line per sign-in, submission, decision, download or refusal; never a code or a file's content."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from datetime import datetime
from pathlib import Path

LOG_NAME = "access.log"
LOG_BYTES = 10 * 1024 * 1024  # then the log is renamed access.log.1 … (five kept)
LOG_KEPT = 5


class AccessLog:
    """Lines of time, client, library, action and result, tab-separated, into a file of the data folder or stderr."""

    def __init__(self, path: Path | None = None) -> None:
        self._logger = logging.getLogger(f"annual_report.access.{id(self)}")
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        if path is not None:
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=LOG_BYTES, backupCount=LOG_KEPT, encoding="utf-8"
            )
        else:
            handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._handler = handler
        self._logger.addHandler(handler)
        self.path = path

    def write(self, client: str, library: str, action: str, result: str) -> None:
        """One line; tabs and line breaks in the values become spaces, so that a line is always one record."""
        moment = datetime.now().astimezone().isoformat(timespec="seconds")
        values = [moment, client or "-", library or "-", action, result]
        self._logger.info("\t".join(" ".join(str(v).split()) for v in values))

    def close(self) -> None:
        self._logger.removeHandler(self._handler)
        self._handler.close()
