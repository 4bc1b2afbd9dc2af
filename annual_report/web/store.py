"""The page's uploads: one private temporary folder, a batch per upload under a random token, within a disk quota.

A batch is deleted after an hour, when its user deletes it, or when the server stops; a server that
was killed leaves its folder behind, and the next command's start removes it (core.scratch).
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from annual_report.core import limits
from annual_report.core.scratch import prefix
from annual_report.pipeline.folder import SPREADSHEET_SUFFIXES
from annual_report.pipeline.results import FileResult

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
NAME_LIMIT = 120  # characters of an uploaded file's name kept for display


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the user gave it (shown, never used as a path) and where it is kept."""

    name: str
    path: Path

    def public(self, text: str) -> str:
        """A message with the private path replaced by the file's own name."""
        return text.replace(str(self.path), self.name)


@dataclass
class Batch:
    """The files of one upload, in their own folder; results are filled in once they are validated."""

    token: str
    folder: Path
    uploads: list[Upload]
    created: float = field(default_factory=time.monotonic)
    results: list[FileResult] = field(default_factory=list)
    reports: dict[tuple[int, str], tuple[Path, str]] = field(default_factory=dict)  # (index, kind) → file, name
    size: int = 0  # bytes on disk


def display_name(filename: str | None) -> str:
    """The uploaded file's own name, for display only: no folders, no control characters, not too long."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[-NAME_LIMIT:] or "工作簿.xlsx"


def stored_suffix(name: str) -> str:
    """The suffix a stored upload gets: its own if it names a kind of spreadsheet (the reader names the kind), else none."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in SPREADSHEET_SUFFIXES else ""


class Store:
    """Batches of uploads in a private temporary folder (only this user may read it), each under a random token."""

    def __init__(self, keep_seconds: float = limits.UPLOAD_KEEP_SECONDS, quota_bytes: int | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=prefix("web-")))  # mode 0700, named after this process
        self.keep_seconds = keep_seconds
        self.quota_bytes = quota_bytes
        self._batches: dict[str, Batch] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_regularly, name="sweep-uploads", daemon=True)
        self._sweeper.start()

    @property
    def used(self) -> int:
        """Bytes the batches take (uploads and reports kept)."""
        with self._lock:
            return sum(batch.size for batch in self._batches.values())

    def room_for(self, size: int) -> bool:
        """Whether an upload of this size fits within the quota (after expired batches are gone)."""
        if self.quota_bytes is None:
            return True
        if self.used + size <= self.quota_bytes:
            return True
        self.sweep()
        return self.used + size <= self.quota_bytes

    def new_batch(self, names: list[str]) -> Batch:
        """A new empty folder under a fresh token, with a stored path for each named upload."""
        token = secrets.token_urlsafe(16)
        folder = self.root / token
        folder.mkdir()
        uploads = [Upload(name, folder / f"{index}{stored_suffix(name)}") for index, name in enumerate(names)]
        batch = Batch(token, folder, uploads)
        with self._lock:
            self._batches[token] = batch
        return batch

    def grew(self, batch: Batch, size: int) -> None:
        """Count bytes written into a batch's folder (negative: removed)."""
        with self._lock:
            batch.size += size

    def get(self, token: str) -> Batch | None:
        """The batch under a token, unless it has expired or never existed."""
        self.sweep()
        with self._lock:
            return self._batches.get(token) if TOKEN.match(token) else None

    def delete(self, token: str) -> None:
        """Forget a batch and delete its files."""
        with self._lock:
            batch = self._batches.pop(token, None)
        if batch is not None:
            shutil.rmtree(batch.folder, ignore_errors=True)

    def sweep(self) -> None:
        """Delete every batch older than keep_seconds."""
        limit = time.monotonic() - self.keep_seconds
        with self._lock:
            old = [token for token, batch in self._batches.items() if batch.created < limit]
        for token in old:
            self.delete(token)

    def close(self) -> None:
        """Delete everything: the server stops."""
        self._closed.set()
        with self._lock:
            self._batches.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def _sweep_regularly(self) -> None:
        while not self._closed.wait(min(60.0, self.keep_seconds)):
            self.sweep()
