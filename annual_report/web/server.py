"""Start the page: refuse an unsafe start, then serve it with waitress until stopped."""

from __future__ import annotations

import ipaddress
import os
import secrets
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from annual_report.core.errors import ReportError

AUTO = "auto"  # --access-code auto: the tool makes one up and prints it
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
MIN_CODE = 6


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach the address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_access_code() -> str:
    """A random code of 12 letters and digits (about 59 bits), easy to read aloud."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def access_code_for(host: str, given: str | None) -> str | None:
    """The access code to require: the given one, a new one for `auto`; refuses another computer's access without."""
    if given == AUTO:
        return new_access_code()
    if given is not None and len(given.strip()) < MIN_CODE:
        raise ReportError(f"访问码太短：至少 {MIN_CODE} 个字符（或写 --access-code {AUTO} 由工具生成一个）")
    if given is None and not is_loopback(host):
        raise ReportError(
            f"在 {host} 上提供服务，局域网中的其他电脑都能打开，必须设访问码："
            f"加 --access-code 你的访问码，或加 --access-code {AUTO} 由工具生成一个"
        )
    return given.strip() if given else None


def run_server(
    host: str,
    port: int,
    *,
    access_code: str | None = None,
    max_upload_mb: int = 50,
    jobs: int | None = None,
    layout: bool | None = None,
    announce: Callable[[str], None] = print,
    template: Path | None = None,
) -> None:
    """Serve the page until Ctrl+C (or SIGTERM); every upload is deleted when it stops."""
    code = access_code_for(host, access_code)
    try:
        import flask  # noqa: F401
        from waitress import create_server
    except ImportError as exc:
        raise ReportError(
            '网页版需要 Flask 和 waitress，尚未安装：请运行 pip install ".[web]"（或 pip install flask waitress）'
        ) from exc
    from annual_report.web.app import Settings, close_app, create_app

    jobs = jobs or min(os.cpu_count() or 1, 4)
    if template is not None:  # checked before serving: a broken template is said now, not at each upload
        from annual_report.report.render import load_template

        load_template(template)
    settings = Settings(code, max_upload_mb, jobs=jobs, layout=layout, loopback=is_loopback(host), template=template)
    app = create_app(settings)
    try:
        # waitress answers uploads far over the limit itself (in English); up to twice the limit get Flask's Chinese message
        server = create_server(
            app, host=host, port=port, threads=jobs + 4, max_request_body_size=2 * max_upload_mb * 1024 * 1024 + 65536
        )
    except OSError as exc:
        close_app(app)
        raise ReportError(
            f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口可能已被占用，请用 --port 换一个）"
        ) from exc
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by the system: still delete the uploads
    shown = "本机的 IP 地址" if host in ("0.0.0.0", "::", "") else host
    announce(f"网页版已启动：http://{shown}:{server.effective_port}/")
    if code:
        announce(f"访问码：{code}（打开网页时输入；程序接口在请求头 X-Access-Code 中给出）")
    announce("按 Ctrl+C 停止；停止时删除所有上传的文件。")
    try:
        server.run()
    except KeyboardInterrupt:
        announce("已停止。")
    finally:
        server.close()
        close_app(app)
