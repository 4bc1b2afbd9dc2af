"""Write output files safely: never over an existing file without force, never half-written."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from annual_report.core.errors import OutputError
from annual_report.core.messages import message, os_reason
from annual_report.core.scratch import scratch_folder

OUTPUTS = Path("outputs")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


NAME_BYTES = 200  # of a file name's library part: file systems allow 255 bytes (UTF-8) or characters


def report_path(cover: dict, directory: Path = OUTPUTS, suffix: str = ".docx") -> Path:
    """outputs/<library>-<year>-年报.docx, with characters Windows forbids replaced and a long name shortened."""
    name = _file_name_part(cover.get("name", "图书馆")) or "图书馆"
    year = _file_name_part(cover.get("year", ""))[:10]
    return directory / f"{shorten(name, NAME_BYTES)}-{year}-年报{suffix}"


def _file_name_part(value) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", str(value)).strip(" .")


def shorten(text: str, limit: int) -> str:
    """The text cut (whole characters, with …) so that it takes at most limit bytes in UTF-8."""
    if len(text.encode("utf-8", "surrogatepass")) <= limit:
        return text
    while len((text + "…").encode("utf-8", "surrogatepass")) > limit:
        text = text[:-1]
    return text + "…"


def lock_files(path: Path) -> list[Path]:
    """The lock files Word, WPS or LibreOffice leave beside a document they have open."""
    word = [path.with_name("~$" + path.name[cut:]) for cut in (0, 1, 2)]
    return [*word, path.with_name(f".~lock.{path.name}#")]


def refuse_existing(*paths: Path | None, force: bool = False) -> None:
    """Raise OutputError for the first path that exists, unless force; a folder is never a file to write."""
    for path in paths:
        if path is not None and Path(path).is_dir():
            raise OutputError(message("output-is-folder", file=path))
        if path is not None and Path(path).exists() and not force:
            raise OutputError(message("output-exists", file=path))


def write_via(path: Path, make: Callable[[Path], object], force: bool = False) -> Path:
    """Let make() write a file in a scratch folder, then put it in place atomically."""
    refuse_existing(path, force=force)
    with scratch_folder() as scratch:
        draft = Path(scratch) / Path(path).name
        make(draft)
        return write_atomically(path, draft.read_bytes(), force=force)


def write_atomically(path: Path, data: bytes, force: bool = False) -> Path:
    """Write data to path through a temporary file and a rename; the file gets the usual permissions."""
    write_together({Path(path): data}, force=force)
    return Path(path)


def write_together(files: dict[Path, bytes], force: bool = False) -> None:
    """Write several files (a report and its PDF) atomically: all temporary files first, then the renames."""
    files = {Path(path): data for path, data in files.items()}
    refuse_existing(*files, force=force)
    for path in files:
        if any(lock.exists() for lock in lock_files(path)):
            raise OutputError(message("output-open-in-word", file=path))
    temporaries: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            temporaries[path] = _temporary_copy(path, data)
        for path, temporary in temporaries.items():
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise OutputError(message("output-unwritable", file=path, reason=os_reason(exc))) from exc
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)


def move_together(moves: dict[Path, Path], force: bool = False) -> None:
    """Give finished files (already flushed, on the targets' disk) their final names: every check first, then the renames."""
    moves = {Path(source): Path(target) for source, target in moves.items()}
    refuse_existing(*moves.values(), force=force)
    for target in moves.values():
        if any(lock.exists() for lock in lock_files(target)):
            raise OutputError(message("output-open-in-word", file=target))
    for source, target in moves.items():
        try:
            os.replace(source, target)
        except OSError as exc:
            raise OutputError(message("output-unwritable", file=target, reason=os_reason(exc))) from exc


def _temporary_copy(path: Path, data: bytes) -> Path:
    """data in a new temporary file beside path (flushed to disk), to be renamed to path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    except OSError as exc:
        raise OutputError(message("output-folder-unwritable", folder=path.parent, reason=os_reason(exc))) from exc
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes it owner-only; a report is for colleagues too
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(message("output-unwritable", file=path, reason=os_reason(exc))) from exc
    return temporary
