"""Where the report is sent from: SMTP settings from options, environment variables or the settings file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import keyring
from keyring.backends import fail, null

from annual_report.core.errors import ReportError
from annual_report.core.folders import config_folder
from annual_report.core.messages import message, os_reason
from annual_report.mail.addresses import ADDRESS

SETTINGS_NAME = "mail.json"
ENV_PREFIX = "NIANBAO_SMTP_"
PASSWORD_ENV = ENV_PREFIX + "PASSWORD"
SECURITIES = ("ssl", "starttls", "none")
SECURITY_LABELS = {"ssl": "SSL", "starttls": "STARTTLS", "none": "不加密"}
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
DEFAULT_TIMEOUT = 30.0
# The settings a user may give; the password is kept apart so it can never come from an option.
KEYS = ("server", "port", "security", "user", "sender", "timeout", "ca_file")
KEYRING_SERVICE = "nianbao-smtp"  # the password's entry in the system keyring: this service, the login as user
IN_KEYRING = "password_in_keyring"  # the settings file's mark that the password is in the keyring


class SettingsError(ReportError):
    """The mail settings are missing or cannot be used."""


@dataclass(frozen=True)
class Preset:
    """A mail provider's SMTP server, so a user types only the address and the authorisation code."""

    label: str
    server: str
    port: int
    security: str
    domains: tuple[str, ...] = ()
    credential: str = "授权码"
    hint: str = ""


PRESETS: tuple[Preset, ...] = (
    Preset(
        "QQ 邮箱",
        "smtp.qq.com",
        465,
        "ssl",
        ("qq.com", "foxmail.com", "vip.qq.com"),
        hint="在网页版 QQ 邮箱 设置 → 账号 中开启“POP3/SMTP 服务”，按提示得到 16 位授权码（不是 QQ 密码）。",
    ),
    Preset(
        "网易 163 邮箱",
        "smtp.163.com",
        465,
        "ssl",
        ("163.com",),
        hint="在网页版 163 邮箱 设置 → POP3/SMTP/IMAP 中开启 SMTP 服务，按提示得到授权码（不是登录密码）。",
    ),
    Preset(
        "网易 126 邮箱",
        "smtp.126.com",
        465,
        "ssl",
        ("126.com",),
        hint="在网页版 126 邮箱 设置 → POP3/SMTP/IMAP 中开启 SMTP 服务，按提示得到授权码（不是登录密码）。",
    ),
    Preset(
        "腾讯企业邮",
        "smtp.exmail.qq.com",
        465,
        "ssl",
        credential="密码（开启了安全登录时用“客户端专用密码”）",
        hint="须由管理员允许 SMTP；开启了微信安全登录时，在 设置 → 客户端设置 中生成客户端专用密码。",
    ),
    Preset(
        "阿里企业邮箱",
        "smtp.qiye.aliyun.com",
        465,
        "ssl",
        credential="密码",
        hint="须由管理员在后台允许第三方客户端（POP/SMTP）登录。",
    ),
)
OTHER = "其他"


def preset_for(address: str) -> Preset | None:
    """The provider whose public domain the address uses, if any."""
    domain = address.rpartition("@")[2].strip().lower()
    return next((preset for preset in PRESETS if domain in preset.domains), None)


@dataclass(frozen=True)
class SmtpSettings:
    """One SMTP account; the password is never shown in a repr or a log."""

    server: str = ""
    port: int = 0
    security: str = "ssl"
    user: str = ""
    sender: str = ""
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str = ""  # root certificates to verify the server with, instead of the system's
    password: str = field(default="", repr=False)

    @property
    def address(self) -> str:
        """host:port（SSL）, for messages."""
        return f"{self.server}:{self.port}（{SECURITY_LABELS[self.security]}）"

    def with_password(self, password: str) -> SmtpSettings:
        return replace(self, password=password)


def settings_path() -> Path:
    """The settings file in the user's config folder (NIANBAO_CONFIG_DIR overrides it, e.g. for tests)."""
    return config_folder() / SETTINGS_NAME


