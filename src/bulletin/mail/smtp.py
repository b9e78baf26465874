"""Hand messages to the mail server (SMTP), one recipient each, and sort its answers.

Every answer is one of three: accepted (2xx), refused for good (5xx: that
partner fails, the others go on), or refused for now (4xx, or a connection
lost: try again later). Problems that would fail every message (a wrong
password, a certificate that does not match, no encryption on offer) stop at
once, as a :class:`~bulletin.errors.BulletinError`.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from pathlib import Path

from bulletin.errors import BulletinError
from bulletin.model.issue import Smtp

DEFAULT_PASSWORD_ENV = "BULLETIN_SMTP_PASSWORD"
Fail = Callable[[str, str], BulletinError]
"""Make the error for a field of the ``mail.smtp`` settings and a message."""


@dataclass(frozen=True)
class Reply:
    """The server's answer to one message: its code and its words."""

    code: int
    """The SMTP reply code (250, 421, 550…); 0 when the connection was lost."""
    text: str
    """What the server said, or what went wrong with the connection."""

    def __str__(self) -> str:
        """Return the answer as the server gave it ("550 5.1.1 User unknown")."""
        return f"{self.code} {self.text}" if self.code else self.text


class Refused(Exception):
    """The server refused one message."""

    def __init__(self, reply: Reply, *, permanent: bool, whole_connection: bool) -> None:
        super().__init__(str(reply))
        self.reply = reply
        self.permanent = permanent
        """True for a 5xx answer: trying again will not help."""
        self.whole_connection = whole_connection
        """True when the connection is at fault, not this recipient (421, a drop)."""


@dataclass(frozen=True)
class Credentials:
    """The login for the server, read from where ``publication.yaml`` says."""

    user: str
    password: str


def read_password(settings: Smtp, root: Path, fail: Fail) -> Credentials | None:
    """Return the login for ``settings``: the password from its variable or file.

    ``fail`` makes the error for a field of the ``mail.smtp`` settings. A
    password file inside the project ``root`` is refused: it would end up in
    version control.
    """
    if settings.user is None:
        return None
    variable = settings.password_env or DEFAULT_PASSWORD_ENV
    if (password := os.environ.get(variable)) is not None:
        return Credentials(settings.user, password)
    if settings.password_file is None:
        raise fail(
            "user",
            f"the login {settings.user} needs a password: set the environment variable "
            f"{variable}, or name a file outside the project holding it in password_file",
        )
    path = Path(settings.password_file).expanduser()
    if not path.is_absolute():
        path = root / path
    resolved = path.resolve()
    if resolved.is_relative_to(root.resolve()):
        raise fail(
            "password_file",
            f"'{settings.password_file}' lies inside the project, where it would be committed "
            "with it: move the password file out (~/.config/bulletin/smtp-password)",
        )
    try:
        lines = resolved.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise fail(
            "password_file",
            f"cannot read the password from '{settings.password_file}': {error.strerror}",
        ) from None
    if not lines or not lines[0]:
        raise fail(
            "password_file",
            f"'{settings.password_file}' is empty: write the password on its first line",
        )
    return Credentials(settings.user, lines[0])


