"""The partner list is personal data: it stays in the list and in ``out/``, nowhere else."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.site.build import build_site
from mail.localsmtp import LocalController
from mail.mailtest import (
    ARCHIVE,
    SAMPLE,
    SAMPLE_MONTH,
    Recorder,
    Server,
    assert_each_got_one,
    configure_mail,
    plain_smtp,
    ready,
)


def files_outside_out(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] != "out"
    }


def test_a_send_writes_nothing_outside_out_and_prints_no_address_but_failures(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    before = files_outside_out(project)
    smtp_server.recorder.reject["timur.aliev@example.com"] = "550 5.1.1 User unknown"
    # Not a terminal: one line per message, as a CI log would keep it.
    result = CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(project)])
    assert result.exit_code == 1
    assert files_outside_out(project) == before
    progress = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(progress) == len(SAMPLE)
    names = [part for address, name, *_ in SAMPLE for part in (address, name)]
    assert not any(name in line for line in progress for name in names)
    # The one address the officer must correct is named, with its line in the list.
    assert (
        "sample.csv:6: email: timur.aliev@example.com: the server refused the message: "
        "550 5.1.1 User unknown"
    ) in result.output


def test_the_archive_site_and_the_pdfs_hold_no_partner(
    mail_project: Path, smtp_server: Server, tmp_path: Path
) -> None:
    project = ready(mail_project, smtp_server)
    assert CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(project)]).exit_code == 0
    site = build_site(project, tmp_path / "out")
    written = [p for p in site.index.parent.rglob("*") if p.is_file()]
    written += list((project / "out" / SAMPLE_MONTH).glob("*.pdf"))
    assert written
    for path in written:
        data = path.read_bytes()
        for address, name, *_ in SAMPLE:
            assert address.encode() not in data and name.encode() not in data, path
    assert_each_got_one(project, smtp_server.recorder.messages)


def test_a_language_without_mail_templates_sends_nothing(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    shutil.rmtree(project / "layouts/standard/mail/ru")
    result = CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(project)])
    assert result.exit_code == 1
    assert result.output == (
        "layouts/standard/mail: the mail templates layouts/standard/mail/ru/subject.txt.j2, "
        "layouts/standard/mail/ru/body.txt.j2, layouts/standard/mail/ru/body.html.j2 are "
        "missing: copy those of another language and translate them\n"
    )
    assert smtp_server.recorder.messages == []


INTERNATIONAL = (
    "name,email,language\nАня Смирнова,аня@почта.рф,ru\nJosé Núñez,jose@exämple.org,en\n"
)


def _international(project: Path, port: int) -> None:
    (project / "international.csv").write_text(INTERNATIONAL)
    configure_mail(project, plain_smtp(port), partners="international.csv", archive_url=ARCHIVE)


def test_international_addresses_go_by_smtputf8(mail_project: Path, smtp_server: Server) -> None:
    _international(mail_project, smtp_server.port)
    result = CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(mail_project)])
    assert result.exit_code == 0, result.output
    cyrillic, accented = smtp_server.recorder.messages
    assert cyrillic.rcpt_tos == ["аня@почта.рф"]
    assert cyrillic.message["To"] == "Аня Смирнова <аня@почта.рф>"
    # The domain alone is international: sent in its ASCII form, which every server takes.
    assert accented.rcpt_tos == ["jose@xn--exmple-cua.org"]


def test_an_international_mailbox_needs_a_server_that_takes_it(
    mail_project: Path, recorder: Recorder
) -> None:
    controller = LocalController(recorder, enable_SMTPUTF8=False)
    controller.start()
    try:
        _international(mail_project, controller.port)
        result = CliRunner().invoke(app, ["send", SAMPLE_MONTH, "--root", str(mail_project)])
    finally:
        controller.stop()
    assert result.exit_code == 1
    [got] = recorder.messages
    assert got.rcpt_tos == ["jose@xn--exmple-cua.org"]
    assert (
        "international.csv:2: email: аня@почта.рф: the server refused the message: the server "
        "does not take international addresses (SMTPUTF8)"
    ) in result.output
