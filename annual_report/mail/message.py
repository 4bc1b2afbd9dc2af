"""The e-mail with the report: building the message (pure) and handing it to an SMTP server (all or nothing)."""

from __future__ import annotations

import base64
import contextlib
import email.policy
import mimetypes
import smtplib
import socket
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote

from annual_report.core.errors import ReportError
from annual_report.core.messages import message, os_reason
from annual_report.mail.addresses import Recipient, check_display_name, header_value, parse_recipients
from annual_report.mail.settings import SmtpSettings
from annual_report.report.properties import ReportInfo

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# RFC 2047 allows 75 characters an encoded-word; 39 bytes of UTF-8 (52 in base64, 64 with =?utf-8?b??=) keep a
# folded line, with its " filename=\"" or " name=\"" and closing quote, within 78 characters.
ENCODED_WORD_BYTES = 39
RFC2231_CHUNK = 54
# smtplib sends bytes as they are, so lines must already end in CRLF; compat32 keeps the legacy headers intact.
WIRE = email.policy.compat32.clone(linesep="\r\n")
ATTACHMENT_NAME = 60  # characters of an attachment's name, suffix included


class SendError(ReportError):
    """The message could not be sent (or written); nothing was delivered."""


class DeliveryUnknown(SendError):
    """The connection broke after the message was handed over: the server may or may not deliver it."""


UNKNOWN = "未知（请向收件人确认）"


