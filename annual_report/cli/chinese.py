"""Click in Chinese: help headings, the help option and usage errors, for librarians who read no English."""

from __future__ import annotations

import re
import sys

import click

HELP_TEXT = "显示本帮助并退出。"
USAGE_ERRORS = (
    (r"No such option:? '?([^'\s]+?)'?\.?(?=\s|$)", "没有选项 {0}"),
    (r"No such command:? '?([^'\s]+?)'?\.?(?=\s|$)", "没有命令 {0}"),
    (r"Missing argument '?([^'.]+)'?\.?", "缺少参数 {0}"),
    (r"Missing option '?([^'.]+)'?\.?", "缺少选项 {0}"),
    (r"Option '?([^' ]+)'? requires an argument\.?", "选项 {0} 后面要写一个值"),
    (r"Got unexpected extra arguments? \((.+)\)", "多出了参数：{0}"),
    (r"Invalid value for '?(.+?)'?: (.+)", lambda m: f"{m.group(1).replace(chr(39), '')} 的值无效：{m.group(2)}"),
    (r"'([^']*)' is not one of (.+?)\.?$", "“{0}”不是可选的值（可选：{1}）"),
    (r"(\S+) is not in the range (.+?)\.?$", "{0} 不在允许的范围内（{1}）"),
    (r"'([^']*)' is not a valid (?:integer|float)(?: range)?\.?", "“{0}”不是有效的数字"),
    (r"Did you mean one of:? (.+)\?", "是不是要写其中之一：{0}？"),
    (r"Did you mean (.+)\?", "是不是要写 {0}？"),
)


def translate(message: str) -> str:
    """A Click usage message in Chinese, phrase by phrase; what is not known stays as it is."""
    for pattern, chinese in USAGE_ERRORS:
        replace = chinese if callable(chinese) else (lambda m, c=chinese: c.format(*m.groups()))
        message = re.sub(pattern, replace, message)
    return message


class ChineseHelp:
    """Help pages with Chinese headings and a Chinese help option."""

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [record for param in self.get_params(ctx) if (record := param.get_help_record(ctx))]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
            rows = [(name, command.get_short_help_str(60)) for name, command in commands if not command.hidden]
            if rows:
                with formatter.section("命令"):
                    formatter.write_dl(rows)


class ChineseCommand(ChineseHelp, click.Command):
    """A command whose help is in Chinese."""


class ChineseGroup(ChineseHelp, click.Group):
    """A group whose help and usage errors are in Chinese; its subcommands are ChineseCommands."""

    command_class = ChineseCommand

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "fill.py"
            command = f"python {command}" if command.endswith(".py") or ".py " in command else command
            click.echo(f"命令写错了：{translate(exc.format_message())}", err=True)
            click.echo(f"运行 {command} --help 查看用法。", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"错误：{translate(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已取消。", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)  # without standalone mode Click returns Exit's code
