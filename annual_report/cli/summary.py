"""The summary command: the office's workbook of every library's key figures and problems."""

from __future__ import annotations

from pathlib import Path

import click

from annual_report.cli.options import JOBS, count_workbooks, progress
from annual_report.cli.output import emit
from annual_report.core.messages import message
from annual_report.pipeline.batch import find_workbooks, validate_folder
from annual_report.pipeline.summary import check_target, resubmission_notes, write_summary

SUMMARY_NAME = "汇总.xlsx"


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SUMMARY_NAME,
    show_default=True,
    help="汇总工作簿的保存位置。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的汇总。")
@JOBS
def summary(folder: Path, output: Path, force: bool, jobs: int | None) -> None:
    """把文件夹中所有工作簿汇总成一个 Excel。

    含子文件夹中的工作簿：每馆一行的主要数据和合计，以及全部问题清单。

    有错误的工作簿也列入汇总（问题见“问题清单”表）；汇总写成后退出码为 0。
    """
    if not folder.is_dir():
        raise click.UsageError(message("summary-not-folder", folder=folder))
    check_target(output, force=force)  # before the work: never over a submitted workbook, even with --force
    total = count_workbooks(find_workbooks(folder, exclude=[output]), folder)
    with progress(total, "检查中") as advance:
        results = validate_folder(folder, jobs=jobs, progress=advance, exclude=[output])
    written = write_summary(results, output, force=force)
    failed = sum(1 for r in results if r.status == "failed")
    for note in resubmission_notes(results):
        click.echo(f"提示：{note}", err=True)
    emit(str(written))
    click.echo(f"已汇总 {len(results)} 个工作簿到 {written}（{failed} 个有错误，详见“问题清单”表）。", err=True)