@dataclass(frozen=True)
class Attachment:
    """A file to attach: the name the recipient sees and its exact bytes."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        if self.name.lower().endswith(".docx"):
            return DOCX_TYPE
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def read_attachment(path: Path) -> Attachment:
    """The file at path as an attachment (under a safely shortened name); a missing or unreadable file is a SendError."""
    path = Path(path)
    try:
        return Attachment(attachment_name(path.name), path.read_bytes())
    except FileNotFoundError:
        raise SendError(message("attachment-missing", file=path)) from None
    except OSError as exc:
        raise SendError(message("attachment-unreadable", file=path, reason=os_reason(exc))) from exc


def attachment_name(name: str) -> str:
    """A file name every mail program takes: one line, at most ATTACHMENT_NAME characters, its suffix kept."""
    name = "".join(ch if ch.isprintable() else "_" for ch in name).strip() or "附件"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 8:
        stem, suffix = name, ""
    if len(name) <= ATTACHMENT_NAME:
        return name
    keep = ATTACHMENT_NAME - len(suffix) - 2
    return f"{stem[:keep]}…{'.' + suffix if suffix else ''}"


def recipients(values: Sequence[Recipient | str]) -> tuple[Recipient, ...]:
    """Recipients from recipients or from text as typed (张三 <a@b.cn>, a@b.cn)."""
    found: list[Recipient] = []
    for value in values:
        found += [value] if isinstance(value, Recipient) else parse_recipients([value])
    return tuple(found)


def default_body(name: str, year: str, attachments: Sequence[str]) -> str:
    """A short, polite Chinese letter that names the library, the year and the attached files."""
    what = ReportInfo(name, year).subject or "年报"
    files = "\n".join(f"    {attachment}" for attachment in attachments)
    return (
        "您好！\n\n"
        f"现报送{what}，请查收。附件：\n{files}\n\n"
        "如有问题，请回复本邮件或与我馆联系。\n\n"
        "此致\n敬礼！\n\n"
        f"{name}\n"
    )


def build_message(
    *,
    sender: str,
    to: Sequence[Recipient | str],
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    cc: Sequence[Recipient | str] = (),
    sender_name: str = "",
    draft: bool = False,
) -> Message:
    """The message: plain-text body and attachments whose Chinese names every mail program shows.

    Every header is at most 78 characters a line and says exactly the addresses given; a sender name
    with a line break is refused. A draft (for --eml) carries X-Unsent so Outlook opens it ready to send.
    """
    message = MIMEMultipart()
    if sender:
        message["From"] = header_value("From", [Recipient(check_display_name(sender_name), sender)])
    if to:
        message["To"] = header_value("To", recipients(to))
    if cc:
        message["Cc"] = header_value("Cc", recipients(cc))
    message["Subject"] = Header(" ".join(subject.split()), "utf-8", header_name="Subject")  # one line, as typed
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    if draft:
        message["X-Unsent"] = "1"
    message.attach(MIMEText(body, "plain", "utf-8"))
    for attachment in attachments:
        message.attach(attachment_part(attachment))
    return message


def attachment_part(attachment: Attachment) -> MIMEBase:
    """One attachment, its name both as RFC 2047 encoded-words (name=, filename=) and as RFC 2231 (filename*=)."""
    maintype, _, subtype = attachment.content_type.partition("/")
    part = MIMEBase(maintype, subtype)
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    words = encoded_words(attachment.name)
    part.set_param("name", words)
    part["Content-Disposition"] = f'attachment; filename="{words}"; {rfc2231_parameter("filename", attachment.name)}'
    return part


def encoded_words(text: str) -> str:
    """RFC 2047 base64 encoded-words of at most 75 characters each, never splitting a character."""
    if text.isascii():
        return text
    chunks, chunk = [], ""
    for character in text:
        if len((chunk + character).encode()) > ENCODED_WORD_BYTES:
            chunks.append(chunk)
            chunk = ""
        chunk += character
    chunks.append(chunk)
    return " ".join(f"=?utf-8?b?{base64.b64encode(c.encode()).decode('ascii')}?=" for c in chunks)


def rfc2231_parameter(name: str, value: str) -> str:
    """name*=utf-8''…, with numbered continuations (name*0*, name*1*…) when it is long; never split a %XX."""
    encoded = quote(value, safe="")
    if len(encoded) <= RFC2231_CHUNK:
        return f"{name}*=utf-8''{encoded}"
    pieces, start = [], 0
    while start < len(encoded):
        end = min(start + RFC2231_CHUNK, len(encoded))
        while end < len(encoded) and "%" in encoded[end - 2 : end]:
            end -= 1
        pieces.append(encoded[start:end])
        start = end
    first = f"{name}*0*=utf-8''{pieces[0]}"
    return "; ".join([first] + [f"{name}*{index}*={piece}" for index, piece in enumerate(pieces[1:], 1)])


def message_bytes(message: Message) -> bytes:
    """The message as it goes on the wire (or into an .eml file), with CRLF line ends as SMTP requires."""
    return message.as_bytes(policy=WIRE)


def deliver(settings: SmtpSettings, data: bytes, sender: str, recipients: Iterable[str]) -> None:
    """Send data to every recipient or to none: if the server refuses anyone, the message is not sent.

    Every failure is raised as a SendError with its Chinese explanation.
    """
    recipients = list(recipients)
    progress = _Progress()
    try:
        server = _open(settings, progress)
        try:
            progress.stage = "envelope"
            _check_size(server, len(data))
            options = [f"SIZE={len(data)}"] if server.has_extn("size") else []
            code, reply = server.mail(sender, options)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            refused = {}
            for recipient in recipients:
                code, reply = server.rcpt(recipient)
                if code not in (250, 251):
                    refused[recipient] = (code, reply)
            if refused:
                server.rset()
                raise smtplib.SMTPRecipientsRefused(refused)
            progress.stage = "data"
            code, reply = server.data(data)
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
            progress.stage = "sent"
            # The server has accepted the message; a rude goodbye does not unsend it.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
        finally:
            server.close()
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise explain(exc, settings, progress.stage, recipients) from exc


def check_login(settings: SmtpSettings) -> None:
    """Connect and log in without sending anything (for --setup)."""
    progress = _Progress()
    try:
        server = _open(settings, progress)
        try:
            server.quit()
        finally:
            server.close()
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise explain(exc, settings, progress.stage, []) from exc


@dataclass
class _Progress:
    """How far a session got, so a failure can say what it means (e.g. a timeout during DATA)."""

    stage: str = "connect"


def _open(settings: SmtpSettings, progress: _Progress) -> smtplib.SMTP:
    """Connect, greet, secure and log in; the connection is closed again if any step fails."""
    progress.stage = "connect"
    context = ssl.create_default_context(cafile=settings.ca_file or None)  # --ca-file: e.g. a self-signed server
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(settings.server, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
    try:
        progress.stage = "hello"
        server.ehlo()
        if settings.security == "starttls":
            progress.stage = "tls"
            server.starttls(context=context)
            server.ehlo()
        if settings.user:
            progress.stage = "login"
            server.login(settings.user, settings.password)
    except BaseException:
        server.close()
        raise
    return server


class MessageTooLarge(smtplib.SMTPException):
    """The message is larger than the server's EHLO SIZE."""

    def __init__(self, size: int, limit: int):
        super().__init__(size, limit)
        self.size, self.limit = size, limit


