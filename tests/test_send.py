"""Sending the report: a real SMTP server (aiosmtpd) on 127.0.0.1, drafts, dry runs, settings and the send log."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import hashlib
import os
import smtplib
import socket
import ssl
import stat
import threading

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from conftest import INPUTS

from annual_report.cli.main import main
from annual_report.mail.message import Attachment, build_message, encoded_words, explain, message_bytes
from annual_report.mail.send import LOG_NAME, read_log, report_info
from annual_report.mail.settings import SettingsError, load_settings_file, resolve_settings, write_settings_file
from annual_report.pipeline.options import RenderOptions, render_options
from annual_report.pipeline.single import render_workbook
from annual_report.report.properties import info_from_file_name

LIJIANG = INPUTS / "丽江市图书馆-2020.xlsx"
REPORT_NAME = "丽江市图书馆-2020-年报.docx"
USER, PASSWORD = "lib@example.com", "right-code-1234"
BUREAU, OFFICE = "bureau@example.com", "office@example.com"


class Recorder:
    """An aiosmtpd handler that keeps what arrives and refuses addresses starting with "refused"."""

    def __init__(self):
        self.envelopes = []
        self.data_reply = "250 Message accepted"

    async def handle_MAIL(self, server, session, envelope, address, options):
        if not session.authenticated:  # aiosmtpd's auth_required warns without TLS, so require AUTH here
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("refused"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_reply


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(**options):
    handler = Recorder()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
        **options,
    )
    controller.start()
    return controller, handler


@pytest.fixture
def smtp():
    """A real SMTP server with AUTH on 127.0.0.1; yields (port, handler)."""
    controller, handler = start_server()
    yield controller.port, handler
    controller.stop()


pytestmark = pytest.mark.usefixtures("mail_isolated")


@pytest.fixture
def report(tmp_path):
    """The 丽江 sample rendered to outputs/ as a user would."""
    return render_workbook(LIJIANG, render_options(output=tmp_path / "outputs" / REPORT_NAME)).output


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def server_options(port, user=USER, timeout=None):
    options = ["--server", "127.0.0.1", "--port", port, "--security", "none", "--user", user]
    return options + (["--timeout", timeout] if timeout else [])


def send(report, port, *extra, password=PASSWORD, monkeypatch):
    monkeypatch.setenv("NIANBAO_SMTP_PASSWORD", password)
    return run("send", report, *server_options(port), *extra)


def log_rows(tmp_path):
    return read_log(tmp_path / "outputs" / LOG_NAME)


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def attachments_of(message):
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


def test_the_report_arrives_with_its_chinese_name_and_exact_bytes(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    result = send(report, port, "--to", BUREAU, "--cc", OFFICE, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "已发送" in result.output
    [envelope] = handler.envelopes
    assert envelope.mail_from == USER
    assert envelope.rcpt_tos == [BUREAU, OFFICE]
    message = parse(envelope.original_content)
    assert message["Subject"] == "丽江市图书馆 2020 年年报"
    assert message["From"].addresses[0].display_name == "丽江市图书馆"
    assert message["From"].addresses[0].addr_spec == USER
    assert message["To"] == BUREAU and message["Cc"] == OFFICE
    assert message["Message-ID"] and message["Date"]
    assert attachments_of(message) == {REPORT_NAME: report.read_bytes()}
    body = message.get_body(("plain",)).get_content()
    assert "丽江市图书馆 2020 年年报" in body and REPORT_NAME in body
    [row] = log_rows(tmp_path)
    assert row["结果"] == "成功"
    assert row["SHA-256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert row["收件人"] == BUREAU and row["抄送"] == OFFICE
    assert (tmp_path / "outputs" / LOG_NAME).read_bytes().startswith(b"\xef\xbb\xbf")


def test_wrong_password_names_the_authorisation_code(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    result = send(report, port, "--to", BUREAU, password="Wr0ng-Secret-9", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "拒绝登录" in result.output and "授权码" in result.output and "没有发出" in result.output
    assert handler.envelopes == []
    [row] = log_rows(tmp_path)
    assert row["结果"].startswith("失败：") and "拒绝登录" in row["结果"]
    assert "Wr0ng-Secret-9" not in (tmp_path / "outputs" / LOG_NAME).read_text(encoding="utf-8-sig")


def test_a_refused_recipient_stops_the_whole_message(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    result = send(report, port, "--to", BUREAU, "--to", "refused@example.com", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "收件人被服务器拒绝：refused@example.com（550" in result.output
    assert BUREAU in result.output and "也都没有收到" in result.output
    assert handler.envelopes == []  # nothing half-sent: the accepted recipient got nothing either
    [row] = log_rows(tmp_path)
    assert "refused@example.com" in row["结果"] and row["结果"].startswith("失败")


def test_a_closed_port_is_refused(report, tmp_path, monkeypatch):
    result = send(report, free_port(), "--to", BUREAU, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "连接被拒绝" in result.output and "请检查服务器地址和端口" in result.output
    assert "Traceback" not in result.output
    assert "连接被拒绝" in log_rows(tmp_path)[0]["结果"]


def test_a_silent_server_times_out(report, tmp_path, monkeypatch):
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        monkeypatch.setenv("NIANBAO_SMTP_PASSWORD", PASSWORD)
        result = run("send", report, *server_options(port, timeout=1), "--to", BUREAU)
    finally:
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()
    assert result.exit_code == 1
    assert "超时（1 秒没有响应）" in result.output
    assert "超时" in log_rows(tmp_path)[0]["结果"]


def test_tls_against_a_plain_server_fails_clearly(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    monkeypatch.setenv("NIANBAO_SMTP_PASSWORD", PASSWORD)
    common = ["--server", "127.0.0.1", "--port", port, "--user", USER, "--to", BUREAU]
    ssl_result = run("send", report, *common, "--security", "ssl")
    assert ssl_result.exit_code == 1 and "建立加密连接失败" in ssl_result.output
    starttls = run("send", report, *common, "--security", "starttls")
    assert starttls.exit_code == 1 and "不支持 STARTTLS" in starttls.output
    assert handler.envelopes == []
    assert len(log_rows(tmp_path)) == 2


def test_a_message_larger_than_the_server_allows_is_not_sent(report, tmp_path, monkeypatch):
    controller, handler = start_server(data_size_limit=10_000)
    try:
        result = send(report, controller.port, "--to", BUREAU, monkeypatch=monkeypatch)
    finally:
        controller.stop()
    assert result.exit_code == 1
    assert "邮件太大" in result.output and "允许的 9.8 KB" in result.output
    assert handler.envelopes == []
    assert "邮件太大" in log_rows(tmp_path)[0]["结果"]


def test_a_552_after_the_data_is_reported_as_too_large(report, smtp, monkeypatch):
    port, handler = smtp
    handler.data_reply = "552 5.3.4 Message size exceeds fixed limit"
    result = send(report, port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "邮件太大" in result.output and "552" in result.output


def test_a_missing_report_or_pdf_is_named(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    missing = send(tmp_path / "outputs" / "没有这个-2020-年报.docx", port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert missing.exit_code == 1 and "找不到报告" in missing.output
    no_pdf = send(report, port, "--to", BUREAU, "--pdf", monkeypatch=monkeypatch)
    assert no_pdf.exit_code == 1
    assert "丽江市图书馆-2020-年报.pdf" in no_pdf.output and "python fill.py render" in no_pdf.output
    assert handler.envelopes == []
    assert [row["结果"][:3] for row in log_rows(tmp_path)] == ["失败：", "失败："]


def test_the_pdf_beside_the_report_is_attached_too(report, smtp, monkeypatch):
    port, handler = smtp
    pdf = report.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.7 not really\n")
    assert send(report, port, "--to", BUREAU, "--pdf", monkeypatch=monkeypatch).exit_code == 0
    found = attachments_of(parse(handler.envelopes[0].original_content))
    assert found == {REPORT_NAME: report.read_bytes(), pdf.name: pdf.read_bytes()}


def test_eml_draft_reads_back_with_the_same_attachment(report, tmp_path):
    draft = tmp_path / "草稿.eml"
    result = run("send", report, "--to", BUREAU, "--eml", draft)
    assert result.exit_code == 0, result.output
    message = parse(draft.read_bytes())
    assert attachments_of(message) == {REPORT_NAME: report.read_bytes()}
    assert message["Subject"] == "丽江市图书馆 2020 年年报" and message["X-Unsent"] == "1"
    assert "草稿" in log_rows(tmp_path)[0]["结果"]
    before = draft.read_bytes()
    again = run("send", report, "--to", BUREAU, "--eml", draft)
    assert again.exit_code == 1 and "--force" in again.output
    assert draft.read_bytes() == before
    assert run("send", report, "--eml", draft, "--force").exit_code == 0


def test_dry_run_shows_the_message_and_sends_nothing(report, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    result = send(report, port, "--to", BUREAU, "--subject", "年报报送", "--dry-run", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"收件人：{BUREAU}" in result.stdout and "主题：年报报送" in result.stdout
    assert f"附件：{REPORT_NAME}（" in result.stdout and "KB）" in result.stdout
    assert f"发件人：{USER}" in result.stdout and "127.0.0.1" in result.stdout
    assert handler.envelopes == []
    assert not (tmp_path / "outputs" / LOG_NAME).exists()


def test_a_workbook_with_errors_sends_nothing_and_lists_the_problems(qufu, make_workbook, smtp, tmp_path, monkeypatch):
    port, handler = smtp
    del qufu["cover"]["name"]
    qufu["staff"]["employed"] = "十四"
    result = send(make_workbook(qufu), port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "封面!B2：「图书馆名称（中文）」必须填写" in result.output
    assert "人员!B3" in result.output and "邮件没有发出" in result.output
    assert handler.envelopes == []
    assert not list((tmp_path / "outputs").glob("*.docx"))
    assert log_rows(tmp_path)[0]["结果"] == "未发送：工作簿有 2 个错误"


def test_a_workbook_is_rendered_then_sent_and_a_stale_report_needs_force(tmp_path, smtp, monkeypatch):
    port, handler = smtp
    workbook = tmp_path / "丽江.xlsx"
    workbook.write_bytes(LIJIANG.read_bytes())
    first = send(workbook, port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert first.exit_code == 0, first.output
    target = tmp_path / "outputs" / REPORT_NAME
    assert "已生成报告" in first.output
    assert attachments_of(parse(handler.envelopes[0].original_content)) == {REPORT_NAME: target.read_bytes()}
    # The report is newer than the workbook: it is sent as it is (hand edits kept).
    os.utime(workbook, (1_600_000_000, 1_600_000_000))
    target.write_bytes(target.read_bytes())
    second = send(workbook, port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert second.exit_code == 0 and "使用已有的报告" in second.output
    # The workbook changed after the report: refuse, nothing sent, until --force re-renders.
    os.utime(target, (1_500_000_000, 1_500_000_000))
    stale = send(workbook, port, "--to", BUREAU, monkeypatch=monkeypatch)
    assert stale.exit_code == 1 and "比工作簿旧" in stale.output and "--force" in stale.output
    assert len(handler.envelopes) == 2
    forced = send(workbook, port, "--to", BUREAU, "--force", monkeypatch=monkeypatch)
    assert forced.exit_code == 0 and "已生成报告" in forced.output
    assert [row["结果"][:2] for row in log_rows(tmp_path)] == ["成功", "成功", "失败", "成功"]


def test_pdf_from_a_workbook_is_rendered_and_attached(smtp, monkeypatch):
    port, handler = smtp
    asked = []

    def render_with_pdf(workbook, options):
        asked.append(options.pdf)
        outcome = render_workbook(workbook, RenderOptions(output=options.output, force=options.force))
        stand_in = outcome.output.with_suffix(".pdf")
        stand_in.write_bytes(b"%PDF-1.7 stand-in\n")  # LibreOffice is not needed to test sending
        return dataclasses.replace(outcome, pdf=stand_in)

    monkeypatch.setattr("annual_report.mail.send.render_workbook", render_with_pdf)
    result = send(LIJIANG, port, "--to", BUREAU, "--pdf", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert asked == [True]
    found = attachments_of(parse(handler.envelopes[0].original_content))
    assert set(found) == {REPORT_NAME, "丽江市图书馆-2020-年报.pdf"}


def test_setup_writes_an_owner_only_settings_file_then_send_uses_it(report, smtp, tmp_path):
    port, handler = smtp
    answers = [USER, "6", "127.0.0.1", "none", str(port), PASSWORD, "y", "y"]
    result = run("send", "--setup", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "登录成功" in result.output and PASSWORD not in result.output
    path = tmp_path / "config" / "mail.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings_file(path)["server"] == "127.0.0.1"
    assert [p.name for p in path.parent.iterdir()] == ["mail.json"]
    sent = run("send", report, "--to", BUREAU)
    assert sent.exit_code == 0, sent.output
    assert len(handler.envelopes) == 1
    assert PASSWORD not in (tmp_path / "outputs" / LOG_NAME).read_text(encoding="utf-8-sig")


def test_setup_with_a_preset_asks_only_address_and_code(tmp_path):
    result = run("send", "--setup", input="\n".join(["lib@qq.com", "", "abcdabcdabcdabcd", "n", "y"]) + "\n")
    assert result.exit_code == 0, result.output
    stored = load_settings_file(tmp_path / "config" / "mail.json")
    assert stored == {
        "server": "smtp.qq.com",
        "port": 465,
        "security": "ssl",
        "user": "lib@qq.com",
        "sender": "lib@qq.com",
        "password": "abcdabcdabcdabcd",
    }


def test_the_password_is_asked_when_it_is_not_stored(report, smtp, tmp_path):
    port, handler = smtp
    write_settings_file({"server": "127.0.0.1", "port": port, "security": "none", "user": USER})
    result = run("send", report, "--to", BUREAU, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "授权码（输入时不显示）" in result.output and PASSWORD not in result.output
    assert len(handler.envelopes) == 1


def test_options_override_environment_which_overrides_the_file():
    stored = {"server": "smtp.qq.com", "user": "a@qq.com", "password": "from-file", "port": 465}
    environ = {"NIANBAO_SMTP_SERVER": "smtp.163.com", "NIANBAO_SMTP_PASSWORD": "from-env"}
    settings = resolve_settings({"server": "smtp.126.com", "port": None}, environ, stored)
    assert (settings.server, settings.port, settings.password, settings.sender) == (
        "smtp.126.com",
        465,
        "from-env",
        "a@qq.com",
    )
    assert resolve_settings({}, environ, stored).server == "smtp.163.com"
    assert resolve_settings({}, {}, stored).password == "from-file"
    assert resolve_settings({}, {}, {"security": "starttls"}).port == 587
    assert "from-file" not in repr(resolve_settings({}, {}, stored))
    with pytest.raises(SettingsError, match="加密方式"):
        resolve_settings({}, {"NIANBAO_SMTP_SECURITY": "tls"}, {})


def test_sending_without_settings_says_to_run_setup(report, tmp_path):
    result = run("send", report, "--to", BUREAU)
    assert result.exit_code == 1 and "send --setup" in result.output
    assert log_rows(tmp_path)[0]["结果"].startswith("失败")


def test_bad_addresses_are_a_usage_error(report):
    result = run("send", report, "--to", "不是地址")
    assert result.exit_code == 2 and "不是有效的邮件地址" in result.output
    assert run("send", report, "--to", "馆长@example.com").exit_code == 2
    assert run("send", report).exit_code == 2


def test_long_chinese_names_are_encoded_for_every_mail_program():
    name = "丽江市图书馆" * 6 + "-2020-年报.docx"
    data = bytes(range(256)) * 4
    message = build_message(sender=USER, to=[BUREAU], subject="年报", body="正文", attachments=[Attachment(name, data)])
    raw = message_bytes(message)
    assert all(len(word) <= 75 for word in encoded_words(name).split())
    part = message.get_payload()[1]
    assert part.get_param("name").startswith("=?utf-8?b?")
    assert "filename*0*=utf-8''" in part["Content-Disposition"]
    assert max(len(line) for line in raw.decode("ascii").split("\r\n")) <= 998  # ASCII, CRLF, short lines
    assert attachments_of(parse(raw)) == {name: data}
    compat = email.message_from_bytes(raw)  # the RFC 2231 form, as its own reader sees it
    decoded = [v for k, v in compat.get_payload()[1].get_params(header="content-disposition") if isinstance(v, tuple)]
    assert email.utils.collapse_rfc2231_value(decoded[0]) == name


def test_report_info_comes_from_properties_else_the_file_name(report, tmp_path):
    renamed = tmp_path / "给文旅局.docx"
    renamed.write_bytes(report.read_bytes())
    info = report_info(renamed)
    assert (info.name, info.year, info.subject) == ("丽江市图书馆", "2020", "丽江市图书馆 2020 年年报")
    assert info_from_file_name(tmp_path / "曲阜市图书馆-2020-年报.docx").subject == "曲阜市图书馆 2020 年年报"
    assert info_from_file_name(tmp_path / "报告.docx").subject == "报告"


@pytest.mark.parametrize(
    ("error", "stage", "expected"),
    [
        (socket.gaierror(-2, "Name or service not known"), "connect", "找不到发件服务器 smtp.example.com"),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), "connect", "证书无法验证"),
        (smtplib.SMTPServerDisconnected("timed out"), "data", "服务器可能已经收到"),
        (smtplib.SMTPSenderRefused(553, b"not yours", "x@example.com"), "envelope", "拒绝发件人 x@example.com"),
        (smtplib.SMTPNotSupportedError("no AUTH"), "login", "不支持登录"),
    ],
)
def test_every_failure_has_its_own_message(error, stage, expected):
    if isinstance(error, smtplib.SMTPServerDisconnected):
        error.__context__ = TimeoutError("timed out")  # smtplib raises it while handling the read timeout
    settings = resolve_settings({"server": "smtp.example.com", "user": USER}, {}, {})
    message = str(explain(error, settings, stage, [BUREAU]))
    assert expected in message
