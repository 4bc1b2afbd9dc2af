"""The serve command: the web page and JSON API (annual_report.web), imported only when it runs."""

from __future__ import annotations

import click

from annual_report.cli.main import TEMPLATE
from annual_report.cli.output import emit


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听的地址。默认只有本机能打开；用 0.0.0.0 让局域网中的电脑都能打开（必须设访问码）。",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0：任选空闲端口）。"
)
@click.option("--access-code", help="访问码，打开网页时要输入；写 auto 由工具生成一个并显示。")
@click.option(
    "--max-upload", type=click.IntRange(1, 1024), default=50, show_default=True, help="每次上传的大小上限（MB）。"
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="同时处理几个工作簿（默认：CPU 核数，最多 4）。")
@click.option("--no-layout", is_flag=True, help="不用 LibreOffice 排版（更快；不提供 PDF，目录页码由 Word 更新）。")
@TEMPLATE
def serve(
    host: str, port: int, access_code: str | None, max_upload: int, jobs: int | None, no_layout: bool, template
) -> None:
    """启动网页版：在浏览器中下载空白工作簿、上传检查、下载报告（需要 pip install ".[web]"）。

    默认只有本机能打开（http://127.0.0.1:8765/）。按 Ctrl+C 停止。
    """
    from annual_report.web.server import run_server

    run_server(
        host,
        port,
        access_code=access_code,
        max_upload_mb=max_upload,
        jobs=jobs,
        layout=False if no_layout else None,
        announce=emit,  # the address is the command's result: on standard output, for scripts to read
        template=template,
    )
