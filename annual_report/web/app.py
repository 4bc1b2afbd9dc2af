"""The Flask application: the Chinese page (or, with a collection, the libraries' and the office's pages) and the JSON API.

Every request passes the gate (who may do what, before the body is read), every form carries a
CSRF token and every submission is checked for its origin; the work is done in worker processes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, Response, g, redirect, request, session, url_for
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from annual_report.collect.collection import Collection
from annual_report.core.reporting import MARKS
from annual_report.core.resources import TEMPLATE_PATH
from annual_report.layout.libreoffice import available
from annual_report.pipeline.summary import status_text
from annual_report.web import access, library, office, pages
from annual_report.web.accesslog import AccessLog
from annual_report.web.gate import ADMITTED, BUSY, LIBRARY, OFFICE, SESSION_COOKIE, USER, Gate, Refusal, Rules, Visitor
from annual_report.web.gate import too_large as too_large_message
from annual_report.web.settings import Settings
from annual_report.web.shared import (
    Server,
    chinese_date,
    code_key,
    csrf_token,
    json_error,
    page_error,
    refusal_response,
    visitor,
)
from annual_report.web.store import Store
from annual_report.web.work import Busy, Workers

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
SESSION_HOURS = 12
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # our own forms then send their Origin (no-referrer would make it "null")
    "Cache-Control": "no-store",
}


def create_app(settings: Settings | None = None, collection: Collection | None = None, log: AccessLog | None = None):
    """The application; its store, workers and log are released by close_app."""
    settings = settings or Settings()
    app = Flask(__name__)
    secret = bytes.fromhex(collection.setting("secret")) if collection else secrets.token_bytes(32)
    app.config.update(
        SECRET_KEY=secret,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        MAX_FORM_PARTS=settings.max_files + 10,
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        TRUSTED_HOSTS=LOOPBACK_HOSTS if settings.loopback else None,
    )
    pdf = settings.layout is None and available()
    quota = settings.disk_quota_mb * 1024 * 1024
    store = Store(settings.keep_seconds, quota)
    template = settings.template or TEMPLATE_PATH
    workers = Workers(settings.jobs, settings.queue, layout=settings.layout is not False and pdf, template=template)
    log = log or AccessLog()
    state = Server(settings, store, workers, log, collection, pdf)
    state.gate = Gate(_rules(app, state), log)
    app.extensions["annual_report"] = state
    shown = {
        key: getattr(settings, key) or (collection.setting(key) if collection else "")
        for key in ("operator", "contact", "deadline")
    }
    app.jinja_env.globals.update(
        settings=settings,
        pdf=pdf,
        marks=MARKS,
        status_text=status_text,
        office=shown,
        template_name=settings.template.name if settings.template else "",  # the name only, never the server's path
        csrf_token=csrf_token,
        collecting=collection is not None,
        current_visitor=visitor,
    )
    app.jinja_env.filters["chinese_date"] = chinese_date

    @app.before_request
    def admit():
        found = request.environ.get(ADMITTED)
        if found is None:  # not through the front door (Flask's test client): ask the gate here
            headers = {
                key.removeprefix("HTTP_"): value for key, value in request.environ.items() if isinstance(value, str)
            }
            found = state.gate.admit(request.method, request.path, headers, request.remote_addr or "")
        if isinstance(found, Refusal):
            return refusal_response(found)
        g.visitor = found
        if not state.gate.allowed(found, request.path):
            if request.path.startswith("/api/"):
                return json_error(401, "需要访问码：请在请求头 X-Access-Code 中给出访问码（报送码）")
            return redirect(url_for("access.login"))
        if request.method == "POST" and not request.path.startswith("/api/"):
            token = request.form.get("csrf", "")
            if not (token and secrets.compare_digest(token, session.get("csrf", ""))):
                return page_error(400, "页面已过期（或不是从本服务的网页提交的）：请刷新页面后重新操作。")
        return None

    @app.after_request
    def protect(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, RequestEntityTooLarge):
            message = too_large_message(settings.max_upload_mb)
        elif exc.code == 404:
            message = "找不到这个页面。上传的文件只保留一小时，过期或删除后请重新上传。"
        else:
            message = f"请求无法处理（{exc.code} {exc.name}）。请返回首页重新操作。"
        if request.path.startswith("/api/"):
            return json_error(exc.code or 500, message)
        return page_error(exc.code or 500, message)

    @app.errorhandler(SecurityError)
    def untrusted_host(_exc: SecurityError):
        return Response("本服务只接受发往本机（127.0.0.1）的请求。", status=400, mimetype="text/plain")

    @app.errorhandler(Busy)
    def busy(_exc: Busy):
        state.log.write(
            request.remote_addr or "", _visitor_name(), f"{request.method} {request.path[:80]}", "拒绝（503）"
        )
        return refusal_response(Refusal(503, BUSY, retry_after=60))

    app.register_blueprint(access.blueprint)
    if collection is None:
        app.register_blueprint(pages.blueprint)
    else:
        app.register_blueprint(library.blueprint)
        app.register_blueprint(office.blueprint)
    return app


def close_app(app: Flask) -> None:
    """Stop the workers and delete every temporary upload."""
    state: Server = app.extensions["annual_report"]
    state.workers.close()
    state.store.close()
    state.log.close()


def _visitor_name() -> str:
    return visitor().library_name


def _rules(app: Flask, state: Server) -> Rules:
    settings, collection = state.settings, state.collection
    serializer = app.session_interface.get_signing_serializer(app)
    lifetime = int(app.permanent_session_lifetime.total_seconds())

    def read_session(cookie: str) -> dict | None:
        try:
            return serializer.loads(cookie, max_age=lifetime)
        except (BadSignature, ValueError, TypeError):
            return None

    def signed_in(content: dict) -> Visitor:
        role, library_id = content.get("role"), content.get("library")
        if role == USER and collection is None:
            found = Visitor(USER)
        elif role == OFFICE and collection is not None:
            found = Visitor(OFFICE)
        elif role == LIBRARY and collection is not None and isinstance(library_id, int):
            library = collection.library(library_id)
            found = Visitor(LIBRARY, library.id, library.name) if library else Visitor()
        else:
            return Visitor()
        return found if content.get("key") and content.get("key") == code_key(state, found) else Visitor()

    def code_owner(code: str) -> Visitor | None:
        if collection is None:
            return None
        if collection.is_office(code):
            return Visitor(OFFICE)
        library = collection.library_for(code)
        return Visitor(LIBRARY, library.id, library.name) if library else None

    def room(visitor: Visitor, size: int) -> str | None:
        quota = settings.disk_quota_mb * 1024 * 1024
        if collection is not None and visitor.role == LIBRARY and visitor.library_id is not None:
            library = collection.library(visitor.library_id)
            made, _bytes = collection.stored_bytes(library)
            if made >= settings.per_library:
                return f"本馆已经报送了 {made} 次，达到每馆 {settings.per_library} 次的上限；如需再次报送，请联系收报单位。"
            if state.scratch_bytes + size > quota:
                return "服务器上正在处理的文件太多，请过几分钟再提交。"
            return None
        if not state.store.room_for(size):
            return "服务器上暂存的文件已满，请过一会儿再试（上传的文件一小时后自动删除）。"
        return None

    return Rules(
        access_code=settings.access_code,
        max_upload_bytes=settings.max_upload_mb * 1024 * 1024,
        read_session=read_session,
        signed_in=signed_in,
        code_owner=code_owner,
        busy=lambda: state.workers.full,
        room=room,
        collecting=collection is not None,
    )