def load_settings_file(path: Path | None = None) -> dict:
    """The stored settings, or {} when there are none yet."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(message("settings-unreadable", file=path, reason=os_reason(exc))) from exc
    try:
        stored = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(message("settings-broken", file=path)) from exc
    if not isinstance(stored, dict):
        raise SettingsError(message("settings-broken", file=path))
    return stored


def write_settings_file(values: Mapping, path: Path | None = None) -> Path:
    """Write the settings readable by their owner only (mode 0600), through a temporary file and a rename."""
    path = path or settings_path()
    data = json.dumps({k: v for k, v in values.items() if v not in (None, "")}, ensure_ascii=False, indent=2)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600, so the password is never readable by others, not even briefly.
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError as exc:
        raise SettingsError(message("settings-folder-unwritable", folder=path.parent, reason=os_reason(exc))) from exc
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(data + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SettingsError(message("settings-unwritable", file=path, reason=os_reason(exc))) from exc
    return path


def from_environment(environ: Mapping[str, str]) -> dict:
    """NIANBAO_SMTP_SERVER, _PORT, _SECURITY, _USER, _SENDER, _TIMEOUT and _PASSWORD."""
    found = {key: environ[ENV_PREFIX + key.upper()] for key in KEYS if environ.get(ENV_PREFIX + key.upper())}
    if environ.get(PASSWORD_ENV):
        found["password"] = environ[PASSWORD_ENV]
    return found


def resolve_settings(
    options: Mapping | None = None, environ: Mapping[str, str] | None = None, stored: Mapping | None = None
) -> SmtpSettings:
    """Options override environment variables, which override the settings file; then defaults."""
    environ = os.environ if environ is None else environ
    stored = load_settings_file() if stored is None else stored
    layers = [stored, from_environment(environ), {k: v for k, v in (options or {}).items() if k in KEYS}]
    merged: dict = {}
    for layer in layers:
        merged.update({key: value for key, value in layer.items() if value not in (None, "")})
    security = str(merged.get("security", "ssl")).lower()
    if security not in SECURITIES:
        raise SettingsError(message("settings-bad-security", security=security))
    port = _number(merged.get("port", DEFAULT_PORTS[security]), "端口", int)
    timeout = _number(merged.get("timeout", DEFAULT_TIMEOUT), "超时秒数", float)
    if not 0 < port < 65536:
        raise SettingsError(message("settings-bad-port", port=port))
    if timeout <= 0:
        raise SettingsError(message("settings-bad-timeout"))
    user = str(merged.get("user", "")).strip()
    ca_file = str(merged.get("ca_file", "")).strip()
    if ca_file and not Path(ca_file).is_file():
        raise SettingsError(message("settings-no-ca-file", file=ca_file))
    password = str(merged.get("password", ""))
    if not password and stored.get(IN_KEYRING) and user:
        password = keyring_password(user)
    return SmtpSettings(
        server=str(merged.get("server", "")).strip(),
        port=port,
        security=security,
        user=user,
        sender=str(merged.get("sender", "")).strip() or user,
        timeout=timeout,
        ca_file=ca_file,
        password=password,
    )


def _keyring():
    """The system keyring (Windows Credential Manager, macOS Keychain, Secret Service), or None where there is none."""
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    return None if isinstance(backend, (fail.Keyring, null.Keyring)) else keyring


def keyring_password(user: str) -> str:
    """The password stored in the system keyring for this login, or "" when there is none."""
    store = _keyring()
    if store is None:
        return ""
    try:
        return store.get_password(KEYRING_SERVICE, user) or ""
    except Exception:  # a keyring that is locked or broken: the password is asked instead
        return ""


def store_password(user: str, password: str) -> bool:
    """Put the password into the system keyring; False when there is none (then the settings file keeps it)."""
    store = _keyring()
    if store is None:
        return False
    try:
        store.set_password(KEYRING_SERVICE, user, password)
    except Exception:
        return False
    return True


def require_server(settings: SmtpSettings) -> None:
    """Refuse to send before a server and a sender are known."""
    if not settings.server:
        raise SettingsError(message("settings-no-server"))
    if not settings.sender:
        raise SettingsError(message("settings-no-sender"))
    if not ADDRESS.match(settings.sender):
        raise SettingsError(message("settings-bad-sender", sender=settings.sender))


def _number(value, label: str, kind):
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(message("settings-not-a-number", label=label, value=value)) from None
