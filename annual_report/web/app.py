"""The Flask application: the Chinese page, its downloads and the JSON API, behind an optional access code."""

from __future__ import annotations

import hmac
import io
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from annual_report.core.errors import InputUnreadable, ReportError
from annual_report.core.problems import ValidationResult, problem
from annual_report.core.reporting import MARKS, as_json, by_sheet, summary_line
from annual_report.core.resources import BLANK_WORKBOOK_PATH
from annual_report.pipeline.batch import FAILED_UNEXPECTEDLY, OK, UNREADABLE, FileResult
from annual_report.pipeline.summary import build_summary, status_text
from annual_report.web.store import Batch, Store, display_name
from annual_report.web.work import Busy, Workers, as_validation, check_upload, render_upload

BLANK_NAME = "年报填报模板.xlsx"
SUMMARY_NAME = "年报汇总.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Settings:
    """How the page is served: its access code, limits and whether reports are laid out with LibreOffice."""

    access_code: str | None = None
    max_upload_mb: int = 50
    max_files: int = 200
    jobs: int = 2
    layout: bool | None = None  # None: with LibreOffice where installed (as `render`); False: never
    loopback: bool = True  # served on 127.0.0.1 only: requests naming another host are refused
    keep_seconds: int = 3600
    template: Path | None = None  # the office's Word template (serve --template); None: the built-in one


def create_app(settings: Settings | None = None) -> Flask:
    """The application; its store and worker pool are released by close_app."""
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        MAX_FORM_PARTS=settings.max_files + 10,
        SESSION_COOKIE_NAME="annual_report",
        SESSION_COOKIE_SAMESITE="Strict",
        TRUSTED_HOSTS=LOOPBACK_HOSTS if settings.loopback else None,
    )
    store = Store(settings.keep_seconds)
    workers = Workers(settings.jobs, queue=max(settings.max_files, 50) * 2)
    app.extensions["annual_report"] = (store, workers)
    pdf = settings.layout is None and _libreoffice_installed()
    app.jinja_env.globals.update(settings=settings, pdf=pdf, marks=MARKS, status_text=status_text)

    @app.before_request
    def require_access_code():
        if settings.access_code is None or request.endpoint in ("login", "static") or session.get("allowed"):
            return None
        if _same(request.headers.get("X-Access-Code"), settings.access_code):
            return None
        if request.path.startswith("/api/"):
            return _json_error(401, "需要访问码：请在请求头 X-Access-Code 中给出服务器启动时设定的访问码")
        return redirect(url_for("login"))

    @app.after_request
    def protect(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.route("/login", methods=["GET", "POST"])
    def login():
        wrong = False
        if request.method == "POST":
            if _same(request.form.get("code"), settings.access_code):
                session["allowed"] = True
                return redirect(url_for("index"))
            wrong = True
        return render_template("login.html", wrong=wrong), 403 if wrong else 200

    @app.get("/")
    def index():
        return render_template("index.html")

    @app.get("/blank.xlsx")
    def blank():
        blank = io.BytesIO(BLANK_WORKBOOK_PATH.read_bytes())
        return send_file(blank, mimetype=XLSX, as_attachment=True, download_name=BLANK_NAME)

    @app.post("/check")
    def check():
        files = [f for f in request.files.getlist("workbook") if f.filename]
        if not files:
            return render_template("index.html", message="请先选择要检查的工作簿（.xlsx）。"), 400
        if len(files) > settings.max_files:
            message = f"一次最多上传 {settings.max_files} 个工作簿，请分几次上传。"
            return render_template("index.html", message=message), 400
        batch = _store_files(store, files)
        try:
            batch.results = workers.map(check_upload, batch.uploads)
        except Busy:
            store.delete(batch.token)
            raise
        if len(batch.uploads) == 1:
            return redirect(url_for("one_file", token=batch.token, index=0), 303)
        return redirect(url_for("all_files", token=batch.token), 303)

    @app.get("/results/<token>")
    def all_files(token: str):
        batch = _batch(store, token)
        return render_template("batch.html", batch=batch, passed=sum(r.status == OK for r in batch.results))

    @app.get("/results/<token>/<int:index>")
    def one_file(token: str, index: int):
        batch = _batch(store, token)
        result = _result(batch, index)
        validation = as_validation(result)
        return render_template(
            "file.html",
            batch=batch,
            index=index,
            result=result,
            groups=by_sheet(validation.problems),
            summary=summary_line(validation),
        )

    @app.get("/results/<token>/<int:index>/report.<any(docx, pdf):kind>")
    def report(token: str, index: int, kind: str):
        batch = _batch(store, token)
        if index >= len(batch.uploads) or (kind == "pdf" and not pdf):
            abort(404)
        upload = batch.uploads[index]
        try:
            rendered = workers.run(lambda: render_upload(upload, layout=settings.layout, pdf=kind == "pdf", template=settings.template))
        except ReportError as exc:
            return render_template("error.html", reason=upload.public(str(exc))), 422
        if rendered.data is None:
            return redirect(url_for("one_file", token=token, index=index), 303)
        media = DOCX if kind == "docx" else "application/pdf"
        return send_file(io.BytesIO(rendered.data), mimetype=media, as_attachment=True, download_name=rendered.name)

    @app.get("/results/<token>/summary.xlsx")
    def summary(token: str):
        batch = _batch(store, token)
        buffer = io.BytesIO()
        workers.run(lambda: build_summary(batch.results).save(buffer))
        buffer.seek(0)
        return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=SUMMARY_NAME)

    @app.post("/results/<token>/delete")
    def delete(token: str):
        store.delete(token)
        return render_template("index.html", message="已删除您上传的文件。")

    @app.post("/api/validate")
    def api_validate():
        batch, strict = _one_upload(store, request), _strict(request)
        try:
            result = workers.run(lambda: check_upload(batch.uploads[0], strict))
        finally:
            store.delete(batch.token)
        return _json(_status(result), as_json(as_validation(result), strict))

    @app.post("/api/render")
    def api_render():
        batch, strict = _one_upload(store, request), _strict(request)
        upload = batch.uploads[0]
        try:
            rendered = workers.run(lambda: render_upload(upload, layout=settings.layout, strict=strict, template=settings.template))
        except InputUnreadable as exc:
            found = problem(UNREADABLE, "", value=upload.public(str(exc)))
            return _json(422, as_json(ValidationResult((found,))))
        except ReportError as exc:
            return _json_error(500, upload.public(str(exc)))
        finally:
            store.delete(batch.token)
        if rendered.data is None:
            return _json(422, as_json(rendered.result, strict))
        return send_file(io.BytesIO(rendered.data), mimetype=DOCX, as_attachment=True, download_name=rendered.name)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, RequestEntityTooLarge):
            message = (
                f"上传的文件太大：一次最多 {settings.max_upload_mb} MB。"
                "请压缩工作簿中的图片（在 Excel 中选中图片 → 压缩图片），或分几次上传。"
            )
        elif exc.code == 404:
            message = "找不到这个页面。上传的文件只保留一小时，过期或删除后请重新上传。"
        else:
            message = f"请求无法处理（{exc.code} {exc.name}）。请返回首页重新操作。"
        if request.path.startswith("/api/"):
            return _json_error(exc.code or 500, message)
        return render_template("error.html", reason=message), exc.code

    @app.errorhandler(SecurityError)
    def untrusted_host(_exc: SecurityError):
        text = "本服务只接受发往本机（127.0.0.1）的请求。"
        return Response(text, status=400, mimetype="text/plain")

    @app.errorhandler(Busy)
    def busy(_exc: Busy):
        message = "正在处理的工作簿太多，请稍等一两分钟再试。"
        if request.path.startswith("/api/"):
            return _json_error(503, message)
        return render_template("error.html", reason=message), 503

    return app


