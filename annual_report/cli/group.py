"""The command group: the package's errors as one Chinese line and an exit code, and under --format json as one
JSON document; standard output kept for the results while a command runs."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from annual_report.cli.output import emit, error_document, results_only
from annual_report.core.errors import ReportError
from annual_report.core.program import program

# The pipeline's modules (openpyxl, docxtpl, jsonschema) are imported inside the commands that use
# them, and the send command's module (mail settings and delivery) only when it is used or listed,
# so that --help and the lighter commands start quickly.
LAZY_COMMANDS = {
    "send": "annual_report.cli.send",
    "trace": "annual_report.cli.trace",
    "serve": "annual_report.cli.serve",
    "collect": "annual_report.cli.collect",
}


def remember_format(ctx: click.Context, _param, value: str) -> str:
    """Note the format asked for, so that a refusal or a crash is reported in it too."""
    root = ctx.find_root()
    if isinstance(root.obj, dict):
        root.obj["format"] = value
    return value


class ReportGroup(click.Group):
    """A group that turns the package's errors into one Chinese line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            self.add_command(getattr(importlib.import_module(LAZY_COMMANDS[name]), name))
        return super().get_command(ctx, name)

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
