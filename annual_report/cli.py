"""The command line: thin wrappers over the library, in Chinese."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .blank import write_workbook
from .errors import OutputError, ReportError
from .pipeline import render_workbook
from .problems import ValidationResult
from .render import TEMPLATE_PATH
from .report import as_json, as_text, summary_line
from .send_cli import send
from .template_check import check_template
from .validate import validate_workbook

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
BLANK_NAME = "年报填报模板.xlsx"


class ReportGroup(click.Group):
    """A group that turns the package's errors into one Chinese line and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ReportError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # a bug: still no traceback for the librarian
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"内部错误（{type(exc).__name__}）：{exc}。请加 --debug 重新运行，并把输出发给维护人员。", err=True
            )
            ctx.exit(1)


@click.group(cls=ReportGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="年报工具 %(version)s")
@click.option("--debug", is_flag=True, help="出错时显示完整的技术信息（供开发人员排查）。")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """公共图书馆年度工作报告（年报）生成工具。

    \b
    典型用法：
      python fill.py template -o 年报.xlsx      生成空白填报工作簿
      python fill.py validate 年报.xlsx         检查填好的工作簿
      python fill.py render 年报.xlsx           生成 Word 年报到 outputs/
      python fill.py send 报告.docx --to 地址    用电子邮件发送报告（先运行 send --setup）
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=BLANK_NAME,
    show_default=True,
    help="空白工作簿的保存位置。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def template(output: Path, force: bool) -> None:
    """生成空白的年报填报工作簿（.xlsx）。"""
    if output.exists() and not force:
        raise OutputError(f"{output} 已经存在，未覆盖。如需覆盖请加 --force，或用 -o 指定新的文件名")
    write_blank(output)
    click.echo(str(output))
    click.echo(
        f"已生成空白工作簿 {output}。请逐张填写淡黄色单元格，然后运行：python fill.py validate {output}", err=True
    )


def write_blank(output: Path) -> None:
    """Write the blank workbook through a temporary file."""
    from .write import write_atomically

    temporary = output.with_name(f".tmp-{output.name}")
    try:
        write_workbook(temporary)
        write_atomically(output, temporary.read_bytes(), force=True)
    finally:
        temporary.unlink(missing_ok=True)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="结果格式：text 给人看，json 给程序用。",
)
@click.option("--strict", is_flag=True, help="警告也算作错误。")
def validate(workbook: Path, output_format: str, strict: bool) -> None:
    """检查填好的工作簿，一次列出所有问题（工作表!单元格）。

    退出码：0 没有错误（可以有警告），1 有错误，2 文件无法读取或命令写错。
    """
    _, result = validate_workbook(workbook)
    click.echo(as_json(result, strict) if output_format == "json" else as_text(result, workbook.name))
    if result.blocks(strict):
        if output_format == "text":
            click.echo("请按提示修改工作簿后重新检查。", err=True)
        sys.exit(1)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="生成的 .docx 路径（默认 outputs/<馆名>-<年度>-年报.docx）。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的报告。")
@click.option("--strict", is_flag=True, help="有警告也不生成。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（与 .docx 同名，放在一起；需要 LibreOffice）。")
@click.option("--no-layout", is_flag=True, help="不用 LibreOffice 排版（更快；目录页码改由 Word 打开文件时更新）。")
def render(workbook: Path, output: Path | None, force: bool, strict: bool, pdf: bool, no_layout: bool) -> None:
    """检查工作簿并生成 Word 年报（有错误时不生成）。

    装有 LibreOffice 时，先用它排版一次，把页码写进目录；加 --pdf 同时生成 PDF。
    """
    if pdf and no_layout:
        raise click.UsageError("--pdf 需要用 LibreOffice 排版，不能与 --no-layout 同时使用")
    outcome = render_workbook(
        workbook, output, force=force, strict=strict, layout=False if no_layout else None, pdf=pdf
    )
    if outcome.output is None:
        click.echo(as_text(outcome.result, workbook.name), err=True)
        click.echo("工作簿有错误，未生成报告。请修改后重新运行。", err=True)
        sys.exit(1)
    if outcome.result.problems:
        click.echo(as_text(outcome.result, workbook.name), err=True)
    click.echo(str(outcome.output))
    if outcome.pdf:
        click.echo(str(outcome.pdf))
    for note in outcome.notes:
        click.echo(f"提示：{note}", err=True)
    made = f"{outcome.output} 和 {outcome.pdf}" if outcome.pdf else str(outcome.output)
    click.echo(f"已生成 {made}（{summary_line(outcome.result)}）。", err=True)


@main.command("check-template")
@click.argument("template_path", metavar="TEMPLATE.docx", type=click.Path(path_type=Path), default=str(TEMPLATE_PATH))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="结果格式。",
)
def check_template_command(template_path: Path, output_format: str) -> None:
    """检查 Word 模板：Jinja 语法错误、schema 中没有的变量、没有用到的字段。

    不给出文件时检查自带的 templates/年报模板.docx。有错误时退出码为 1。
    """
    if not template_path.is_file():
        raise ReportError(f"找不到 Word 模板：{template_path}")
    result = ValidationResult(tuple(check_template(template_path)))
    click.echo(as_json(result) if output_format == "json" else as_text(result, template_path.name))
    if result.errors:
        sys.exit(1)


main.add_command(send)
