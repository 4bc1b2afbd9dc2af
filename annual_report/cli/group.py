"""The command group: the package's errors as one Chinese line and an exit code, and under --format json as one
JSON document; standard output kept for the results while a command runs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import click

from annual_report.cli.catalogue import translations
from annual_report.cli.output import emit, error_document, results_only
from annual_report.core.errors import ReportError
from annual_report.core.program import program


@dataclass(frozen=True)
class Command:
    """A command of the group: the module that defines it (imported only when the command is used, so that --help
    and a light command never load the pipeline, docxtpl or the mail code), its function, and its line in --help."""

    module: str
    function: str
    short_help: str


# the one lazy import of the command line: each command module imports what it uses at its top
COMMANDS = {
    "template": Command("annual_report.cli.template", "template", "生成空白的年报填报工作簿（.xlsx），或由上一年的工作簿、Word 年报生成下一年的。"),
    "validate": Command("annual_report.cli.validate", "validate", "检查填好的工作簿，一次列出所有问题（工作表!单元格）。"),
    "render": Command("annual_report.cli.render", "render", "检查工作簿并生成 Word 年报（有错误时不生成）。"),
    "summary": Command("annual_report.cli.summary", "summary", "把文件夹中所有工作簿汇总成一个 Excel。"),
    "trace": Command("annual_report.cli.trace", "trace", "列出报告中每个数字的来源（工作表!单元格）。"),
    "check-template": Command("annual_report.cli.check", "check_template_command", "检查 Word 模板。"),
    "send": Command("annual_report.cli.send", "send", "用电子邮件发送报告。"),
    "serve": Command("annual_report.cli.serve", "serve", "启动网页版。"),
    "collect": Command("annual_report.cli.collect", "collect", "收报单位收集各馆年报：开启收集、名单和报送码。"),
}  # fmt: skip


def remember_format(ctx: click.Context, _param, value: str) -> str:
    """Note the format asked for, so that a refusal or a crash is reported in it too."""
    root = ctx.find_root()
    if isinstance(root.obj, dict):
        root.obj["format"] = value
    return value


class ReportGroup(click.Group):
    """A group that turns the package's errors into one Chinese line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            command = COMMANDS[name]
            found = getattr(importlib.import_module(command.module), command.function)
            found.short_help = command.short_help  # as --help lists it
            self.add_command(found, name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands in --help, from COMMANDS: no command module is imported to show it."""
        rows = [(name, COMMANDS[name].short_help) for name in self.list_commands(ctx)]
        with formatter.section(translations().gettext("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        with results_only():  # standard output carries the results only, whatever a library prints
            try:
                return super().invoke(ctx)
            except (click.exceptions.Exit, click.Abort):
                raise
            except click.ClickException as exc:
                self._as_json(ctx, exc)
                raise
            except ReportError as exc:
                if _debug(ctx):
                    raise
                self._as_json(ctx, exc)
                click.echo(f"错误：{exc}", err=True)
                ctx.exit(exc.exit_code)
            except Exception as exc:  # a bug: still no traceback for the librarian
                if _debug(ctx):
                    raise
                self._as_json(ctx, exc)
                click.echo(
                    f"内部错误：工具本身出错（这是工具的缺陷）。请在命令前加 --debug 重新运行（{program()} --debug …），"
                    "并把输出发给维护人员。",
                    err=True,
                )
                ctx.exit(1)

    @staticmethod
    def _as_json(ctx: click.Context, error: BaseException) -> None:
        """Under --format json, the one JSON document of an outcome that is a refusal or a crash."""
        if isinstance(ctx.obj, dict) and ctx.obj.get("format") == "json":
            emit(error_document(error, ctx.obj.get("listing", False), ctx.obj.get("subject", "")))


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


def note_subject(path: Path | None, listing: bool = False) -> None:
    """Note what the command was given, for the JSON document of an outcome that is a refusal or a crash."""
    obj = click.get_current_context().find_root().obj
    if isinstance(obj, dict) and path is not None:
        obj.update(subject=str(path), listing=listing)
