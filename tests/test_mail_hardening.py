"""Mail headers carry exactly what was meant: no injected lines, addresses as shown, honest results in the log."""

from __future__ import annotations

import copy
import smtplib
from email import message_from_bytes
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path

import hostile
import keyring
import pytest
from click.testing import CliRunner
from docx import Document
from keyring.backend import KeyringBackend
from keyring.backends import fail
from make_samples import fixture, write_test_workbook

from annual_report.cli.main import main
from annual_report.mail import message as message_module
from annual_report.mail.addresses import AddressError, Recipient, parse_recipients
from annual_report.mail.message import Attachment, DeliveryUnknown, attachment_name, build_message, message_bytes
from annual_report.mail.send import LOG_NAME, SendRequest, read_log, send_report
from annual_report.mail.settings import IN_KEYRING, SettingsError, resolve_settings, store_password
from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook

SENDER = "lib@example.com"


pytestmark = pytest.mark.usefixtures("mail_isolated")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def rendered_report(tmp_path_factory) -> bytes:
    """丽江's report, rendered once for the module."""
    folder = tmp_path_factory.mktemp("report")
    source = hostile.good(folder / "丽江.xlsx")
    return render_workbook(source, RenderOptions(output=folder / "丽江市图书馆-2020-年报.docx")).output.read_bytes()


@pytest.fixture
def report(tmp_path, rendered_report) -> Path:
    """A copy of that report in tmp_path/outputs, as render leaves it, for this test to send or change."""
    path = tmp_path / "outputs" / "丽江市图书馆-2020-年报.docx"
    path.parent.mkdir()
    path.write_bytes(rendered_report)
    return path


def test_send_refuses_a_workbook_whose_name_has_a_line_break(tmp_path):
    data = copy.deepcopy(fixture("lijiang_2020"))
    data["cover"]["name"] = "丽江市图书馆\nBcc: spy@example.com"
    source = write_test_workbook(tmp_path / "换行.xlsx", data)
    result = run("send", source, "--eml", tmp_path / "草稿.eml", "--sender", SENDER)
    assert result.exit_code == 1 and "封面!B2" in result.output and "换行" in result.output
    assert not (tmp_path / "草稿.eml").exists()


def test_send_refuses_a_report_whose_library_name_has_a_line_break(report, tmp_path):
    document = Document(report)  # the name and year are in the keywords this tool writes (年报,馆名,年度)
    document.core_properties.keywords = "年报,丽江市图书馆\r\nBcc: spy@example.com,2020"
    document.save(report)
    result = run("send", report, "--eml", tmp_path / "草稿.eml", "--sender", SENDER)
    assert result.exit_code == 2 and "换行" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "草稿.eml").exists()


INTENDED = [
    ("张三" * 20, "zhang.san@example.com"),
    ("Li Si", "li-si+report@example.org"),
    ("", "office@wlj.example.cn"),
    *[("王五", f"wang{i}@example.com") for i in range(6)],
]


def test_headers_are_folded_and_parse_back_to_exactly_the_intended_addresses():
    to = [Recipient(name, address) for name, address in INTENDED[:-2]]
    cc = [f"{name} <{address}>" for name, address in INTENDED[-2:]]
    built = build_message(
        sender=SENDER,
        sender_name="图" * 90 + "馆",
        to=to,
        cc=cc,
        subject="年报" * 40,
        body="正文",
        attachments=[Attachment(attachment_name("图" * 100 + "-2020-年报.docx"), b"report")],
    )
    data = message_bytes(built)
    assert max(len(line) for line in data.split(b"\r\n")) <= 78  # headers of every part, and the body
    parsed = message_from_bytes(data)

    def addresses(name):
        return getaddresses([str(make_header(decode_header(parsed[name])))])

    assert addresses("To") + addresses("Cc") == INTENDED
    assert addresses("From") == [("图" * 90 + "馆", SENDER)]


