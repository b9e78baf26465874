"""``bulletin send`` against a real SMTP server on 127.0.0.1: what each partner receives."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner, Result

from bulletin.cli import app
from bulletin.errors import BulletinError
from bulletin.mail.send import send_issue
from bulletin.output import publish_set
from mail.mailtest import (
    ARCHIVE,
    LOG,
    PARTNERS,
    SAMPLE,
    SAMPLE_MONTH,
    SENDER,
    Server,
    assert_each_got_one,
    configure_mail,
    decoded,
    log_entries,
    ready,
    smtp_settings,
)

PDF_EN = f"out/{SAMPLE_MONTH}/iom-central-asia-bulletin-{SAMPLE_MONTH}.pdf"
PDF_RU = f"out/{SAMPLE_MONTH}/iom-central-asia-bulletin-{SAMPLE_MONTH}-ru.pdf"
SUBJECTS = {
    "en": "IOM Central Asia Bulletin — May 2021",
    "ru": "Бюллетень МОМ по Центральной Азии — май 2021 г.",
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def send(project: Path, **options: object) -> object:
    return send_issue(project, SAMPLE_MONTH, project / "out", **options)  # type: ignore[arg-type]


def body(message: EmailMessage, kind: str) -> str:
    """Return the message's text or HTML, with its line ends as written (MIME sends CRLF)."""
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def attachments(message: EmailMessage) -> list[EmailMessage]:
    return [
        part
        for part in message.iter_attachments()
        if part.get_content_disposition() == "attachment"
    ]


