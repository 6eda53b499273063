"""`vawg returns make --email`, `--chase` and `--send`: the drafts (.eml) and the emails that carry the returns.

A draft is read back with Python's own `email` package, as a mail program would; sending goes to
a real SMTP server (aiosmtpd) on this machine, so the message on the wire is checked too.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from typer.testing import CliRunner, Result

from vawg_cli.cli import app, options

QUARTER = "2025-Q3"
AS_OF = "2025-12-02"
TODAY = date(2025, 12, 2)
DEADLINE = "Wednesday 14 Jan 2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENDER = "vawg@example.org"
# LBB has no email address; the other two do (one with a name that is not ASCII).
CONTACTS = {
    "Met": ("DI Jane Smith", "jane@example.org"),
    "Vol Sector": ("Siobhán Ó Briain", "siobhan@example.org"),
}
NAMES = {
    "LBB": "London Borough of Bexley",
    "Met": "Metropolitan Police Service",
    "Vol Sector": "Voluntary and community sector",
}
SMTP_VARIABLES = (
    "VAWG_SMTP_HOST",
    "VAWG_SMTP_PORT",
    "VAWG_SMTP_USER",
    "VAWG_SMTP_PASSWORD",
    "VAWG_SMTP_FROM",
    "VAWG_SMTP_SECURITY",
)


@pytest.fixture(autouse=True)
def _no_smtp_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends through the developer's own mail server."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "today", lambda: TODAY)


@pytest.fixture
def mail_plan(bundled_copy: Path) -> Path:
    """The bundled plan with email addresses for two of its three partners, and whom returns go to."""
    settings = bundled_copy / "plan.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data["partners"] = {
        "LBB": NAMES["LBB"],
        **{
            code: {"name": NAMES[code], "contact": contact, "email": address}
            for code, (contact, address) in CONTACTS.items()
        },
    }
    data["returns"] = {"send_to": {"name": "VAWG coordinator", "email": SENDER}, "days_after_quarter_end": 14}
    settings.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return bundled_copy


def led_by(plan: Path, code: str) -> dict[int, str]:
    """The titles of the actions `code` leads, by id, read from the action files themselves."""
    found: dict[int, str] = {}
    for path in sorted((plan / "actions").glob("*.yaml")):
        action = yaml.safe_load(path.read_text(encoding="utf-8"))
        if code in action["leads"]:
            found[action["id"]] = action["title"]
    return found


def make(runner: CliRunner, plan: Path, out: Path, *extra: str) -> Result:
    arguments = ["returns", "make", "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(out), "--plan", str(plan)]
    return runner.invoke(app, [*arguments, *extra])


def workbook(out: Path, code: str) -> Path:
    return out / f"VAWG return 2025-26 Q3 - {NAMES[code]}.xlsx"


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no plain-text body"
    assert isinstance(part, EmailMessage)
    text = part.get_content()
    assert isinstance(text, str)
    return text


def listed_actions(text: str) -> dict[int, str]:
    """The actions the body lists under "The actions:", by id."""
    lines = text.splitlines()
    start = lines.index("The actions:") + 1
    found: dict[int, str] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        assert line.startswith("  - "), line
        number, _, title = line[4:].partition(". ")
        found[int(number)] = title
    return found


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    assert isinstance(part, EmailMessage)
    assert part.get_content_type() == XLSX
    filename = part.get_filename()
    assert filename is not None
    content = part.get_content()
    assert isinstance(content, bytes)
    return filename, content


def recipients(message: EmailMessage) -> list[tuple[str, str]]:
    return getaddresses([str(value) for value in message.get_all("To", [])])


def check_letter(message: EmailMessage, code: str, book: Path, actions: dict[int, str], *, chase: bool) -> None:
    """A partner's email: to its contact, naming the quarter and deadline, listing `actions`, the workbook attached."""
    contact, address = CONTACTS[code]
    assert recipients(message) == [(contact, address)]
    assert getaddresses([str(message["From"])]) == [("VAWG coordinator", SENDER)]
    subject = str(message["Subject"])
    assert "2025/26 Q3" in subject
    assert "14 Jan 2026" in subject
    assert subject.startswith("Reminder:") == chase
    text = body(message)
    assert listed_actions(text) == actions
    assert DEADLINE in text
    assert f"Dear {contact}," in text
    name, content = attachment(message)
    assert name == book.name
    assert content == book.read_bytes()


