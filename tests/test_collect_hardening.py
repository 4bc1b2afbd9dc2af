"""The collection's server on a hostile network: a flood of wrong codes, and kill -9 in the middle of uploads."""

from __future__ import annotations

import http.client
import os
import re
import tempfile
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from make_samples import fixture, write_test_workbook
from servers import Client, descendants, start_server, stop_server, wait_until

from annual_report.collect.collection import Collection
from annual_report.collect.files import sha256_of
from annual_report.collect.libraries import Expected
from annual_report.web.throttle import FREE_TRIES

LIBRARY = "丽江市图书馆"
ATTEMPTS = 1000


@pytest.fixture
def collection_folder(tmp_path):
    folder = tmp_path / "数据"
    collection, added, _office = Collection.create(folder, 2020, [Expected(LIBRARY)])
    collection.close()
    return folder, added[0][1]


def test_a_thousand_wrong_codes_from_one_client_are_mostly_not_even_checked(collection_folder):
    folder, _code = collection_folder
    process, url = start_server("--collect", str(folder), "--no-layout", "-j", "1")
    try:
        address = urlsplit(url)
        # another loopback address than the other tests' clients: this one alone is slowed down
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10, source_address=("127.0.0.2", 0))
        connection.request("GET", "/login")
        page = connection.getresponse()
        cookie = page.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf" value="([^"]+)"', page.read().decode()).group(1)
        statuses = Counter()
        for attempt in range(ATTEMPTS):
            body = f"csrf={token}&code=guess{attempt:06d}"
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            connection.request("POST", "/login", body, headers)
            answer = connection.getresponse()
            answer.read()
            statuses[answer.status] += 1
        connection.close()
    finally:
        stop_server(process)
    lines = [line.split("\t") for line in (folder / "access.log").read_text(encoding="utf-8").splitlines()]
    mine = [line for line in lines if line[1] == "127.0.0.2" and line[3] == "登录"]
    checked = [line for line in mine if line[4].startswith("码不对")]
    assert len(mine) == ATTEMPTS  # every attempt is in the log
    assert statuses[403] == len(checked) and statuses[429] == ATTEMPTS - len(checked)
    assert FREE_TRIES <= len(checked) <= FREE_TRIES + 5  # after the first few, nearly none is checked
    per_second = Counter(line[0] for line in checked[FREE_TRIES:])
    assert max(per_second.values(), default=0) <= 2
    assert not any("guess" in "\t".join(line) for line in lines)  # the codes themselves are never logged


def test_kill_9_during_twenty_uploads_leaves_every_confirmed_submission_whole_and_nothing_else(
    collection_folder, tmp_path
):
    folder, code = collection_folder
    variants = []
    for visits in (30000, 31000, 32000, 33000):
        data = fixture("lijiang_2020")
        data["indicators"]["visits"]["current"] = visits
        variants.append(write_test_workbook(tmp_path / f"{visits}.xlsx", data).read_bytes())
    process, url = start_server("--collect", str(folder), "--no-layout", "-j", "2", "--per-library", "100")
    client = Client(url, timeout=30)
    client.sign_in(code)
    client.read_token("/library")
    confirmed: list[int] = []

    def upload(number: int) -> None:
        try:
            status, headers, _body = client.post("/library/submit", {}, {"workbook": (f"{number}.xlsx", variants[number % 4])})
        except OSError:  # the server was killed under it
            return
        if status == 303:
            confirmed.append(int(headers["Location"].split("/")[-1].split("?")[0]))

    helpers = descendants(process.pid)
    threads = [threading.Thread(target=upload, args=(number,), daemon=True) for number in range(20)]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(confirmed) >= 4, seconds=60)
    process.kill()  # kill -9, in the middle of the other uploads
    process.wait()
    for thread in threads:
        thread.join(60)
    wait_until(lambda: not any(_running(pid) for pid in helpers))  # its workers did not outlive it
    killed = process.pid
    stop_server(process)

    restarted, _url = start_server("--collect", str(folder), "--no-layout", "-j", "1")  # cleans up what was left
    stop_server(restarted)
    collection = Collection.open(folder)
    try:
        history = collection.state(collection.libraries()[0]).history
        assert set(confirmed) <= {submission.id for submission in history}
        named = set()
        for submission in history:
            named |= {submission.workbook_sha256, submission.report_sha256}
            assert sha256_of(collection.files.path(submission.workbook_sha256)) == submission.workbook_sha256
            assert submission.status == "ok" and submission.report_sha256  # none half recorded
            assert sha256_of(collection.files.path(submission.report_sha256)) == submission.report_sha256
        stored = {path.name for path in (folder / "files").rglob("*") if path.is_file()}
        assert stored == named  # no orphan file
        assert list((folder / "tmp").iterdir()) == []
    finally:
        collection.close()
    assert not [p for p in os.listdir(tempfile.gettempdir()) if p.startswith(f"annual-report-web-{killed}-")]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
