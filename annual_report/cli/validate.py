"""The validate command: every problem of a workbook (or of each workbook of a folder) at once."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annual_report.cli.group import note_subject
from annual_report.cli.options import BRANCHES, FORMAT, JOBS, count_workbooks, progress
from annual_report.cli.output import emit
from annual_report.core.messages import message
from annual_report.core.reporting import as_json, as_text
from annual_report.pipeline.batch import as_table, find_workbooks, validate_folder
from annual_report.pipeline.branches import validate_network
from annual_report.workbook.validate import validate_workbook


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@FORMAT
@click.option("--strict", is_flag=True, help="警告也算作错误。")
@JOBS
@BRANCHES
def validate(workbook: Path, output_format: str, strict: bool, jobs: int | None, branches: Path | None) -> None:
    """检查填好的工作簿，一次列出所有问题（工作表!单元格）。

    给出文件夹时检查其中（含子文件夹）所有工作簿，最后列出每个文件的结果。

    退出码：0 没有错误（可以有警告），1 有错误，2 文件无法读取或命令写错。
    """
    note_subject(workbook, listing=workbook.is_dir())
    if workbook.is_dir():
        if branches is not None:
            raise click.UsageError(message("validate-branches-one-workbook"))
        validate_folder_command(workbook, output_format, strict, jobs)
        return
    if branches is not None:
        _, result, _ = validate_network(workbook, branches)
    else:
        _, result = validate_workbook(workbook)
    emit(as_json(result, strict) if output_format == "json" else as_text(result, workbook.name))
    if result.blocks(strict):
        if output_format == "text":
            click.echo("请按提示修改工作簿后重新检查。", err=True)
        sys.exit(1)


def validate_folder_command(folder: Path, output_format: str, strict: bool, jobs: int | None) -> None:
    """validate DIR: every workbook checked, a table (or JSON list) of per-file results, exit 1 if any failed."""
    total = count_workbooks(find_workbooks(folder), folder)
    with progress(total, "检查中") as advance:
        results = validate_folder(folder, jobs=jobs, strict=strict, progress=advance)
    if output_format == "json":
        emit(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        emit(as_table(results, rendering=False))
    if any(r.status == "failed" for r in results):
        if output_format == "text":
            click.echo("请按“首个问题”修改未通过的工作簿；用 validate 加文件名可看到它的全部问题。", err=True)
        sys.exit(1)
