"""Bad input is the normal case: a Chinese message naming the file, a non-zero exit, no traceback, nothing lost."""

from __future__ import annotations

import errno
import hashlib
import shutil

import pytest
from click.testing import CliRunner
from conftest import INPUTS, headings
from docx import Document
from openpyxl import load_workbook

from annual_report.cli.main import main
from annual_report.core import write as write_module
from annual_report.core.errors import InputUnreadable, OutputError
from annual_report.core.schema import load_schema
from annual_report.report.render import TEMPLATE_PATH
from annual_report.workbook.read import read_workbook

QUFU = INPUTS / "曲阜市图书馆-2020.xlsx"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _xls(path):
    path.write_bytes(OLE + b"\x00" * 2000)


def _encrypted(path):
    """The sample with an open password, encrypted as Excel does it (ECMA-376 agile encryption in an OLE file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with QUFU.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)


def _csv(path):
    path.write_text("图书馆名称,报告年度\n曲阜市图书馆,2020\n", encoding="utf-8")


def _docx(path):
    shutil.copy(TEMPLATE_PATH, path)


def _empty(path):
    path.write_bytes(b"")


def _truncated(path):
    path.write_bytes(QUFU.read_bytes()[:5000])


def _macro(path):
    shutil.copy(QUFU, path)


BAD_FILES = [
    ("旧格式.xls", _xls, 2, "损坏"),
    ("加密 年报.xlsx", _encrypted, 2, "密码"),
    ("改名的表格.xlsx", _csv, 2, "CSV"),
    ("其实是文档.xlsx", _docx, 2, "Word 文档"),
    ("空的.xlsx", _empty, 2, "空文件"),
    ("半截.xlsx", _truncated, 2, "损坏"),
    ("~$曲阜.xlsx", _macro, 2, "锁文件"),
]


@pytest.mark.parametrize("command", ["validate", "render"])
@pytest.mark.parametrize(("name", "make", "code", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_unreadable_inputs(command, name, make, code, words, tmp_path):
    path = tmp_path / name
    make(path)
    before = digest(path)
    out = tmp_path / "out"
    args = [command, path] + (["-o", out / "报告.docx"] if command == "render" else [])
    result = run(*args)
    assert result.exit_code == code
    assert words in result.output and name in result.output
    assert "Traceback" not in result.output
    assert digest(path) == before
    assert not out.exists()


@pytest.mark.parametrize("command", ["validate", "render"])
def test_missing_file(command, tmp_path):
    result = run(command, tmp_path / "没有这个文件.xlsx")
    assert result.exit_code == 2
    assert "找不到文件" in result.output and "没有这个文件.xlsx" in result.output


def test_a_directory_is_no_workbook(tmp_path):
    with pytest.raises(InputUnreadable, match="文件夹"):
        read_workbook(tmp_path)


def test_render_leaves_the_input_untouched_and_handles_spaces(tmp_path):
    source = tmp_path / "曲阜 市图书馆 2020.xlsx"
    shutil.copy(QUFU, source)
    shutil.copytree(INPUTS / "图片", tmp_path / "图片")  # its photo is named relative to the workbook
    before = digest(source)
    out = tmp_path / "输出 文件夹" / "曲阜 年报.docx"
    result = run("render", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and digest(source) == before
    assert [p.name for p in out.parent.iterdir()] == ["曲阜 年报.docx"]  # no temporary file left


def test_report_open_in_word_is_not_replaced(tmp_path):
    out = tmp_path / "曲阜年报.docx"
    out.write_bytes(b"old report")
    (tmp_path / "~$阜年报.docx").write_bytes(b"lock")
    result = run("render", QUFU, "-o", out, "--force")
    assert result.exit_code == 1 and "正在 Word" in result.output
    assert out.read_bytes() == b"old report"


def test_a_report_and_its_pdf_are_written_together_or_not_at_all(tmp_path):
    (tmp_path / "不是文件夹").write_bytes(b"")
    files = {tmp_path / "报告.docx": b"docx", tmp_path / "不是文件夹" / "报告.pdf": b"pdf"}
    with pytest.raises(OutputError):
        write_module.write_together(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["不是文件夹"]  # neither file, no temporary file


def test_read_only_folder(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)
    result = run("render", QUFU, "-o", tmp_path / "报告.docx")
    assert result.exit_code == 1 and "没有权限" in result.output
    assert list(tmp_path.iterdir()) == []


def test_full_disk_leaves_nothing_behind(tmp_path, monkeypatch):
    real_fdopen = write_module.os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write_module.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    result = run("render", QUFU, "-o", tmp_path / "报告.docx")
    assert result.exit_code == 1 and "磁盘空间不足" in result.output
    assert list(tmp_path.iterdir()) == []


def test_template_syntax_and_xml_specials_come_out_literally(qufu, make_workbook, tmp_path):
    tricky = "{{ 7*7 }} {% for x in y %} <b>&amp; 'quoted' \"double\""
    qufu["narrative"].append({"level": 1, "title": "特殊字符 <&>", "text": tricky})
    qufu["cover"]["compiler"] = "{{ cover.name }}办公室 & <编制>"
    qufu["party_branch"][0]["note"] = "{% endfor %}"
    out = tmp_path / "特殊.docx"
    result = run("render", make_workbook(qufu), "-o", out)
    assert result.exit_code == 0, result.output
    document = Document(out)
    texts = [p.text for p in document.paragraphs]
    assert tricky in texts
    assert "{{ cover.name }}办公室 & <编制>编制" in texts
    assert headings(document)[-1] == (1, "七、特殊字符 <&>")
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "{% endfor %}" in cells


def test_huge_text_cell_is_an_error_not_a_crash(qufu, make_workbook):
    qufu["narrative"].append({"level": "正文", "text": "很长的文字。" * 200_000})
    result = run("validate", make_workbook(qufu))
    assert result.exit_code == 1
    assert "text-too-long" not in result.output and "超过上限" in result.output


def test_ten_thousand_narrative_rows(qufu, make_workbook, tmp_path):
    path = make_workbook(qufu)
    book = load_workbook(path)  # plain cells: styling 30,000 of them would cost more than the render under test
    narrative = load_schema().part("narrative")
    sheet = book[narrative.sheet]
    columns = [f.key for f in narrative.fields]
    first = len(qufu["narrative"]) + 2
    for i in range(10_000):
        row = {"level": 2 if i % 10 == 0 else "正文", "title": f"第{i}项", "text": f"第{i}段。"}
        for key, value in row.items():
            sheet.cell(row=first + i, column=columns.index(key) + 1, value=value)
    book.save(path)
    out = tmp_path / "很长.docx"
    result = run("render", path, "-o", out)
    assert result.exit_code == 0, result.output
    found = headings(Document(out))
    assert found[-1] == (2, "（一千）第9990项")


def test_an_internal_error_shows_no_traceback_unless_debug(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("annual_report.pipeline.single.build_context", broken)
    result = run("render", QUFU, "-o", tmp_path / "x.docx")
    assert result.exit_code == 1 and "内部错误" in result.output and "Traceback" not in result.output
    debug = run("--debug", "render", QUFU, "-o", tmp_path / "x.docx")
    assert isinstance(debug.exception, RuntimeError)


def test_written_files_get_the_usual_permissions(tmp_path):
    import os

    umask = os.umask(0)
    os.umask(umask)
    out = tmp_path / "报告.docx"
    assert run("render", QUFU, "-o", out, "--no-layout").exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not owner-only: colleagues open reports too


def test_blank_workbook_into_a_new_folder(tmp_path):
    target = tmp_path / "新文件夹" / "空白.xlsx"
    assert run("template", "-o", target).exit_code == 0
    assert target.is_file()


def test_output_folder_and_the_input_itself(tmp_path):
    source = tmp_path / "曲阜.xlsx"
    shutil.copy(INPUTS / "丽江市图书馆-2020.xlsx", source)
    before = digest(source)
    assert run("render", source, "-o", tmp_path, "--no-layout").exit_code == 0
    assert (tmp_path / "丽江市图书馆-2020-年报.docx").is_file()
    refused = run("render", source, "-o", source, "--force", "--no-layout")
    assert refused.exit_code == 1 and "从不被改动" in refused.output
    assert digest(source) == before
