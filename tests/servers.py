"""`fill.py serve` started as a user starts it, on 127.0.0.1 and a free port, and a small HTTP client that keeps cookies."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from make_samples import ROOT
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def start_server(*arguments: str) -> tuple[subprocess.Popen, str]:
    """`fill.py serve --port 0 …` and its address, once it says it has started."""
    command = [sys.executable, str(ROOT / "fill.py"), "serve", "--port", "0", *arguments]
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=environment
    )
    started = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", started)
    if found is None:
        process.kill()
        raise AssertionError(f"serve did not start: {started}{process.stderr.read()}")
    return process, found.group(0)


def stop_server(process: subprocess.Popen) -> None:
    """Stop it as the system does (SIGTERM) and wait for it."""
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=60)
    process.stdout.close()
    process.stderr.close()


def descendants(pid: int) -> list[int]:
    """Every process started by pid, and by those (Linux: read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


class Client:
    """A browser without a window: cookies, the page's CSRF token, forms and uploads; every request bounded in time."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        self.base, self.timeout = base, timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self._open(urllib.request.Request(self.base + path.lstrip("/")))

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, dict, bytes]:
        """POST a form (with the CSRF token of the page last read) and, if given, files (name → (file name, bytes))."""
        data = {"csrf": self.token, **fields}
        data |= {key: FileStorage(io.BytesIO(content), name) for key, (name, content) in (files or {}).items()}
        boundary, body = encode_multipart(data)
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": self.base.rstrip("/")}
        return self._open(urllib.request.Request(self.base + path.lstrip("/"), body, headers))

    def sign_in(self, code: str) -> str:
        """Sign in with a code; where the server sends the visitor next."""
        self.read_token("/login")
        status, headers, body = self.post("/login", {"code": code})
        assert status == 302, body.decode()
        return headers["Location"]

    def read_token(self, path: str) -> str:
        status, _headers, body = self.get(path)
        assert status == 200, (path, status)
        self.token = re.search(r'name="csrf" value="([^"]+)"', body.decode()).group(1)
        return body.decode()

    def _open(self, request) -> tuple[int, dict, bytes]:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until(condition, seconds: float = 20, step: float = 0.05):
    """Poll condition until it holds (its value) or fail after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")
