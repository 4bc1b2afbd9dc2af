"""The render command: the report of a workbook (or of each workbook of a folder), laid out where LibreOffice is."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annual_report.cli.options import BRANCHES, JOBS, TEMPLATE, count_workbooks, progress
from annual_report.cli.output import emit
from annual_report.core.messages import message
from annual_report.core.reporting import as_text, summary_line
from annual_report.core.write import OUTPUTS
from annual_report.pipeline.batch import as_table
from annual_report.pipeline.batch_render import render_folder
from annual_report.pipeline.folder import find_workbooks
from annual_report.pipeline.options import render_options
from annual_report.pipeline.single import render_workbook


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="生成的 .docx 路径（默认 outputs/<馆名>-<年度>-年报.docx）；处理文件夹时是保存报告的文件夹。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的报告。")
@click.option("--strict", is_flag=True, help="有警告也不生成。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（与 .docx 同名，放在一起；需要 LibreOffice）。")
@click.option("--no-layout", is_flag=True, help="不用 LibreOffice 排版（更快；目录页码改由 Word 打开文件时更新）。")
@click.option(
    "--thumbnail/--no-thumbnail",
    default=None,
    help="在 .docx 中存入首页的缩略图，供文件夹窗口显示（需要排版；默认：单个文件存入，处理文件夹时不存入）。",
)
@JOBS
@BRANCHES
@click.option("--trace", is_flag=True, help="在报告末尾附“数据来源”：每个数字来自哪个单元格，派生数字怎样算出。")
@TEMPLATE
def render(
    workbook: Path,
    output: Path | None,
    force: bool,
    strict: bool,
    pdf: bool,
    no_layout: bool,
    thumbnail: bool | None,
    jobs: int | None,
    branches: Path | None,
    trace: bool,
    template: Path | None,
) -> None:
    """检查工作簿并生成 Word 年报（有错误时不生成）。

    装有 LibreOffice 时，先用它排版一次，把页码写进目录；加 --pdf 同时生成 PDF。
    给出文件夹时为其中（含子文件夹）每个工作簿生成一份年报，一个出错不影响其他的。
    总馆加 --branches 分馆文件夹，报告中有分馆情况表、分馆对比图和全馆数。
    """
    if no_layout and (pdf or thumbnail):
        flag = "--pdf" if pdf else "--thumbnail"
        raise click.UsageError(message("render-needs-layout", flag=flag))
    folder = workbook.is_dir()
    if folder and (branches is not None or trace):
        raise click.UsageError(message("render-branches-one-workbook"))
    options = render_options(
        output=output, force=force, strict=strict, layout=False if no_layout else None, pdf=pdf, thumbnail=thumbnail,
        trace=trace, branches=branches, template=template, folder=folder,
    )  # fmt: skip
    if folder:
        render_folder_command(workbook, options, jobs)
        return
    outcome = render_workbook(workbook, options)
    if outcome.output is None:
        click.echo(as_text(outcome.result, workbook.name), err=True)
        click.echo("工作簿有错误，未生成报告。请修改后重新运行。", err=True)
        sys.exit(1)
    if outcome.result.problems:
        click.echo(as_text(outcome.result, workbook.name), err=True)
    emit(str(outcome.output))
    if outcome.pdf:
        emit(str(outcome.pdf))
    for note in outcome.notes:
        click.echo(f"提示：{note}", err=True)
    made = f"{outcome.output} 和 {outcome.pdf}" if outcome.pdf else str(outcome.output)
    click.echo(f"已生成 {made}（{summary_line(outcome.result)}）。", err=True)


def render_folder_command(folder: Path, options, jobs: int | None) -> None:
    """render DIR: a report for every workbook, a table of per-file results, exit 1 if any failed."""
    output = options.output
    if output is not None and (output.suffix.lower() == ".docx" or output.is_file()):
        raise click.UsageError(message("render-output-not-folder", folder=output))
    total = count_workbooks(find_workbooks(folder), folder)
    with progress(total, "生成中") as advance:
        results = render_folder(folder, output or OUTPUTS, options, jobs=jobs, progress=advance)
    emit(as_table(results, rendering=True))
    if any(r.status == "failed" for r in results):
        click.echo("未生成的工作簿请按“首个问题”修改后重新运行；用 validate 加文件名可看到它的全部问题。", err=True)
        sys.exit(1)
