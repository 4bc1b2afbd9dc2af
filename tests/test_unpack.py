"""A .zip of a workbook and its picture folder is unpacked within the limits, never outside its folder."""

from __future__ import annotations

import stat
import zipfile

import pytest
from conftest import INPUTS

from annual_report.core import limits
from annual_report.core.errors import InputUnreadable
from annual_report.pipeline.unpack import is_archive, unpack_workbook

QUFU = INPUTS / "曲阜市图书馆-2020.xlsx"


def archive(path, entries: dict) -> object:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return path


def test_the_workbook_is_found_in_its_folder(tmp_path):
    made = archive(tmp_path / "a.zip", {"曲阜/曲阜.xlsx": QUFU.read_bytes(), "曲阜/图片/x.jpg": b"\xff\xd8\xff", "__MACOSX/._x": b""})
    assert is_archive(made) and not is_archive(QUFU)
    found = unpack_workbook(made, tmp_path / "out")
    assert found == tmp_path / "out" / "曲阜" / "曲阜.xlsx"
    assert not (tmp_path / "out" / "__MACOSX").exists()


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ({"../evil.xlsx": b"x"}, "压缩包以外"),
        ({"/etc/evil.xlsx": b"x"}, "压缩包以外"),
        ({"C:/evil.xlsx": b"x"}, "压缩包以外"),
        ({"说明.txt": b"hello"}, "没有 Excel 工作簿"),
        ({"a.xlsx": QUFU.read_bytes(), "b/b.xlsx": QUFU.read_bytes()}, "2 个工作簿"),
        ({f"{n}.txt": b"" for n in range(limits.ARCHIVE_FILES + 1)}, "超过了上限"),
    ],
)
def test_what_is_refused(tmp_path, entries, words):
    with pytest.raises(InputUnreadable, match=words) as refused:
        unpack_workbook(archive(tmp_path / "a.zip", entries), tmp_path / "out", "上传.zip")
    assert "上传.zip" in str(refused.value)
    assert not (tmp_path / "evil.xlsx").exists()


def test_a_zip_bomb_is_stopped_as_it_unpacks(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "ARCHIVE_INFLATED_BYTES", 3 * limits.MB)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package, package.open("a.xlsx", "w") as entry:
        for _ in range(8):
            entry.write(b"\0" * limits.MB)
    with pytest.raises(InputUnreadable, match="压缩炸弹"):
        unpack_workbook(path, tmp_path / "out")
    assert sum(f.stat().st_size for f in (tmp_path / "out").rglob("*") if f.is_file()) <= 4 * limits.MB


def test_a_symbolic_link_is_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as package:
        info = zipfile.ZipInfo("图片")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        package.writestr(info, "/etc")
    with pytest.raises(InputUnreadable, match="符号链接"):
        unpack_workbook(path, tmp_path / "out")
