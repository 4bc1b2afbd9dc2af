"""The office's collection as a library: the list of libraries, codes, the database and its migrations, submissions kept whole."""

from __future__ import annotations

import csv
import dataclasses
import io
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from conftest import INPUTS
from docx import Document
from openpyxl import Workbook, load_workbook

from annual_report.cli.main import main
from annual_report.collect import codes
from annual_report.collect.collection import CONFIRMED, RETURNED, Collection, Received, backup
from annual_report.collect.database import DATABASE_NAME, connect, migrate, version
from annual_report.collect.exports import problems_csv, problems_workbook, summary_workbook, write_reports_zip
from annual_report.collect.files import sha256_of
from annual_report.collect.libraries import Expected, read_library_list
from annual_report.collect.rules import submission_checked
from annual_report.core.errors import InputUnreadable, OutputError
from annual_report.pipeline.batch import validate_folder, validate_one
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.pipeline.summary import write_summary

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
LIBRARIES = [Expected("丽江市图书馆", "lj@example.cn"), Expected("曲阜市图书馆"), Expected("待修改图书馆")]


@pytest.fixture
def collection(tmp_path):
    made, added, office = Collection.create(tmp_path / "收集", 2020, LIBRARIES, operator="省图书馆")
    made.codes = {library.name: code for library, code in added}
    made.office_code = office
    yield made
    made.close()


def submit(collection: Collection, name: str, workbook, tmp_path, received_ns: int = 0, file_name: str = ""):
    """What the server does with an upload: render it in a scratch folder, then record it."""
    library = next(lib for lib in collection.libraries() if lib.name == name)
    scratch = collection.scratch()
    upload = scratch / "upload.xlsx"
    upload.write_bytes(workbook.read_bytes())
    outcome = render_workbook(upload, RenderOptions(output=scratch / "report.docx", force=True))
    result = validate_one(str(upload), file_name or workbook.name, False)
    if outcome.output:
        result = dataclasses.replace(result, output=str(outcome.output))
    result = submission_checked(result, library, collection.year, {})
    report_name = f"{result.library}-2020-年报.docx"
    received = Received(file_name or workbook.name, upload, result, report_name=report_name, received_ns=received_ns)
    return collection.record(library, received)


# The list of libraries and the codes ------------------------------------------------------------------


def test_a_list_of_libraries_is_read_from_csv_in_utf8_or_gbk_and_from_a_workbook(tmp_path):
    text = "馆名,邮箱\n丽江市图书馆,lj@example.cn\n\n  曲阜市图书馆  ,\n"
    (tmp_path / "utf8.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    book = Workbook()
    book.active.append(["图书馆", "电子邮箱"])
    book.active.append(["丽江市图书馆", "lj@example.cn"])
    book.active.append(["曲阜市图书馆", None])
    book.save(tmp_path / "名单.xlsx")
    expected = [Expected("丽江市图书馆", "lj@example.cn"), Expected("曲阜市图书馆", "")]
    for name in ("utf8.csv", "gbk.csv", "名单.xlsx"):
        assert read_library_list(tmp_path / name) == expected, name
    (tmp_path / "plain.csv").write_text("丽江市图书馆\n曲阜市图书馆\n", encoding="utf-8")
    assert [e.name for e in read_library_list(tmp_path / "plain.csv")] == ["丽江市图书馆", "曲阜市图书馆"]


def test_the_same_library_twice_in_the_list_is_refused_with_both_rows(tmp_path):
    (tmp_path / "名单.csv").write_text("馆名\n丽江市图书馆\n曲阜市图书馆\n丽江市\u200b图书馆 \n", encoding="utf-8")
    with pytest.raises(InputUnreadable, match="第 4 行的“丽江市\u200b图书馆”与第 2 行是同一个馆"):
        read_library_list(tmp_path / "名单.csv")
    (tmp_path / "坏邮箱.csv").write_text("馆名,邮箱\n丽江市图书馆,不是邮箱\n", encoding="utf-8")
    with pytest.raises(InputUnreadable, match="第 2 行：“不是邮箱”不是电子邮箱地址"):
        read_library_list(tmp_path / "坏邮箱.csv")
    (tmp_path / "空.csv").write_text("馆名\n\n", encoding="utf-8")
    with pytest.raises(InputUnreadable, match="没有图书馆名称"):
        read_library_list(tmp_path / "空.csv")


def test_codes_are_compared_as_typed_but_stored_only_as_digests(collection):
    code = collection.codes["丽江市图书馆"]
    assert len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET)
    for typed in (code, codes.shown(code), f"  {codes.shown(code).upper()} ", code.upper().replace("", " ")):
        assert collection.library_for(typed).name == "丽江市图书馆", typed
    assert collection.library_for(code[:-1] + "x") is None
    assert collection.is_office(codes.shown(collection.office_code)) and not collection.is_office(code)
    database = (collection.folder / DATABASE_NAME).read_bytes()
    assert code.encode() not in database and collection.office_code.encode() not in database


