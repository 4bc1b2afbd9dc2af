"""Options and helpers the commands share."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from annual_report.cli.group import remember_format
from annual_report.core.errors import InputUnreadable
from annual_report.core.messages import message

FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    is_eager=True,
    callback=remember_format,
    help="结果格式：text 给人看，json 给程序用（出错时也输出一份 JSON）。",
)
BRANCHES = click.option(
    "--branches",
    type=click.Path(file_okay=False, path_type=Path),
    help="总馆：各分馆工作簿所在的文件夹（生成分馆情况表、分馆对比图和全馆数，并检查各分馆）。",
)
TEMPLATE = click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="用本单位的 Word 模板生成（用 template --word 得到自带的模板，在 Word 中修改后另存；先用 check-template 检查）。",
)
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="处理文件夹时同时处理几个工作簿（默认：本机的 CPU 核数）。",
)



def count_workbooks(paths: list[Path], folder: Path) -> int:
    """How many workbooks a folder holds; refuses a folder that holds none."""
    if not paths:
        raise InputUnreadable(message("folder-no-workbooks", folder=folder))
    return len(paths)


@contextmanager
def progress(total: int, label: str):
    """A progress bar on stderr (click hides it when stderr is no terminal); yields the per-file callback."""
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield lambda result: bar.update(1)
