"""The office's dashboard: every expected library's status, its problems and history, decisions and the downloads."""

from __future__ import annotations

import io
import tempfile
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, send_file, url_for

from annual_report.collect.collection import CONFIRMED, RETURNED, Collection
from annual_report.collect.exports import (
    not_submitted,
    problems_csv,
    problems_workbook,
    summary_workbook,
    write_reports_zip,
)
from annual_report.collect.states import STATUSES
from annual_report.core.errors import InputUnreadable
from annual_report.web.library import send_stored
from annual_report.web.pages import XLSX
from annual_report.web.shared import page_error, require, server_of

blueprint = Blueprint("office", __name__)
OFFICE = "（收报单位）"
COMMENT_LENGTH = 2000


@blueprint.get("/office")
def dashboard():
    state = server_of()
    collection = _collection()
    states = collection.states()
    counts = {status: sum(1 for s in states if s.status == status) for status in STATUSES}
    missing = not_submitted(states)
    addresses = [s.library.email for s in missing if s.library.email]
    return render_template(
        "office.html",
        year=collection.year,
        states=states,
        counts=counts,
        missing=missing,
        remind=_reminder_link(collection.year, addresses) if addresses else "",
        in_work=state.workers.in_work,
        capacity=state.workers.capacity,
        statuses=STATUSES,
    )


@blueprint.post("/office/decide")
def decide():
    collection = _collection()
    library = collection.library(request.form.get("library", type=int) or 0)
    require(library)
    decision = request.form.get("decision")
    require(decision in (CONFIRMED, RETURNED))
    comment = (request.form.get("comment") or "")[:COMMENT_LENGTH]
    try:
        made = collection.decide(library, request.form.get("submission", type=int) or 0, decision, comment)
    except InputUnreadable as exc:
        return page_error(409, str(exc))
    server_of().log.write(request.remote_addr or "", library.name, made.text, "已记录")
    return redirect(url_for("office.dashboard") + f"#library-{library.id}", 303)


@blueprint.get("/office/submission/<int:submission_id>/<any(xlsx, docx, pdf):kind>")
def stored_file(submission_id: int, kind: str):
    collection = _collection()
    submission = collection.submission(submission_id)
    require(submission)
    return send_stored(collection, submission, kind, OFFICE)


@blueprint.get("/office/reports.zip")
def reports():
    collection = _collection()
    buffer = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115  sent, then closed by Flask
    count = write_reports_zip(collection, buffer)
    buffer.seek(0)
    server_of().log.write(request.remote_addr or "", OFFICE, "下载全部报告", f"{count} 份")
    name = f"{collection.year}年度各馆年报.zip"
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=name)


@blueprint.get("/office/summary.xlsx")
def summary():
    collection = _collection()
    buffer = io.BytesIO()
    with server_of().workers.slot():
        summary_workbook(collection).save(buffer)
    buffer.seek(0)
    server_of().log.write(request.remote_addr or "", OFFICE, "下载汇总", "")
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=f"{collection.year}年度年报汇总.xlsx")


@blueprint.get("/office/problems.<any(xlsx, csv):kind>")
def problems(kind: str):
    collection = _collection()
    name = f"{collection.year}年度问题清单.{kind}"
    if kind == "csv":
        data = io.BytesIO(problems_csv(collection))
        return send_file(data, mimetype="text/csv", as_attachment=True, download_name=name)
    buffer = io.BytesIO()
    problems_workbook(collection).save(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=name)


def _collection() -> Collection:
    return server_of().collection


def _reminder_link(year: int, addresses: list[str]) -> str:
    """A mailto: link that opens the office's own mail program with every address in Bcc and a reminder."""
    subject = f"请报送{year}年度公共图书馆年报"
    body = f"您好！贵馆尚未报送{year}年度年报，请尽快登录报送网页提交填好的年报工作簿。谢谢！"
    return f"mailto:?bcc={quote(','.join(addresses))}&subject={quote(subject)}&body={quote(body)}"