def test_each_partner_gets_one_message_in_their_language(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    result = run("send", SAMPLE_MONTH, "--root", project)
    assert result.exit_code == 0, result.output
    received = smtp_server.recorder.messages
    assert_each_got_one(project, received)
    pdfs = {"en": (project / PDF_EN).read_bytes(), "ru": (project / PDF_RU).read_bytes()}
    for address, name, language, delivery in SAMPLE:
        [got] = smtp_server.recorder.to(address)
        message = got.message
        assert got.mail_from == SENDER
        # One recipient, and no list of the others anywhere in the headers.
        assert (
            decoded(message["To"]) == f'"{name}" <{address}>'
            if "," in name
            else (f"{name} <{address}>")
        )
        assert message["Cc"] is None and message["Bcc"] is None
        assert b"example" not in b"".join(
            value.encode() for key, value in message.items() if key in {"To", "From"}
        ).replace(address.encode(), b"").replace(b"iom-ca.example.org", b"")
        assert decoded(message["Subject"]) == SUBJECTS[language]
        assert message["Content-Language"] == language
        assert message["List-Unsubscribe"] == f"<mailto:{SENDER}?subject=unsubscribe>"
        assert re.fullmatch(r"<2021-05\.[0-9a-f]{20}@iom-ca\.example\.org>", message["Message-ID"])
        text, html = body(message, "plain"), body(message, "html")
        greeting = {"en": f"Dear {name},", "ru": f"Здравствуйте, {name}!"}[language]
        assert text.startswith(greeting + "\n")
        page = ARCHIVE + ("2021/05/index.html" if language == "en" else "2021/05/index.ru.html")
        assert page in text and f'href="{page}"' in html
        # The cover, inline, is the picture the HTML shows.
        [cover] = [p for p in message.walk() if p.get_content_type() == "image/jpeg"]
        assert cover.get_content_disposition() == "inline"
        assert f'src="cid:{cover["Content-ID"].strip("<>")}"' in html
        assert cover.get_content()[:3] == b"\xff\xd8\xff"
        files = attachments(message)
        if delivery == "link":
            assert files == []
            assert f"{ARCHIVE}2021/05/iom-central-asia-bulletin-2021-05.pdf" in text
        else:
            [pdf] = files
            assert pdf.get_content_type() == "application/pdf"
            suffix = "" if language == "en" else "-ru"
            assert pdf.get_filename() == f"iom-central-asia-bulletin-2021-05{suffix}.pdf"
            assert pdf.get_content() == pdfs[language]
    assert "sent 6 messages (ru 3, en 3)\n" in result.output
    for language, pdf in (("en", PDF_EN), ("ru", PDF_RU)):
        digest = hashlib.sha256((project / pdf).read_bytes()).hexdigest()
        assert f"  {language}: {Path(pdf).name} version {digest[:12]}: 3 partners\n" in (
            result.output
        )


def test_the_contents_list_is_in_the_message(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server)
    send(project)
    [got] = smtp_server.recorder.to("maria.garcia@example.org")
    assert (
        "In this issue:\n"
        "  - Sixth Senior Officials Meeting of the Almaty Process in Istanbul (Regional "
        "cooperation)\n"
        "  - Return of a large family from Kazakhstan to Karakalpakstan (Direct assistance)\n"
    ) in body(got.message, "plain")


def test_a_rerun_sends_to_no_one_twice(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server)
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    again = run("send", SAMPLE_MONTH, "--root", project)
    assert again.exit_code == 0, again.output
    assert "sent 0 messages; 6 partners had it already" in again.output
    assert_each_got_one(project, smtp_server.recorder.messages)


def test_the_message_id_is_stable_per_partner_and_issue(
    mail_project: Path, smtp_server: Server, tmp_path: Path
) -> None:
    project = ready(mail_project, smtp_server)
    run("send", SAMPLE_MONTH, "--root", project, "--dry-run")
    first = sorted(p.name for p in (project / "out/mail/2021-05/dry-run").glob("*.eml"))
    ids = {name: _message_id(project / "out/mail/2021-05/dry-run" / name) for name in first}
    run("send", SAMPLE_MONTH, "--root", project, "--dry-run")
    assert {n: _message_id(project / "out/mail/2021-05/dry-run" / n) for n in first} == ids
    assert len(set(ids.values())) == 6
    send(project)
    sent = {m.rcpt_tos[0]: m.message["Message-ID"] for m in smtp_server.recorder.messages}
    assert sorted(sent.values()) == sorted(ids.values())


def _message_id(path: Path) -> str:
    match = re.search(rb"^Message-ID: (\S+)", path.read_bytes(), re.MULTILINE)
    assert match
    return match[1].decode()


def test_dry_run_writes_each_message_and_sends_nothing(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    result = run("send", SAMPLE_MONTH, "--root", project, "--dry-run")
    assert result.exit_code == 0, result.output
    folder = project / "out/mail/2021-05/dry-run"
    assert result.output == (
        f"wrote 6 messages to {folder}/ (open them in a mail client)\n"
        "a send now would go to 6 partners (ru 3, en 3)\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "001-ru-aigerim.bekova@example.org.eml",
        "002-en-John.Smith@example.org.eml",
        "003-ru-olga.ivanova@example.org.eml",
        "004-en-dilnoza@example.net.eml",
        "005-ru-timur.aliev@example.com.eml",
        "006-en-maria.garcia@example.org.eml",
    ]
    assert smtp_server.recorder.messages == []
    assert not (project / LOG).exists()
    # A dry run is allowed before the issue is published.
    issue = project / "issues/2021-05/issue.yaml"
    issue.write_text(issue.read_text().replace("published: true", "published: false"))
    assert run("send", SAMPLE_MONTH, "--root", project, "--dry-run").exit_code == 0


def test_the_yaml_list_sends_alike(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server, partners="sample.yaml")
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    assert_each_got_one(project, smtp_server.recorder.messages)


def test_a_group_gets_it_alone(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server)
    result = run("send", SAMPLE_MONTH, "--root", project, "--group", "donors")
    assert result.exit_code == 0, result.output
    assert sorted(m.rcpt_tos[0] for m in smtp_server.recorder.messages) == [
        "John.Smith@example.org",
        "maria.garcia@example.org",
        "olga.ivanova@example.org",
    ]
    # The rest later: those reached are not sent again.
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    assert_each_got_one(project, smtp_server.recorder.messages)
    unknown = run("send", SAMPLE_MONTH, "--root", project, "--group", "press")
    assert unknown.exit_code == 1
    assert unknown.output == (
        "issues/publication.yaml:32:11: mail.groups: there is no group 'press' (groups: donors, "
        "government): check --group\n"
    )


def test_a_test_send_goes_to_one_address_in_each_language(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    issue = project / "issues/2021-05/issue.yaml"
    issue.write_text(issue.read_text().replace("published: true", "published: false"))
    result = run("send", SAMPLE_MONTH, "--root", project, "--test", "officer@iom-ca.example.org")
    assert result.exit_code == 0, result.output
    assert result.output == "sent a test copy in en, ru to officer@iom-ca.example.org\n"
    received = smtp_server.recorder.messages
    assert [m.rcpt_tos for m in received] == [["officer@iom-ca.example.org"]] * 2
    assert [decoded(m.message["Subject"]) for m in received] == [
        "[test] " + SUBJECTS["en"],
        "[test] " + SUBJECTS["ru"],
    ]
    # The greeting is a real partner's, the address the officer's.
    assert decoded(received[1].message["To"]) == "Aigerim Bekova <officer@iom-ca.example.org>"
    assert [e["status"] for e in log_entries(project)] == ["test", "test"]
    # A test reaches no partner: the send still goes to all, once the issue is published.
    unpublished = run("send", SAMPLE_MONTH, "--root", project)
    assert unpublished.exit_code == 1
    assert unpublished.output == (
        "issues/2021-05/issue.yaml:125:12: published: the 2021-05 issue is not marked as "
        "published: set published: true in issue.yaml once it is final (--dry-run and --test "
        "work before)\n"
    )
    assert len(smtp_server.recorder.messages) == 2
    issue.write_text(issue.read_text().replace("published: false", "published: true"))
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    assert_each_got_one(project, smtp_server.recorder.messages[2:])


@pytest.mark.parametrize(
    ("tls_server", "mechanism"), [("LOGIN", "LOGIN"), ("PLAIN", "PLAIN")], indirect=["tls_server"]
)
def test_starttls_and_login(
    mail_project: Path, tls_server: Server, mechanism: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PARTNERS / "sample.csv", mail_project / "sample.csv")
    configure_mail(
        mail_project,
        smtp_settings(
            tls_server.port, security="starttls", user="officer", ca_file=tls_server.ca_file
        ),
        partners="sample.csv",
        archive_url=ARCHIVE,
        groups="[donors, government]",
    )
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "s3cret pass")
    result = run("send", SAMPLE_MONTH, "--root", mail_project)
    assert result.exit_code == 0, result.output
    assert tls_server.logins == [("officer", "s3cret pass")]
    assert tls_server.mechanisms == [mechanism]
    assert_each_got_one(mail_project, tls_server.recorder.messages)
    pdf = (mail_project / PDF_RU).read_bytes()
    [got] = tls_server.recorder.to("timur.aliev@example.com")
    assert [a.get_content() for a in attachments(got.message)] == [pdf]


def test_a_wrong_password_sends_nothing(
    mail_project: Path, tls_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PARTNERS / "sample.csv", mail_project / "sample.csv")
    configure_mail(
        mail_project,
        smtp_settings(tls_server.port, user="officer", ca_file=tls_server.ca_file),
        partners="sample.csv",
        archive_url=ARCHIVE,
        groups="[donors, government]",
    )
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "guess")
    result = run("send", SAMPLE_MONTH, "--root", mail_project)
    assert result.exit_code == 1
    assert result.output == (
        "issues/publication.yaml:39:11: mail.smtp.user: 127.0.0.1 refused the login of officer: "
        "5.7.8 Authentication credentials invalid (535): check the user and the password\n"
    )
    assert tls_server.recorder.messages == []


def test_an_untrusted_certificate_stops_before_any_message(
    mail_project: Path, tls_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PARTNERS / "sample.csv", mail_project / "sample.csv")
    configure_mail(
        mail_project,
        smtp_settings(tls_server.port, user="officer"),
        partners="sample.csv",
        archive_url=ARCHIVE,
        groups="[donors, government]",
    )
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "s3cret pass")
    result = run("send", SAMPLE_MONTH, "--root", mail_project)
    assert result.exit_code == 1
    assert result.output == (
        "issues/publication.yaml:34:11: mail.smtp.host: the certificate of 127.0.0.1 cannot be "
        "trusted (unable to get local issuer certificate): check the host name, or give the "
        "certificates to trust in ca_file\n"
    )
    assert tls_server.logins == [] and tls_server.recorder.messages == []


