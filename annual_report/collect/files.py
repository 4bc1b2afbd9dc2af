"""The collection's files (workbooks, reports, PDFs), each stored once under its SHA-256, put in place atomically.

A file is first complete in the collection's scratch folder, flushed to disk, then renamed into
files/<first two hex digits>/<sha256>; only after that is the database row that names it committed.
A crash in between leaves a file no row names: remove_orphans (run when the server starts) deletes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from pathlib import Path

CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def flush_folder(folder: Path) -> None:
    """Make a rename in this folder durable (POSIX; Windows has no folder handles to flush)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class FileStore:
    """Files under their SHA-256 in one folder; the same content is stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the file with this SHA-256 is kept."""
        if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def put(self, source: Path) -> tuple[str, int]:
        """Move a finished file of the scratch folder (same disk) into the store; its SHA-256 and size."""
        sha256, size = sha256_of(source), source.stat().st_size
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == size:
            source.unlink()
            return sha256, size
        with open(source, "rb") as file:
            os.fsync(file.fileno())
        target.parent.mkdir(exist_ok=True)
        os.replace(source, target)
        flush_folder(target.parent)
        return sha256, size

    def remove_orphans(self, named: set[str]) -> list[Path]:
        """Delete every stored file that no record names (left by a crash before its record was committed)."""
        removed = []
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for file in folder.iterdir():
                if file.name not in named:
                    with contextlib.suppress(OSError):
                        file.unlink() if file.is_file() else shutil.rmtree(file)
                        removed.append(file)
        return removed

    def missing(self, named: dict[str, int]) -> list[str]:
        """The SHA-256s of the records' files that are absent or of the wrong size."""
        lost = []
        for sha256, size in named.items():
            path = self.path(sha256)
            if not path.is_file() or path.stat().st_size != size:
                lost.append(sha256)
        return lost
