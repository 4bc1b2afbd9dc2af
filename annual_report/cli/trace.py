"""The trace command: where every number of the report comes from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annual_report.cli.main import BRANCHES, FORMAT
from annual_report.cli.output import emit


@click.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@BRANCHES
@FORMAT
def trace(workbook: Path, branches: Path | None, output_format: str) -> None:
    """列出报告中每个数字的来源（工作表!单元格），派生数字给出计算方法。

    与 render --trace 附在报告末尾的“附：数据来源”相同。工作簿有错误时列出问题，退出码为 1。
    """
    from annual_report.core.reporting import as_text as problems_text
    from annual_report.core.schema import load_schema
    from annual_report.report.trace import as_text, trace_sources

    schema = load_schema()
    if branches is not None:
        from annual_report.pipeline.branches import validate_network

        book, result, network = validate_network(workbook, branches, schema)
    else:
        from annual_report.workbook.validate import validate_workbook

        (book, result), network = validate_workbook(workbook, schema), None
    if result.blocks():
        if output_format == "json":
            from annual_report.core.reporting import as_json

            emit(as_json(result))
        click.echo(problems_text(result, workbook.name), err=True)
        click.echo("工作簿有错误，请改正后再查看数据来源。", err=True)
        sys.exit(1)
    sources = trace_sources(book, schema, network)
    if output_format == "json":
        emit(json.dumps([s.to_dict() for s in sources], ensure_ascii=False, indent=2))
    else:
        emit(as_text(sources))
