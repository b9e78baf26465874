"""The mail tests' fixtures and helpers: the sample built once, and real SMTP servers.

Registered as a plugin by ``tests/conftest.py``; the servers are aiosmtpd's, on 127.0.0.1.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import json
import shutil
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bulletin.build import build_issue
from conftest import SAMPLE_MONTH, copy_sample
from mail.localsmtp import LocalController

HERE = Path(__file__).resolve().parent
PARTNERS = HERE / "partners"
SENDER = "bulletin@iom-ca.example.org"
LOG = f"out/mail/{SAMPLE_MONTH}/send-log.jsonl"

ARCHIVE = "https://bulletin.iom-ca.example.org/"

# The sample partner list (partners/sample.csv): address, name, language, delivery.
SAMPLE = [
    ("aigerim.bekova@example.org", "Aigerim Bekova", "ru", "attachment"),
    ("John.Smith@example.org", "Smith, John", "en", "link"),
    ("olga.ivanova@example.org", "Olga Ivanova", "ru", "attachment"),
    ("dilnoza@example.net", "Dilnoza Karimova", "en", "attachment"),
    ("timur.aliev@example.com", "Timur Aliev", "ru", "attachment"),
    ("maria.garcia@example.org", "Maria Garcia", "en", "attachment"),
]


@dataclass
class Received:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message it accepts, and misbehaves on request."""

    messages: list[Received] = field(default_factory=list)
    reject: dict[str, str] = field(default_factory=dict)
    """Addresses answered at RCPT with the reply given (``550 5.1.1 …``)."""
    busy: int = 0
    """Answer this many MAIL commands with 421, then work again."""
    drop_after: int | None = None
    """Drop the connection (no answer) at MAIL once a connection has carried this many."""
    drops: int = 0
    """How many times the connection was dropped."""
    drop_at: set[int] = field(default_factory=set)
    """Drop the connection (no answer) at MAIL once, when this many messages were taken."""
    refuse_sender: str = ""
    """Answer every MAIL with this reply, when set."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        session.carried = 0
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_sender:
            return self.refuse_sender
        with self.lock:
            if self.busy:
                self.busy -= 1
                return "421 4.3.2 Too busy, try again later"
            once = len(self.messages) in self.drop_at
            self.drop_at.discard(len(self.messages))
            if once or (
                self.drop_after is not None and getattr(session, "carried", 0) >= self.drop_after
            ):
                self.drops += 1
                server.transport.abort()
                return "421 gone"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
            number = len(self.messages)
        session.carried = getattr(session, "carried", 0) + 1
        return f"250 2.0.0 Ok: queued as Q{number:04d}"

    def deliveries(self) -> list[tuple[str, str]]:
        """Return each message's recipient and Message-ID."""
        return [(m.rcpt_tos[0], str(m.message["Message-ID"])) for m in self.messages]

    def to(self, address: str) -> list[Received]:
        """Return the messages that went to ``address``."""
        return [m for m in self.messages if address in m.rcpt_tos]


@dataclass
class Server:
    """A running test SMTP server."""

    port: int
    recorder: Recorder
    controller: Controller
    ca_file: Path | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def recorder() -> Recorder:
    """Return a recording handler for a server a test starts itself."""
    return Recorder()


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """Start a plain SMTP server (no login) on a free port of 127.0.0.1."""
    recorder = Recorder()
    controller = LocalController(recorder)
    controller.start()
    try:
        yield Server(controller.port, recorder, controller)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def certificate_authority() -> trustme.CA:
    """Return a certificate authority made for the tests."""
    return trustme.CA()


