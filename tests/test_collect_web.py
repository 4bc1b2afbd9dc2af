"""A collection's pages through Flask's test client: codes, a library's own submissions, the office's dashboard, and the gate."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import INPUTS
from docx import Document
from make_samples import OFFICE_TEMPLATE, fixture
from openpyxl import load_workbook

from annual_report.collect.collection import Collection
from annual_report.collect.libraries import Expected
from annual_report.web.accesslog import AccessLog
from annual_report.web.app import Settings, close_app, create_app
from annual_report.web.gate import cross_site
from annual_report.web.throttle import FREE_TRIES, Throttle

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
LIBRARIES = [Expected("丽江市图书馆"), Expected("曲阜市图书馆"), Expected("待修改图书馆")]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A collection of three libraries served by one application (one worker, no layout, the office's own template)."""
    folder = tmp_path_factory.mktemp("collection") / "数据"
    collection, added, office = Collection.create(
        folder, 2020, LIBRARIES, operator="云南省图书馆", deadline="2021-03-31"
    )
    log = AccessLog(folder / "access.log")
    app = create_app(Settings(layout=False, jobs=1, per_library=4, template=OFFICE_TEMPLATE), collection, log)
    app.codes = {library.name: code for library, code in added}
    app.office_code = office
    yield app
    close_app(app)
    collection.close()


def signed_in(app, code: str, client=None):
    """A client that has signed in with this code as a person does (the form with its CSRF token)."""
    client = client or app.test_client()
    page = client.get("/login")
    response = client.post("/login", data={"code": code, "csrf": token_of(page.text)})
    assert response.status_code == 302, response.text
    return client


def token_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def submit(client, path, name=None):
    page = client.get("/library")
    data = {"csrf": token_of(page.text), "workbook": (io.BytesIO(path.read_bytes()), name or path.name)}
    return client.post("/library/submit", data=data, content_type="multipart/form-data")


def test_a_library_signs_in_with_its_code_and_sees_only_its_own_page(served):
    assert served.test_client().get("/library").headers["Location"].endswith("/login")
    client = signed_in(served, "  " + served.codes["曲阜市图书馆"].upper() + " ")
    page = client.get("/library").text
    assert "曲阜市图书馆 · 2020 年度年报报送" in page and "未报送" in page
    assert "收报单位：云南省图书馆" in page and "报送截止：2021年3月31日" in page
    assert client.get("/office").headers["Location"].endswith("/login")  # not the office's dashboard


def test_a_submission_with_errors_then_a_corrected_one(served, bad_workbook, make_workbook):
    client = signed_in(served, served.codes["待修改图书馆"])
    first = submit(client, bad_workbook)
    assert first.status_code == 303
    receipt = client.get(first.headers["Location"]).text
    assert "已收到您提交的工作簿" in receipt and "本次提交有错误，未通过" in receipt
    assert "人员!B3：「在职人数」应为数字" in receipt and "【人员】" in receipt
    corrected = fixture("lijiang_2020")  # bad_workbook's data with its errors put right
    corrected["cover"]["name"] = "待修改图书馆"
    second = client.get(submit(client, make_workbook(corrected, "改好的.xlsx")).headers["Location"]).text
    assert "检查通过" in second and re.search(r'id="checksum">[0-9a-f]{64}<', second)
    assert "2020" in second and "改好的.xlsx" in second
    report = client.get(re.search(r'href="([^"]+report\.docx)"', second).group(1))
    assert "待修改图书馆" in "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    home = client.get("/library").text
    assert "已通过" in home and home.count("/library/submission/") >= 2


def test_a_library_cannot_open_another_library_s_submission(served):
    mine = signed_in(served, served.codes["丽江市图书馆"])
    receipt = submit(mine, LIJIANG).headers["Location"]
    other = signed_in(served, served.codes["曲阜市图书馆"])
    assert other.get(receipt).status_code == 404
    assert other.get(receipt + "/report.docx").status_code == 404


def test_the_office_sees_every_library_decides_and_downloads(served):
    library = signed_in(served, served.codes["丽江市图书馆"])
    submit(library, LIJIANG)
    office = signed_in(served, served.office_code)
    page = office.get("/office").text
    assert "应报 3 个馆" in page and "曲阜市图书馆" in page and "丽江市图书馆" in page
    row = re.search(r'<tr id="library-1".*?</tr>', page, re.S).group(0)
    assert "已通过" in row
    submission = re.search(r'name="submission" value="(\d+)"', row).group(1)
    decided = office.post(
        "/office/decide",
        data={
            "csrf": token_of(page),
            "library": "1",
            "submission": submission,
            "decision": "returned",
            "comment": "请核对面积",
        },
    )
    assert decided.status_code == 303
    assert "退回" in library.get("/library").text and "请核对面积" in library.get("/library").text
    with office.get("/office/reports.zip") as answer:
        archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert "丽江市图书馆-2020-年报.docx" in archive.namelist()
    report = Document(io.BytesIO(archive.read("丽江市图书馆-2020-年报.docx")))
    assert ("红头", "示例市文化和旅游局") in [(p.style.name, p.text) for p in report.paragraphs]  # serve --template
    assert "使用模板：示例-红头模板.docx" in page
    summary = load_workbook(io.BytesIO(office.get("/office/summary.xlsx").data))
    assert "丽江市图书馆" in [row[0] for row in summary["各馆数据"].iter_rows(min_row=3, values_only=True)]
    assert office.get("/office/problems.csv").data.decode("utf-8-sig").startswith("图书馆,状态,报送时间")
    assert office.get("/office/problems.xlsx").status_code == 200


