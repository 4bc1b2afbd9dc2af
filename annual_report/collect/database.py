"""The collection's SQLite database: opened in WAL mode, its schema created and migrated by the tool.

Each migration is applied in its own transaction, in order, and recorded in schema_version; a
database written by a newer version of the tool is refused rather than changed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from annual_report.core.errors import InputUnreadable
from annual_report.core.messages import message

DATABASE_NAME = "collection.sqlite3"

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE libraries (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    identity TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL DEFAULT '',
    code_digest TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    added_ns INTEGER NOT NULL
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    received_ns INTEGER NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    workbook_sha256 TEXT NOT NULL,
    workbook_size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    readable INTEGER NOT NULL,
    cover_name TEXT NOT NULL,
    cover_year TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    problems TEXT NOT NULL,
    indicators TEXT NOT NULL,
    report_name TEXT NOT NULL DEFAULT '',
    report_sha256 TEXT,
    report_size INTEGER,
    pdf_sha256 TEXT,
    pdf_size INTEGER,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submissions_by_library ON submissions (library_id, received_ns);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'returned')),
    comment TEXT NOT NULL DEFAULT '',
    decided_ns INTEGER NOT NULL
);
CREATE INDEX decisions_by_submission ON decisions (submission_id, decided_ns);
"""

# (version, SQL): append new steps, never change one that has been released
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, _V1),)


def connect(path: Path | str, migrations: tuple[tuple[int, str], ...] = MIGRATIONS) -> sqlite3.Connection:
    """The database at path (created if missing), migrated to the newest schema; raises InputUnreadable."""
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")  # a confirmed submission survives a power cut too
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection, migrations)
    except sqlite3.DatabaseError as exc:
        raise InputUnreadable(message("database-unreadable", file=path, detail=exc)) from exc
    return connection


def version(connection: sqlite3.Connection) -> int:
    """The schema version of a database (0: empty)."""
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(connection: sqlite3.Connection, migrations: tuple[tuple[int, str], ...] = MIGRATIONS) -> int:
    """Apply the migrations the database has not had yet, each in its own transaction; the version reached."""
    current = version(connection)
    newest = migrations[-1][0] if migrations else 0
    if current > newest:
        raise InputUnreadable(message("database-newer", current=current, newest=newest))
    for number, script in migrations:
        if number <= current:
            continue
        with transaction(connection):
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
        current = number
    return current


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All statements inside, or none: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of a migration script (executescript would commit on its own)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]
