"""Send a report: find or render the .docx, build the message, then send it, write it as a draft or only show it.

Every attempt (not a dry run) is recorded in outputs/发送记录.csv.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from pathlib import Path

from docx import Document

from annual_report.core.errors import InputUnreadable, ReportError
from annual_report.core.formula_safe import csv_text
from annual_report.core.messages import message, os_reason
from annual_report.core.problems import ValidationResult
from annual_report.core.program import program
from annual_report.core.write import OUTPUTS, lock_files, report_path, write_atomically
from annual_report.mail.addresses import Recipient, without_duplicates
from annual_report.mail.message import (
    UNKNOWN,
    Attachment,
    DeliveryUnknown,
    SendError,
    build_message,
    default_body,
    deliver,
    file_size,
    message_bytes,
    read_attachment,
    recipients,
)
from annual_report.mail.settings import PASSWORD_ENV, SettingsError, SmtpSettings, require_server, resolve_settings
from annual_report.pipeline.options import render_options
from annual_report.pipeline.single import render_workbook
from annual_report.report.properties import ReportInfo, info_from_cover, info_from_file_name, info_from_properties
from annual_report.workbook.validate import validate_workbook

LOG_NAME = "发送记录.csv"
LOG_FIELDS = ("时间", "报告文件", "SHA-256", "发件人", "收件人", "抄送", "主题", "附件", "结果")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SENT = "成功"


@dataclass(frozen=True)
class Prepared:
    """The report to send, which library and year it is, what else to attach, and what to tell the user."""

    source: Path
    report: Path | None
    info: ReportInfo
    attachments: tuple[Path, ...] = ()
    result: ValidationResult | None = None
    notes: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.report is None


@dataclass(frozen=True)
class SendRequest:
    """What the user asked for (the command line's options, without the server settings)."""

    source: Path
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str | None = None
    body: str | None = None
    pdf: bool = False
    force: bool = False
    eml: Path | None = None
    dry_run: bool = False
    outputs: Path = OUTPUTS


@dataclass
class SendOutcome:
    """What happened: the prepared report, the message, and where it went."""

    prepared: Prepared
    settings: SmtpSettings | None = None
    attachments: tuple[Attachment, ...] = ()
    message: Message | None = None
    data: bytes = b""
    sender: str = ""
    subject: str = ""
    body: str = ""
    result: str = ""
    to: tuple[Recipient, ...] = ()
    cc: tuple[Recipient, ...] = ()
    log: Path | None = None
    notes: list[str] = field(default_factory=list)


def report_info(path: Path) -> ReportInfo:
    """Which library and year a .docx is: from its document properties, else from its file name."""
    try:
        properties = Document(str(path)).core_properties
    except Exception as exc:  # python-docx raises many kinds for a file that is no .docx
        raise SendError(message("send-not-docx", file=path)) from exc
    return info_from_properties(properties) or info_from_file_name(path)


def prepare_report(source: Path, *, pdf: bool = False, force: bool = False, outputs: Path = OUTPUTS) -> Prepared:
    """The .docx to send: the file given, or the report of the workbook given (rendered when needed)."""
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix == ".docx":
        return _prepare_document(source, pdf)
    if suffix in WORKBOOK_SUFFIXES:
        return _prepare_workbook(source, pdf, force, outputs)
    raise InputUnreadable(message("send-wrong-kind", file=source))


def _prepare_document(report: Path, pdf: bool) -> Prepared:
    if not report.is_file():
        raise SendError(message("send-no-report", file=report))
    notes = []
    if any(lock.exists() for lock in lock_files(report)):
        notes.append(f"{report.name} 正在 Word 或 WPS 中打开：发送的是最后一次保存的内容")
    attachments = [report]
    if pdf:
        document = report.with_suffix(".pdf")
        if not document.is_file():
            raise SendError(message("send-no-pdf", name=document.name))
        if document.stat().st_mtime < report.stat().st_mtime:
            notes.append(f"{document.name} 比 {report.name} 旧，PDF 可能不是最新内容")
        attachments.append(document)
    return Prepared(report, report, report_info(report), tuple(attachments), notes=tuple(notes))


def _prepare_workbook(workbook: Path, pdf: bool, force: bool, outputs: Path) -> Prepared:
    """Validate; render unless an up-to-date report exists; a report older than the workbook needs --force."""
    book, result = validate_workbook(workbook)
    info = info_from_cover(book.data.get("cover", {}))
    if result.blocks(strict=False):
        return Prepared(workbook, None, info, result=result)
    target = report_path(book.data["cover"], outputs)
    wanted = [target, target.with_suffix(".pdf")] if pdf else [target]
    if target.exists() and not force:
        changed = workbook.stat().st_mtime
        for path in wanted:
            if not path.is_file() or path.stat().st_mtime < changed:
                state = "还没有生成" if not path.is_file() else "比工作簿旧（之后又修改过工作簿）"
                raise SendError(message("send-stale-report", file=path, state=state, name=target.name))
        note = f"使用已有的报告 {target}（比工作簿新，未重新生成；如需按工作簿重新生成请加 --force）"
        return Prepared(workbook, target, info, tuple(wanted), result, (note,))
    outcome = render_workbook(workbook, render_options(output=target, force=force, pdf=pdf))
    if outcome.output is None:
        return Prepared(workbook, None, info, result=outcome.result)
    attachments = [outcome.output, outcome.pdf] if pdf else [outcome.output]
    note = f"已生成报告 {outcome.output}"
    return Prepared(workbook, outcome.output, info, tuple(attachments), outcome.result, (note,))


def send_report(
    request: SendRequest,
    options: Mapping | None = None,
    ask_password: Callable[[SmtpSettings], str] | None = None,
    environ: Mapping[str, str] | None = None,
    stored: Mapping | None = None,
) -> SendOutcome:
    """Prepare the report and send it (or write the draft, or only describe it); every attempt is logged.

    Raises ReportError (the reason, in Chinese) when nothing was sent; a blocked workbook is returned
    with its problems and no message.
    """
    outcome = SendOutcome(Prepared(request.source, None, info_from_file_name(request.source)))
    try:
        _attempt(request, outcome, options, ask_password, environ, stored)
    except DeliveryUnknown as exc:
        outcome.result = f"{UNKNOWN}：{exc}"
        raise
    except ReportError as exc:
        outcome.result = f"失败：{exc}"
        raise
    finally:
        _log(request, outcome)
    return outcome


def _attempt(
    request: SendRequest,
    outcome: SendOutcome,
    options: Mapping | None,
    ask_password: Callable[[SmtpSettings], str] | None,
    environ: Mapping[str, str] | None,
    stored: Mapping | None,
) -> None:
    """Fill in the outcome step by step; a ReportError at any step means nothing was sent."""
    outcome.prepared = prepare_report(request.source, pdf=request.pdf, force=request.force, outputs=request.outputs)
    prepared = outcome.prepared
    if prepared.blocked:
        outcome.result = f"未发送：工作簿有 {len(prepared.result.errors)} 个错误"
        return
    outcome.to, outcome.cc = without_duplicates(recipients(request.to), recipients(request.cc))
    outcome.settings = resolve_settings(options, environ, stored)
    outcome.attachments = tuple(read_attachment(path) for path in prepared.attachments)
    outcome.sender = outcome.settings.sender
    outcome.subject = request.subject or prepared.info.subject
    outcome.body = request.body or default_body(prepared.info.name, prepared.info.year, _names(outcome.attachments))
    outcome.message = build_message(
        sender=outcome.sender,
        to=outcome.to,
        cc=outcome.cc,
        subject=outcome.subject,
        body=outcome.body,
        attachments=outcome.attachments,
        sender_name=prepared.info.name,
        draft=request.eml is not None,
    )
    outcome.data = message_bytes(outcome.message)
    if request.dry_run:
        outcome.result = "试运行，未发送"
    elif request.eml is not None:
        write_draft(request.eml, outcome.data, request.force)
        outcome.result = f"已写成草稿 {request.eml}（未发送）"
    else:
        settings = _ready(outcome.settings, ask_password)
        deliver(settings, outcome.data, settings.sender, [r.address for r in (*outcome.to, *outcome.cc)])
        outcome.result = SENT


def _ready(settings: SmtpSettings, ask_password: Callable[[SmtpSettings], str] | None) -> SmtpSettings:
    """The settings with a server, a sender and (if a user logs in) a password, or a SettingsError."""
    require_server(settings)
    if settings.user and not settings.password:
        password = ask_password(settings) if ask_password else ""
        if not password:
            raise SettingsError(message("send-no-password", user=settings.user, variable=PASSWORD_ENV))
        settings = settings.with_password(password)
    return settings


def write_draft(path: Path, data: bytes, force: bool = False) -> Path:
    """The message as an .eml file a mail program opens as a draft; never over an existing file without force."""
    return write_atomically(Path(path), data, force=force)


def describe(request: SendRequest, outcome: SendOutcome) -> str:
    """What would be sent: sender, recipients, subject, attachments with sizes, server."""
    settings = outcome.settings
    lines = [
        f"发件人：{outcome.sender or '（未设置）'}",
        f"收件人：{shown(outcome.to) or '（无）'}",
    ]
    if outcome.cc:
        lines.append(f"抄送：{shown(outcome.cc)}")
    lines.append(f"主题：{outcome.subject}")
    lines += [f"附件：{a.name}（{file_size(a.size)}）" for a in outcome.attachments]
    lines.append(f"邮件大小：{file_size(len(outcome.data))}")
    if settings and settings.server:
        login = f"，登录用户 {settings.user}" if settings.user else "，不登录"
        lines.append(f"发件服务器：{settings.address}{login}")
    else:
        lines.append(f"发件服务器：（未设置，请运行 {program()} send --setup）")
    lines.append("正文：")
    lines += [f"  {line}" if line else "" for line in outcome.body.splitlines()]
    return "\n".join(lines)


def log_path(outputs: Path = OUTPUTS) -> Path:
    return Path(outputs) / LOG_NAME


def append_log(path: Path, row: Mapping[str, str]) -> Path:
    """Append one row to the send log (UTF-8 with BOM so Excel opens it), writing the header first if it is new."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LOG_FIELDS)
        if new:
            writer.writeheader()
        writer.writerow({key: csv_text(row.get(key, "")) for key in LOG_FIELDS})
    return path


def read_log(path: Path) -> list[dict[str, str]]:
    """The send log's rows."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def file_digest(path: Path | None) -> str:
    """SHA-256 of a file, or "" if there is none."""
    if path is None or not Path(path).is_file():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _log(request: SendRequest, outcome: SendOutcome) -> None:
    """Record the attempt; a log that cannot be written is told to the user but never undoes a send."""
    if request.dry_run:
        return
    report = outcome.prepared.report or request.source
    row = {
        "时间": datetime.now().astimezone().isoformat(timespec="seconds"),
        "报告文件": str(report),
        "SHA-256": file_digest(report),
        "发件人": outcome.sender,
        "收件人": shown(outcome.to) if outcome.to else "; ".join(map(str, request.to)),
        "抄送": shown(outcome.cc) if outcome.cc else "; ".join(map(str, request.cc)),
        "主题": outcome.subject or request.subject or outcome.prepared.info.subject,
        "附件": "; ".join(_names(outcome.attachments)),
        "结果": outcome.result or "未发送：已中断",
    }
    path = log_path(request.outputs)
    try:
        outcome.log = append_log(path, row)
    except OSError as exc:
        outcome.notes.append(f"无法写入发送记录 {path}（{os_reason(exc)}；是否正在 Excel 中打开？）")


def shown(group: tuple[Recipient, ...]) -> str:
    """Recipients exactly as the message's header names them: 张三 <a@b.cn>, b@c.cn."""
    return ", ".join(recipient.shown for recipient in group)


def _names(attachments) -> list[str]:
    return [attachment.name for attachment in attachments]