def test_a_renewed_code_replaces_the_old_one(collection):
    library = collection.libraries()[0]
    old, key = collection.codes[library.name], collection.key_of(library.id)
    new = collection.renew(library)
    assert collection.library_for(old) is None and collection.library_for(new) == library
    assert collection.key_of(library.id) != key  # sessions made with the old code end


def test_collect_open_writes_the_code_list_and_refuses_a_used_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "名单.csv").write_text('馆名\n=HYPERLINK("http://x")\n曲阜市图书馆\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", "open", "数据", "--year", "2020", "--libraries", "名单.csv"])
    assert result.exit_code == 0, result.output
    office = result.output.split("管理码：")[1].split("（")[0]
    rows = list(load_workbook(tmp_path / "报送码-2020.xlsx").active.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ['=HYPERLINK("http://x")', "曲阜市图书馆"]  # as text, never a formula
    collection = Collection.open(tmp_path / "数据")
    try:
        assert collection.library_for(rows[1][1]).name == "曲阜市图书馆" and collection.is_office(office)
        assert office not in str(rows)
    finally:
        collection.close()
    again = CliRunner().invoke(main, ["collect", "open", "数据", "--year", "2020", "--libraries", "名单.csv"])
    assert again.exit_code == 1 and "已经存在" in again.output and "Traceback" not in again.output


# The database ---------------------------------------------------------------------------------------


def test_the_schema_is_created_and_migrated_in_order_and_a_newer_one_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    steps = ((1, "CREATE TABLE a (x INTEGER);"), (2, "ALTER TABLE a ADD COLUMN y TEXT;\nCREATE TABLE b (z TEXT);"))
    connection = connect(path, steps[:1])
    assert version(connection) == 1
    assert migrate(connection, steps) == 2
    assert {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} >= {"a", "b"}
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    broken = (*steps, (3, "CREATE TABLE c (x);\nTHIS IS NOT SQL;"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert version(connection) == 2  # the failed step left nothing behind
    assert "c" not in {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    with pytest.raises(InputUnreadable, match="由更新版本的工具写的"):
        connect(path, steps[:1])


def test_a_damaged_database_is_refused_with_a_chinese_message(tmp_path):
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputUnreadable, match="无法打开数据库"):
        Collection.open(tmp_path)


# Submissions ------------------------------------------------------------------------------------------


def test_the_current_submission_is_the_last_one_received_not_the_last_one_recorded(collection, tmp_path, bad_workbook):
    first, later = collection.received_now(), collection.received_now()
    assert later > first
    good = submit(collection, "丽江市图书馆", LIJIANG, tmp_path, received_ns=later)
    submit(collection, "丽江市图书馆", bad_workbook, tmp_path, received_ns=first, file_name="旧的.xlsx")
    state = next(s for s in collection.states() if s.library.name == "丽江市图书馆")
    assert [s.file_name for s in state.history] == [LIJIANG.name, "旧的.xlsx"]
    assert state.current.id == good.id and state.status == "已通过"


def test_every_submission_and_decision_is_kept_and_gives_the_status(collection, tmp_path, bad_workbook):
    library = collection.libraries()[0]
    assert collection.state(library).status == "未报送"
    failed = submit(collection, library.name, bad_workbook, tmp_path)
    assert collection.state(library).status == "有错误" and failed.errors > 0
    with pytest.raises(InputUnreadable, match="有错误，不能确认"):
        collection.decide(library, failed.id, CONFIRMED, "")
    passed = submit(collection, library.name, LIJIANG, tmp_path)
    with pytest.raises(InputUnreadable, match="重新报送"):
        collection.decide(library, failed.id, RETURNED, "旧的")
    collection.decide(library, passed.id, RETURNED, "  馆舍面积请核对  ")
    assert collection.state(library).status == "退回"
    assert collection.state(library).decision.comment == "馆舍面积请核对"
    collection.decide(library, passed.id, CONFIRMED, "")
    state = collection.state(library)
    assert state.status == "已确认" and [d.text for d in state.decisions_on(passed)] == ["退回", "已确认"]
    assert len(state.history) == 2 and collection.stored_bytes(library)[0] == 2


def test_a_workbook_of_another_library_or_year_is_an_error_without_a_report(
    collection, tmp_path, lijiang, make_workbook
):
    wrong = submit(collection, "曲阜市图书馆", LIJIANG, tmp_path)
    assert wrong.status == "failed" and wrong.report_sha256 is None
    assert [p.code for p in wrong.problems][:1] == ["wrong-library"]
    assert "“丽江市图书馆”，而报送码属于“曲阜市图书馆”" in wrong.problems[0].message
    lijiang["cover"]["year"] = 2019
    other_year = submit(collection, "丽江市图书馆", make_workbook(lijiang, "2019.xlsx"), tmp_path)
    assert "wrong-year" in [p.code for p in other_year.problems] and other_year.status == "failed"


def test_a_submission_s_files_are_stored_once_under_their_checksum(collection, tmp_path):
    first = submit(collection, "丽江市图书馆", LIJIANG, tmp_path)
    second = submit(collection, "丽江市图书馆", LIJIANG, tmp_path)
    assert first.workbook_sha256 == second.workbook_sha256 == sha256_of(LIJIANG)
    stored = collection.files.path(first.workbook_sha256)
    assert stored.read_bytes() == LIJIANG.read_bytes()
    assert sha256_of(collection.files.path(first.report_sha256)) == first.report_sha256
    assert collection.missing_files() == []


def test_a_restart_removes_what_a_crash_left_behind_and_nothing_else(collection, tmp_path):
    kept = submit(collection, "丽江市图书馆", LIJIANG, tmp_path)
    orphan = collection.files.path("ab" * 32)  # written, but its row was never committed
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"half a submission")
    (collection.scratch() / "upload.xlsx").write_bytes(b"an upload being checked")
    collection.close()
    reopened = Collection.open(collection.folder, serve=True)
    try:
        assert not orphan.exists() and list((reopened.folder / "tmp").iterdir()) == []
        assert reopened.files.path(kept.workbook_sha256).is_file() and reopened.missing_files() == []
        with pytest.raises(OutputError, match="另一个网页服务"):
            Collection.open(collection.folder, serve=True)
    finally:
        reopened.close()


def test_a_backup_holds_the_database_and_every_file(collection, tmp_path):
    kept = submit(collection, "丽江市图书馆", LIJIANG, tmp_path)
    copy = backup(collection.folder, tmp_path / "备份")
    restored = Collection.open(copy)
    try:
        assert restored.state(restored.libraries()[0]).current.workbook_sha256 == kept.workbook_sha256
        assert (
            restored.files.path(kept.report_sha256).read_bytes()
            == collection.files.path(kept.report_sha256).read_bytes()
        )
        assert restored.missing_files() == []
    finally:
        restored.close()
    with pytest.raises(OutputError, match="不是空文件夹"):
        backup(collection.folder, copy)


# What the office takes away ----------------------------------------------------------------------------


def test_the_summary_of_the_current_submissions_is_the_summary_command_s(collection, tmp_path, bad_workbook):
    submit(collection, "丽江市图书馆", bad_workbook, tmp_path, file_name="丽江.xlsx")
    submit(collection, "丽江市图书馆", LIJIANG, tmp_path, file_name="丽江.xlsx")
    buffer = io.BytesIO()
    summary_workbook(collection).save(buffer)
    ours = load_workbook(buffer)
    folder = tmp_path / "文件夹"
    folder.mkdir()
    (folder / "丽江.xlsx").write_bytes(LIJIANG.read_bytes())
    theirs = load_workbook(write_summary(validate_folder(folder, jobs=1), tmp_path / "汇总.xlsx"))
    for sheet in ("各馆数据", "问题清单"):
        assert [list(r) for r in ours[sheet].iter_rows(values_only=True)] == [
            list(r) for r in theirs[sheet].iter_rows(values_only=True)
        ], sheet


def test_the_reports_zip_holds_each_library_s_current_report(collection, tmp_path, bad_workbook):
    submit(collection, "丽江市图书馆", LIJIANG, tmp_path)
    submit(collection, "待修改图书馆", bad_workbook, tmp_path)
    buffer = io.BytesIO()
    assert write_reports_zip(collection, buffer) == 1
    with zipfile.ZipFile(buffer) as archive:
        assert archive.namelist() == ["丽江市图书馆-2020-年报.docx"]
        document = Document(io.BytesIO(archive.read("丽江市图书馆-2020-年报.docx")))
    assert "丽江市图书馆" in "\n".join(p.text for p in document.paragraphs)


def test_the_problem_list_names_every_problem_and_writes_no_formula(collection, tmp_path, lijiang, make_workbook):
    collection.add([Expected('=HYPERLINK("http://x","馆")')])
    lijiang["cover"]["name"] = '=HYPERLINK("http://x","馆")'
    lijiang["staff"]["employed"] = "十四"
    submit(collection, '=HYPERLINK("http://x","馆")', make_workbook(lijiang, "公式.xlsx"), tmp_path)
    rows = list(csv.reader(io.StringIO(problems_csv(collection).decode("utf-8-sig"))))
    assert rows[0][:3] == ["图书馆", "状态", "报送时间"]
    assert any(row[6] == "not-a-number" and row[0] == '\'=HYPERLINK("http://x","馆")' for row in rows[1:])
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    sheet = problems_workbook(collection).active
    assert sheet["A2"].value == '=HYPERLINK("http://x","馆")' and sheet["A2"].data_type == "s"


def test_collect_add_codes_and_backup_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "名单.csv").write_text("馆名\n丽江市图书馆\n", encoding="utf-8")
    (tmp_path / "更多.csv").write_text("馆名,邮箱\n丽江市图书馆,\n曲阜市图书馆,qf@example.cn\n", encoding="utf-8")
    run = CliRunner().invoke
    assert run(main, ["collect", "open", "数据", "--year", "2020", "--libraries", "名单.csv"]).exit_code == 0
    added = run(main, ["collect", "add", "数据", "--libraries", "更多.csv", "-o", "新码.xlsx"])
    assert added.exit_code == 0 and "新加 1 个馆" in added.output
    rows = list(load_workbook(tmp_path / "新码.xlsx").active.iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[2]) for row in rows] == [("曲阜市图书馆", "qf@example.cn")]
    renewed = run(main, ["collect", "codes", "数据", "--renew", " 曲阜市图书馆", "-o", "换码.xlsx", "--office"])
    assert renewed.exit_code == 0 and "新的管理码" in renewed.output, renewed.output
    new_code = next(load_workbook(tmp_path / "换码.xlsx").active.iter_rows(min_row=3, values_only=True))[1]
    unknown = run(main, ["collect", "codes", "数据", "--renew", "没有这个馆"])
    assert unknown.exit_code == 2 and "收集中没有“没有这个馆”" in unknown.output
    assert run(main, ["collect", "backup", "数据", "备份"]).exit_code == 0
    restored = Collection.open(tmp_path / "备份")
    try:
        assert [lib.name for lib in restored.libraries()] == ["丽江市图书馆", "曲阜市图书馆"]
        assert restored.library_for(new_code) is not None and restored.library_for(rows[0][1]) is None
    finally:
        restored.close()
