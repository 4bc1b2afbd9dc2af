"""Pictures named by a file come only from the workbook's folder, are pictures by content, and are bounded."""

from __future__ import annotations

import copy
import io
import os
import zipfile

import hostile
import pytest
from make_samples import fixture, org_chart, paste_picture, write_test_workbook
from PIL import Image

from annual_report.core import limits
from annual_report.workbook.validate import validate_workbook


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def with_picture_file(folder, file: str):
    """A workbook in folder whose 图片 sheet names one picture file (inserted in the narrative)."""
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["pictures"] = [{"name": "馆舍照片", "file": file, "caption": "馆舍"}]
    data["narrative"].append({"level": 1, "title": "馆舍", "insert": "馆舍照片"})
    folder.mkdir(parents=True, exist_ok=True)
    return write_test_workbook(folder / "年报.xlsx", data)


def picture_problems(path) -> list[tuple[str, str, str]]:
    _, result = validate_workbook(path)
    return [(p.code, p.location, p.message) for p in result.problems if p.sheet == "图片"]


def test_a_picture_beside_the_workbook_is_used(tmp_path):
    (tmp_path / "in" / "照片").mkdir(parents=True)
    (tmp_path / "in" / "照片" / "馆舍.png").write_bytes(png())
    assert picture_problems(with_picture_file(tmp_path / "in", "照片\\馆舍.png")) == []


@pytest.mark.parametrize("where", ["absolute", "parent", "symlink"])
def test_a_picture_outside_the_folder_is_refused_the_same_whether_it_exists_or_not(where, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(png())
    folder = tmp_path / "in"
    folder.mkdir()
    names = {"absolute": str(outside), "parent": "../outside.png", "symlink": "link.png"}
    os.symlink(outside, folder / "link.png")
    messages = []
    for exists in (True, False):
        if not exists:
            outside.unlink()
        [(code, location, message)] = picture_problems(with_picture_file(folder, names[where]))
        assert (code, location) == ("picture-outside-folder", "图片!B2")
        messages.append(message)
    assert messages[0] == messages[1]


def test_nothing_outside_the_folder_is_ever_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")  # opening it would block the test
    [(code, _, _)] = picture_problems(with_picture_file(tmp_path / "in", "../pipe.png"))
    assert code == "picture-outside-folder"


def test_a_workbook_renamed_to_png_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.good(folder / "图.png")
    [(code, location, message)] = picture_problems(with_picture_file(folder, "图.png"))
    assert (code, location) == ("picture-unreadable", "图片!B2") and "图.png" in message


def test_a_pipe_inside_the_folder_is_no_picture(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "管道.png")
    [(code, _, _)] = picture_problems(with_picture_file(folder, "管道.png"))
    assert code == "picture-missing"


def test_a_decompression_bomb_file_is_too_large(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "炸弹.png").write_bytes(hostile.picture_bomb())
    [(code, _, message)] = picture_problems(with_picture_file(folder, "炸弹.png"))
    assert code == "picture-too-large" and "万像素" in message


def test_a_picture_file_past_the_size_limit_is_not_read(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "大.png").write_bytes(png(400, 400))
    monkeypatch.setattr(limits, "PICTURE_BYTES", 100)
    [(code, _, _)] = picture_problems(with_picture_file(folder, "大.png"))
    assert code == "picture-too-large"


def test_a_pasted_decompression_bomb_is_too_large(tmp_path):
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["pictures"] = [{"name": "组织结构图", "caption": "组织结构"}]
    data["narrative"].append({"level": 1, "title": "组织结构", "insert": "组织结构图"})
    path = write_test_workbook(tmp_path / "粘贴.xlsx", data)
    paste_picture(path, org_chart(data), row=2)
    with zipfile.ZipFile(path) as archive:
        [media] = [n for n in archive.namelist() if n.startswith("xl/media/")]
    hostile.rewrite(path, media, lambda old: hostile.picture_bomb())
    [(code, location, _)] = picture_problems(path)
    assert (code, location) == ("picture-too-large", "图片!B2")
