"""The command line's group: python fill.py --help. Each command lives in its own module of cli/, loaded when used."""

from __future__ import annotations

import click

from annual_report import __version__
from annual_report.cli.group import ReportGroup
from annual_report.core.program import started_as
from annual_report.core.scratch import exit_on_terminate, remove_stale

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=ReportGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="年报工具 %(version)s", help="显示版本号并退出。")
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
    ctx.obj = {"debug": debug}  # and, once a command's options are read: format, listing, subject
    # python fill.py, fill or python -m annual_report; a caller that names no program (a test) gets the checkout's
    started_as(ctx.info_name if ctx.info_name != ctx.command.name else None)
    remove_stale()  # scratch folders of runs that were killed
    ctx.call_on_close(exit_on_terminate())
