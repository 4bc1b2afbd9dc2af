"""The send command: e-mail the report, write it as a draft, or set up the sending mailbox."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annual_report.cli.output import emit
from annual_report.core.messages import message
from annual_report.core.program import program
from annual_report.core.reporting import as_text
from annual_report.mail.addresses import ADDRESS, AddressError, Recipient, parse_recipients
from annual_report.mail.message import SendError, check_login
from annual_report.mail.send import SendRequest, describe, send_report, shown
from annual_report.mail.settings import (
    DEFAULT_PORTS,
    IN_KEYRING,
    OTHER,
    PASSWORD_ENV,
    PRESETS,
    SECURITIES,
    SECURITY_LABELS,
    SmtpSettings,
    preset_for,
    settings_path,
    store_password,
    write_settings_file,
)

EPILOG = f"""\b
发件服务器的设置依次取自：命令行选项 → 环境变量 NIANBAO_SMTP_SERVER、_PORT、_SECURITY、_USER、
_SENDER、_TIMEOUT、_CA_FILE → 设置文件（由 --setup 写入）。授权码只取自系统的密码管理器、设置文件、
环境变量 {PASSWORD_ENV} 或发送时的提示输入，不能写在命令行上。
每次发送（成功或失败）都记录在 outputs/发送记录.csv。"""


def _addresses(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[Recipient, ...]:
    """Each --to/--cc value may hold several addresses separated by , or ; (张三 <a@b.cn> too)."""
    try:
        return parse_recipients(values)
    except AddressError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.command(epilog=EPILOG)
@click.argument("report", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", multiple=True, callback=_addresses, metavar="ADDR", help="收件人，可重复。")
@click.option("--cc", multiple=True, callback=_addresses, metavar="ADDR", help="抄送，可重复。")
@click.option("--subject", metavar="TEXT", help="邮件主题（默认：<馆名> <年度> 年年报）。")
@click.option("--body", metavar="TEXT", help="邮件正文（默认：写明馆名、年度和附件的简短说明）。")
@click.option("--pdf", is_flag=True, help="同时附上同名的 PDF。")
@click.option(
    "--eml",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.eml",
    help="不发送，把邮件写成草稿文件，用 Outlook、Foxmail 等打开后发送。",
)
@click.option("--dry-run", is_flag=True, help="只显示将要发送的内容，不发送。")
@click.option("--force", is_flag=True, help="按工作簿重新生成已有的报告；覆盖已有的 .eml 文件。")
@click.option("--setup", is_flag=True, help="设置发件邮箱（第一次使用前运行一次）。")
@click.option("--server", metavar="HOST", help="发件服务器（SMTP），例：smtp.qq.com。")
@click.option("--port", type=click.IntRange(1, 65535), metavar="PORT", help="端口（SSL 一般 465，STARTTLS 一般 587）。")
@click.option("--security", type=click.Choice(SECURITIES), help="加密方式。")
@click.option("--user", metavar="USER", help="登录账号（一般就是邮箱地址）。")
@click.option("--sender", metavar="ADDR", help="发件人地址（默认同登录账号）。")
@click.option(
    "--timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS", help="等待服务器的秒数（默认 30）。"
)
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.pem",
    help="验证服务器证书用的根证书文件（单位内网邮件服务器用自签证书时）。",
)
def send(
    report: Path | None,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    subject: str | None,
    body: str | None,
    pdf: bool,
    eml: Path | None,
    dry_run: bool,
    force: bool,
    setup: bool,
    **server: object,
) -> None:
    """用电子邮件发送报告。

    REPORT 为 .docx 报告，或工作簿 .xlsx（先检查并生成报告）。

    \b
    例：
      python fill.py send --setup
      python fill.py send outputs/丽江市图书馆-2020-年报.docx --to wlj@example.com
      python fill.py send 年报.xlsx --to wlj@example.com --pdf
      python fill.py send outputs/丽江市图书馆-2020-年报.docx --eml 年报.eml
    """
    if setup:
        run_setup()
        if report is None:
            return
    if report is None:
        raise click.UsageError(message("send-needs-report"))
    if not to and eml is None:
        raise click.UsageError(message("send-needs-recipient"))
    request = SendRequest(report, to, cc, subject, body, pdf, force, eml, dry_run)
    outcome = send_report(request, server, ask_password=_ask_password)
    prepared = outcome.prepared
    if prepared.result is not None and prepared.result.problems:
        click.echo(as_text(prepared.result, report.name), err=True)
    for note in (*prepared.notes, *outcome.notes):
        click.echo(note, err=True)
    if prepared.blocked:
        click.echo("工作簿有错误，未生成报告，邮件没有发出。请修改后重新运行。", err=True)
        sys.exit(1)
    if dry_run:
        emit(describe(request, outcome))
        click.echo("这是试运行：邮件没有发出。", err=True)
        return
    if eml is not None:
        emit(str(eml))
        click.echo(f"已把邮件写成草稿 {eml}（没有发送）。用 Outlook、Foxmail 等打开，检查后发送。", err=True)
    else:
        click.echo(f"已发送“{outcome.subject}”给 {shown((*outcome.to, *outcome.cc))}。", err=True)
    if outcome.log is not None:
        click.echo(f"已记录在 {outcome.log}。", err=True)


def _ask_password(settings: SmtpSettings) -> str:
    return click.prompt(f"{settings.user} 的授权码（输入时不显示）", hide_input=True, err=True)


def run_setup() -> None:
    """Ask for the mailbox, its provider and the authorisation code; save them for the current user only."""
    click.echo(
        "设置发件邮箱。授权码保存在系统的密码管理器中；没有密码管理器时保存在你本人的设置文件中，只有你能读取。",
        err=True,
    )
    address = click.prompt("发件邮箱地址", err=True).strip()
    while not ADDRESS.match(address) or not address.isascii():
        address = click.prompt("邮箱地址不正确，请重新输入", err=True).strip()
    guessed = preset_for(address)
    for number, preset in enumerate(PRESETS, 1):
        click.echo(
            f"  {number}. {preset.label}（{preset.server}:{preset.port}，{SECURITY_LABELS[preset.security]}）", err=True
        )
    click.echo(f"  {len(PRESETS) + 1}. {OTHER}（自己填写服务器）", err=True)
    choice = click.prompt(
        "请选择邮箱服务商（序号）",
        type=click.IntRange(1, len(PRESETS) + 1),
        default=PRESETS.index(guessed) + 1 if guessed else 1,
        err=True,
    )
    if choice <= len(PRESETS):
        preset = PRESETS[choice - 1]
        server, port, security, credential = preset.server, preset.port, preset.security, preset.credential
        click.echo(f"{preset.label}：{preset.hint}", err=True)
    else:
        server = click.prompt("发件服务器（SMTP）地址", err=True).strip()
        security = click.prompt("加密方式", type=click.Choice(SECURITIES), default="ssl", err=True)
        port = click.prompt("端口", type=click.IntRange(1, 65535), default=DEFAULT_PORTS[security], err=True)
        credential = "授权码或密码"
    password = click.prompt(f"{credential}（输入时不显示）", hide_input=True, err=True)
    settings = SmtpSettings(server, port, security, address, address, password=password)
    if click.confirm("现在连接服务器测试登录？", default=True, err=True):
        try:
            check_login(settings)
            click.echo("登录成功。", err=True)
        except SendError as exc:
            click.echo(f"错误：{exc}", err=True)
            if not click.confirm("仍然保存这些设置？", default=False, err=True):
                raise SendError(message("send-setup-not-saved")) from None
    keep = click.confirm("保存授权码？（不保存则每次发送时询问）", default=True, err=True)
    values = {"server": server, "port": port, "security": security, "user": address, "sender": address}
    in_keyring = keep and store_password(address, password)
    stored = {IN_KEYRING: True} if in_keyring else {"password": password if keep else ""}
    path = write_settings_file({**values, **stored}, settings_path())
    where = "，授权码保存在系统的密码管理器中" if in_keyring else "（只有你本人可读）"
    click.echo(f"已保存到 {path}{where}。", err=True)
    click.echo(f"现在可以发送：{program()} send outputs/<馆名>-<年度>-年报.docx --to 收件人地址", err=True)
