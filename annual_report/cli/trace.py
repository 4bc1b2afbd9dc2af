"""The trace command: where every number of the report comes from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annual_report.cli.options import BRANCHES, FORMAT
from annual_report.cli.output import emit
from annual_report.core.reporting import as_json
from annual_report.core.reporting import as_text as problems_text
from annual_report.pipeline.single import trace_report
from annual_report.report.trace import as_text


@click.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@BRANCHES
@FORMAT
def trace(workbook: Path, branches: Path | None, output_format: str) -> None:
    """列出报告中每个数字的来源（工作表!单元格）。

    派生数字给出计算方法。

    与 render --trace 附在报告末尾的“附：数据来源”相同。工作簿有错误时列出问题，退出码为 1。
    """
    result, lines = trace_report(workbook, branches)
    if result.blocks():
        if output_format == "json":
            emit(as_json(result))
        click.echo(problems_text(result, workbook.name), err=True)
        click.echo("工作簿有错误，请改正后再查看数据来源。", err=True)
        sys.exit(1)
    if output_format == "json":
        emit(json.dumps([line.to_dict() for line in lines], ensure_ascii=False, indent=2))
    else:
        emit(as_text(lines))
