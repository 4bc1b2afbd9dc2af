"""A library's pages in a collection: its submissions and the office's word on them, the 提交 step and its receipt."""

from __future__ import annotations

import io
import shutil

from flask import Blueprint, redirect, render_template, request, send_file, url_for

from annual_report.collect.collection import Collection, Received
from annual_report.collect.rules import submission_checked
from annual_report.collect.states import Library, Submission
from annual_report.core.problems import ValidationResult
from annual_report.core.reporting import by_sheet, summary_line
from annual_report.pipeline.pool import Lost
from annual_report.web.access import home_of
from annual_report.web.pages import MEDIA, send_blank
from annual_report.web.shared import page_error, require, server_of, visitor
from annual_report.web.store import display_name, stored_suffix
from annual_report.web.work import Rendered, lost_result, render_upload

blueprint = Blueprint("library", __name__)


@blueprint.get("/")
def root():
    return redirect(home_of(visitor().role) if visitor().role else url_for("access.login"))


@blueprint.get("/library")
def home():
    collection, library = _library()
    return render_template("library.html", library=library, state=collection.state(library), year=collection.year)


@blueprint.get("/library/blank.xlsx")
def blank():
    return send_blank()


@blueprint.post("/library/submit")
def submit():
    """Keep the upload as a submission (checked, and with its report when it has no errors), then show the receipt."""
    state = server_of()
    collection, library = _library()
    received_ns = collection.received_now()  # the whole body is in: this is when the server received it
    files = [f for f in request.files.getlist("workbook") if f.filename]
    if len(files) != 1:
        return page_error(400, "请选择一个填好的工作簿（.xlsx）再点“提交”。")
    name = display_name(files[0].filename)
    folder = collection.scratch()
    size = 0
    try:
        upload = folder / f"upload{stored_suffix(name)}"
        files[0].save(upload)
        size = upload.stat().st_size
        with state.lock:
            state.scratch_bytes += size
        with state.workers.slot():
            try:
                rendered = state.workers.run(render_upload, upload, name, folder, state.pdf)
            except Lost as lost:
                rendered = Rendered(lost_result(name, lost))
        result = rendered.result
        if result.failure and not result.problems:  # the server could not do its part: nothing is recorded
            state.log.write(request.remote_addr or "", library.name, "提交", f"未能处理：{result.failure}")
            return page_error(500, f"服务器未能处理这份工作簿（{result.failure}）。请稍后重新提交。")
        result = submission_checked(result, library, collection.year, rendered.cover_cells)
        kept = Received(
            name,
            upload,
            result,
            rendered.pdf if result.output else None,
            rendered.name,
            request.remote_addr or "",
            received_ns,
        )
        submission = collection.record(library, kept)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with state.lock:
            state.scratch_bytes -= size
    outcome = "已通过" if submission.status == "ok" else f"有错误（{submission.errors} 个）"
    state.log.write(
        request.remote_addr or "", library.name, "提交", f"已收到，{outcome}，SHA-256 {submission.workbook_sha256[:12]}"
    )
    return redirect(url_for("library.receipt", submission_id=submission.id, new=1), 303)


@blueprint.get("/library/submission/<int:submission_id>")
def receipt(submission_id: int):
    """What the server received (library, year, time, checksum) and every problem it found."""
    collection, library = _library()
    submission = _own(collection, library, submission_id)
    state = collection.state(library)
    validation = ValidationResult(submission.problems)
    return render_template(
        "receipt.html",
        library=library,
        year=collection.year,
        submission=submission,
        current=state.current is not None and state.current.id == submission.id,
        decisions=state.decisions_on(submission),
        groups=by_sheet(submission.problems),
        summary=summary_line(validation),
        new=request.args.get("new") == "1",
    )


@blueprint.get("/library/submission/<int:submission_id>/report.<any(docx, pdf):kind>")
def report(submission_id: int, kind: str):
    collection, library = _library()
    submission = _own(collection, library, submission_id)
    return send_stored(collection, submission, kind, library.name)


def send_stored(collection: Collection, submission: Submission, kind: str, who: str):
    """A submission's stored file (the workbook, its report or PDF) as a download, logged."""
    sha256 = {"docx": submission.report_sha256, "pdf": submission.pdf_sha256, "xlsx": submission.workbook_sha256}[kind]
    require(sha256)
    name = submission.file_name if kind == "xlsx" else submission.report_name.removesuffix(".docx") + f".{kind}"
    server_of().log.write(request.remote_addr or "", who, "下载", name)
    media = MEDIA.get(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    data = io.BytesIO(collection.files.path(sha256).read_bytes())
    return send_file(data, mimetype=media, as_attachment=True, download_name=name)


def _library() -> tuple[Collection, Library]:
    collection = server_of().collection
    library = collection.library(visitor().library_id)
    require(library)
    return collection, library


def _own(collection: Collection, library: Library, submission_id: int) -> Submission:
    submission = collection.submission(submission_id)
    require(submission is not None and submission.library_id == library.id)
    return submission
