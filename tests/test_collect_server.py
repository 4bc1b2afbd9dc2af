"""An office collects three libraries' reports through `fill.py serve --collect`, in a real browser, and under load."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import zipfile

import pytest
from conftest import screenshot_path
from docx import Document
from make_samples import fixture, write_test_workbook
from openpyxl import load_workbook
from servers import CHROMIUM, CHROMIUM_ARGS, Client, descendants, start_server, stop_server, wait_until

from annual_report.collect.collection import Collection
from annual_report.collect.libraries import Expected

A, B, C = "甲县图书馆", "乙县图书馆", "丙县图书馆"
QUEUE = 16


@pytest.fixture(scope="session")  # the browser tests run first (conftest): one server for both of this module's tests
def office(tmp_path_factory):
    """A collection of A, B and C served on 127.0.0.1 (two workers, no LibreOffice); its address and codes."""
    folder = tmp_path_factory.mktemp("office") / "2020年报"
    collection, added, office_code = Collection.create(folder, 2020, [Expected(A), Expected(B), Expected(C)])
    collection.close()
    process, url = start_server(
        "--collect", str(folder), "--no-layout", "-j", "2", "--queue", str(QUEUE),
        "--operator", "某某市文化和旅游局", "--contact", "公共服务科 0871-12345678", "--deadline", "2021-03-31",
    )  # fmt: skip
    try:
        yield {"url": url, "codes": {lib.name: code for lib, code in added}, "office": office_code, "process": process}
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory):
    """A's workbook with errors and corrected, B's workbook: 丽江's data under their names."""
    folder = tmp_path_factory.mktemp("workbooks")
    made = {}
    for key, name, visits in (("A-errors", A, -5), ("A", A, 30000), ("B", B, 12345)):
        data = fixture("lijiang_2020")
        data["cover"]["name"] = name
        data["indicators"]["visits"]["current"] = visits
        if key == "A-errors":
            data["staff"]["employed"] = "十四"
        made[key] = write_test_workbook(folder / f"{name}{'-有错误' if visits < 0 else ''}.xlsx", data)
    return made


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install chromium")
def test_an_office_collects_three_libraries_in_a_real_browser(office, workbooks, tmp_path):
    from playwright.sync_api import sync_playwright

    url = office["url"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # library A: a workbook with errors, every problem shown; then the corrected one
            page = signed_in(browser, url, office["codes"][A])
            assert "甲县图书馆 · 2020 年度年报报送" in page.inner_text("h1")
            assert "收报单位：某某市文化和旅游局" in page.inner_text("#operator")
            assert "报送截止：2021年3月31日" in page.inner_text("#operator")
            page.set_input_files("#workbook", workbooks["A-errors"])
            page.click("#submit")
            assert "本次提交有错误，未通过" in page.inner_text("#outcome")
            problems = page.inner_text("#problems")
            assert "人员!B3：「在职人数」应为数字" in problems and "主要数据!B2" in problems
            assert len(page.inner_text("#checksum")) == 64
            page.click("#back")
            page.set_input_files("#workbook", workbooks["A"])
            page.click("#submit")
            assert "检查通过" in page.inner_text("#outcome")
            receipt = page.inner_text("#receipt")
            assert A in receipt and "2020" in receipt and "甲县图书馆.xlsx" in receipt
            page.context.close()

            # library B: a valid workbook at once
            page = signed_in(browser, url, office["codes"][B])
            page.set_input_files("#workbook", workbooks["B"])
            page.click("#submit")
            assert "检查通过" in page.inner_text("#outcome")
            page.context.close()

            # the office: every library with its status, A's two submissions, the downloads
            page = signed_in(browser, url, office["office"], viewport={"width": 1280, "height": 800})
            statuses = {row[0]: row[1] for row in table_rows(page, "libraries")}
            assert statuses == {A: "已通过", B: "已通过", C: "未报送"}
            row_a = page.locator("#libraries tbody tr", has_text=A)
            assert row_a.locator("td").nth(5).inner_text() == "2"
            row_a.locator("summary").click()
            history = row_a.locator("ol.history li")
            assert history.count() == 2 and "有错误" in history.nth(1).inner_text()
            assert C in page.inner_text("#missing")
            page.screenshot(path=str(screenshot_path("收集看板.png", tmp_path)), full_page=True)
            with page.expect_download() as reports:
                page.click("#all-reports")
            reports.value.save_as(tmp_path / "reports.zip")
            with zipfile.ZipFile(tmp_path / "reports.zip") as archive:
                names = sorted(archive.namelist())
                texts = {n: "\n".join(p.text for p in Document(io.BytesIO(archive.read(n))).paragraphs) for n in names}
            assert names == sorted([f"{A}-2020-年报.docx", f"{B}-2020-年报.docx"])
            assert A in texts[f"{A}-2020-年报.docx"] and B in texts[f"{B}-2020-年报.docx"]
            with page.expect_download() as summary:
                page.click("#summary")
            summary.value.save_as(tmp_path / "summary.xlsx")
            rows = list(load_workbook(tmp_path / "summary.xlsx")["各馆数据"].iter_rows(min_row=3, values_only=True))
            by_library = {row[0]: row for row in rows if row[0] in (A, B, C)}
            assert [row[0] for row in rows].count(A) == 1 and set(by_library) == {A, B}
            assert by_library[A][5] == 30000 and by_library[B][5] == 12345  # 进馆人次 本年: A's corrected figure

            page.select_option("#status-filter", "未报送")
            assert [row[0] for row in table_rows(page, "libraries", visible=True)] == [C]
            page.context.close()

            # on a phone: the dashboard and a library's page fit the screen (no sideways scrolling)
            for code, path in ((office["office"], "/office"), (office["codes"][A], "/library")):
                phone = signed_in(browser, url, code, viewport={"width": 390, "height": 844})
                phone.goto(url + path.lstrip("/"))
                assert phone.evaluate("document.documentElement.scrollWidth") <= 390
                phone.screenshot(path=str(tmp_path / f"phone{path.replace('/', '-')}.png"), full_page=True)
                phone.context.close()
        finally:
            browser.close()


def test_pages_answer_while_the_queue_is_full_and_one_more_render_is_refused_at_once(
    office, workbooks, record_property
):
    url, server = office["url"], office["process"]
    library, desk = Client(url, timeout=30), Client(url, timeout=30)
    library.sign_in(office["codes"][B])
    library.read_token("/library")
    desk.sign_in(office["office"])
    workers = descendants(server.pid)
    data = workbooks["B"].read_bytes()
    answers: list[int] = []
    for pid in workers:  # the workers are busy (stopped): every submission waits in the queue
        os.kill(pid, signal.SIGSTOP)
    try:
        threads = [
            threading.Thread(target=lambda: answers.append(submit(library, data)[0]), daemon=True) for _ in range(QUEUE)
        ]
        for thread in threads:
            thread.start()
        wait_until(lambda: in_work(desk) == QUEUE)
        started = time.monotonic()
        refused = [submit(library, data) for _ in range(3)]
        refusing = time.monotonic() - started
        assert [status for status, _body in refused] == [503, 503, 503]
        assert all("正在处理的工作簿太多" in body for _status, body in refused)
        timings = {}
        for path, client in (
            ("/login", Client(url)),
            ("/library", library),
            ("/office", desk),
            ("/static/style.css", desk),
        ):
            times = []
            for _ in range(3):
                begun = time.monotonic()
                status, _headers, _body = client.get(path)
                times.append(time.monotonic() - begun)
                assert status == 200, path
            timings[path] = max(times)
        assert in_work(desk) == QUEUE  # measured while all sixteen waited
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
    for thread in threads:
        thread.join(120)
    assert answers == [303] * QUEUE
    record_property("three refusals (s)", round(refusing, 3))
    for path, seconds in timings.items():
        record_property(f"GET {path} with {QUEUE} renders queued, slowest of 3 (s)", round(seconds, 3))
    print(f"\nwith {QUEUE} renders queued: 3 refusals in {refusing:.3f} s;", timings)


def signed_in(browser, url: str, code: str, viewport: dict | None = None):
    """A new browser context (its own cookies) that has signed in with a code."""
    context = browser.new_context(viewport=viewport or {"width": 1000, "height": 700}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.fill("#code", code)
    with page.expect_navigation():  # the signed-in page, not the login page still shown (seen under load)
        page.click("#enter")
    return page


def table_rows(page, table: str, visible: bool = False) -> list[list[str]]:
    """The text of each body row's cells (only the rows shown, if visible)."""
    script = """([id, visible]) => Array.from(document.getElementById(id).tBodies[0].rows)
        .filter(row => !visible || !row.hidden)
        .map(row => Array.from(row.cells).map(cell => cell.innerText.trim()))"""
    page.wait_for_selector(f"#{table}", state="attached")  # the page that has it, not the one before (under load)
    return page.evaluate(script, [table, visible])


def submit(client: Client, data: bytes) -> tuple[int, str]:
    status, _headers, body = client.post("/library/submit", {}, {"workbook": ("乙县图书馆.xlsx", data)})
    return status, body.decode()


def in_work(desk: Client) -> int:
    _status, _headers, body = desk.get("/office")
    text = body.decode()
    return int(text.split('id="in-work">')[1].split("<")[0])
