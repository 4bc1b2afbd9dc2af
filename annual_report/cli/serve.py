"""The serve command: the web page and JSON API (annual_report.web), imported only when it runs."""

from __future__ import annotations

from pathlib import Path

import click

from annual_report.cli.options import TEMPLATE
from annual_report.cli.output import emit
from annual_report.core import limits
from annual_report.core.messages import message
from annual_report.web.server import run_server
from annual_report.web.settings import Settings


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听的地址。默认只有本机能打开；用 0.0.0.0 让局域网中的电脑都能打开（自动生成访问码）。",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0：任选空闲端口）。"
)
@click.option(
    "--collect",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="提供一个收集（collect open 建立的数据文件夹）：各馆用报送码提交，收报单位用管理码看汇总看板。",
)
@click.option("--access-code", help="访问码（不用 --collect 时），打开网页时要输入；写 auto 由工具生成一个并显示。")
@click.option("--operator", help="网页上显示的收报单位名称，例：某某市文化和旅游局。")
@click.option("--contact", help="网页上显示的联系方式，例：张老师 0871-12345678。")
@click.option("--deadline", help="网页上显示的报送截止日期，例：2025-03-31。")
@click.option(
    "--max-upload", type=click.IntRange(1, 1024), default=limits.UPLOAD_BYTES // limits.MB, show_default=True, help="每次上传的大小上限（MB）。"
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="同时处理几个工作簿（默认：CPU 核数，最多 4）。")
@click.option(
    "--queue",
    type=click.IntRange(1, 200),
    default=limits.QUEUED_REQUESTS,
    show_default=True,
    help="同时在处理和排队的请求数上限；再多的请求立即得到“请稍后再试”。",
)
@click.option(
    "--disk-quota", type=click.IntRange(min=1), default=limits.UPLOAD_DISK_BYTES // limits.MB, show_default=True, help="暂存上传文件的总大小上限（MB）。"
)
@click.option(
    "--per-library", type=click.IntRange(min=1), default=limits.SUBMISSIONS_PER_LIBRARY, show_default=True, help="收集中每馆最多提交几次。"
)
@click.option("--no-layout", is_flag=True, help="不用 LibreOffice 排版（更快；不提供 PDF，目录页码由 Word 更新）。")
@TEMPLATE
def serve(
    host: str,
    port: int,
    collect: Path | None,
    access_code: str | None,
    operator: str | None,
    contact: str | None,
    deadline: str | None,
    max_upload: int,
    jobs: int | None,
    queue: int,
    disk_quota: int,
    per_library: int,
    no_layout: bool,
    template: Path | None,
) -> None:
    """启动网页版。

    在浏览器中下载空白工作簿、上传检查、下载报告（需要 pip install ".[web]"）。

    默认只有本机能打开（http://127.0.0.1:8765/）。加 --collect 数据文件夹 时是收集各馆年报的网页。按 Ctrl+C 停止。
    """
    if collect and access_code:
        raise click.UsageError(message("serve-collect-no-access-code"))
    settings = Settings(
        access_code=access_code,
        max_upload_mb=max_upload,
        jobs=jobs or 0,
        layout=False if no_layout else None,
        template=template,
        queue=queue,
        disk_quota_mb=disk_quota,
        per_library=per_library,
        operator=(operator or "").strip(),
        contact=(contact or "").strip(),
        deadline=(deadline or "").strip(),
    )
    run_server(host, port, settings, collect=collect, announce=emit)  # the address is the result: on stdout
