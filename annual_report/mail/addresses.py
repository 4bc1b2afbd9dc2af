"""E-mail addresses as the user typed them, checked strictly and shown exactly as they are sent."""

from __future__ import annotations

import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import Address

from annual_report.core.errors import ReportError
from annual_report.core.messages import message

# A plain address (RFC 5322 dot-atom): nothing a mail library would quote, drop or rewrite.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+$")
_NAMED = re.compile(r'^\s*"?(?P<name>[^"<>]*?)"?\s*<(?P<address>[^<>]*)>\s*$')
_SEPARATORS = re.compile(r"[,;，；、]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # line breaks and other control characters
MAX_NAME = 64


class AddressError(ReportError):
    """An address the user gave cannot be used as it is."""

    exit_code = 2


@dataclass(frozen=True)
class Recipient:
    """One mailbox: an optional display name and the address."""

    name: str
    address: str

    @property
    def shown(self) -> str:
        """As the user sees it and as the header says it: 张三 <a@b.cn>, or the bare address."""
        return f"{self.name} <{self.address}>" if self.name else self.address


def parse_recipients(values: Iterable[str]) -> tuple[Recipient, ...]:
    """Every address in the values (separated by , ; or, for bare addresses, spaces); raises AddressError."""
    found = []
    for value in values:
        for item in _SEPARATORS.split(value):
            item = item.strip()
            if not item:
                continue
            if "<" in item or ">" in item:
                found.append(_named(item))
            else:
                found += [_checked("", address) for address in item.split()]
    return tuple(found)


def without_duplicates(*groups: tuple[Recipient, ...]) -> list[tuple[Recipient, ...]]:
    """Each group without addresses already given (in it or an earlier group), compared without case."""
    seen: set[str] = set()
    result = []
    for group in groups:
        kept = []
        for recipient in group:
            if recipient.address.lower() not in seen:
                seen.add(recipient.address.lower())
                kept.append(recipient)
        result.append(tuple(kept))
    return result


def header_value(name: str, recipients: Iterable[Recipient]) -> str:
    """The header's value, folded at 78 characters, names encoded (RFC 2047) where they are not ASCII."""
    value = email.policy.SMTP.header_factory(name, [Address(r.name, addr_spec=r.address) for r in recipients])
    return email.policy.SMTP.fold(name, value).split(":", 1)[1].strip("\r\n").lstrip()


def check_display_name(name: str, what: str = "发件人名称") -> str:
    """A display name that can go into a header: one line (quotes and the like are quoted when the header is made)."""
    if _UNSAFE_NAME.search(name):
        raise AddressError(message("address-line-break", what=what, name=_visible(name)))
    return name.strip()


def _named(item: str) -> Recipient:
    match = _NAMED.match(item)
    if not match:
        raise AddressError(message("address-invalid", address=_visible(item)))
    return _checked(match.group("name").strip(), match.group("address").strip())


def _checked(name: str, address: str) -> Recipient:
    if not ADDRESS.match(address) or ".." in address:
        raise AddressError(message("address-bad-characters", address=_visible(address)))
    if len(name) > MAX_NAME:
        raise AddressError(message("address-name-too-long", name=name[:20], limit=MAX_NAME))
    return Recipient(check_display_name(name, "收件人名称"), address)


def _visible(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)