def test_the_password_comes_from_a_file_outside_the_project(
    mail_project: Path, tls_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BULLETIN_SMTP_PASSWORD", raising=False)
    secret = tmp_path / "secret" / "smtp-password"
    secret.parent.mkdir()
    secret.write_text("s3cret pass\n")
    inside = mail_project / "issues" / "smtp-password"
    inside.write_text("s3cret pass\n")
    shutil.copy(PARTNERS / "sample.csv", mail_project / "sample.csv")
    publication = (mail_project / "issues/publication.yaml").read_text()
    for path, works in ((inside, False), (secret, True)):
        (mail_project / "issues/publication.yaml").write_text(publication)
        configure_mail(
            mail_project,
            smtp_settings(
                tls_server.port, user="officer", password_file=path, ca_file=tls_server.ca_file
            ),
            partners="sample.csv",
            archive_url=ARCHIVE,
            groups="[donors, government]",
        )
        result = run("send", SAMPLE_MONTH, "--root", mail_project)
        if works:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code == 1
            assert result.output == (
                "issues/publication.yaml:40:20: mail.smtp.password_file: "
                f"'{inside}' lies inside the project, where it would be committed with it: "
                "move the password file out (~/.config/bulletin/smtp-password)\n"
            )
            assert tls_server.recorder.messages == []
    assert tls_server.logins == [("officer", "s3cret pass")]
    assert_each_got_one(mail_project, tls_server.recorder.messages)


def test_no_password_over_an_unencrypted_connection(mail_project: Path) -> None:
    configure_mail(mail_project, "host: smtp.example.org\nsecurity: none\nuser: officer")
    result = run("send", SAMPLE_MONTH, "--root", mail_project, "--dry-run")
    assert result.exit_code == 1
    assert result.output == (
        "issues/publication.yaml:31:5: mail.smtp: security: none would send the password "
        "unencrypted: use starttls or tls, or remove the login for a relay that needs none\n"
    )


def test_a_refused_address_is_reported_and_the_rest_go_on(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    words = "550 5.1.1 <olga.ivanova@example.org>: Recipient address rejected: User unknown"
    smtp_server.recorder.reject["olga.ivanova@example.org"] = words
    result = run("send", SAMPLE_MONTH, "--root", project)
    assert result.exit_code == 1
    assert (
        f"sample.csv:4: email: olga.ivanova@example.org: the server refused the message: {words}\n"
    ) in result.output
    assert sorted(m.rcpt_tos[0] for m in smtp_server.recorder.messages) == sorted(
        a for a, *_ in SAMPLE if a != "olga.ivanova@example.org"
    )
    [failed] = [e for e in log_entries(project) if e["status"] == "failed"]
    assert (failed["email"], failed["reply"]) == ("olga.ivanova@example.org", words)
    # The address corrected at the server's end: the rerun sends to her alone.
    smtp_server.recorder.reject.clear()
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    assert_each_got_one(project, smtp_server.recorder.messages)


def _rebuild(pdf: Path) -> None:
    """Publish a changed PDF as a build after an edit does: a new set of the issue's files.

    The new set replaces the folder ``out/2021-05`` points to, whole (see ``output``); the
    send log, kept apart from it, must outlive it.
    """
    with pikepdf.open(pdf) as document:
        document.docinfo["/Subject"] = "corrected"
        changed = io.BytesIO()
        document.save(changed)
    publish_set(pdf.parent.parent, pdf.parent.name, {pdf.name: changed.getvalue()})


def test_a_rebuilt_pdf_is_not_sent_again_unless_asked(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    assert run("send", SAMPLE_MONTH, "--root", project).exit_code == 0
    old = json.loads((project / LOG).read_text().splitlines()[0])["digest"]
    _rebuild(project / PDF_RU)
    again = run("send", SAMPLE_MONTH, "--root", project)
    assert again.exit_code == 0, again.output
    assert len(smtp_server.recorder.messages) == 6
    new = send(project, mode="dry-run").editions["ru"].digest  # type: ignore[attr-defined]
    assert new != old
    assert (
        "3 partners got an earlier version and were not sent the current one (pass --resend "
        "to send it to them):\n"
        f"  aigerim.bekova@example.org (ru): version {old[:12]} on "
    ) in again.output
    resent = run("send", SAMPLE_MONTH, "--root", project, "--resend")
    assert resent.exit_code == 0, resent.output
    assert "sent 3 messages (ru 3); 3 partners had it already" in resent.output
    later = smtp_server.recorder.messages[6:]
    assert sorted(m.rcpt_tos[0] for m in later) == sorted(
        a for a, _, language, _ in SAMPLE if language == "ru"
    )
    pdf = (project / PDF_RU).read_bytes()
    for message in later:
        [attachment] = attachments(message.message)
        assert attachment.get_content() == pdf
        first = next(m for m in smtp_server.recorder.messages[:6] if m.rcpt_tos == message.rcpt_tos)
        # A new version has a Message-ID of its own, so that no mail client hides it.
        assert message.message["Message-ID"] != first.message["Message-ID"]
    # Who got which version: the log says it per message.
    versions = {(e["email"], e["digest"]) for e in log_entries(project)}
    assert ("aigerim.bekova@example.org", old) in versions
    assert ("aigerim.bekova@example.org", new) in versions
    assert run("send", SAMPLE_MONTH, "--root", project, "--resend").exit_code == 0
    assert len(smtp_server.recorder.messages) == 9


def test_no_email_edition_built_sends_nothing(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server)
    (project / PDF_RU).unlink()
    result = run("send", SAMPLE_MONTH, "--root", project)
    assert result.exit_code == 1
    assert result.output == (
        f"{PDF_RU}: the email edition is not built: build the issue first (make issue "
        "MONTH=2021-05; make send does it)\n"
    )
    assert smtp_server.recorder.messages == []


def test_two_sends_at_once_are_refused(mail_project: Path, smtp_server: Server) -> None:
    from bulletin.mail.sendlog import SendLog

    project = ready(mail_project, smtp_server)
    with SendLog(project / LOG, LOG), pytest.raises(BulletinError) as raised:
        send(project)
    assert str(raised.value) == (
        f"{LOG}: another 'bulletin send' of this issue is running (it holds this log): wait "
        "for it to end"
    )
    assert smtp_server.recorder.messages == []


def test_no_starttls_on_offer_stops_before_the_login(
    mail_project: Path, smtp_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PARTNERS / "sample.csv", mail_project / "sample.csv")
    configure_mail(
        mail_project,
        smtp_settings(smtp_server.port, security="starttls", user="officer"),
        partners="sample.csv",
        archive_url=ARCHIVE,
        groups="[donors, government]",
    )
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "s3cret pass")
    result = run("send", SAMPLE_MONTH, "--root", mail_project)
    assert result.exit_code == 1
    assert result.output == (
        f"issues/publication.yaml:39:15: mail.smtp.security: 127.0.0.1:{smtp_server.port} does not "
        "offer STARTTLS, so the connection would stay unencrypted: check the port (587 for "
        "starttls, 465 for tls)\n"
    )
    assert smtp_server.recorder.messages == []


def test_a_sender_refused_stops_the_send(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server)
    smtp_server.recorder.refuse_sender = "553 5.7.1 Sender address rejected: not owned by user"
    result = run("send", SAMPLE_MONTH, "--root", project)
    assert result.exit_code == 1
    assert result.output.endswith(
        "stopped: the server refused to send at all: 553 5.7.1 Sender address rejected: not "
        "owned by user. 0 sent, 6 left: run the same command again to send to the 6 left "
        f"({LOG} says who has it)\n"
    )
    assert log_entries(project) == []
