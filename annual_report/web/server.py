"""Start the page: refuse an unsafe start, then serve it with waitress (through the gate) until stopped."""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annual_report.collect.codes import MIN_REMOTE, new_code
from annual_report.collect.collection import Collection
from annual_report.core.errors import ReportError
from annual_report.core.messages import message, os_reason
from annual_report.report.render import load_template
from annual_report.web.accesslog import LOG_NAME, AccessLog

AUTO = "auto"  # --access-code auto: the tool makes one up and prints it
PAGE_THREADS = 8  # request threads beyond the queue's places: pages and files never wait behind renders


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
    return new_code()


def access_code_for(host: str, given: str | None) -> str | None:
    """The access code to require: the given one (spaces around it trimmed) or a new one (`auto`, the default off loopback)."""
    if given is not None:
        given = given.strip()
    if given == AUTO or (given is None and not is_loopback(host)):
        return new_access_code()
    if given is not None and not is_loopback(host) and len(given) < MIN_REMOTE:
        raise ReportError(message("access-code-short", host=host, shortest=MIN_REMOTE, auto=AUTO))
    if given == "":
        raise ReportError(message("access-code-empty", auto=AUTO))
    return given


def run_server(
    host: str,
    port: int,
    settings,
    *,
    collect: Path | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the page (or a collection's pages) until Ctrl+C or SIGTERM; temporary uploads are deleted when it stops."""
    try:
        import flask  # noqa: F401
        import waitress  # noqa: F401
    except ImportError as exc:
        raise ReportError(message("web-not-installed")) from exc
    from annual_report.web.app import close_app, create_app  # Flask and waitress: only once they are known to be there
    from annual_report.web.front import serve_with_gate

    if settings.template is not None:  # the office's own template: a broken one refuses to start, as render does
        load_template(settings.template)
        settings = replace(settings, template=settings.template.resolve())
    code = None if collect else access_code_for(host, settings.access_code)
    settings = replace(settings, access_code=code, loopback=is_loopback(host), jobs=settings.jobs or _jobs())
    collection = Collection.open(collect, serve=True) if collect else None
    log = AccessLog(collect / LOG_NAME if collect else None)
    app = create_app(settings, collection, log)
    state = app.extensions["annual_report"]
    try:
        server = serve_with_gate(
            app,
            state.gate,
            host=host,
            port=port,
            threads=settings.queue + PAGE_THREADS,
            max_body=settings.max_upload_mb * 1024 * 1024 + 65536,
        )
    except OSError as exc:
        close_app(app)
        if collection:
            collection.close()
        raise ReportError(message("serve-no-start", host=host, port=port, reason=os_reason(exc, network=True))) from exc
    state.workers.start()  # the workers (and their LibreOffice) warm up while the first pages are served
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by the system: still clean up
    shown = "本机的 IP 地址" if host in ("0.0.0.0", "::", "") else host
    announce(f"网页版已启动：http://{shown}:{server.effective_port}/")
    if collection:
        announce(f"正在收集 {collection.year} 年度的年报：{len(collection.libraries())} 个馆；数据文件夹 {collect}")
        announce(f"各馆用报送码登录，收报单位用管理码进入汇总看板；访问记录在 {collect / LOG_NAME}")
    elif code:
        announce(f"访问码：{code}（打开网页时输入；程序接口在请求头 X-Access-Code 中给出）")
    announce("按 Ctrl+C 停止。" + ("" if collection else "停止时删除所有上传的文件。"))
    try:
        server.run()
    except KeyboardInterrupt:
        announce("已停止。")
    finally:
        server.close()
        close_app(app)
        if collection:
            collection.close()


def _jobs() -> int:
    return min(os.cpu_count() or 1, 4)
