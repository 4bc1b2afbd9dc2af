"""How the page is served: plain data that the serve command builds without loading Flask."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annual_report.core import limits


@dataclass(frozen=True)
class Settings:
    """How the page is served: codes, limits, layout and what it says about the office that runs it."""

    access_code: str | None = None
    max_upload_mb: int = limits.UPLOAD_BYTES // limits.MB
    max_files: int = limits.UPLOAD_FILES
    jobs: int = 2
    layout: bool | None = None  # None: with LibreOffice where installed (as `render`); False: never
    template: Path | None = None  # the office's own Word template (render --template); None: the built-in one
    loopback: bool = True  # served on 127.0.0.1 only: requests naming another host are refused
    keep_seconds: int = limits.UPLOAD_KEEP_SECONDS
    queue: int = limits.QUEUED_REQUESTS  # requests worked on or waiting at once; one more is told to come back (503)
    disk_quota_mb: int = limits.UPLOAD_DISK_BYTES // limits.MB  # uploads and reports the server holds at once
    per_library: int = limits.SUBMISSIONS_PER_LIBRARY  # submissions a library may make to a collection
    operator: str = ""  # the office that runs the server, its contact and the deadline (shown on every page)
    contact: str = ""
    deadline: str = ""