def test_a_workbook_of_another_library_is_refused_as_an_error(served):
    client = signed_in(served, served.codes["曲阜市图书馆"])
    receipt = client.get(submit(client, LIJIANG).headers["Location"]).text
    assert "报送码属于“曲阜市图书馆”" in receipt and "未通过" in receipt


def test_each_library_may_submit_only_so_often(served, tmp_path):
    client = signed_in(served, served.codes["曲阜市图书馆"])
    junk = tmp_path / "乱码.xlsx"
    junk.write_bytes(b"not a workbook")
    answers = [submit(client, junk).status_code for _ in range(5)]
    assert 507 in answers and answers[: answers.index(507)] == [303] * answers.index(507)
    assert "达到每馆 4 次的上限" in submit(client, junk).text


def test_a_form_without_its_token_or_from_another_site_is_refused(served):
    client = signed_in(served, served.codes["丽江市图书馆"])
    data = {"workbook": (io.BytesIO(LIJIANG.read_bytes()), "a.xlsx")}
    forged = client.post("/library/submit", data=data, content_type="multipart/form-data")
    assert forged.status_code == 400 and "页面已过期" in forged.text
    page = client.get("/library").text
    elsewhere = client.post(
        "/library/submit",
        data={"csrf": token_of(page), "workbook": (io.BytesIO(b"x"), "a.xlsx")},
        headers={"Origin": "http://evil.example"},
        content_type="multipart/form-data",
    )
    assert elsewhere.status_code == 403 and "其他网站" in elsewhere.text
    assert cross_site({"HOST": "127.0.0.1:8765", "ORIGIN": "null"})
    assert not cross_site({"HOST": "127.0.0.1:8765", "ORIGIN": "http://127.0.0.1:8765"})
    assert cross_site({"HOST": "127.0.0.1:8765", "SEC_FETCH_SITE": "cross-site"})


def test_a_renewed_code_ends_the_sessions_made_with_the_old_one(served):
    collection = served.extensions["annual_report"].collection
    library = collection.libraries()[1]
    client = signed_in(served, served.codes[library.name])
    assert client.get("/library").status_code == 200
    served.codes[library.name] = collection.renew(library)
    assert client.get("/library").headers["Location"].endswith("/login")


def test_wrong_codes_are_slowed_down_and_logged(served):
    client = served.test_client()
    token = token_of(client.get("/login").text)
    answers = [
        client.post("/login", data={"code": "wrong-code-xyz", "csrf": token}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
        for _ in range(FREE_TRIES + 3)
    ]
    assert [a.status_code for a in answers[:FREE_TRIES]] == [403] * FREE_TRIES
    assert answers[FREE_TRIES + 1].status_code == 429 and "秒后再试" in answers[FREE_TRIES + 1].text
    lines = (served.extensions["annual_report"].log.path).read_text(encoding="utf-8").splitlines()
    mine = [line for line in lines if "\t10.0.0.9\t" in line]
    assert len(mine) == FREE_TRIES + 3 and "被限速，未检查" in mine[-1] and "码不对（连续第 1 次）" in mine[0]
    assert not any("wrong-code-xyz" in line for line in lines)  # never a code in the log
    assert signed_in(served, served.office_code)  # another client is not slowed down


def test_the_throttle_grows_per_client_and_spaces_checks_from_everywhere():
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    delays = [throttle.failed("a")[1] for _ in range(FREE_TRIES + 3)]
    assert delays == [0.0] * FREE_TRIES + [1.0, 2.0, 4.0]
    assert throttle.wait("a") == 4.0 and throttle.wait("b") == 0.0
    throttle.succeeded("a")
    assert throttle.wait("a") == 0.0
    for client in range(40):  # many clients, one wrong code each: every check is now spaced
        throttle.failed(f"guesser-{client}")
    assert throttle.wait("c") == 0.0 and throttle.wait("d") > 0
    now[0] += 120
    assert throttle.wait("d") == 0.0 and throttle.wait("e") == 0.0