@pytest.mark.parametrize(
    "typed", ['a"b@example.com', "a(b)@example.com", "a:b@example.com", "a@b", "a..b@example.com", "张三@例子.cn"]
)
def test_addresses_a_mail_library_would_rewrite_are_refused(typed, tmp_path, report):
    with pytest.raises(AddressError):
        parse_recipients([typed])
    result = run("send", report, "--to", typed, "--dry-run")
    assert result.exit_code == 2 and "不是有效的邮件地址" in result.output


def test_display_names_are_accepted_shown_as_sent_and_duplicates_removed(report):
    result = run(
        "send", report, "--to", "张三 <a@b.cn>, c@d.cn", "--to", "A@B.cn", "--cc", "c@d.cn；李四 <e@f.cn>", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "收件人：张三 <a@b.cn>, c@d.cn\n" in result.output
    assert "抄送：李四 <e@f.cn>\n" in result.output


def test_a_disconnect_after_data_is_logged_as_unknown(report, tmp_path, monkeypatch):
    class Server:
        def __init__(self):
            self.esmtp_features = {}

        def has_extn(self, name):
            return False

        def mail(self, sender, options):
            return 250, b"ok"

        def rcpt(self, recipient):
            return 250, b"ok"

        def data(self, data):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

        def close(self):
            pass

    monkeypatch.setattr(message_module, "_open", lambda settings, progress: Server())
    request = SendRequest(report, to=("wlj@example.com",))
    stored = {"server": "smtp.example.com", "user": SENDER, "password": "secret"}
    with pytest.raises(DeliveryUnknown, match="请先向收件人确认"):
        send_report(request, stored=stored, environ={})
    [row] = read_log(tmp_path / "outputs" / LOG_NAME)
    assert row["结果"].startswith("未知（请向收件人确认）")


def test_attachment_names_are_shortened_safely():
    long = attachment_name("图" * 100 + "-2020-年报.docx")
    assert len(long) <= 60 and long.endswith("….docx")
    assert attachment_name("报告\r\nBcc: x.docx") == "报告__Bcc: x.docx"
    assert attachment_name("丽江市图书馆-2020-年报.docx") == "丽江市图书馆-2020-年报.docx"


def test_a_custom_ca_file_is_used_and_a_missing_one_is_refused(tmp_path, monkeypatch):
    with pytest.raises(SettingsError, match="根证书"):
        resolve_settings({"ca_file": tmp_path / "没有.pem", "server": "s"}, {}, {})
    (tmp_path / "ca.pem").write_text("")
    settings = resolve_settings({"ca_file": tmp_path / "ca.pem", "server": "s"}, {}, {})
    used = []

    def context(cafile=None):
        used.append(cafile)
        raise OSError("stop here")

    monkeypatch.setattr(message_module.ssl, "create_default_context", context)
    with pytest.raises(OSError):
        message_module._open(settings, message_module._Progress())
    assert used == [str(tmp_path / "ca.pem")]


class MemoryKeyring(KeyringBackend):
    """A keyring in memory: tests never touch the machine's own."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.entries: dict = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(fail.Keyring())


def test_the_password_goes_into_the_keyring_where_there_is_one(memory_keyring):
    assert store_password(SENDER, "abcd1234")
    stored = {"server": "smtp.qq.com", "user": SENDER, IN_KEYRING: True}
    assert resolve_settings({}, {}, stored).password == "abcd1234"


def test_without_a_keyring_the_settings_file_keeps_it():
    keyring.set_keyring(fail.Keyring())
    assert not store_password(SENDER, "abcd1234")
    assert resolve_settings({}, {}, {"user": SENDER, "password": "from-file"}).password == "from-file"


def test_setup_stores_the_password_in_the_keyring_not_the_file(memory_keyring, tmp_path):
    answers = "\n".join([SENDER, "1", "abcd1234", "n", "y"]) + "\n"
    result = CliRunner().invoke(main, ["send", "--setup"], input=answers)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "config" / "mail.json").read_text(encoding="utf-8")
    assert "abcd1234" not in text and IN_KEYRING in text
    assert memory_keyring.entries == {("nianbao-smtp", SENDER): "abcd1234"}
