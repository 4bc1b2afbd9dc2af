"""`fill.py serve` as a user starts it: its JSON API over HTTP, and the page in a real browser (the system's Chromium)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import INPUTS, headings, screenshot_path
from docx import Document
from make_samples import OFFICE_TEMPLATE
from openpyxl import load_workbook
from servers import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from annual_report.cli.main import main
from annual_report.web import front

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"


@pytest.fixture(scope="module")
def server():
    """`fill.py serve` on 127.0.0.1 and a free port, 1 MB upload limit, no LibreOffice, the office's own template;
    its address; stopped afterwards."""
    process, address = start_server("--max-upload", "1", "--no-layout", "--template", str(OFFICE_TEMPLATE))
    try:
        yield address
    finally:
        stop_server(process)


def post(url: str, path: Path | None = None, data: bytes | None = None) -> tuple[int, str, bytes]:
    """POST one workbook as the multipart field `workbook`; status, content type and body."""
    upload = FileStorage(io.BytesIO(data if data is not None else path.read_bytes()), path.name if path else "x.xlsx")
    boundary, body = encode_multipart({"workbook": upload})
    request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def test_the_api_over_http(server, bad_workbook):
    status, _, body = post(server + "api/validate", LIJIANG)
    assert status == 200 and json.loads(body)["valid"] is True
    status, _, body = post(server + "api/validate", bad_workbook)
    found = {(p["sheet"], p["cell"], p["code"]) for p in json.loads(body)["problems"]}
    assert status == 200 and ("人员", "B3", "not-a-number") in found
    status, kind, body = post(server + "api/render", LIJIANG)
    assert status == 200 and kind.endswith("wordprocessingml.document")
    report = Document(io.BytesIO(body))
    assert headings(report)[0] == (1, "一、年度业务工作情况")
    assert ("红头", "示例市文化和旅游局") in [(p.style.name, p.text) for p in report.paragraphs]  # serve --template
    status, _, body = post(server + "api/render", bad_workbook)
    assert status == 422 and json.loads(body)["valid"] is False


def test_the_page_names_the_template_and_a_broken_one_refuses_to_start(server, tmp_path, monkeypatch):
    with urllib.request.urlopen(server, timeout=60) as response:
        assert "使用模板：示例-红头模板.docx" in response.read().decode()
    monkeypatch.setattr(front, "serve_with_gate", lambda *a, **k: pytest.fail("served with a broken template"))
    broken = tmp_path / "坏模板.docx"
    broken.write_bytes(b"not a docx")
    started = CliRunner().invoke(main, ["serve", "--port", "0", "--template", str(broken)])
    assert started.exit_code == 1 and "坏模板.docx" in started.output and "Traceback" not in started.output
    rendering = CliRunner().invoke(main, ["render", str(LIJIANG), "--template", str(broken), "--no-layout", "-o",
                                          str(tmp_path / "报告.docx")])  # fmt: skip
    assert started.output == rendering.output  # the render command's message
    missing = CliRunner().invoke(main, ["serve", "--port", "0", "--template", str(tmp_path / "没有.docx")])
    assert missing.exit_code == 1 and "找不到 Word 模板" in missing.output


def test_an_upload_over_the_limit_gets_a_clear_message_from_the_server(server):
    status, _, body = post(server + "api/validate", data=b"PK" + b"\0" * (1024 * 1024 + 100))
    assert status == 413
    assert "上传的文件太大：一次最多 1 MB" in json.loads(body)["error"]


def table_rows(page, table: str, visible: bool = False) -> list[list[str]]:
    """The text of each body row's cells (only the rows shown, if visible)."""
    script = """([id, visible]) => Array.from(document.getElementById(id).tBodies[0].rows)
        .filter(row => !visible || !row.hidden)
        .map(row => Array.from(row.cells).map(cell => cell.innerText.trim()))"""
    page.wait_for_selector(f"#{table}", state="attached")  # the page that has it, not the one before (under load)
    return page.evaluate(script, [table, visible])


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install chromium")
def test_the_page_in_a_real_browser(server, bad_workbook, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 560}, accept_downloads=True)
            page.goto(server)
            assert "第一步：下载空白工作簿" in page.inner_text("main")
            with page.expect_download() as blank:
                page.click("#blank")
            blank.value.save_as(tmp_path / "blank.xlsx")
            assert "封面" in load_workbook(tmp_path / "blank.xlsx").sheetnames

            # a bad workbook: its problems, grouped by sheet, read off the page
            page.set_input_files("input[type=file]", bad_workbook)
            assert "待修改.xlsx" in page.inner_text("#chosen")
            page.click("#submit")
            problems = page.inner_text("#problems")
            sheets = [line for line in problems.splitlines() if line.startswith("【")]
            assert sheets == ["【封面】", "【主要数据】", "【正文】", "【人员】"]  # 正文: 主要数据图 is a sentence
            assert "人员!B3：「在职人数」应为数字，现在是“十四”" in problems
            assert "不能生成报告" in page.inner_text("main")
            page.screenshot(path=str(screenshot_path("网页版.png", tmp_path)), full_page=True)

            # a good one: the report, opened with python-docx
            page.goto(server)
            page.set_input_files("input[type=file]", LIJIANG)
            page.click("#submit")
            with page.expect_download(timeout=60_000) as report:
                page.click("#docx")
            assert report.value.suggested_filename == "丽江市图书馆-2020-年报.docx"
            report.value.save_as(tmp_path / "report.docx")
            assert headings(Document(tmp_path / "report.docx"))[0] == (1, "一、年度业务工作情况")
            assert page.locator("#pdf").count() == 0  # served with --no-layout: no PDF offered

            # several: a table of libraries and the summary workbook
            page.goto(server)
            page.set_input_files("input[type=file]", [LIJIANG, bad_workbook])
            page.click("#submit")
            rows = table_rows(page, "libraries")
            assert [row[:4] for row in rows] == [
                ["丽江市图书馆-2020.xlsx", "丽江市图书馆", "2020", "通过"],
                ["待修改.xlsx", "待修改图书馆", "2020", "有错误"],
            ]
            page.click("#libraries tbody tr:nth-child(2) summary")  # every problem, warnings too, one click away
            assert "人员!B3：「在职人数」应为数字" in page.inner_text("#libraries tbody tr:nth-child(2) details")
            page.select_option("#status-filter", "有错误")
            assert [row[0] for row in table_rows(page, "libraries", visible=True)] == ["待修改.xlsx"]
            page.select_option("#status-filter", "")
            page.click("#libraries th:nth-child(5)")  # by 错误, ascending
            page.click("#libraries th:nth-child(5)")  # descending
            assert [row[0] for row in table_rows(page, "libraries")] == ["待修改.xlsx", "丽江市图书馆-2020.xlsx"]
            with page.expect_download(timeout=60_000) as everything:
                page.click("#all-reports")
            everything.value.save_as(tmp_path / "all.zip")
            with zipfile.ZipFile(tmp_path / "all.zip") as archive:
                assert archive.namelist() == ["丽江市图书馆-2020-年报.docx"]
            with page.expect_download() as summary:
                page.click("#summary")
            summary.value.save_as(tmp_path / "summary.xlsx")
            assert load_workbook(tmp_path / "summary.xlsx")["各馆数据"]["A3"].value == "丽江市图书馆"

            # over the limit: the page says so before uploading anything
            page.goto(server)
            big = tmp_path / "大文件.xlsx"
            big.write_bytes(b"PK" + b"\0" * (2 * 1024 * 1024))
            page.set_input_files("input[type=file]", big)
            assert "超过了每次 1 MB 的上限" in page.inner_text("#too-large")
            assert page.is_disabled("#submit")
        finally:
            browser.close()
