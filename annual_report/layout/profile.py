"""LibreOffice's kept profile: a clean profile of one installation, kept in the temporary folder for the user's later
starts (LibreOffice fills an empty profile on its first run, which makes that start about 0.2 s slower). Only a
folder that is the user's alone is used; one LibreOffice cannot start from is removed."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import sys
import tempfile
import uuid
from pathlib import Path

from annual_report.core.scratch import prefix

LOG = logging.getLogger("annual_report.layout")


def seed_folder(soffice: Path) -> Path:
    """Where the kept profile of this LibreOffice installation (its path, size and date) is, for this user."""
    try:
        program = soffice.stat()
    except OSError:  # gone: launch says so
        program = os.stat_result((0,) * 10)
    key = hashlib.sha256(f"{soffice}|{program.st_size}|{program.st_mtime_ns}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f".annual-report-office-profile-{getattr(os, 'getuid', str)()}-{key}"


def trusted(folder: Path) -> bool:
    """Whether a kept profile is this user's alone: a real folder of theirs that nobody else may write (POSIX)."""
    try:
        found = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(found.st_mode):
        return False
    return sys.platform == "win32" or (found.st_uid == os.getuid() and not found.st_mode & 0o022)


def seeded(started: Path, seed: Path) -> bool:
    """Start a new instance's profile as a copy of the kept one; False (an empty profile) where none can be trusted."""
    if not trusted(seed):
        if os.path.lexists(seed):
            LOG.debug("not using the kept profile %s: it is not this user's alone", seed)
        return False
    try:
        shutil.copytree(seed / "user", started / "user", symlinks=True)
    except (OSError, shutil.Error):
        shutil.rmtree(started / "user", ignore_errors=True)
        return False
    return True


def keep_seed(ended: Path, seed: Path) -> None:
    """Keep the profile of an instance that started empty and ended cleanly; the first to finish wins (a rename)."""
    if os.path.lexists(seed):
        return
    try:
        staging = Path(tempfile.mkdtemp(prefix=prefix("seed-"), dir=seed.parent))  # only this user may enter it
    except OSError:
        return
    try:
        shutil.copytree(ended / "user", staging / "user", symlinks=True)
        os.rename(staging, seed)
    except (OSError, shutil.Error):
        shutil.rmtree(staging, ignore_errors=True)


def discard_seed(seed: Path) -> None:
    """Remove a kept profile (this user's own only): renamed first, so that no start copies it half removed."""
    if not trusted(seed):
        return
    doomed = seed.with_name(f"{seed.name}-discarded-{uuid.uuid4().hex}")
    try:
        os.rename(seed, doomed)
    except OSError:
        return  # another instance removed it first
    shutil.rmtree(doomed, ignore_errors=True)
