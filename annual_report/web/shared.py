"""What the application's parts share: its settings, its state between requests, and the answers every page gives."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date

from flask import Flask, Response, abort, current_app, g, render_template, request, session

from annual_report.collect.collection import Collection
from annual_report.web.accesslog import AccessLog
from annual_report.web.gate import LIBRARY, USER, Gate, Refusal, Visitor
from annual_report.web.settings import Settings
from annual_report.web.store import Store
from annual_report.web.work import Workers


@dataclass
class Server:
    """What the application shares between requests."""

    settings: Settings
    store: Store
    workers: Workers
    log: AccessLog
    collection: Collection | None
    pdf: bool
    gate: Gate | None = None
    in_flight: dict = field(default_factory=dict)  # renders under way, so that a second click waits for the first
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards in_flight, reports and scratch_bytes
    scratch_bytes: int = 0  # bytes of collection uploads being checked


def server_of(app: Flask | None = None) -> Server:
    """The shared state of the application (the current one by default)."""
    return (app or current_app).extensions["annual_report"]


def csrf_token() -> str:
    """The session's token that every form sends back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def sign_in_session(visitor: Visitor) -> None:
    """Remember the visitor in a fresh session (a new CSRF token; the code's fingerprint, so that a new code ends it)."""
    session.clear()
    session.permanent = False
    session.update(
        role=visitor.role,
        library=visitor.library_id,
        key=code_key(server_of(), visitor),
        csrf=secrets.token_urlsafe(24),
    )


def page_error(status: int, message: str):
    return render_template("error.html", reason=message), status


def json_error(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}, ensure_ascii=False), status=status, mimetype="application/json")


def refusal_response(refusal: Refusal) -> Response:
    """The gate's refusal as a page or, for the programming interface, as JSON."""
    if request.path.startswith("/api/"):
        response = json_error(refusal.status, refusal.message)
    else:
        body, status = page_error(refusal.status, refusal.message)
        response = Response(body, status=status, mimetype="text/html")
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response


def visitor() -> Visitor:
    """Who sent the current request."""
    return g.get("visitor") or Visitor()


def chinese_date(text: str) -> str:
    """2025-03-31 as 2025年3月31日; any other text as it is."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.year}年{day.month}月{day.day}日"


def code_key(state: Server, visitor: Visitor) -> str:
    """A fingerprint of the code that let the visitor in: a session ends when that code is changed."""
    if visitor.role == USER:
        return hashlib.sha256((state.settings.access_code or "").encode()).hexdigest()[:16]
    if state.collection is None:
        return ""
    return state.collection.key_of(visitor.library_id if visitor.role == LIBRARY else None)


def require(condition) -> None:
    """404 unless condition (a record of someone else's is not found, rather than forbidden)."""
    if not condition:
        abort(404)
