"""One office's collection of a report year: its libraries, their codes, every submission and decision, kept for good.

A data folder holds the database (collection.sqlite3), the files (files/), a scratch folder for
uploads being checked (tmp/) and the access log. The current submission of a library is the last
one the server received — never the order of an upload or a file's date.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from annual_report.collect import codes
from annual_report.collect.database import DATABASE_NAME, connect, transaction
from annual_report.collect.files import FileStore
from annual_report.collect.libraries import Expected
from annual_report.collect.states import Decision, Library, LibraryState, Submission, submission_from_row
from annual_report.core.errors import InputUnreadable, OutputError
from annual_report.core.messages import message, os_reason
from annual_report.pipeline.results import OK, UNREADABLE, FileResult
from annual_report.workbook.text import identity

if sys.platform == "win32":  # how a file is locked: by the system's own module
    import msvcrt
else:
    import fcntl

FILES, SCRATCH, LOCK = "files", "tmp", ".lock"
CONFIRMED, RETURNED = "confirmed", "returned"
SETTINGS = ("operator", "contact", "deadline")  # shown on the page, in Chinese


@dataclass(frozen=True)
class Received:
    """What the server received and made of one upload, its files still in the scratch folder."""

    file_name: str  # as the library named it (shown only)
    workbook: Path
    result: FileResult  # the check: problems, the cover's name and year, indicators; output = the report, if any
    pdf: Path | None = None
    report_name: str = ""  # <馆名>-<年度>-年报.docx
    client: str = ""
    received_ns: int = 0  # when the server had the whole upload (Collection.received_now); 0: when recorded


class Collection:
    """A data folder's collection; safe to use from several threads."""

    def __init__(self, folder: Path, connection: sqlite3.Connection) -> None:
        self.folder = folder
        self.files = FileStore(folder / FILES)
        self._db = connection
        self._lock = threading.RLock()
        self._held: object | None = None  # the open lock file while a server uses the folder
        row = connection.execute("SELECT max(received_ns) FROM submissions").fetchone()
        self._last_received = row[0] or 0

    # Opening -------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, folder: Path | str, year: int, expected: list[Expected], **settings: str
    ) -> tuple[Collection, list[tuple[Library, str]], str]:
        """A new collection in an empty or new folder; its libraries with their codes, and the office's code."""
        folder = Path(folder)
        if (folder / DATABASE_NAME).exists():
            raise OutputError(message("collection-exists", folder=folder))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if any(entry.name != LOCK for entry in folder.iterdir()):
                raise OutputError(message("collection-not-empty", folder=folder))
        except OSError as exc:
            raise OutputError(message("collection-unusable", folder=folder, reason=os_reason(exc))) from exc
        collection = cls(folder, connect(folder / DATABASE_NAME))
        office = codes.new_code()
        with collection._lock, transaction(collection._db):
            values = {"year": str(year), "salt": secrets.token_hex(16), "secret": secrets.token_hex(32)}
            values |= {key: settings.get(key) or "" for key in SETTINGS}
            collection._db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", values.items())
            collection._set_office_code(office)
            added = collection._add(expected)
        return collection, added, office

    @classmethod
    def open(cls, folder: Path | str, *, serve: bool = False) -> Collection:
        """An existing collection; serve: the one server of this folder (removes what a crash left behind)."""
        folder = Path(folder)
        if not (folder / DATABASE_NAME).is_file():
            raise InputUnreadable(message("collection-missing", folder=folder))
        collection = cls(folder, connect(folder / DATABASE_NAME))
        if serve:
            collection._hold_folder()
            collection.clean_up()
        return collection

    def close(self) -> None:
        """Close the database and release the folder."""
        with self._lock:
            self._db.close()
            if self._held is not None:
                self._held.close()
                self._held = None

    def clean_up(self) -> list[Path]:
        """Remove the scratch folder's leftovers and every stored file no record names; what was removed."""
        removed = []
        scratch = self.folder / SCRATCH
        if scratch.exists():
            removed += list(scratch.iterdir())
            shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(exist_ok=True)
        with self._lock:
            named = set(self._named_files())
            removed += self.files.remove_orphans(named)
        return removed

    def scratch(self) -> Path:
        """A new private folder for one upload, on the same disk as the files (so they can be renamed in)."""
        (self.folder / SCRATCH).mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.folder / SCRATCH))

    # Settings and libraries ----------------------------------------------------------------------

    def setting(self, key: str) -> str:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else ""

    @property
    def year(self) -> int:
        return int(self.setting("year"))

    def change_settings(self, **settings: str) -> None:
        """Change the operator's name, contact or deadline shown on the page."""
        with self._lock, transaction(self._db):
            for key, value in settings.items():
                if key in SETTINGS and value is not None:
                    self._db.execute("REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def libraries(self) -> list[Library]:
        """Every expected library, in the order of the office's list."""
        rows = self._all("SELECT * FROM libraries ORDER BY position")
        return [Library(r["id"], r["name"], r["email"]) for r in rows]

    def library(self, library_id: int) -> Library | None:
        row = self._one("SELECT * FROM libraries WHERE id = ?", (library_id,))
        return Library(row["id"], row["name"], row["email"]) if row else None

    def add(self, expected: list[Expected]) -> list[tuple[Library, str]]:
        """Add the libraries not yet listed (by identity); each new one with its code."""
        with self._lock, transaction(self._db):
            return self._add(expected)

    def renew(self, library: Library) -> str:
        """A new code for a library (the old one stops working, its sessions end)."""
        code = codes.new_code()
        with self._lock, transaction(self._db):
            self._db.execute(
                "UPDATE libraries SET code_digest = ? WHERE id = ?", (codes.digest(code, self._salt), library.id)
            )
        return code

    def renew_office_code(self) -> str:
        """A new code for the office's dashboard."""
        code = codes.new_code()
        with self._lock, transaction(self._db):
            self._set_office_code(code)
        return code

    def library_for(self, code: str) -> Library | None:
        """The library whose code this is (as typed), if any."""
        found = self._one("SELECT * FROM libraries WHERE code_digest = ?", (codes.digest(code, self._salt),))
        return Library(found["id"], found["name"], found["email"]) if found else None

    def is_office(self, code: str) -> bool:
        """Whether this is the office's code (as typed)."""
        return secrets.compare_digest(codes.digest(code, self._salt), self.setting("office_code"))

    def key_of(self, library_id: int | None) -> str:
        """A short fingerprint of a library's (or, for None, the office's) current code: sessions carry it."""
        if library_id is None:
            return self.setting("office_code")[:16]
        row = self._one("SELECT code_digest FROM libraries WHERE id = ?", (library_id,))
        return row["code_digest"][:16] if row else ""

    # Submissions and decisions -------------------------------------------------------------------

    def record(self, library: Library, received: Received) -> Submission:
        """Keep a submission with its files: either all of it is there afterwards, or none of it."""
        result = received.result
        readable = not any(p.code == UNREADABLE for p in result.problems)
        stored = {"workbook": self.files.put(received.workbook)}
        if result.status == OK and result.output:
            stored["report"] = self.files.put(Path(result.output))
            if received.pdf is not None:
                stored["pdf"] = self.files.put(received.pdf)
        problems = json.dumps([asdict(p) for p in result.problems], ensure_ascii=False)
        with self._lock, transaction(self._db):
            now = received.received_ns or self.received_now()
            cursor = self._db.execute(
                """INSERT INTO submissions (library_id, received_ns, file_name, workbook_sha256, workbook_size,
                   status, readable, cover_name, cover_year, errors, warnings, problems, indicators, report_name,
                   report_sha256, report_size, pdf_sha256, pdf_size, client)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    library.id,
                    now,
                    received.file_name,
                    *stored["workbook"],
                    result.status if "report" in stored else "failed",
                    int(readable),
                    result.library,
                    "" if result.year is None else str(result.year),
                    result.errors,
                    result.warnings,
                    problems,
                    json.dumps(result.indicators, ensure_ascii=False, default=str),
                    received.report_name if "report" in stored else "",
                    *stored.get("report", (None, None)),
                    *stored.get("pdf", (None, None)),
                    received.client,
                ),
            )
            return self.submission(cursor.lastrowid)

    def received_now(self) -> int:
        """The moment an upload is complete, in nanoseconds: later for each call, also across restarts."""
        with self._lock:
            self._last_received = max(time.time_ns(), self._last_received + 1)
            return self._last_received

    def submission(self, submission_id: int) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE id = ?", (submission_id,))
        return submission_from_row(row) if row else None

    def decide(self, library: Library, submission_id: int, decision: str, comment: str) -> Decision:
        """The office confirms or returns a library's current submission (with a comment the library sees)."""
        with self._lock, transaction(self._db):
            state = self.state(library)
            if state.current is None or state.current.id != submission_id:
                raise InputUnreadable(message("submission-superseded"))
            if decision == CONFIRMED and state.current.status != OK:
                raise InputUnreadable(message("submission-has-errors"))
            now = time.time_ns()
            self._db.execute(
                "INSERT INTO decisions (submission_id, decision, comment, decided_ns) VALUES (?, ?, ?, ?)",
                (submission_id, decision, comment.strip(), now),
            )
            return Decision(submission_id, decision, comment.strip(), now)

    def state(self, library: Library) -> LibraryState:
        """A library's submissions (newest first) and the decisions on them."""
        return self._states([library])[0]

    def states(self) -> list[LibraryState]:
        """Every expected library's state, in the list's order."""
        return self._states(self.libraries())

    def _states(self, libraries: list[Library]) -> list[LibraryState]:
        ids = [library.id for library in libraries]
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._all(f"SELECT * FROM submissions WHERE library_id IN ({marks}) ORDER BY received_ns DESC", ids)
            decided = self._all(
                f"""SELECT d.* FROM decisions d JOIN submissions s ON s.id = d.submission_id
                    WHERE s.library_id IN ({marks}) ORDER BY d.decided_ns, d.id""",
                ids,
            )
        history: dict[int, list[Submission]] = {library_id: [] for library_id in ids}
        for row in rows:
            history[row["library_id"]].append(submission_from_row(row))
        decisions: dict[int, list[Decision]] = {}
        for r in decided:
            decisions.setdefault(r["submission_id"], []).append(
                Decision(r["submission_id"], r["decision"], r["comment"], r["decided_ns"])
            )
        return [
            LibraryState(
                library,
                tuple(history[library.id]),
                {s.id: tuple(decisions[s.id]) for s in history[library.id] if s.id in decisions},
            )
            for library in libraries
        ]

    def stored_bytes(self, library: Library) -> tuple[int, int]:
        """How many submissions a library has made and how many bytes their workbooks take."""
        row = self._one(
            "SELECT count(*), coalesce(sum(workbook_size), 0) FROM submissions WHERE library_id = ?", (library.id,)
        )
        return row[0], row[1]

    def current_results(self) -> list[FileResult]:
        """The current submission of every library that submitted, as the summary takes a folder's results."""
        return [state.current.as_result() for state in self.states() if state.current is not None]

    # Inside ----------------------------------------------------------------------------------------

    def _one(self, sql: str, parameters=()) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, parameters).fetchone()

    def _all(self, sql: str, parameters=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    @property
    def _salt(self) -> str:
        return self.setting("salt")

    def _set_office_code(self, code: str) -> None:
        self._db.execute("REPLACE INTO meta (key, value) VALUES ('office_code', ?)", (codes.digest(code, self._salt),))

    def _add(self, expected: list[Expected]) -> list[tuple[Library, str]]:
        known = {row["identity"] for row in self._all("SELECT identity FROM libraries")}
        position = self._one("SELECT coalesce(max(position), 0) FROM libraries")[0]
        added = []
        for entry in expected:
            if identity(entry.name) in known:
                continue
            known.add(identity(entry.name))
            position += 1
            code = codes.new_code()
            cursor = self._db.execute(
                "INSERT INTO libraries (name, identity, email, code_digest, position, added_ns) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entry.name,
                    identity(entry.name),
                    entry.email,
                    codes.digest(code, self._salt),
                    position,
                    time.time_ns(),
                ),
            )
            added.append((Library(cursor.lastrowid, entry.name, entry.email), code))
        return added

    def _named_files(self) -> dict[str, int]:
        named: dict[str, int] = {}
        for kind in ("workbook", "report", "pdf"):
            rows = self._all(f"SELECT {kind}_sha256, {kind}_size FROM submissions WHERE {kind}_sha256 IS NOT NULL")
            named.update((row[0], row[1]) for row in rows)
        return named

    def missing_files(self) -> list[str]:
        """The SHA-256s of recorded files that are not in the store as recorded (should be none)."""
        with self._lock:
            return self.files.missing(self._named_files())

    def _hold_folder(self) -> None:
        """Take the folder for this process: a second server on the same data folder is refused."""
        handle = open(self.folder / LOCK, "a+b")  # noqa: SIM115  kept open while the server runs
        try:
            if sys.platform == "win32":
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise OutputError(message("collection-in-use", folder=self.folder)) from exc
        self._held = handle


def backup(folder: Path | str, target: Path | str) -> Path:
    """A consistent copy of a collection (also while it is served): the database through SQLite's backup, then its files."""
    source, target = Path(folder), Path(target)
    collection = Collection.open(source)
    try:
        if target.exists() and any(target.iterdir()):
            raise OutputError(message("backup-not-empty", folder=target))
        target.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(target / DATABASE_NAME)
        with contextlib.closing(copy):
            collection._db.backup(copy)
        named = Collection(target, connect(target / DATABASE_NAME))
        try:
            for sha256 in named._named_files():
                destination = named.files.path(sha256)
                destination.parent.mkdir(exist_ok=True)
                shutil.copy2(collection.files.path(sha256), destination)
        finally:
            named.close()
    except OSError as exc:
        raise OutputError(message("backup-unwritable", folder=target, reason=os_reason(exc))) from exc
    finally:
        collection.close()
    return target
