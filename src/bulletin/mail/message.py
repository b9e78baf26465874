"""Make each partner's message from the layout's mail templates, in their language.

A message is plain text and HTML (the greeting, the contents list, a link to
the issue's page on the archive site), with the cover as a small inline image
and, for ``delivery: attachment``, the email edition of the partner's
language attached. The templates are ``layouts/<layout>/mail/<language>/``:
``subject.txt.j2``, ``body.txt.j2`` and ``body.html.j2``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_decimal

from bulletin.errors import BulletinError
from bulletin.html.layout import issue_date_label, layout_folder
from bulletin.mail.partners import Partner
from bulletin.manifest.load import LoadedIssue
from bulletin.model.issue import Mail
from bulletin.templates import rendered

TEMPLATES = ("subject.txt.j2", "body.txt.j2", "body.html.j2")
COVER_WIDTH = 240
"""Width of the cover picture in the message, in pixels (shown at half that)."""
TEST_PREFIX = "[test] "


@dataclass(frozen=True)
class MailEdition:
    """An issue in one language, as its messages need it."""

    loaded: LoadedIssue
    """The issue in this language."""
    pdf: Path
    """The email edition's file."""
    data: bytes
    """Its bytes, as attached."""
    digest: str
    """SHA-256 of ``data``: the version partners get."""
    cover: bytes
    """Page 1 as a small JPEG."""
    page_url: str
    """The issue's page in this language on the archive site, or ``""``."""
    pdf_url: str
    """The PDF's address on the archive site, or ``""``."""

    @property
    def language(self) -> str:
        """Return the edition's language."""
        return self.loaded.language


def load_edition(loaded: LoadedIssue, pdf: Path, settings: Mail, *, main: bool) -> MailEdition:
    """Return the edition of ``loaded`` whose email PDF is ``pdf`` (already built).

    ``main`` tells whether it is the publication's main language, whose page
    on the archive site is ``index.html`` (the others' ``index.<lang>.html``).
    """
    from bulletin.site.assets import render_cover

    data = pdf.read_bytes()
    base = (settings.archive_url or "").rstrip("/")
    folder = loaded.issue.month.replace("-", "/")
    page = "index.html" if main else f"index.{loaded.language}.html"
    return MailEdition(
        loaded,
        pdf,
        data,
        hashlib.sha256(data).hexdigest(),
        render_cover(pdf, width=COVER_WIDTH).data,
        f"{base}/{folder}/{page}" if base else "",
        f"{base}/{folder}/{pdf.name}" if base else "",
    )


class Composer:
    """Make the messages of one issue: the templates loaded once, each language checked."""

    def __init__(self, editions: Mapping[str, MailEdition], settings: Mail) -> None:
        self.editions = editions
        self.settings = settings
        some = next(iter(editions.values())).loaded
        folder = layout_folder(some) / "mail"
        self.folder = folder
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
        problems = []
        for language in editions:
            for name in TEMPLATES:
                if not (folder / language / name).is_file():
                    problems.append(_display(some.root, folder / language / name))
        if problems:
            raise BulletinError.single(
                _display(some.root, folder),
                f"the mail templates {', '.join(problems)} are missing: copy those of another "
                "language and translate them",
            )

    def compose(
        self,
        partner: Partner,
        *,
        to: str | None = None,
        first: bool = True,
        test: bool = False,
    ) -> EmailMessage:
        """Return the message for ``partner`` (sent to ``to`` instead, for a test copy).

        ``first`` is false when the partner already got an earlier version of
        the issue: the new one then has a Message-ID of its own.
        """
        edition = self.editions[partner.language]
        loaded = edition.loaded
        publication = loaded.publication
        settings = self.settings
        sender = settings.sender
        domain = sender.rsplit("@", 1)[1].encode("idna").decode("ascii")
        cid = f"cover.{loaded.issue.month}.{loaded.language}@{domain}"
        attached = partner.delivery == "attachment"
        context = self._context(partner, edition, cid=cid, attached=attached)
        subject = " ".join(self._render("subject.txt.j2", partner.language, context).split())
        text = self._render("body.txt.j2", partner.language, context)
        html = self._render("body.html.j2", partner.language, context)

        message = EmailMessage()
        message["From"] = _address(settings.sender_name or publication.name, sender)
        message["To"] = _address(partner.name, to or partner.email)
        message["Subject"] = (TEST_PREFIX + subject) if test else subject
        message["Date"] = formatdate(usegmt=True)
        revision = "" if first else f".{edition.digest[:12]}"
        unique = hashlib.sha256(
            f"{publication.slug}\0{loaded.issue.month}\0{partner.key}".encode()
        ).hexdigest()[:20]
        if test:
            # A test copy is new each time: a mail client must not hide the second
            # test of the day as a copy of the first.
            unique = hashlib.sha256(f"{unique}\0{formatdate()}\0{id(message)}".encode()).hexdigest()
        message["Message-ID"] = f"<{loaded.issue.month}.{unique[:20]}{revision}@{domain}>"
        unsubscribe = settings.unsubscribe or sender
        message["List-Unsubscribe"] = f"<mailto:{unsubscribe}?subject=unsubscribe>"
        message["List-Id"] = f"{_quoted(publication.name)} <{publication.slug}.{domain}>"
        if settings.reply_to:
            message["Reply-To"] = settings.reply_to
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        html_part = next(
            part for part in message.iter_parts() if part.get_content_type() == "text/html"
        )
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(
            edition.cover,
            maintype="image",
            subtype="jpeg",
            cid=f"<{cid}>",
            disposition="inline",
            filename="cover.jpg",
        )
        if attached:
            message.add_attachment(
                edition.data, maintype="application", subtype="pdf", filename=edition.pdf.name
            )
        # Last: making the message multipart moves Content-* headers into its parts.
        message["Content-Language"] = loaded.language
        return message

    def _render(self, name: str, language: str, context: Mapping[str, Any]) -> str:
        template_name = f"{language}/{name}"
        root = next(iter(self.editions.values())).loaded.root
        return rendered(
            root,
            self.folder / template_name,
            lambda: self.environment.get_template(template_name).render(context),
        )

    def _context(
        self, partner: Partner, edition: MailEdition, *, cid: str, attached: bool
    ) -> dict[str, Any]:
        loaded = edition.loaded
        publication, issue = loaded.publication, loaded.issue
        language = loaded.language
        number = f"{loaded.labels['issue']} {issue.number}" if issue.number else ""
        megabytes = format_decimal(
            round(len(edition.data) / 1e6, 2), "0.00", locale=language.replace("-", "_")
        )
        return {
            "name": partner.name,
            "organisation": partner.organisation,
            "bulletin": publication.name,
            "publisher": publication.publisher,
            "month_label": issue_date_label(issue.date, language),
            "number_label": number,
            "contents": [{"kicker": block.kicker, "title": block.title} for block in issue.stories],
            "page_url": edition.page_url,
            "pdf_url": edition.pdf_url,
            "attached": attached,
            "file_name": edition.pdf.name,
            "file_size": megabytes,
            "cover": f"cid:{cid}",
            "cover_width": COVER_WIDTH // 2,
            "unsubscribe": self.settings.unsubscribe or self.settings.sender,
            "primary": publication.colors.primary,
        }


def _address(name: str, email: str) -> Address | str:
    user, _, domain = email.rpartition("@")
    try:
        return Address(display_name=name, username=user, domain=domain)
    except (ValueError, IndexError):
        return formataddr((name, email))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
