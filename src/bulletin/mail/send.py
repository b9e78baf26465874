"""Send an issue to its partners: one message each, never twice, never lost.

``send_issue`` reads and checks everything first (the issue, the partner list,
the email editions, the templates, the password) and only then connects. Each
message accepted by the server is written to the send log before the next is
sent, so a run stopped in any way can be run again: it sends to the partners
not reached yet, and to no one twice.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from bulletin.errors import BulletinError, Problem
from bulletin.mail.message import Composer, MailEdition, load_edition
from bulletin.mail.partners import Partner, PartnerRules, load_partners
from bulletin.mail.sendlog import Entry, SendLog, now, read_log
from bulletin.mail.smtp import Connection, Refused, Reply, read_password
from bulletin.manifest.load import LoadedIssue, issue_languages, load_issue
from bulletin.model.issue import Mail

LOG_NAME = "send-log.jsonl"
MAIL_FOLDER = "mail"
"""The folder, in ``out/``, of each issue's send log and dry run: ``out/mail/2021-05/``.

Not ``out/2021-05/``, which holds the issue's current set of PDFs and is replaced whole
by each build (see :mod:`bulletin.output`): the log must outlive the PDFs it records."""
DRY_RUN_FOLDER = "dry-run"
Mode = Literal["dry-run", "test", "send"]


@dataclass(frozen=True)
class Progress:
    """Where a send stands, after each message."""

    sent: int
    """Messages accepted so far in this run."""
    failed: int
    """Messages refused for good so far."""
    left: int
    """Messages still to send in this run."""
    total: int
    """Messages this run set out to send."""
    waiting: str = ""
    """Why the run is waiting, when it is (a temporary failure), or ``""``."""


@dataclass(frozen=True)
class Failure:
    """A partner the server refused, in its own words."""

    partner: Partner
    reply: Reply
    permanent: bool


@dataclass
class SendReport:
    """What a run did, and what is left."""

    mode: Mode
    """``dry-run``, ``test`` or ``send``."""
    partner_list: str
    """The partner list, as messages name it."""
    log: str
    """The send log, as messages name it."""
    editions: dict[str, MailEdition]
    """The editions by language."""
    selected: int = 0
    """Partners in the list (or the group)."""
    sent: list[Partner] = field(default_factory=list)
    """Partners sent to in this run (for a dry run: whose messages were written)."""
    already: list[Entry] = field(default_factory=list)
    """Partners reached by an earlier run, with the version they got: not sent again."""
    outdated: list[tuple[Partner, Entry]] = field(default_factory=list)
    """Partners who got an earlier version of their edition (sent again with ``--resend``)."""
    failed: list[Failure] = field(default_factory=list)
    """Partners refused in this run."""
    left: list[Partner] = field(default_factory=list)
    """Partners still to send to: the run stopped before them."""
    stopped: str = ""
    """Why the run stopped before the end, or ``""``."""
    written: Path | None = None
    """For a dry run, the folder of ``.eml`` files."""
    tests: list[tuple[str, str]] = field(default_factory=list)
    """For a test, the languages sent and the address."""

    @property
    def complete(self) -> bool:
        """Tell whether every partner selected has their message, and none failed."""
        return not (self.failed or self.left or self.stopped)


ProgressCallback = Callable[[Progress], None]


def send_issue(
    root: Path,
    month: str,
    out: Path,
    *,
    mode: Mode = "send",
    test_address: str | None = None,
    group: str | None = None,
    partners_file: Path | None = None,
    resend: bool = False,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> SendReport:
    """Send the email edition of ``month`` to the partners (or dry-run, or test it).

    Everything is checked before the first message goes. ``stop`` ends the
    run after the message under way; the report says who was reached.
    """
    stop = stop or threading.Event()
    source = load_issue(root, month)
    settings = _mail_settings(source)
    main = source.publication.language
    languages = [main, *issue_languages(root, month)]
    list_path = partners_file or root / settings.partners
    list_name = _display(root, list_path)
    rules = PartnerRules(
        month, tuple(languages), tuple(settings.groups), settings.archive_url is not None
    )
    partners = load_partners(list_path, list_name, rules)
    if group is not None:
        partners = _in_group(partners, group, settings, source)
    needed = languages if mode == "test" else list(dict.fromkeys(p.language for p in partners))
    editions = _load_editions(source, out, settings, needed)
    composer = Composer(editions, settings)
    log_path = mail_folder(out, month) / LOG_NAME
    report = SendReport(mode, list_name, _display(root, log_path), editions, len(partners))
    if mode == "dry-run":
        return _dry_run(composer, partners, mail_folder(out, month), log_path, report)
    if not source.issue.published and mode == "send":
        raise BulletinError(
            [
                source.problem(
                    ("published",),
                    f"the {month} issue is not marked as published: set published: true in "
                    "issue.yaml once it is final (--dry-run and --test work before)",
                )
            ]
        )
    smtp = settings.smtp

    def fail(name: str, message: str) -> BulletinError:
        loc: tuple[str, ...] = ("mail", "smtp", name)
        problem = source.problem(loc, message, publication=True)
        if problem.line is None:  # a field left to its default: point at the section
            problem = replace(
                source.problem(loc[:2], message, publication=True), where=".".join(loc)
            )
        return BulletinError([problem])

    if smtp is None:
        raise BulletinError(
            [
                source.problem(
                    ("mail",),
                    "there is no mail server to send through: add mail.smtp (host, port, "
                    "security, user) to publication.yaml",
                    publication=True,
                )
            ]
        )
    credentials = read_password(smtp, root, fail)
    ca_file = _ca_file(smtp.ca_file, root)
    connection = Connection(smtp, credentials, ca_file=ca_file, fail=fail)
    with SendLog(log_path, report.log) as log:
        if mode == "test":
            assert test_address is not None
            return _send_test(composer, partners, languages, test_address, connection, log, report)
        queue = _plan(partners, editions, log, report, resend=resend)
        _deliver(composer, queue, connection, log, report, progress, stop, settings)
    return report


def mail_folder(out: Path, month: str) -> Path:
    """Return the folder of the send log and dry run of ``month``: ``out/mail/<month>``."""
    return out / MAIL_FOLDER / month


def _mail_settings(source: LoadedIssue) -> Mail:
    if source.publication.mail is None:
        raise BulletinError(
            [
                source.problem(
                    (),
                    "there are no mail settings: add a mail: section (sender, and smtp to send) "
                    "to publication.yaml",
                    publication=True,
                )
            ]
        )
    return source.publication.mail


def _in_group(
    partners: list[Partner], group: str, settings: Mail, source: LoadedIssue
) -> list[Partner]:
    if group not in settings.groups:
        known = ", ".join(settings.groups) or "none declared"
        raise BulletinError(
            [
                source.problem(
                    ("mail", "groups"),
                    f"there is no group '{group}' (groups: {known}): check --group",
                    publication=True,
                )
            ]
        )
    chosen = [partner for partner in partners if group in partner.groups]
    if not chosen:
        raise BulletinError.single(
            "bulletin", f"no partner is in the group '{group}': nothing to send"
        )
    return chosen


def _load_editions(
    source: LoadedIssue, out: Path, settings: Mail, languages: Sequence[str]
) -> dict[str, MailEdition]:
    main = source.publication.language
    month = source.issue.month
    if "email" not in source.publication.editions.names():
        raise BulletinError(
            [
                source.problem(
                    ("editions",),
                    "there is no email edition to send: add 'email:' under editions",
                    publication=True,
                )
            ]
        )
    editions: dict[str, MailEdition] = {}
    missing = []
    for language in languages:
        loaded = source if language == main else load_issue(source.root, month, language=language)
        suffix = "" if language == main else f"-{language}"
        pdf = out / month / f"{source.publication.slug}-{month}{suffix}.pdf"
        if not pdf.is_file():
            missing.append(pdf)
            continue
        editions[language] = load_edition(loaded, pdf, settings, main=language == main)
    if missing:
        raise BulletinError(
            Problem(
                _display(source.root, pdf),
                None,
                None,
                "",
                f"the email edition is not built: build the issue first (make issue "
                f"MONTH={month}; make send does it)",
            )
            for pdf in missing
        )
    return editions


def _ca_file(value: str | None, root: Path) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / "issues" / path


def _dry_run(
    composer: Composer,
    partners: list[Partner],
    folder: Path,
    log_path: Path,
    report: SendReport,
) -> SendReport:
    from bulletin.output import write_output

    target = folder / DRY_RUN_FOLDER
    messages = [(partner, composer.compose(partner).as_bytes()) for partner in partners]
    reached = {
        entry.key: entry for entry in read_log(log_path, report.log) if entry.status == "sent"
    }
    # Replace the earlier dry run's files, so that the folder holds this one's only.
    if target.is_dir():
        for old in target.glob("*.eml"):
            old.unlink()
    for number, (partner, data) in enumerate(messages, start=1):
        write_output(target / f"{number:03d}-{partner.language}-{partner.email}.eml", data)
        if partner.key in reached:
            report.already.append(reached[partner.key])
        else:
            report.sent.append(partner)
    report.written = target
    return report


def _send_test(
    composer: Composer,
    partners: list[Partner],
    languages: Sequence[str],
    address: str,
    connection: Connection,
    log: SendLog,
    report: SendReport,
) -> SendReport:
    from email_validator import EmailNotValidError, validate_email

    try:
        address = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise BulletinError.single(
            "--test", f"'{address}' is not a valid address: {error}"
        ) from None
    try:
        for language in languages:
            sample = next((p for p in partners if p.language == language), None)
            stand_in = sample or Partner(address, address, "", language, (), "attachment", 0)
            message = composer.compose(stand_in, to=address, test=True)
            try:
                reply = connection.deliver(message, composer.settings.sender, address)
            except Refused as refused:
                raise BulletinError.single(
                    "bulletin", f"the server did not take the test message: {refused.reply}"
                ) from None
            edition = composer.editions[language]
            log.append(_entry("test", address, stand_in, edition, message, reply))
            report.tests.append((language, address))
    finally:
        connection.close()
    return report


def _plan(
    partners: list[Partner],
    editions: dict[str, MailEdition],
    log: SendLog,
    report: SendReport,
    *,
    resend: bool,
) -> list[tuple[Partner, bool]]:
    """Return the partners to send to, each with whether it is their first message."""
    reached = log.reached()
    queue = []
    for partner in partners:
        entry = reached.get(partner.key)
        if entry is None:
            queue.append((partner, True))
        elif entry.digest != editions[partner.language].digest:
            if resend:
                queue.append((partner, False))
            else:
                report.outdated.append((partner, entry))
        else:
            report.already.append(entry)
    return queue


def _deliver(
    composer: Composer,
    queue: list[tuple[Partner, bool]],
    connection: Connection,
    log: SendLog,
    report: SendReport,
    progress: ProgressCallback | None,
    stop: threading.Event,
    settings: Mail,
) -> None:
    smtp = settings.smtp
    assert smtp is not None
    interval = 60.0 / smtp.rate_per_minute
    last = -interval
    total = len(queue)

    def tell(waiting: str = "") -> None:
        if progress is not None:
            done = len(report.sent) + len(report.failed) + len(deferred)
            progress(Progress(len(report.sent), len(report.failed), total - done, total, waiting))

    deferred: list[Partner] = []
    index = 0
    attempts = 0
    if queue:
        # A wrong password or an untrusted certificate stops here, before any message.
        with contextlib.suppress(Refused):  # away for now: the loop tries again
            connection.connect()
    try:
        while index < len(queue):
            if stop.is_set():
                report.stopped = "interrupted"
                break
            partner, first = queue[index]
            edition = composer.editions[partner.language]
            wait = last + interval - time.monotonic()
            if wait > 0 and stop.wait(wait):
                continue
            message = composer.compose(partner, first=first)
            last = time.monotonic()
            try:
                reply = connection.deliver(message, settings.sender, partner.email)
            except BulletinError as error:
                # A wrong password or certificate: every message would fail alike.
                report.stopped = "; ".join(str(problem) for problem in error.problems)
                break
            except Refused as refused:
                if refused.permanent and not refused.whole_connection:
                    report.failed.append(Failure(partner, refused.reply, True))
                    log.append(
                        _entry("failed", partner.email, partner, edition, message, refused.reply)
                    )
                    index += 1
                    tell()
                    continue
                if refused.permanent:
                    report.stopped = f"the server refused to send at all: {refused.reply}"
                    break
                if not refused.whole_connection:
                    # One mailbox busy or full for now: the others go on; a rerun tries it.
                    deferred.append(partner)
                    log.append(
                        _entry("deferred", partner.email, partner, edition, message, refused.reply)
                    )
                    index += 1
                    tell()
                    continue
                attempts += 1
                if attempts > smtp.retries:
                    tries = f"{attempts} tr{'y' if attempts == 1 else 'ies'}"
                    report.stopped = (
                        f"the server did not take a message in {tries}: {refused.reply}"
                    )
                    break
                connection.close()
                tell(f"{refused.reply}; trying again in {smtp.retry_wait_seconds:g} s")
                if stop.wait(smtp.retry_wait_seconds):
                    report.stopped = "interrupted"
                    break
                continue
            attempts = 0
            log.append(_entry("sent", partner.email, partner, edition, message, reply))
            report.sent.append(partner)
            index += 1
            tell()
    finally:
        connection.close()
    report.left = deferred + [partner for partner, _ in queue[index:]]


def _entry(
    status: Literal["sent", "failed", "deferred", "test"],
    address: str,
    partner: Partner,
    edition: MailEdition,
    message: EmailMessage,
    reply: Reply,
) -> Entry:
    return Entry(
        now(),
        status,
        address,
        partner.language,
        partner.delivery,
        edition.pdf.name,
        edition.digest,
        str(message["Message-ID"]),
        str(reply),
    )


def _display(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
