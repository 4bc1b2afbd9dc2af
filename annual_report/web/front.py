"""The server's front door: waitress, with each request admitted by the gate as soon as its headers are in.

waitress reads a request's whole body before the application sees it, and answers some requests
itself, in English. Here its request parser asks the gate (gate.py) right after the headers, so an
upload without a valid code, over the size limit or while the queue is full is refused at once —
its body is read only to be thrown away, for a few seconds, so that the browser still gets the answer.
waitress's own refusals (malformed request, headers too large) are given in Chinese.

This relies on waitress internals (HTTPRequestParser, HTTPChannel, ErrorTask, WSGITask): pyproject
bounds waitress below the next minor version and tests/test_dependencies.py names each assumption.
"""

from __future__ import annotations

import html
import json
import logging
import time

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import Error

from annual_report.core import limits
from annual_report.web.gate import ADMITTED, Gate, Refusal, too_large

WAITRESS_REASONS = {
    400: "请求的格式不对，服务器无法处理。请返回首页重新操作。",
    431: "请求头太大（可能是浏览器保存的 Cookie 太多），请清除本网站的 Cookie 后重试。",
    500: "服务器内部出错，请稍后重试；仍不行请告诉运行本服务的单位。",
    501: "不支持这种上传方式，请用网页上的上传按钮。",
}


class ChineseError(Error):
    """An error answer in Chinese: an HTML page, or JSON for the programming interface."""

    def __init__(self, status: int, message: str, api: bool, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code, self.reason, self.api, self.retry_after = status, _REASONS.get(status, "Error"), api, retry_after

    def to_response(self, ident=None):
        if self.api:
            body = json.dumps({"error": self.body}, ensure_ascii=False).encode()
            headers = [("Content-Type", "application/json")]
        else:
            body = _PAGE.format(message=html.escape(self.body)).encode()
            headers = [("Content-Type", "text/html; charset=utf-8")]
        if self.retry_after:
            headers.append(("Retry-After", str(self.retry_after)))
        return f"{self.code} {self.reason}", headers, body


class _Parser(HTTPRequestParser):
    """waitress's parser, asking the gate once the headers are complete."""

    def __init__(self, adj, channel: _Channel) -> None:
        super().__init__(adj)
        self._channel = channel
        self._asked = False
        self.visitor = None

    def received(self, data):
        consumed = super().received(data)
        if self.headers_finished and not self._asked:
            self._asked = True
            if self.error is None and not self.empty:  # waitress's own refusals are put in Chinese by _ErrorTask
                found = self._channel.gate.admit(self.command, self.path, self.headers, self._channel.addr[0])
                if isinstance(found, Refusal):
                    api = self.path.startswith("/api/")
                    self.error = ChineseError(found.status, found.message, api, found.retry_after)
                    self.completed, self.expect_continue = True, False
                    self.connection_close = True
                    self._channel.refused = True
                else:
                    self.visitor = found
        return consumed


class _Task(WSGITask):
    """The application's task, told whom the gate admitted (so that a code is not checked twice)."""

    def get_environment(self):
        environ = super().get_environment()
        environ[ADMITTED] = getattr(self.request, "visitor", None)
        return environ


class _ErrorTask(ErrorTask):
    """waitress's error answer, in Chinese."""

    def execute(self):
        api = getattr(self.request, "path", "").startswith("/api/")
        self.request.error = _chinese(self.request.error, self.channel.gate, api)
        self.channel.refused = True  # what the client still sends is read and thrown away before closing
        super().execute()


class _Channel(HTTPChannel):
    """A connection whose requests pass the gate; after a refusal its remaining body is read and thrown away."""

    task_class = _Task
    error_task_class = _ErrorTask

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        self.gate: Gate = server.gate
        self.parser_class = lambda adjustments: _Parser(adjustments, self)
        self.refused = False
        self._lingering_until = 0.0
        self._thrown_away = 0

    def received(self, data):
        if self._lingering_until:
            return self._throw_away(len(data))
        if self.refused and (self.will_close or self.close_when_flushed):
            return False
        return super().received(data)

    def readable(self):
        return bool(self._lingering_until) or super().readable()

    def handle_read(self):
        if self._lingering_until and time.monotonic() > self._lingering_until:
            self._close_now()
            return
        super().handle_read()
        if self._lingering_until and not self.connected:
            self._close_now()

    def handle_close(self):
        if self.refused and not self._lingering_until and self.connected and not self.total_outbufs_len:
            # the answer is sent: stop writing, read what the client still sends, then close
            self._lingering_until = time.monotonic() + limits.LINGER_SECONDS
            self.will_close = self.close_when_flushed = False
            try:
                self.socket.shutdown(1)
            except OSError:
                self._close_now()
            return
        super().handle_close()

    def writable(self):
        if self._lingering_until:
            if time.monotonic() > self._lingering_until:
                self._close_now()
            return False
        return super().writable()

    def _throw_away(self, size: int) -> bool:
        self._thrown_away += size
        if self._thrown_away > limits.LINGER_BYTES or time.monotonic() > self._lingering_until:
            self._close_now()
        return True

    def _close_now(self) -> None:
        self._lingering_until = 0.0
        self.refused = False
        super().handle_close()


def serve_with_gate(app, gate: Gate, *, host: str, port: int, threads: int, max_body: int):
    """A waitress server for app whose connections pass the gate; raises OSError if the address is taken."""
    logging.getLogger("waitress").setLevel(logging.ERROR)  # its English warnings (queue depth…): our log tells instead
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=max_body,
        ident="annual-report",
        clear_untrusted_proxy_headers=True,
    )
    server.gate = gate
    server.channel_class = _Channel
    return server


def _chinese(error: Error, gate: Gate, api: bool) -> Error:
    if isinstance(error, ChineseError):
        return error
    if error.code == 413:
        message = too_large(gate.rules.max_upload_bytes // 1024 // 1024)
    else:
        message = WAITRESS_REASONS.get(error.code, WAITRESS_REASONS[400])
    return ChineseError(error.code, message, api)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    507: "Insufficient Storage",
}
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>无法完成 · 年报工具网页版</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/">公共图书馆年度工作报告 · 网页版</a></header>
<main><section><h1>无法完成</h1><p class="message" id="error">{message}</p><p><a href="/">返回首页</a></p></section></main>
</body></html>
"""
