"""The web page and its JSON API through Flask's test client: the same results as the command line, safely."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from conftest import INPUTS, headings
from docx import Document
from openpyxl import load_workbook
from pool_tasks import office_group
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from annual_report.cli.main import main
from annual_report.web import pages
from annual_report.web.app import Settings, close_app, create_app
from annual_report.web.server import access_code_for, is_loopback
from annual_report.web.store import Store, display_name
from annual_report.web.work import Busy, Workers

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
QUFU = INPUTS / "曲阜市图书馆-2020.xlsx"
CODE = "shelf-mark-42"


@pytest.fixture
def make_app():
    made = []

    def make(**settings):
        app = create_app(Settings(**{"layout": False, "jobs": 1, **settings}))
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


@pytest.fixture(scope="module")
def shared_app():
    """One application (and its worker) for the tests that only upload their own files: each gets a fresh client."""
    app = create_app(Settings(layout=False, jobs=1))
    yield app
    close_app(app)


@pytest.fixture
def client(shared_app):
    return shared_app.test_client()


def upload(client, url, *paths, name=None, fields=None, **request_options):
    """POST workbooks as the page's form does (with its CSRF token) or as a program calls the API."""
    files = [(io.BytesIO(path.read_bytes()), name or path.name) for path in paths]
    data = {"workbook": files, **(fields or {}), **({} if url.startswith("/api/") else form_token(client))}
    return client.post(url, data=data, content_type="multipart/form-data", **request_options)


def form_token(client) -> dict:
    """The CSRF field a page's form carries, the same token as in the client's session."""
    with client.session_transaction() as session:
        session.setdefault("csrf", "a-test-token-from-the-page")
        return {"csrf": session["csrf"]}


def cli_json(path) -> dict:
    return json.loads(CliRunner().invoke(main, ["validate", str(path), "--format", "json"]).stdout)


# The JSON API ------------------------------------------------------------------------------------------


def test_validate_api_answers_exactly_what_the_command_line_prints(client):
    response = upload(client, "/api/validate", LIJIANG)
    assert response.status_code == 200
    assert response.json["valid"] is True
    assert response.json == cli_json(LIJIANG)


def test_validate_api_lists_the_problems_of_a_bad_workbook(client, bad_workbook):
    response = upload(client, "/api/validate", bad_workbook)
    assert response.status_code == 200
    assert response.json["valid"] is False
    assert ("人员", "B3", "not-a-number") in {(p["sheet"], p["cell"], p["code"]) for p in response.json["problems"]}
    assert response.json == cli_json(bad_workbook)


def test_validate_api_strict_makes_warnings_block(client):
    assert upload(client, "/api/validate", LIJIANG).json["valid"] is True  # it has one warning
    assert upload(client, "/api/validate", LIJIANG, fields={"strict": "1"}).json["valid"] is False