def test_email_writes_a_draft_for_each_partner_with_an_address(
    runner: CliRunner, mail_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "returns"
    result = make(runner, mail_plan, out, "--email")
    assert result.exit_code == 0, result.output

    for code in CONTACTS:
        book = workbook(out, code)
        draft = book.with_suffix(".eml")
        assert draft.is_file(), result.output
        raw = draft.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "an .eml's lines end in CRLF"
        message = parse(raw)
        assert message["X-Unsent"] == "1"
        check_letter(message, code, book, led_by(mail_plan, code), chase=False)

    # LBB has no email address: its workbook, but no draft, and the output says so.
    assert workbook(out, "LBB").is_file()
    assert sorted(p.name for p in out.glob("*.eml")) == sorted(
        workbook(out, c).with_suffix(".eml").name for c in CONTACTS
    )
    (lbb,) = [line for line in result.stdout.splitlines() if line.startswith("LBB:")]
    assert "no email draft: plan.yaml gives this partner no email address" in lbb


def test_met_draft_lists_its_figures_and_vol_sector_none(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "returns"
    result = make(runner, mail_plan, out, "--email")
    assert result.exit_code == 0, result.output
    met = body(parse(workbook(out, "Met").with_suffix(".eml").read_bytes()))
    assert "The figures:" in met
    assert "VAWG offences recorded by the police (offences), 2025" in met
    assert "The figures:" not in body(parse(workbook(out, "Vol Sector").with_suffix(".eml").read_bytes()))


def test_without_email_no_drafts(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "returns"
    result = make(runner, mail_plan, out)
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.xlsx"))) == 3
    assert list(out.glob("*.eml")) == []
    assert "email draft" not in result.output


def test_make_prints_one_line_per_partner(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    result = make(runner, mail_plan, tmp_path / "returns", "--email")
    assert result.exit_code == 0, result.output
    assert "\\x0a" not in result.stdout, "the lines are printed with their newlines escaped"
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["LBB", "Met", "Vol Sector"]
    assert lines[3].startswith("Returns for 2025/26 Q3, due Wednesday 14 Jan 2026")


# The returns: Vol Sector answers for all three of its actions, Met for two of its five.
RETURNED = {"Vol Sector": (7, 8, 9), "Met": (3, 4)}


def fill(book: Path, actions: tuple[int, ...]) -> None:
    """Fill a return's rows for `actions` as a partner would in Excel."""
    wb = openpyxl.load_workbook(book)
    sheet = wb["Return"]
    for row in range(5, sheet.max_row + 1):
        identity = str(sheet.cell(row, 12).value or "")
        if not identity.startswith("action="):
            continue
        action = int(identity.split(";")[0].removeprefix("action="))
        if action in actions:
            sheet.cell(row, 6).value = "Green"
            sheet.cell(row, 7).value = f"Progress on action {action} this quarter"
            sheet.cell(row, 10).value = "01/12/2025"
            sheet.cell(row, 11).value = "No"
    wb.save(book)


def check_chase(result: Result, plan: Path, out: Path) -> None:
    assert result.exit_code == 0, result.output
    # Vol Sector has returned everything: no workbook, no draft, not in the output.
    assert not workbook(out, "Vol Sector").exists()
    assert "Vol Sector" not in result.stdout
    assert sorted(p.name for p in out.glob("*.eml")) == [workbook(out, "Met").with_suffix(".eml").name]
    assert workbook(out, "LBB").is_file(), "LBB owes all ten and has no address: a workbook, no draft"
    owed = {number: title for number, title in led_by(plan, "Met").items() if number not in RETURNED["Met"]}
    assert sorted(owed) == [7, 8, 9]
    met = workbook(out, "Met")
    message = parse(met.with_suffix(".eml").read_bytes())
    assert message["X-Unsent"] == "1"
    check_letter(message, "Met", met, owed, chase=True)
    # The workbook too asks only for what is owed.
    rows = openpyxl.load_workbook(met, read_only=True)["Return"].iter_rows(min_row=5, max_col=12, values_only=True)
    identities = [str(row[11]) for row in rows if row[11] and str(row[11]).startswith("action=")]
    assert [int(i.split(";")[0].removeprefix("action=")) for i in identities] == [7, 8, 9]


def test_chase_after_returns_are_read(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    first = tmp_path / "returns"
    assert make(runner, mail_plan, first).exit_code == 0
    for code, actions in RETURNED.items():
        fill(workbook(first, code), actions)
    books = [str(workbook(first, code)) for code in RETURNED]
    read = runner.invoke(app, ["returns", "read", *books, "--plan", str(mail_plan)])
    assert read.exit_code == 0, read.output

    chase = tmp_path / "chase"
    check_chase(make(runner, mail_plan, chase, "--chase"), mail_plan, chase)


def test_chase_after_updates_by_the_partner(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    for code, actions in RETURNED.items():
        for number in actions:
            arguments = ["update", str(number), "--rag", "green", "--note", f"Done by {code}", "--by", code]
            done = runner.invoke(app, [*arguments, "--date", "2025-11-20", "--plan", str(mail_plan)])
            assert done.exit_code == 0, done.output
    chase = tmp_path / "chase"
    check_chase(make(runner, mail_plan, chase, "--chase"), mail_plan, chase)


# --- Sending -----------------------------------------------------------------------------------


@dataclass
class Collector:
    """An SMTP handler that keeps each message it is given, or refuses all after the first `accept`."""

    accept: int | None = None
    refusal: str = "550 5.7.1 Relaying denied"
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.accept is not None and len(self.envelopes) >= self.accept:
            return self.refusal
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    handler: Collector
    port: int


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    monkeypatch.setenv("VAWG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VAWG_SMTP_PORT", str(port))
    monkeypatch.setenv("VAWG_SMTP_SECURITY", "none")
    try:
        yield Server(handler, port)
    finally:
        controller.stop()


def test_send_delivers_one_message_per_partner_with_an_address(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, smtp_server: Server
) -> None:
    out = tmp_path / "returns"
    result = make(runner, mail_plan, out, "--send")
    assert result.exit_code == 0, result.output
    envelopes = smtp_server.handler.envelopes
    assert len(envelopes) == len(CONTACTS)
    by_recipient = {tuple(envelope.rcpt_tos): envelope for envelope in envelopes}
    assert sorted(by_recipient) == sorted((address,) for _, address in CONTACTS.values())
    for code, (_, address) in CONTACTS.items():
        envelope = by_recipient[(address,)]
        assert envelope.mail_from == SENDER
        assert isinstance(envelope.content, bytes)
        message = parse(envelope.content)
        assert message["X-Unsent"] is None, "a sent message is not a draft"
        check_letter(message, code, workbook(out, code), led_by(mail_plan, code), chase=False)
    assert "Sent 2 emails: Met <jane@example.org>, Vol Sector <siobhan@example.org>" in result.stdout
    assert list(out.glob("*.eml")) == [], "--send alone writes no drafts"


def test_send_with_email_keeps_the_drafts_unsent(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, smtp_server: Server
) -> None:
    out = tmp_path / "returns"
    result = make(runner, mail_plan, out, "--email", "--send")
    assert result.exit_code == 0, result.output
    assert len(smtp_server.handler.envelopes) == 2
    for code in CONTACTS:
        assert parse(workbook(out, code).with_suffix(".eml").read_bytes())["X-Unsent"] == "1"


def test_send_from_the_environment(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, smtp_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAWG_SMTP_FROM", "returns@example.org")
    result = make(runner, mail_plan, tmp_path / "returns", "--send", "--partner", "Met")
    assert result.exit_code == 0, result.output
    (envelope,) = smtp_server.handler.envelopes
    assert envelope.mail_from == "returns@example.org"
    assert envelope.rcpt_tos == ["jane@example.org"]
    assert isinstance(envelope.content, bytes)
    assert getaddresses([str(parse(envelope.content)["From"])]) == [("VAWG coordinator", "returns@example.org")]


def test_send_chase_goes_only_to_those_who_owe(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, smtp_server: Server
) -> None:
    for number in RETURNED["Vol Sector"]:
        arguments = ["update", str(number), "--rag", "green", "--note", "Done", "--by", "Vol Sector"]
        done = runner.invoke(app, [*arguments, "--date", "2025-11-20", "--plan", str(mail_plan)])
        assert done.exit_code == 0, done.output
    result = make(runner, mail_plan, tmp_path / "chase", "--chase", "--send")
    assert result.exit_code == 0, result.output
    (envelope,) = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["jane@example.org"]
    assert isinstance(envelope.content, bytes)
    assert str(parse(envelope.content)["Subject"]).startswith("Reminder:")


def test_send_without_a_server_lists_the_variables(runner: CliRunner, mail_plan: Path, tmp_path: Path) -> None:
    result = make(runner, mail_plan, tmp_path / "returns", "--send")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "vawg: error: --send needs the mail server's details" in result.stderr
    for name in SMTP_VARIABLES:
        assert name in result.stderr


def test_send_unencrypted_to_another_machine_is_refused(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAWG_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("VAWG_SMTP_PORT", "25")
    monkeypatch.setenv("VAWG_SMTP_SECURITY", "none")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("vawg connected to a server it should have refused")

    monkeypatch.setattr("smtplib.SMTP.connect", no_network)
    result = make(runner, mail_plan, tmp_path / "returns", "--send")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "VAWG_SMTP_SECURITY=none" in result.stderr
    assert "mail.example.org" in result.stderr
    assert "unencrypted" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("VAWG_SMTP_SECURITY", "ssl", "VAWG_SMTP_SECURITY is 'ssl'"),
        ("VAWG_SMTP_PORT", "smtp", "VAWG_SMTP_PORT is 'smtp'"),
        ("VAWG_SMTP_PORT", "70000", "VAWG_SMTP_PORT is '70000'"),
    ],
)
def test_send_with_a_bad_setting_says_which(
    runner: CliRunner,
    mail_plan: Path,
    tmp_path: Path,
    smtp_server: Server,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    said: str,
) -> None:
    monkeypatch.setenv(variable, value)
    result = make(runner, mail_plan, tmp_path / "returns", "--send")
    assert result.exit_code == 1, result.output
    assert said in result.stderr
    assert smtp_server.handler.envelopes == []


@pytest.mark.parametrize(("accept", "before"), [(0, "nothing was sent"), (1, "sent before it stopped: Met <")])
def test_send_refused_by_the_server(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, smtp_server: Server, accept: int, before: str
) -> None:
    smtp_server.handler.accept = accept
    result = make(runner, mail_plan, tmp_path / "returns", "--send")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), "the refusal escaped as a traceback"
    assert "Traceback" not in result.output
    assert f"vawg: error: the mail server 127.0.0.1:{smtp_server.port} said:" in result.stderr
    assert "Relaying denied" in result.stderr
    assert before in result.stderr
    assert len(smtp_server.handler.envelopes) == accept


def test_send_to_a_closed_port(
    runner: CliRunner, mail_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAWG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VAWG_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("VAWG_SMTP_SECURITY", "none")
    result = make(runner, mail_plan, tmp_path / "returns", "--send")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "vawg: error: the mail server 127.0.0.1:" in result.stderr
    assert "nothing was sent" in result.stderr
