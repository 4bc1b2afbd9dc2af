"""The check-template command: a Word template's problems before it is used."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annual_report.cli.group import note_subject
from annual_report.cli.options import FORMAT
from annual_report.cli.output import emit
from annual_report.core.errors import ReportError
from annual_report.core.messages import message
from annual_report.core.problems import ValidationResult
from annual_report.core.reporting import as_json, as_text
from annual_report.core.resources import TEMPLATE_PATH
from annual_report.report.template_check import check_template


@click.command("check-template")
@click.argument("template_path", metavar="[TEMPLATE.docx]", type=click.Path(path_type=Path), required=False)
@FORMAT
def check_template_command(template_path: Path, output_format: str) -> None:
    """检查 Word 模板。

    查找 Jinja 语法错误、schema 中没有的变量和没有用到的字段。

    不给出文件时检查自带的 templates/年报模板.docx。有错误时退出码为 1。
    """
    template_path = template_path or TEMPLATE_PATH
    note_subject(template_path)
    if not template_path.is_file():
        raise ReportError(message("template-not-found", file=template_path))
    result = ValidationResult(tuple(check_template(template_path)))
    emit(as_json(result) if output_format == "json" else as_text(result, template_path.name))
    if result.errors:
        sys.exit(1)