class Connection:
    """One connection to the mail server: encrypted, logged in, ready to take messages."""

    def __init__(
        self,
        settings: Smtp,
        credentials: Credentials | None,
        *,
        ca_file: Path | None,
        fail: Fail,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.ca_file = ca_file
        self.fail = fail
        self._smtp: smtplib.SMTP | None = None

    @property
    def open(self) -> bool:
        """Tell whether the connection is up (as far as is known)."""
        return self._smtp is not None

    def connect(self) -> None:
        """Connect, encrypt and log in; raise :class:`Refused` if the server is away for now."""
        settings = self.settings
        host, port = settings.host, settings.effective_port
        context = self._context() if settings.security != "none" else None
        try:
            if settings.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, port, timeout=settings.timeout_seconds, context=context
                )
            else:
                smtp = smtplib.SMTP(host, port, timeout=settings.timeout_seconds)
            try:
                smtp.ehlo()
                if settings.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise self.fail(
                            "security",
                            f"{host}:{port} does not offer STARTTLS, so the connection would "
                            "stay unencrypted: check the port (587 for starttls, 465 for tls)",
                        )
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if self.credentials is not None:
                    smtp.login(self.credentials.user, self.credentials.password)
            except BaseException:
                _close(smtp)
                raise
        except smtplib.SMTPAuthenticationError as error:
            raise self.fail(
                "user",
                f"{host} refused the login of {settings.user}: {_words(error.smtp_error)} "
                f"({error.smtp_code}): check the user and the password",
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise self.fail(
                "user",
                f"{host} does not offer a login on this connection: remove user, or check "
                "security and port",
            ) from None
        except ssl.SSLCertVerificationError as error:
            raise self.fail(
                "host",
                f"the certificate of {host} cannot be trusted ({error.verify_message}): check "
                "the host name, or give the certificates to trust in ca_file",
            ) from None
        except ssl.SSLError as error:
            raise self.fail(
                "security",
                f"cannot encrypt the connection to {host}:{port} ({error.reason}): check "
                "security and port (587 for starttls, 465 for tls)",
            ) from None
        except smtplib.SMTPResponseException as error:
            raise _refused(error.smtp_code, error.smtp_error, whole_connection=True) from None
        except socket.gaierror as error:
            raise self.fail(
                "host",
                f"cannot find the mail server {host} ({error.strerror}): check the host name",
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise Refused(
                Reply(0, f"cannot connect to {host}:{port}: {_reason(error)}"),
                permanent=False,
                whole_connection=True,
            ) from None
        self._smtp = smtp

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.ca_file is not None:
            try:
                context.load_verify_locations(cafile=str(self.ca_file))
            except (OSError, ssl.SSLError) as error:
                raise self.fail(
                    "ca_file",
                    f"cannot read the certificates in {self.ca_file}: {_reason(error)}",
                ) from None
        return context

    def deliver(self, message: EmailMessage, sender: str, recipient: str) -> Reply:
        """Hand ``message`` to the server for ``recipient`` alone; return its answer.

        Raise :class:`Refused` when the server does not take it.
        """
        if self._smtp is None:
            self.connect()
        smtp = self._smtp
        assert smtp is not None
        international = not (sender.isascii() and recipient.isascii())
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        if international and not smtp.has_extn("smtputf8"):
            raise Refused(
                Reply(0, "the server does not take international addresses (SMTPUTF8)"),
                permanent=True,
                whole_connection=False,
            )
        data = message.as_bytes(policy=SMTPUTF8 if international else SMTP)
        try:
            code, words = smtp.mail(sender, options)
            if code != 250:
                self._reset()
                raise _refused(code, words, whole_connection=True)
            code, words = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset()
                raise _refused(code, words, whole_connection=code == 421)
            code, words = smtp.data(data)
        except smtplib.SMTPDataError as error:
            self._reset()
            code = error.smtp_code
            raise _refused(code, error.smtp_error, whole_connection=code < 500) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _refused(error.smtp_code, error.smtp_error, whole_connection=True) from None
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self.close()
            raise Refused(
                Reply(0, f"the connection was lost: {_reason(error)}"),
                permanent=False,
                whole_connection=True,
            ) from None
        if code == 421:
            self.close()
        if code != 250:
            # A message refused after its text: 4xx is the server's trouble (try
            # again later), 5xx this message's or recipient's (the others go on).
            raise _refused(code, words, whole_connection=code < 500)
        return Reply(code, _words(words))

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        """Say goodbye to the server (or just drop the connection if it is gone)."""
        if self._smtp is not None:
            _close(self._smtp)
            self._smtp = None


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _refused(code: int, words: bytes | str, *, whole_connection: bool) -> Refused:
    reply = Reply(code, _words(words))
    permanent = 500 <= code < 600
    return Refused(reply, permanent=permanent, whole_connection=whole_connection or code == 421)


def _words(words: bytes | str) -> str:
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else words
    return " ".join(text.split())


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
