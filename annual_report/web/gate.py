"""Who may do what, decided from a request's first line and headers alone, before its body is read.

The server's front door (front.py) asks the gate as soon as a request's headers are in; a refused
upload is answered at once in Chinese and its body is never stored. Flask asks the same gate for
requests that did not come through the front door (its test client).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from werkzeug.http import parse_cookie

from annual_report.collect.codes import same
from annual_report.core import limits
from annual_report.web.accesslog import AccessLog
from annual_report.web.throttle import Throttle

ADMITTED = "annual_report.visitor"  # the WSGI environ key under which the front door passes the visitor on
USER, LIBRARY, OFFICE = "user", "library", "office"
UPLOADS = ("/check", "/api/validate", "/api/render", "/library/submit")
OPEN_PATHS = ("/login", "/static/", "/favicon.ico")


@dataclass(frozen=True)
class Visitor:
    """Who sent a request: nobody yet (role None), the page's user, a library or the office."""

    role: str | None = None
    library_id: int | None = None
    library_name: str = ""


@dataclass(frozen=True)
class Refusal:
    """A request turned away before its body is read: HTTP status and the Chinese reason."""

    status: int
    message: str
    retry_after: int | None = None


@dataclass(frozen=True)
class Rules:
    """What the gate needs to know of the server."""

    access_code: str | None  # the page's code (serve --access-code), when there is no collection
    max_upload_bytes: int
    read_session: Callable[[str], dict | None]  # a session cookie's content, if it is genuine and current
    signed_in: Callable[[dict], Visitor]  # the visitor a genuine session names (role None if no longer valid)
    code_owner: Callable[[str], Visitor | None]  # whose code this is (None: nobody's)
    busy: Callable[[], bool]  # the workers' queue is full
    room: Callable[[Visitor, int], str | None]  # why an upload of this size cannot be kept, if it cannot
    collecting: bool = False


class Gate:
    """Admits or refuses requests; checks codes under a throttle and writes what it refused to the access log."""

    def __init__(self, rules: Rules, log: AccessLog, throttle: Throttle | None = None) -> None:
        self.rules, self.log, self.throttle = rules, log, throttle or Throttle()

    @property
    def codes_needed(self) -> bool:
        return self.rules.collecting or self.rules.access_code is not None

    def admit(self, method: str, path: str, headers: Mapping[str, str], client: str) -> Visitor | Refusal:
        """The visitor, or why the request is refused; headers as waitress keeps them (CONTENT_LENGTH, COOKIE…)."""
        unsafe = method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and cross_site(headers):
            return self._refuse(
                client, "", method, path, Refusal(403, "拒绝了来自其他网站的提交：请在本服务自己的网页上操作。")
            )
        length = _length(headers)
        limit = self._body_limit(path)
        if length > limit:
            mb = self.rules.max_upload_bytes // 1024 // 1024
            refusal = Refusal(413, too_large(mb) if limit == self.rules.max_upload_bytes else "请求太大，无法处理。")
            return self._refuse(client, "", method, path, refusal)
        visitor = self._visitor(path, headers, client)
        if isinstance(visitor, Refusal) or not unsafe or path.startswith(OPEN_PATHS):
            return visitor
        if not self.allowed(visitor, path):
            return self._refuse(client, "", method, path, Refusal(401, "请先输入访问码（报送码）登录后再上传。"))
        if path in UPLOADS:
            if self.rules.busy():
                return self._refuse(client, visitor.library_name, method, path, Refusal(503, BUSY, retry_after=60))
            why = self.rules.room(visitor, length)
            if why:
                return self._refuse(client, visitor.library_name, method, path, Refusal(507, why))
        return visitor

    def allowed(self, visitor: Visitor, path: str) -> bool:
        """Whether this visitor may open this path."""
        if path.startswith(OPEN_PATHS):
            return True
        if path.startswith("/office"):
            return visitor.role == OFFICE
        if path.startswith("/library"):
            return visitor.role == LIBRARY
        return visitor.role is not None or not self.codes_needed

    def sign_in(self, code: str | None, client: str, action: str = "登录") -> Visitor | Refusal:
        """Check a code under the throttle: the visitor it names, or a refusal (wrong, or not checked at all)."""
        waiting = self.throttle.wait(client)
        if waiting > 0:
            seconds = math.ceil(waiting)
            self.log.write(client, "", action, f"被限速，未检查（还须等 {seconds} 秒）")
            return Refusal(429, f"输错的次数太多，请 {seconds} 秒后再试。", retry_after=seconds)
        owner = self._owner(code)
        if owner is None:
            failures, delay = self.throttle.failed(client)
            after = f"，下次须等 {math.ceil(delay)} 秒" if delay else ""
            self.log.write(client, "", action, f"码不对（连续第 {failures} 次{after}）")
            return Refusal(403, "访问码（报送码）不对，请核对后重新输入。")
        self.throttle.succeeded(client)
        self.log.write(client, owner.library_name or _ROLE_TEXT[owner.role], action, "成功")
        return owner

    def _owner(self, code: str | None) -> Visitor | None:
        if not (code or "").strip():
            return None
        if self.rules.collecting:
            return self.rules.code_owner(code)
        return Visitor(USER) if same(code, self.rules.access_code) else None

    def _visitor(self, path: str, headers: Mapping[str, str], client: str) -> Visitor | Refusal:
        if path.startswith("/api/"):
            if not self.codes_needed:
                return Visitor(USER)
            code = headers.get("X_ACCESS_CODE")
            if code is None:
                return Refusal(401, "需要访问码：请在请求头 X-Access-Code 中给出访问码（报送码）")
            return self.sign_in(code, client, "接口")
        cookie = _session_cookie(headers.get("COOKIE", ""))
        content = self.rules.read_session(cookie) if cookie else None
        return self.rules.signed_in(content) if content else Visitor()

    def _body_limit(self, path: str) -> int:
        if path in UPLOADS:
            return self.rules.max_upload_bytes
        return limits.LOGIN_BYTES if path.startswith("/login") else limits.FORM_BYTES

    def _refuse(self, client: str, library: str, method: str, path: str, refusal: Refusal) -> Refusal:
        self.log.write(client, library, f"{method} {path[:80]}", f"拒绝（{refusal.status}）")
        return refusal


BUSY = "正在处理的工作簿太多，请稍等一两分钟再试。"
_ROLE_TEXT = {USER: "（网页用户）", LIBRARY: "", OFFICE: "（收报单位）"}
SESSION_COOKIE = "annual_report"


def too_large(mb: int) -> str:
    """The message for an upload over the limit."""
    return f"上传的文件太大：一次最多 {mb} MB。请压缩工作簿中的图片（在 Excel 中选中图片 → 压缩图片），或分几次上传。"


def cross_site(headers: Mapping[str, str]) -> bool:
    """Whether a browser says the request comes from another site (Origin, or Referer, naming another host)."""
    if headers.get("SEC_FETCH_SITE", "").lower() == "cross-site":
        return True
    host = headers.get("HOST", "").lower()
    for name in ("ORIGIN", "REFERER"):
        value = headers.get(name)
        if value:
            return value == "null" or urlsplit(value).netloc.lower() != host
    return False


def _length(headers: Mapping[str, str]) -> int:
    try:
        return int(headers.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _session_cookie(header: str) -> str | None:
    return parse_cookie(header).get(SESSION_COOKIE)