def test_a_file_that_is_no_workbook_names_the_upload_not_the_server_path(make_app):
    app = make_app()
    response = app.test_client().post(
        "/api/validate",
        data={"workbook": (io.BytesIO("馆名,年度\n丽江,2020\n".encode()), "名单.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    problem = response.json["problems"][0]
    assert problem["code"] == "unreadable" and "名单.xlsx" in problem["message"] and "CSV" in problem["message"]
    store = app.extensions["annual_report"].store
    assert str(store.root) not in response.text


def test_render_api_gives_the_docx(client):
    response = upload(client, "/api/render", LIJIANG)
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert "%E5%B9%B4%E6%8A%A5.docx" in response.headers["Content-Disposition"]  # …-2020-年报.docx
    document = Document(io.BytesIO(response.data))
    assert headings(document)[:2] == [(1, "一、年度业务工作情况"), (2, "（一）免费开放工作")]
    assert "丽江市图书馆" in "\n".join(p.text for p in document.paragraphs)


def test_render_api_refuses_a_workbook_with_errors_with_422_and_its_problems(client, bad_workbook):
    response = upload(client, "/api/render", bad_workbook)
    assert response.status_code == 422
    assert response.json == cli_json(bad_workbook)


def test_the_api_takes_one_workbook_in_the_field_workbook(client):
    response = client.post("/api/validate", data={"file": (io.BytesIO(b"x"), "a.xlsx")})
    assert response.status_code == 400 and "workbook" in response.json["error"]


# Limits and hardening ---------------------------------------------------------------------------------


def test_an_upload_over_the_limit_gets_a_clear_chinese_message(make_app):
    client = make_app(max_upload_mb=1).test_client()
    # encoded in memory: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart({"workbook": FileStorage(io.BytesIO(b"PK" + b"\0" * 1024 * 1024), "大文件.xlsx")})
    content_type = f"multipart/form-data; boundary={boundary}"
    response = client.post("/api/validate", data=body, content_type=content_type)
    assert response.status_code == 413
    assert "上传的文件太大" in response.json["error"] and "1 MB" in response.json["error"]
    page = client.post("/check", data=body, content_type=content_type)
    assert page.status_code == 413 and "上传的文件太大" in page.text


def test_uploaded_file_names_are_never_paths(make_app, tmp_path):
    app = make_app()
    response = upload(app.test_client(), "/check", LIJIANG, name="../../../evil/年报.xlsx")
    assert response.status_code == 303
    store = app.extensions["annual_report"].store
    (folder,) = store.root.iterdir()
    assert [p.name for p in folder.iterdir()] == ["0.xlsx"]
    assert display_name("C:\\Users\\馆员\\年报\x07.xlsx") == "年报.xlsx"
    assert display_name("") == "工作簿.xlsx"


def test_pictures_named_by_a_path_are_not_read_from_the_server(client):
    """An upload is alone on the server: a picture row naming a file (here 曲阜's photo) must be pasted instead."""
    response = upload(client, "/api/validate", QUFU)
    problems = [p for p in response.json["problems"] if p["severity"] == "error"]
    assert [(p["sheet"], p["cell"], p["code"]) for p in problems] == [("图片", "B3", "picture-not-pasted")]
    assert "图片/曲阜市图书馆阅览室.jpg" in problems[0]["message"] and "粘贴" in problems[0]["message"]
    assert cli_json(QUFU)["valid"] is True  # the command line, on the librarian's own computer, reads the file


def test_uploads_live_in_a_private_folder_and_expire_after_an_hour():
    store = Store()
    try:
        assert store.root.stat().st_mode & 0o777 == 0o700
        batch = store.new_batch(["年报.xlsx"])
        batch.uploads[0].path.write_bytes(b"x")
        store.sweep()
        assert store.get(batch.token) is batch
        batch.created -= store.keep_seconds + 1
        assert store.get(batch.token) is None
        assert not batch.folder.exists()
        assert store.get("../../etc") is None
    finally:
        store.close()
    assert not store.root.exists()


def test_a_report_is_rendered_once_however_often_and_however_fast_it_is_asked_for(make_app, monkeypatch):
    app = make_app()
    page = upload(app.test_client(), "/check", LIJIANG, follow_redirects=True)
    link = _link(page.text, "report.docx")
    renders = []
    original = pages._render_into
    monkeypatch.setattr(pages, "_render_into", lambda *a: renders.append(a) or original(*a))
    with ThreadPoolExecutor(3) as pool:  # three clicks at once
        answers = list(pool.map(lambda _: app.test_client().get(link), range(3)))
    assert [a.status_code for a in answers] == [200, 200, 200] and len({a.data for a in answers}) == 1
    assert app.test_client().get(link).data == answers[0].data
    assert len(renders) == 1
    (folder,) = app.extensions["annual_report"].store.root.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["0-report.docx", "0.xlsx"]  # kept until the batch expires


def test_a_failed_upload_is_not_kept(make_app, bad_workbook):
    app = make_app()
    upload(app.test_client(), "/check", bad_workbook, LIJIANG)
    (folder,) = app.extensions["annual_report"].store.root.iterdir()
    assert [p.name for p in folder.iterdir()] == ["1.xlsx"]  # only what can still be rendered


def test_requests_beyond_the_queue_are_refused_at_once():
    workers = Workers(jobs=1, capacity=2, layout=False)
    try:
        with workers.slot(), workers.slot():
            assert workers.full and workers.in_work == 2
            with pytest.raises(Busy), workers.slot():
                pass
        assert not workers.full
    finally:
        workers.close()


def test_on_loopback_a_request_naming_another_host_is_refused(client):
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


# The access code ------------------------------------------------------------------------------------------


def test_with_an_access_code_nothing_is_served_without_it(make_app):
    client = make_app(access_code=CODE, loopback=False).test_client()
    assert client.get("/").headers["Location"].endswith("/login")
    denied = upload(client, "/api/validate", LIJIANG)
    assert denied.status_code == 401 and "X-Access-Code" in denied.json["error"]
    assert upload(client, "/api/validate", LIJIANG, headers={"X-Access-Code": CODE}).status_code == 200
    refused = upload(client, "/check", LIJIANG)
    assert refused.status_code == 401 and "登录" in refused.text  # refused before the upload is read
    wrong = client.post("/login", data={"code": "guess", **form_token(client)})
    assert wrong.status_code == 403 and "不对" in wrong.text
    assert client.get("/blank.xlsx").status_code == 302
    assert client.post("/login", data={"code": f"  {CODE} ", **form_token(client)}).status_code == 302  # spaces trimmed
    assert client.get("/").status_code == 200
    assert upload(client, "/check", LIJIANG).status_code == 303
    assert client.post("/logout", data=form_token(client)).status_code == 302
    assert client.get("/").headers["Location"].endswith("/login")


def test_a_host_other_computers_reach_gets_a_long_access_code():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    generated = access_code_for("0.0.0.0", None)  # none given: one is made up (auto)
    assert len(generated) == 12 and generated != access_code_for("0.0.0.0", "auto")
    with pytest.raises(Exception, match=r"访问码太短：在 0\.0\.0\.0 上提供服务时至少 10 个字符"):
        access_code_for("0.0.0.0", "123456789")
    assert access_code_for("0.0.0.0", " shelf-mark-42 ") == "shelf-mark-42"
    assert access_code_for("127.0.0.1", None) is None and access_code_for("127.0.0.1", "abc") == "abc"
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0", "--access-code", "short"])
    assert result.exit_code == 1 and "访问码太短" in result.output and "Traceback" not in result.output


def test_serve_without_flask_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "waitress", None)
    result = CliRunner().invoke(main, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert 'pip install ".[web]"' in result.output and "Traceback" not in result.output


# The page --------------------------------------------------------------------------------------------


def test_the_page_offers_the_blank_workbook(client):
    assert "下载空白工作簿" in client.get("/").text
    response = client.get("/blank.xlsx")
    assert response.status_code == 200
    assert "封面" in load_workbook(io.BytesIO(response.data)).sheetnames


def test_the_page_shows_problems_grouped_by_sheet_with_their_cells(client, bad_workbook):
    page = upload(client, "/check", bad_workbook, follow_redirects=True)
    assert "待修改.xlsx" in page.text
    sheets = re.findall(r"<h2>【(.+?)】</h2>", page.text)
    assert [s for s in sheets if s in ("封面", "主要数据", "人员")] == ["封面", "主要数据", "人员"]
    assert "人员!B3：「在职人数」应为数字" in page.text
    assert "不能生成报告" in page.text and "report.docx" not in page.text


def test_the_page_gives_the_report_of_a_workbook_without_errors(client):
    page = upload(client, "/check", LIJIANG, follow_redirects=True)
    assert "没有错误，可以生成报告" in page.text and "【主要数据】" in page.text
    response = client.get(_link(page.text, "report.docx"))
    assert response.status_code == 200
    assert "丽江市图书馆" in "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "report.pdf" not in page.text  # no layout in these tests, so no PDF


@pytest.mark.libreoffice
def test_where_libreoffice_is_installed_the_page_gives_the_pdf_from_a_warm_libreoffice(make_app):
    app = make_app(layout=None)
    client, workers = app.test_client(), app.extensions["annual_report"].workers
    warm = workers.run(office_group)  # the worker started its LibreOffice before it took any work
    assert warm is not None
    page = upload(client, "/check", LIJIANG, follow_redirects=True)
    response = client.get(_link(page.text, "report.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].endswith("%E5%B9%B4%E6%8A%A5.pdf")  # …-2020-年报.pdf
    assert workers.run(office_group) == warm  # laid out by the same LibreOffice, not a new one
    os.killpg(warm, signal.SIGKILL)  # LibreOffice crashes: the next PDF still comes, from a fresh one
    page = upload(client, "/check", LIJIANG, follow_redirects=True)
    assert client.get(_link(page.text, "report.pdf")).data.startswith(b"%PDF")
    assert workers.run(office_group) not in (None, warm)


def test_several_workbooks_give_a_table_of_libraries_and_the_summary(client, bad_workbook):
    page = upload(client, "/check", LIJIANG, bad_workbook, follow_redirects=True)
    assert "共 2 个文件：1 个通过，1 个未通过" in page.text
    assert "丽江市图书馆" in page.text and "封面!B7：「电子邮箱」" in page.text  # the first problem
    summary = load_workbook(io.BytesIO(client.get(_link(page.text, "summary.xlsx")).data))
    rows = [row[:3] for row in summary["各馆数据"].iter_rows(min_row=3, max_row=4, values_only=True)]
    assert rows == [("丽江市图书馆", 2020, "通过"), ("待修改图书馆", 2020, "有错误")]


def test_expired_or_deleted_results_are_gone(client):
    page = upload(client, "/check", LIJIANG, follow_redirects=True)
    token_url = _link(page.text, "/delete")
    assert "已删除" in client.post(token_url, data=form_token(client)).text
    gone = client.get(token_url.removesuffix("/delete") + "/0")
    assert gone.status_code == 404 and "一小时" in gone.text


def _link(html: str, ending: str) -> str:
    """The first href or form action of the page that ends with ending."""
    return next(url for url in re.findall(r'(?:href|action)="([^"]+)"', html) if url.endswith(ending))


def test_the_page_names_the_office_that_runs_it_and_its_deadline(make_app):
    app = make_app(operator="某某市文化和旅游局", contact="张老师 0871-1234567", deadline="2021-03-31")
    page = app.test_client().get("/").text
    assert "收报单位：某某市文化和旅游局" in page and "联系方式：张老师 0871-1234567" in page
    assert "报送截止：2021年3月31日" in page
