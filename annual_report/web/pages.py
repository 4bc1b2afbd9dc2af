"""The page for anyone: download the blank workbook, upload workbooks, see every problem, download reports; the JSON API."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from concurrent.futures import Future
from pathlib import Path

from flask import Blueprint, Response, abort, redirect, render_template, request, send_file, url_for

from annual_report.core.problems import ValidationResult
from annual_report.core.reporting import as_json, by_sheet, summary_line
from annual_report.core.resources import BLANK_WORKBOOK_PATH
from annual_report.pipeline.pool import Lost
from annual_report.pipeline.results import FAILED_UNEXPECTEDLY, OK, UNREADABLE, FileResult
from annual_report.pipeline.summary import build_summary
from annual_report.web.shared import json_error, server_of
from annual_report.web.store import Batch, Store, Upload, display_name
from annual_report.web.work import Rendered, as_validation, check_upload, lost_result, render_upload, scratch_in

BLANK_NAME = "年报填报模板.xlsx"
SUMMARY_NAME = "年报汇总.xlsx"
REPORTS_NAME = "年报报告.zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {"docx": DOCX, "pdf": "application/pdf"}

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def index():
    return render_template("index.html")


@blueprint.get("/blank.xlsx")
def blank():
    return send_blank()


def send_blank():
    """The blank workbook, as a download."""
    data = io.BytesIO(BLANK_WORKBOOK_PATH.read_bytes())
    return send_file(data, mimetype=XLSX, as_attachment=True, download_name=BLANK_NAME)


@blueprint.post("/check")
def check():
    state = server_of()
    files = [f for f in request.files.getlist("workbook") if f.filename]
    if not files:
        return render_template("index.html", message="请先选择要检查的工作簿（.xlsx）。"), 400
    if len(files) > state.settings.max_files:
        message = f"一次最多上传 {state.settings.max_files} 个工作簿，请分几次上传。"
        return render_template("index.html", message=message), 400
    with state.workers.slot():
        batch = _store_files(state.store, files)
        items = [(upload.path, upload.name) for upload in batch.uploads]
        batch.results = state.workers.map(check_upload, items, lambda item, lost: lost_result(item[1], lost))
    for upload, result in zip(batch.uploads, batch.results, strict=True):
        if result.status != OK:  # kept only to be rendered: a failed upload's file goes at once
            size = upload.path.stat().st_size
            upload.path.unlink(missing_ok=True)
            state.store.grew(batch, -size)
    passed = sum(result.status == OK for result in batch.results)
    state.log.write(request.remote_addr or "", "", "检查", f"{len(files)} 个工作簿，{passed} 个通过")
    if len(batch.uploads) == 1:
        return redirect(url_for("pages.one_file", token=batch.token, index=0), 303)
    return redirect(url_for("pages.all_files", token=batch.token), 303)


@blueprint.get("/results/<token>")
def all_files(token: str):
    batch = _batch(token)
    return render_template("batch.html", batch=batch, passed=sum(r.status == OK for r in batch.results))


@blueprint.get("/results/<token>/<int:index>")
def one_file(token: str, index: int):
    batch = _batch(token)
    result = _result(batch, index)
    validation = as_validation(result)
    groups = by_sheet(validation.problems)
    return render_template(
        "file.html", batch=batch, index=index, result=result, groups=groups, summary=summary_line(validation)
    )


@blueprint.get("/results/<token>/<int:index>/report.<any(docx, pdf):kind>")
def report(token: str, index: int, kind: str):
    state = server_of()
    batch = _batch(token)
    if _result(batch, index).status != OK or (kind == "pdf" and not state.pdf):
        abort(404)
    found = rendered_report(batch, index, kind)
    if found is None:
        return redirect(url_for("pages.one_file", token=token, index=index), 303)
    path, name = found
    state.log.write(request.remote_addr or "", "", "下载报告", name)
    return send_file(io.BytesIO(path.read_bytes()), mimetype=MEDIA[kind], as_attachment=True, download_name=name)


@blueprint.get("/results/<token>/summary.xlsx")
def summary(token: str):
    state = server_of()
    batch = _batch(token)
    buffer = io.BytesIO()
    with state.workers.slot():
        build_summary(batch.results).save(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=SUMMARY_NAME)


@blueprint.get("/results/<token>/reports.zip")
def all_reports(token: str):
    """Every report of the batch's workbooks without errors, rendered where not yet done, in one .zip."""
    batch = _batch(token)
    buffer = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115  sent, then closed by Flask
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index, result in enumerate(batch.results):
            if result.status == OK:
                found = rendered_report(batch, index, "docx")
                if found is not None:
                    archive.write(found[0], found[1])
    buffer.seek(0)
    server_of().log.write(request.remote_addr or "", "", "下载全部报告", f"{len(batch.results)} 个工作簿")
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=REPORTS_NAME)


