"""The email that carries a return: a draft (.eml) to open in Outlook, or a message sent by SMTP.

A draft has the header `X-Unsent: 1`, which makes Outlook open it as a message ready to send
(with its To, Subject, body and attachment filled in) rather than as one received; other mail
programs open it as a message to forward or resend. Sending uses the standard library's smtplib:
the server and its password come from environment variables, never from the plan, which is
shared through git.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from vawg_cli.core.returns import PartnerReturn
from vawg_cli.errors import VawgError
from vawg_cli.model.records import Contact, PlanSettings
from vawg_cli.render.marks import day
from vawg_cli.text import one_line

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ENVIRONMENT = {
    "VAWG_SMTP_HOST": "the mail server, such as smtp.office365.com",
    "VAWG_SMTP_PORT": "its port: 587 (STARTTLS, the default), 465 (TLS from the start) or 25",
    "VAWG_SMTP_USER": "the account to sign in as (leave unset for a server that needs none)",
    "VAWG_SMTP_PASSWORD": "its password",
    "VAWG_SMTP_FROM": "the address the returns are sent from (default: plan.yaml's returns: send_to)",
    "VAWG_SMTP_SECURITY": "starttls (the default), tls, or none (only for a server on this machine)",
}


class MailError(VawgError):
    """An email could not be written or sent."""


@dataclass(frozen=True)
class Letter:
    """One partner's email: the message and to whom it goes."""

    partner: str
    to: str
    message: EmailMessage


def sender(settings: PlanSettings, environ: Mapping[str, str]) -> Contact | None:
    """Whom the email is from: VAWG_SMTP_FROM, else plan.yaml's `returns: send_to`."""
    if address := environ.get("VAWG_SMTP_FROM", "").strip():
        name = settings.returns.send_to.name if settings.returns.send_to else None
        return Contact(name, address)
    send_to = settings.returns.send_to
    return send_to if send_to and send_to.email else None


def letter(
    settings: PlanSettings,
    partner: PartnerReturn,
    attachment: bytes,
    file_name: str,
    *,
    chase: bool,
    made: date,
    sender: Contact | None,
) -> Letter | None:
    """The email for `partner`'s return, or None when plan.yaml gives the partner no email address."""
    contact = partner.contact
    if contact is None or not contact.email:
        return None
    window = partner.window
    quarter = window.quarter
    message = EmailMessage()
    message["To"] = formataddr((one_line(contact.name or partner.name), contact.email))
    if sender is not None and sender.email:
        message["From"] = formataddr((one_line(sender.name or ""), sender.email))
        message["Reply-To"] = message["From"]
    deadline = f"{window.deadline:%A} {day(window.deadline)}"
    if chase:
        message["Subject"] = f"Reminder: VAWG action plan return for {quarter.label}, due {day(window.deadline)}"
    else:
        message["Subject"] = f"VAWG action plan: your return for {quarter.label}, due {day(window.deadline)}"
    message["Date"] = _date_header(made)
    message["Message-ID"] = make_msgid(domain="vawg.invalid")
    message["X-Unsent"] = "1"
    greeting = f"Dear {one_line(contact.name)}," if contact.name else "Hello,"
    actions = partner.actions
    figures = partner.figures_owed
    lines = [greeting, ""]
    was = "was" if made > window.deadline else "is"
    if chase:
        lines.append(
            f"Thank you for your work on the {settings.title}. We have not yet had {partner.name}'s update for "
            f"{quarter.label} ({quarter.months}) on the actions below. It {was} due by {deadline}."
        )
    else:
        lines.append(
            f"It is time for {partner.name}'s quarterly update on the {settings.title}, for {quarter.label} "
            f"({quarter.months}). Please fill in the attached workbook and send it back by {deadline}."
        )
    lines += ["", "The actions:"]
    lines += [f"  - {action.ref or action.id}. {one_line(action.title)}" for action in actions]
    if figures:
        lines += ["", "The figures:"]
        lines += [
            f"  - {figure.measure.name} ({figure.measure.unit}), {figure.period.label(quarter.year_start_month)}"
            for figure in figures
        ]
    lines += [
        "",
        "For each action, choose its colour now and write a sentence or two on progress in the yellow cells; "
        "the workbook's Instructions sheet explains each column. Please mark a note Restricted if it must not "
        "be published, and never include a victim's name or details.",
        "",
        "Thank you,",
        one_line(sender.name) if sender is not None and sender.name else "The VAWG coordinator",
    ]
    message.set_content("\n".join(lines) + "\n")
    message.add_attachment(attachment, maintype=XLSX[0], subtype=XLSX[1], filename=file_name)
    return Letter(partner.code, contact.email, message)


def _date_header(made: date) -> str:
    from datetime import datetime, timezone
    from email.utils import format_datetime

    return format_datetime(datetime(made.year, made.month, made.day, 9, 0, tzinfo=timezone.utc))


def as_draft(letter: Letter) -> bytes:
    """The message as an .eml file, with CRLF line ends as mail programs expect."""
    from email.policy import SMTP

    return letter.message.as_bytes(policy=SMTP)


def send(letters: Sequence[Letter], environ: Mapping[str, str], *, timeout: float = 60.0) -> list[str]:
    """Send each letter through the SMTP server the environment names; return whom each went to.

    Stops at the first refusal, saying which were sent: a second run would send those again.
    """
    import smtplib
    import ssl

    host, port, security, user, password = server(environ)
    context = ssl.create_default_context()
    sent: list[str] = []
    try:
        client: smtplib.SMTP
        if security == "tls":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=context)
            if user:
                client.login(user, password)
            for item in letters:
                message = item.message
                del message["X-Unsent"]  # a draft's mark; a sent message is not a draft
                client.send_message(message)
                sent.append(f"{item.partner} <{item.to}>")
    except (smtplib.SMTPException, OSError) as error:
        done = f"; sent before it stopped: {', '.join(sent)}" if sent else "; nothing was sent"
        raise MailError(f"the mail server {host}:{port} said: {error}{done}") from None
    return sent


def server(environ: Mapping[str, str]) -> tuple[str, int, str, str, str]:
    """The SMTP server's host, port, security, user and password, from the environment; checked
    before anything is made, so a mistake costs nothing."""
    host = environ.get("VAWG_SMTP_HOST", "").strip()
    if not host:
        wanted = "\n".join(f"  {name}: {what}" for name, what in ENVIRONMENT.items())
        raise MailError(f"--send needs the mail server's details in these environment variables:\n{wanted}")
    security = environ.get("VAWG_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in {"starttls", "tls", "none"}:
        raise MailError(f"VAWG_SMTP_SECURITY is {security!r}; set it to starttls, tls or none")
    port_text = environ.get("VAWG_SMTP_PORT", "").strip() or ("465" if security == "tls" else "587")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MailError(f"VAWG_SMTP_PORT is {port_text!r}; set it to the server's port number, such as 587")
    user, password = environ.get("VAWG_SMTP_USER", ""), environ.get("VAWG_SMTP_PASSWORD", "")
    if security == "none" and host not in {"localhost", "127.0.0.1", "::1"}:
        raise MailError(
            f"VAWG_SMTP_SECURITY=none would send the returns (and any password) to {host} unencrypted; "
            "use starttls or tls for a server on another machine"
        )
    return host, int(port_text), security, user, password