def close_app(app: Flask) -> None:
    """Stop the worker pool and delete every upload."""
    store, workers = app.extensions["annual_report"]
    workers.close()
    store.close()


def _store_files(store: Store, files) -> Batch:
    """Save uploads under their number in a new private folder; their names are only shown."""
    batch = store.new_batch([display_name(f.filename) for f in files])
    for upload, file in zip(batch.uploads, files, strict=True):
        file.save(upload.path)
    return batch


def _one_upload(store: Store, req) -> Batch:
    files = [f for f in req.files.getlist("workbook") if f.filename]
    if len(files) != 1:
        abort(_json_error(400, "请用 multipart/form-data 的 workbook 字段上传一个工作簿（.xlsx）"))
    return _store_files(store, files)


def _batch(store: Store, token: str) -> Batch:
    batch = store.get(token)
    if batch is None or len(batch.results) != len(batch.uploads):
        abort(404)
    return batch


def _result(batch: Batch, index: int) -> FileResult:
    if index >= len(batch.results):
        abort(404)
    return batch.results[index]


def _status(result: FileResult) -> int:
    """200 for a workbook that could be checked (valid or not), 422 for a file that is no workbook, 500 for a bug."""
    codes = {p.code for p in result.problems}
    return 500 if FAILED_UNEXPECTEDLY in codes else 422 if UNREADABLE in codes else 200


def _strict(req) -> bool:
    return (req.form.get("strict") or req.args.get("strict") or "").lower() in ("1", "true", "yes")


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def _json(status: int, text: str) -> Response:
    return Response(text, status=status, mimetype="application/json")


def _json_error(status: int, message: str) -> Response:
    return _json(status, json.dumps({"error": message}, ensure_ascii=False))


def _libreoffice_installed() -> bool:
    from annual_report.pipeline.batch import will_lay_out

    return will_lay_out(None, pdf=False)