def _check_size(server: smtplib.SMTP, size: int) -> None:
    limit = server.esmtp_features.get("size", "")
    if limit.isdigit() and 0 < int(limit) < size:
        raise MessageTooLarge(size, int(limit))


def explain(exc: BaseException, settings: SmtpSettings, stage: str, recipients: Sequence[str]) -> SendError:
    """The one place that turns smtplib, ssl and socket exceptions into a Chinese message."""
    server = settings.address
    cause = exc
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, OSError):
        cause = exc.__context__  # smtplib reports a read timeout as a disconnection
    if isinstance(exc, MessageTooLarge):
        return SendError(message("smtp-too-large", server=server, size=file_size(exc.size), limit=file_size(exc.limit)))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(message("smtp-login-refused", server=server, user=settings.user))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "；".join(f"{address}（{_reply(code, reply)}）" for address, (code, reply) in exc.recipients.items())
        accepted = [r for r in recipients if r not in exc.recipients]
        rest = message("smtp-others-unsent", names="、".join(accepted)) if accepted else ""
        return SendError(message("smtp-recipients-refused", refused=refused, rest=rest))
    reply = _reply(exc.smtp_code, exc.smtp_error) if isinstance(exc, smtplib.SMTPResponseException) else ""
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError) and exc.smtp_code == 552:
        return SendError(message("smtp-refused-as-too-large", server=server, reply=reply))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return SendError(message("smtp-sender-refused", server=server, sender=exc.sender, reply=reply))
    if isinstance(exc, smtplib.SMTPDataError):
        return SendError(message("smtp-data-refused", server=server, reply=reply))
    if isinstance(exc, smtplib.SMTPNotSupportedError) and stage == "tls":
        return SendError(message("smtp-no-starttls", server=server))
    if isinstance(exc, smtplib.SMTPNotSupportedError) and stage == "login":
        return SendError(message("smtp-no-auth", server=server))
    if stage == "data" and isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPResponseException):
        timed_out = isinstance(cause, TimeoutError)
        what = message("smtp-no-answer", seconds=settings.timeout) if timed_out else message("smtp-connection-broke")
        return DeliveryUnknown(message("smtp-delivery-unknown", server=server, what=what))
    if isinstance(cause, TimeoutError):
        return SendError(message("smtp-timeout", server=server, seconds=settings.timeout))
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = getattr(cause, "verify_message", "") or cause
        return SendError(message("smtp-certificate", server=server, detail=detail))
    if isinstance(cause, ssl.SSLError):
        return SendError(message("smtp-tls-failed", server=server, detail=cause.reason or cause))
    if isinstance(cause, socket.gaierror):
        return SendError(message("smtp-server-unknown", host=settings.server))
    if isinstance(cause, ConnectionRefusedError):
        return SendError(message("smtp-connection-refused", server=server))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendError(message("smtp-disconnected", server=server))
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendError(message("smtp-error", server=server, reply=reply))
    if isinstance(cause, OSError):
        return SendError(message("smtp-no-connection", server=server, reason=os_reason(cause, network=True)))
    return SendError(message("smtp-failed", detail=exc))


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}".strip()


def file_size(size: int) -> str:
    """例：45.2 KB、3.1 MB"""
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