@blueprint.post("/results/<token>/delete")
def delete(token: str):
    server_of().store.delete(token)
    return render_template("index.html", message="已删除您上传的文件。")


@blueprint.post("/api/validate")
def api_validate():
    state, strict = server_of(), _strict()
    upload, folder = _one_upload()
    try:
        with state.workers.slot():
            try:
                result = state.workers.run(check_upload, upload.path, upload.name, strict)
            except Lost as lost:
                result = lost_result(upload.name, lost)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _json(_status(result), as_json(as_validation(result), strict))


@blueprint.post("/api/render")
def api_render():
    state, strict = server_of(), _strict()
    upload, folder = _one_upload()
    try:
        with state.workers.slot():
            try:
                rendered = state.workers.run(render_upload, upload.path, upload.name, folder, False, strict)
            except Lost as lost:
                rendered = Rendered(lost_result(upload.name, lost))
            if rendered.docx is None:
                result = rendered.result
                if result.failure and not result.problems:  # could not write or lay out: the server's trouble
                    return json_error(500, result.failure)
                return _json(422, as_json(ValidationResult(result.problems), strict))
            data = rendered.docx.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=rendered.name)


def rendered_report(batch: Batch, index: int, kind: str) -> tuple[Path, str] | None:
    """The batch's report of one upload (rendered once: a second request waits for the first); None if it failed."""
    state = server_of()
    key = (batch.token, index, kind)
    with state.lock:
        if (index, kind) in batch.reports:
            return batch.reports[(index, kind)]
        waiting = state.in_flight.get(key)
        if waiting is None:
            waiting = state.in_flight[key] = Future()
            mine = True
        else:
            mine = False
    if not mine:
        return waiting.result()
    try:
        found = _render_into(batch, index, kind)
        waiting.set_result(found)
        return found
    except BaseException as exc:
        waiting.set_exception(exc)
        raise
    finally:
        with state.lock:
            state.in_flight.pop(key, None)


def _render_into(batch: Batch, index: int, kind: str) -> tuple[Path, str] | None:
    state = server_of()
    upload = batch.uploads[index]
    with state.workers.slot(), scratch_in(batch.folder) as folder:
        try:
            rendered = state.workers.run(render_upload, upload.path, upload.name, folder, kind == "pdf")
            if kind == "pdf" and rendered.docx is not None and rendered.pdf is None:
                # its worker's LibreOffice failed (that worker is replaced): once more, on a warm one
                rendered = state.workers.run(render_upload, upload.path, upload.name, folder, True)
        except Lost as lost:
            batch.results[index] = lost_result(upload.name, lost)
            return None
        if rendered.docx is None:
            batch.results[index] = rendered.result
            return None
        kept = {}
        for made, suffix in ((rendered.docx, "docx"), (rendered.pdf, "pdf")):
            if made is not None:
                target = batch.folder / f"{index}-report.{suffix}"
                made.replace(target)
                state.store.grew(batch, target.stat().st_size)
                kept[(index, suffix)] = (target, rendered.name.removesuffix(".docx") + f".{suffix}")
    with state.lock:
        batch.reports.update(kept)
    return kept.get((index, kind))


def _store_files(store: Store, files) -> Batch:
    """Save uploads under their number in a new private folder; their names are only shown."""
    batch = store.new_batch([display_name(f.filename) for f in files])
    for upload, file in zip(batch.uploads, files, strict=True):
        file.save(upload.path)
        store.grew(batch, upload.path.stat().st_size)
    return batch


def _one_upload() -> tuple[Upload, Path]:
    """The API's one upload, saved in a scratch folder of the store."""
    files = [f for f in request.files.getlist("workbook") if f.filename]
    if len(files) != 1:
        abort(json_error(400, "请用 multipart/form-data 的 workbook 字段上传一个工作簿（.xlsx）"))
    folder = Path(tempfile.mkdtemp(dir=server_of().store.root, prefix="api-"))
    name = display_name(files[0].filename)
    upload = Upload(name, folder / "upload.xlsx")
    files[0].save(upload.path)
    return upload, folder


def _batch(token: str) -> Batch:
    batch = server_of().store.get(token)
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
    return (
        500 if FAILED_UNEXPECTEDLY in codes else 422 if UNREADABLE in codes or (not codes and result.failure) else 200
    )


def _strict() -> bool:
    return (request.form.get("strict") or request.args.get("strict") or "").lower() in ("1", "true", "yes")


def _json(status: int, text: str) -> Response:
    return Response(text, status=status, mimetype="application/json")
