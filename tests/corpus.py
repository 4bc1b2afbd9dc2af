"""Realistic workbooks built by code from the two samples: other libraries, other figures, longer texts.

Used by the batch tests and by bench/run.py.
"""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path

from make_samples import ROOT, SAMPLES, attach_pictures, fixture, write_test_workbook

COUNTIES = [
    "东城",
    "西城",
    "南山",
    "北湖",
    "青山",
    "白水",
    "红河",
    "金沙",
    "玉龙",
    "石林",
    "云岭",
    "松江",
    "梅岭",
    "桃源",
    "柳州",
    "竹溪",
    "兰溪",
    "荷塘",
    "菊城",
    "枫林",
]


BOUNDED = ("opening_days", "opening_hours")  # figures with a natural maximum (366 days, 168 hours): not scaled


def variant(index: int, seed: int = 0) -> dict:
    """A sample's data under another library's name, figures scaled and the narrative lengthened."""
    rng = random.Random(seed * 1000 + index)
    base = copy.deepcopy(fixture(list(SAMPLES)[index % 2]))
    county = COUNTIES[index % len(COUNTIES)]
    name = f"{county}{'县' if index % 3 else '区'}图书馆" + (f"{index // len(COUNTIES) + 1}分馆" if index >= 20 else "")
    base["cover"].update(name=name, name_en=f"LIBRARY NO. {index + 1}")
    base["cover"].pop("title", None)
    current, previous = rng.uniform(0.4, 2.5), rng.uniform(0.4, 2.5)
    for figure, pair in base["indicators"].items():
        if figure in BOUNDED:
            continue
        # floor keeps parts within their totals (sum of floors <= floor of the sum)
        for key, factor in (("current", current), ("previous", previous)):
            if key in pair:
                pair[key] = int(pair[key] * factor) if isinstance(pair[key], int) else round(pair[key] * factor, 2)
    repeat = rng.choice((1, 1, 2, 3))
    for row in base["narrative"]:
        if row.get("text") and row.get("level") != "正文":
            row["text"] = "\n".join([row["text"]] * repeat)
    return base


def broken(index: int) -> tuple[dict, str]:
    """A workbook with one error, and the cell (工作表!单元格) where it is reported."""
    data = copy.deepcopy(fixture(list(SAMPLES)[index % 2]))
    data["cover"]["name"] = f"有错误的图书馆{index + 1}"
    if index == 0:
        data["staff"]["employed"] = "十四"
        return data, "人员!B3"
    if index == 1:
        data["indicators"]["visits"]["current"] = -5
        return data, "主要数据!B2"
    data["cover"]["year"] = "二〇二〇"
    return data, "封面!B4"


def write_corpus(folder: Path, variants: int = 20, broken_count: int = 3, seed: int = 0) -> dict[str, list[Path]]:
    """The samples, variants (some in subfolders) and broken workbooks, plus files a batch must skip."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, list[Path]] = {"good": [], "broken": [], "skipped": []}
    for filename in SAMPLES.values():
        made["good"].append(Path(shutil.copy(ROOT / "inputs" / filename, folder / filename)))
    shutil.copytree(ROOT / "inputs" / "图片", folder / "图片", dirs_exist_ok=True)  # the samples' photos
    for index in range(variants):
        data = variant(index, seed)
        where = folder / f"第{index % 3 + 1}批" if index % 2 else folder
        where.mkdir(exist_ok=True)
        made["good"].append(write_submission(where / f"{data['cover']['name']}-2020.xlsx", data))
    for index in range(broken_count):
        data, _ = broken(index)
        made["broken"].append(write_submission(folder / f"待修改{index + 1}.xlsx", data))
    lock = folder / f"~${SAMPLES['qufu_2020']}"
    lock.write_bytes(b"\x00" * 165)  # what Excel leaves beside an open workbook
    hidden = folder / ".tmp-草稿.xlsx"
    hidden.write_bytes(b"")
    made["skipped"] += [lock, hidden]
    return made


def write_submission(path: Path, data: dict) -> Path:
    """A workbook with its data and pictures, as a librarian would hand it in."""
    write_test_workbook(path, data)
    attach_pictures(path, data)
    return path