@pytest.fixture
def tls_server(
    certificate_authority: trustme.CA, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Server]:
    """Start a server that requires STARTTLS (a certificate made here) and a login.

    It offers AUTH LOGIN and PLAIN, or (parametrized indirectly) only the one named.
    """
    only = getattr(request, "param", None)
    excluded = [name for name in ("LOGIN", "PLAIN") if only and name != only]
    recorder = Recorder()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    logins: list[tuple[str, str]] = []
    mechanisms: list[str] = []

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        logins.append((login, password))
        mechanisms.append(mechanism)
        return AuthResult(success=(login, password) == ("officer", "s3cret pass"), handled=False)

    controller = LocalController(
        recorder,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticate,
        auth_exclude_mechanism=excluded,
    )
    controller.start()
    try:
        yield Server(controller.port, recorder, controller, ca_file, logins, mechanisms)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the sample whose email editions are built (once per session)."""
    root = copy_sample(tmp_path_factory.mktemp("mail-sample") / "project")
    build_issue(root, SAMPLE_MONTH, root / "out", edition="email")
    return root


@pytest.fixture
def mail_project(built_sample: Path, tmp_path: Path) -> Path:
    """Return a copy of the built sample to send from: no mail settings yet, no partners."""
    root = tmp_path / "project"
    for name in ("issues", "layouts", "fonts"):
        shutil.copytree(built_sample / name, root / name)
    (root / "out" / SAMPLE_MONTH).mkdir(parents=True)
    for pdf in (built_sample / "out" / SAMPLE_MONTH).glob("*.pdf"):
        shutil.copy2(pdf, root / "out" / SAMPLE_MONTH / pdf.name)
    return root


def configure_mail(root: Path, smtp: str = "", **mail: str) -> None:
    """Add a mail section to the project's publication.yaml (the copy's only)."""
    lines = ["mail:", f"  sender: {SENDER}"]
    lines += [f"  {key}: {value}" for key, value in mail.items()]
    if smtp:
        lines.append("  smtp:")
        lines += ["    " + line for line in smtp.strip().splitlines()]
    path = root / "issues" / "publication.yaml"
    path.write_text(path.read_text() + "\n".join(lines) + "\n")


def plain_smtp(port: int, **extra: object) -> str:
    """Return smtp settings for the plain test server: fast retries, no rate limit."""
    return smtp_settings(port, security="none", **extra)


def smtp_settings(port: int, **extra: object) -> str:
    """Return smtp settings for a test server: fast retries, no rate limit."""
    settings: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "rate_per_minute": 6000,
        "retry_wait_seconds": 0.05,
        "timeout_seconds": 10,
        **extra,
    }
    return "\n".join(f"{key}: {value}" for key, value in settings.items() if value is not None)


def decoded(header: str) -> str:
    """Return a header with its encoded words decoded, as a mail client shows it."""
    return str(email.header.make_header(email.header.decode_header(header)))


def ready(
    project: Path, server: Server | int, partners: str = "sample.csv", **smtp: object
) -> Path:
    """Configure the project copy to send to ``server``, with a partner list of its own."""
    shutil.copy(PARTNERS / partners, project / partners)
    configure_mail(
        project,
        plain_smtp(server if isinstance(server, int) else server.port, **smtp),
        partners=partners,
        archive_url=ARCHIVE,
        groups="[donors, government]",
    )
    return project


def log_entries(project: Path) -> list[dict[str, str]]:
    path = project / LOG
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def assert_each_got_one(project: Path, received: list[Received]) -> None:
    """Every partner has exactly one message, and the log says exactly what the server got."""
    assert all(len(message.rcpt_tos) == 1 for message in received)
    assert_log_true(project, [(m.rcpt_tos[0], str(m.message["Message-ID"])) for m in received])


def assert_log_true(project: Path, deliveries: list[tuple[str, str]]) -> None:
    """Check each sample partner got one message (recipient, Message-ID), as the log says."""
    assert sorted(rcpt for rcpt, _ in deliveries) == sorted(address for address, *_ in SAMPLE)
    sent = [entry for entry in log_entries(project) if entry["status"] == "sent"]
    assert sorted((e["email"], e["message_id"]) for e in sent) == sorted(deliveries)
