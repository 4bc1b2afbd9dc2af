"""The template command: the blank workbook, next year's from last year's (or from last year's Word report),
and the built-in Word template for an office to make its own."""

from __future__ import annotations

import json
from pathlib import Path

import click

from annual_report.cli.group import note_subject
from annual_report.cli.options import FORMAT
from annual_report.cli.output import emit
from annual_report.core.messages import message
from annual_report.core.program import program
from annual_report.core.reporting import as_text as problems_text
from annual_report.core.resources import TEMPLATE_PATH
from annual_report.core.write import write_via
from annual_report.importer.document import write_imported
from annual_report.importer.report import as_json as report_json
from annual_report.importer.report import as_text as report_text
from annual_report.workbook.blank import write_workbook
from annual_report.workbook.next_year import write_next_year

BLANK_NAME = "年报填报模板.xlsx"
WORD_TEMPLATE_NAME = "年报模板.docx"


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"工作簿的保存位置（默认 {BLANK_NAME}；用 --from 时为 <馆名>-<下一年>-年报填报.xlsx）。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@click.option(
    "--from",
    "last_year",
    type=click.Path(dir_okay=False, path_type=Path),
    help="上一年填好的工作簿：据此生成下一年的工作簿（年度加一，上年数据、封面、机构和人员带入）。",
)
@click.option(
    "--from-docx",
    "last_report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="上一年手工编写的 Word 年报（.docx；装有 LibreOffice 时也可以是 .doc、.wps）：据此生成下一年的工作簿。",
)
@click.option(
    "--year",
    type=click.IntRange(1949, 2100),
    help="与 --from-docx 同用：新工作簿的报告年度（默认为 Word 年报的年度加一）。",
)
@click.option("--word", is_flag=True, help="生成自带的 Word 模板（.docx），供单位在 Word 中改成本单位的格式，生成时用 render --template。")
@FORMAT
def template(
    output: Path | None,
    force: bool,
    last_year: Path | None,
    last_report: Path | None,
    year: int | None,
    word: bool,
    output_format: str,
) -> None:
    """生成空白的年报填报工作簿（.xlsx），或由上一年的工作簿、Word 年报生成下一年的。

    用 --from 由上一年的工作簿、用 --from-docx 由上一年的 Word 年报生成下一年的。

    加 --word 时生成自带的 Word 模板，供单位改成自己的格式（见 README“本单位的 Word 模板”）。
    """
    if sum(option is not None for option in (last_year, last_report)) + word > 1:
        raise click.UsageError(message("template-one-source"))
    if word:
        write_word_template(output or Path(WORD_TEMPLATE_NAME), force, output_format)
        return
    note_subject(last_report or last_year)
    if last_report is not None:
        write_from_docx(last_report, output, force, year, output_format)
        return
    if last_year is not None:
        write_next(last_year, output, force, output_format)
        return
    output = output or Path(BLANK_NAME)
    write_blank(output, force)
    emit(json.dumps({"output": str(output)}, ensure_ascii=False) if output_format == "json" else str(output))
    click.echo(f"已生成空白工作簿 {output}。请逐张填写黄色单元格，然后运行：{program()} validate {output}", err=True)


def write_word_template(output: Path, force: bool, output_format: str) -> None:
    """template --word: a copy of the built-in Word template, for an office to make its own."""
    if output.suffix.lower() != ".docx":
        raise click.UsageError(message("template-word-suffix", file=output))
    write_via(output, lambda draft: draft.write_bytes(TEMPLATE_PATH.read_bytes()), force=force)
    emit(json.dumps({"output": str(output)}, ensure_ascii=False) if output_format == "json" else str(output))
    click.echo(
        f"已生成 Word 模板 {output}。在 Word 中修改样式和固定文字（保留 {{{{ }}}} 和 {{% %}} 标记），"
        f"用 {program()} check-template {output} 检查，再用 render --template {output} 生成报告。",
        err=True,
    )


def write_blank(output: Path, force: bool) -> None:
    """Write the blank workbook through a temporary file (over an existing one only with force)."""
    write_via(output, write_workbook, force=force)


def write_next(last_year: Path, output: Path | None, force: bool, output_format: str = "text") -> None:
    """template --from: next year's workbook; last year's problems are shown but do not stop it."""
    written, result = write_next_year(last_year, output, force=force)
    if output_format == "json":
        emit(json.dumps({"output": str(written)} | result.to_dict(), ensure_ascii=False, indent=2))
    elif result.problems:
        click.echo(problems_text(result, last_year.name), err=True)
        click.echo("以上是上一年工作簿中的问题，相关内容已照原样带入新工作簿，请在新工作簿中核对。", err=True)
    if output_format != "json":
        emit(str(written))
    click.echo(
        f"已生成下一年的工作簿 {written}：上年数据、封面、组织机构、党组织、人员和图片已带入，"
        f"请填写本年数据和正文，然后运行：{program()} validate {written}",
        err=True,
    )


def write_from_docx(source: Path, output: Path | None, force: bool, year: int | None, output_format: str) -> None:
    """template --from-docx: next year's workbook from last year's Word report, with the import report."""
    written, report = write_imported(source, output, force=force, year=year)
    emit(report_json(report) if output_format == "json" else report_text(report))
    click.echo(f"已生成工作簿 {written}。请按上面的提示核对，然后运行：{program()} validate {written}", err=True)
