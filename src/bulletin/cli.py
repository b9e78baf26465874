"""The ``bulletin`` command: parse arguments, call the build, print the outcome."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bulletin.errors import BulletinError, display_path

if TYPE_CHECKING:
    from bulletin.mail.send import Progress as SendProgress
    from bulletin.mail.send import SendReport
    from bulletin.site.build import Progress
    from bulletin.watch import Rebuild

app = typer.Typer(
    help="Typeset an organisation's monthly bulletin from issues/YYYY-MM/issue.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RootOption = Annotated[
    Path,
    typer.Option(
        "--root",
        help="Folder holding issues/, layouts/ and fonts/.",
        file_okay=False,
        resolve_path=True,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Output folder (default: <root>/out).", file_okay=False),
]
LanguageOption = Annotated[
    str | None,
    typer.Option("--language", help="Build only this language (default: every one)."),
]
MonthArgument = Annotated[str, typer.Argument(help="The issue's month, YYYY-MM.")]
EditionOption = Annotated[
    str | None,
    typer.Option(
        "--edition",
        help="Build only this edition: email, print or archive (default: every edition "
        "in publication.yaml).",
    ),
]


@app.callback()
def _main() -> None:
    """Typeset an organisation's monthly bulletin from issues/YYYY-MM/issue.yaml."""
    from bulletin.engine.version import require_engine

    # Below the command, the code logs and never prints: warnings go to stderr.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        require_engine()
    except BulletinError as error:
        raise _fail(error) from None


def _fail(
    error: BulletinError, *, outcome: str = "nothing was written", hint: str = ""
) -> typer.Exit:
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    if hint:
        typer.echo(hint, err=True)
    elif count > 1:
        typer.echo(f"{count} problems; {outcome}.", err=True)
    return typer.Exit(1)


def _force_hint(count: int) -> str:
    errors = "1 error" if count == 1 else f"{count} errors"
    return (
        f"{errors} would show in the PDF; nothing was written: fix "
        f"{'it' if count == 1 else 'them'}, or build anyway with --force."
    )


@app.command()
def build(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    language: LanguageOption = None,
    edition: EditionOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Build even when the checks find errors that would show in print."
        ),
    ] = False,
) -> None:
    """Build the bulletin PDFs of MONTH into OUT/MONTH/: each edition, in every language.

    The checks of `check --quick` run first and each photo's resolution once
    it is placed: what they find is printed, and an error that would show in
    an edition being built stops the build, unless --force.
    """
    from bulletin.build import build_issue
    from bulletin.errors import CheckError
    from bulletin.preflight.report import Finding

    notices: list[Finding] = []
    try:
        results = build_issue(
            root,
            month,
            (out or root / "out").resolve(),
            language=language,
            edition=edition,
            force=force,
            notices=notices,
        )
    except CheckError as error:
        for notice in notices:
            typer.echo(str(notice), err=True)
        raise _fail(error, hint=_force_hint(len(error.problems))) from None
    except BulletinError as error:
        raise _fail(error) from None
    for notice in notices:
        typer.echo(str(notice), err=True)
    for result in results:
        typer.echo(f"{result.path} ({result.page_count} pages, {result.size / 1e6:.2f} MB)")


@app.command()
def watch(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    language: LanguageOption = None,
    edition: Annotated[
        str,
        typer.Option(
            "--edition", help="The edition to build: email (the default), print, archive, or all."
        ),
    ] = "email",
) -> None:
    """Build MONTH, then build it again on every change to the issue, its layout or its fonts.

    One process stays warm, so a text edit is in the PDF a few seconds later.
    A mistake is reported and the last good PDF kept; watching goes on until Ctrl-C.
    """
    from bulletin.watch import Watcher, watch_issue

    watcher = Watcher(
        root,
        month,
        (out or root / "out").resolve(),
        edition=None if edition == "all" else edition,
        language=language,
    )
    typer.echo(f"watching issues/{month}, issues/, layouts/ and fonts/ (Ctrl-C to stop)")
    # Ctrl-C is how watching ends, not a failure: it stops watching once the
    # build under way (if any) is written, so that no PDF is left half done.
    # A second Ctrl-C interrupts at once.
    with _first_interrupt() as stop, contextlib.suppress(KeyboardInterrupt):
        watch_issue(watcher, _report_rebuild, stop=stop)


@contextlib.contextmanager
def _first_interrupt() -> Iterator[threading.Event]:
    """Yield an event that the first Ctrl-C sets; a second one interrupts at once."""
    stop = threading.Event()

    def interrupted(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _report_rebuild(rebuild: Rebuild) -> None:
    # An editor may save through a temporary file, gone by now: name what is left.
    names = [path.name for path in rebuild.changed if path.exists()] or [
        path.name for path in rebuild.changed
    ]
    changed = ", ".join(names)
    cause = f" after a change to {changed}" if changed else ""
    if rebuild.problems:
        for problem in rebuild.problems:
            typer.echo(str(problem), err=True)
        typer.echo(
            f"not built{cause} ({rebuild.seconds:.1f} s): the last good PDF is kept", err=True
        )
        return
    typer.echo(f"built in {rebuild.seconds:.1f} s{cause}:")
    for result in rebuild.results:
        typer.echo(f"  {result.path} ({result.page_count} pages, {result.size / 1e6:.2f} MB)")


@app.command()
def check(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    quick: Annotated[
        bool,
        typer.Option("--quick", help="Validate the manifests and photos only; lay nothing out."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the findings as a JSON list, for machines.")
    ] = False,
) -> None:
    """Preflight the issue of MONTH: validate it, lay it out, and report what would print wrong.

    Exits 0 when the issue may go to print, 1 when there are errors (or, with
    --strict, warnings).
    """
    from bulletin.manifest.load import issue_languages
    from bulletin.preflight.formatting import format_report
    from bulletin.preflight.inspect import inspect_issue
    from bulletin.preflight.report import Depth

    depth: Depth = "validation" if quick else "layout"
    reports = [inspect_issue(root, month, depth=depth)]
    if reports[0].stories:
        reports += [
            inspect_issue(root, month, depth=depth, language=language)
            for language in issue_languages(root, month)
        ]
    if as_json:
        findings = [f.as_dict() for report in reports for f in report.findings]
        typer.echo(json.dumps(findings, indent=2, ensure_ascii=False))
    else:
        typer.echo("\n\n".join(format_report(report) for report in reports))
    if not all(report.passed(strict=strict) for report in reports):
        raise typer.Exit(1)


@app.command()
def new(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    number: Annotated[
        int | None,
        typer.Option("--number", help="The issue number (default: the latest issue's, plus one)."),
    ] = None,
) -> None:
    """Start the issue of MONTH: issues/MONTH/ with its manifest, photos/ and translations.

    The number follows the latest issue's, each translation the latest issue had
    gets a skeleton, and nothing that exists is overwritten.
    """
    from bulletin.authoring.new import create_issue, language_name

    try:
        made = create_issue(root, month, number=number)
    except BulletinError as error:
        raise _fail(error) from None
    folder = display_path(root, made.folder)
    after = f", after {made.previous}" if made.previous else ""
    numbered = f"issue {made.number}" if made.number is not None else "an issue without a number"
    typer.echo(f"Started {folder}/: {numbered}{after}.")
    typer.echo(f"  {folder}/issue.yaml: the stories, with an example of each kind to uncomment")
    for language, path in zip(made.languages, made.files[1:], strict=True):
        typer.echo(f"  {display_path(root, path)}: the {language_name(language)} text, to fill in")
    typer.echo(f"  {folder}/photos/: the photos")
    for note in made.notes:
        typer.echo(f"Note: {note}.")
    typer.echo(
        f"Next: bulletin import {month} story.docx for each story from Word, "
        f"then bulletin check {month}."
    )


@app.command("import")
def import_(
    month: MonthArgument,
    document: Annotated[
        Path,
        typer.Argument(help="The Word document (.docx), from Word, LibreOffice or Google Docs."),
    ],
    *,
    root: RootOption = Path("."),
) -> None:
    """Add the story of a Word document (.docx) to the end of MONTH's stories.

    Title, kicker, standfirst, body (paragraphs, emphasis, lists, links, subheadings)
    and embedded photos with their alt text come from the document; the manifest's
    comments and layout are kept. What the document cannot say is listed to fill in.
    """
    from bulletin.authoring.importer import import_story
    from bulletin.authoring.new import language_name

    try:
        story = import_story(root, month, document)
    except BulletinError as error:
        raise _fail(error) from None
    manifest = display_path(root, story.manifest)
    title = f"“{story.title}”" if story.title else "a story without a title"
    typer.echo(
        f"Imported {title} from {document.name} as story {story.index + 1} "
        f"({story.story_id}), {manifest}:{story.line}."
    )
    for photo in story.photos:
        alt = "with its alt text" if photo.alt else "no alt text in the document"
        typer.echo(f"  {display_path(root, photo.path)}: {photo.width} × {photo.height} px, {alt}")
    for note in story.notes:
        typer.echo(f"Note: {note}.")
    if story.to_fill_in:
        typer.echo("To fill in (bulletin check names them too):")
        for problem in story.to_fill_in:
            typer.echo(f"  {problem}")
    if story.published:
        typer.echo(f"Note: {month} is published: {_PUBLISHED}.")
    for language in story.languages:
        typer.echo(
            f"Note: issue.{language}.yaml has no {language_name(language)} text for it yet: "
            f"bulletin translate {month} --language {language}."
        )


@app.command()
def translate(
    month: MonthArgument,
    *,
    language: Annotated[
        str, typer.Option("--language", help="The language to translate into (ru, kk, ky…).")
    ],
    root: RootOption = Path("."),
    check_only: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if a text is not translated or has changed."
        ),
    ] = False,
) -> None:
    """Write or update issues/MONTH/issue.LANG.yaml: every text to translate, the source beside it.

    Translations already written are kept. Texts not translated yet, and texts whose
    source changed since they were translated, are listed with their line.
    """
    from bulletin.authoring.translate import update_translation

    try:
        report = update_translation(root, month, language, write=not check_only)
    except BulletinError as error:
        raise _fail(error) from None
    path = display_path(root, report.path)
    missing = [entry for entry in report.todo if entry.state == "missing"]
    changed = [entry for entry in report.todo if entry.state == "changed"]
    if check_only:
        verb = f"{path}:"
    elif report.changed:
        verb = f"{'Wrote' if report.created else 'Updated'} {path}:"
    else:
        verb = f"{path} is up to date (nothing written):"
    done = report.texts - len(missing)
    if not report.texts:
        typer.echo(f"{verb} issue.yaml has no text to translate yet.")
    elif not report.todo:
        typer.echo(f"{verb} {report.texts} texts, all translated.")
    else:
        parts = [f"{done} translated"]
        if missing:
            parts.append(f"{len(missing)} not translated yet")
        if changed:
            parts.append(f"{len(changed)} changed in the source since translated")
        typer.echo(f"{verb} {report.texts} texts: {', '.join(parts)}.")
    for entry in report.todo:
        what = (
            "not translated yet: write it below the source text"
            if entry.state == "missing"
            else "the source changed since it was translated: update it, then delete the "
            "CHANGED line above it"
        )
        typer.echo(f"  {path}:{entry.line}:{entry.column}: {entry.where}: {what}")
    for where in report.kept_aside:
        what = f"story '{where}'" if "." not in where else where
        typer.echo(
            f"Note: {what} is no longer in issue.yaml: its translation is kept as comments at "
            "the end of the file."
        )
    if report.changed and report.published:
        typer.echo(f"Note: {month} is published: {_PUBLISHED}.")
    if check_only and report.todo:
        raise typer.Exit(1)


_PUBLISHED = (
    "a change to its manifests changes its archive PDF at least, which bulletin archive "
    "replaces only with --republish"
)


@app.command()
def schema(
    *,
    root: RootOption = Path("."),
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder to write into (default: <root>/schema).", file_okay=False
        ),
    ] = None,
) -> None:
    """Write the JSON Schema of issue.yaml and publication.yaml, for editors that check YAML."""
    from bulletin.manifest.schema import write_schemas

    try:
        written = write_schemas(out or root / "schema")
    except BulletinError as error:
        raise _fail(error) from None
    for path in written:
        typer.echo(str(path))


@app.command()
def archive(
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    republish: Annotated[
        bool,
        typer.Option(
            "--republish",
            help="Publish new PDFs of published issues whose inputs changed, keeping each "
            "earlier file as <name>-r1.pdf (r2, …).",
        ),
    ] = False,
    drafts: Annotated[
        bool,
        typer.Option(
            "--drafts",
            help="Build a preview that shows the drafts too, marked as drafts (the public "
            "site shows only issues with published: true).",
        ),
    ] = False,
) -> None:
    """Build every issue (only those whose inputs changed) and the download site in OUT/site/."""
    from bulletin.site.build import build_site

    show = _ProgressBar() if sys.stderr.isatty() else _progress_lines
    try:
        result = build_site(
            root, (out or root / "out").resolve(), republish=republish, drafts=drafts, progress=show
        )
    except BulletinError as error:
        raise _fail(error) from None
    finally:
        if isinstance(show, _ProgressBar):
            show.close()
    for kept in result.republished:
        typer.echo(f"kept the earlier PDF as {kept}")
    total = len(result.built) + len(result.unchanged)
    typer.echo(
        f"{result.index} ({total} issue{'' if total == 1 else 's'}: "
        f"{len(result.built)} built, {len(result.unchanged)} unchanged)"
    )
    if result.preview and result.drafts:
        typer.echo(
            f"a preview with drafts, marked as such: {', '.join(result.drafts)}; "
            "do not publish this folder (bulletin archive without --drafts builds the public site)"
        )
    elif result.drafts:
        typer.echo(
            f"drafts left out: {', '.join(result.drafts)} (not published: true; "
            "--drafts previews them)"
        )


@app.command()
def preview(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    language: LanguageOption = None,
) -> None:
    """Write pictures of MONTH to OUT/MONTH/preview/: every page, a contact sheet, social images.

    Each page as a PNG at 150 ppi, all pages on one contact sheet, and the
    issue's card (page 1 with the lead photo) at 1200 × 630 and 1080 × 1080,
    in every language, from the email edition, which is built first.
    """
    from bulletin.preview.pictures import make_previews

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        pictures = make_previews(root, month, (out or root / "out").resolve(), language=language)
    except BulletinError as error:
        raise _fail(error) from None
    for picture in pictures:
        typer.echo(f"{picture.path} ({picture.kind}, {picture.width} × {picture.height})")


def _progress_lines(progress: Progress) -> None:
    typer.echo(f"[{progress.done}/{progress.total}] {progress.month} {progress.status}", err=True)


class _ProgressBar:
    """A one-line progress bar on a terminal, redrawn as each issue is done."""

    WIDTH = 30

    def __init__(self) -> None:
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        filled = round(self.WIDTH * progress.done / progress.total)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"\r[{bar}] {progress.done}/{progress.total} {progress.month} {progress.status}"
        typer.echo(line.ljust(self.WIDTH + 40), err=True, nl=False)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            typer.echo("", err=True)


@app.command()
def send(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Write each message as an .eml file in OUT/mail/MONTH/dry-run/."
        ),
    ] = False,
    test: Annotated[
        str | None,
        typer.Option(
            "--test", metavar="ADDRESS", help="Send one copy in each language to ADDRESS only."
        ),
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="Send only to the partners of this group.")
    ] = None,
    partners: Annotated[
        Path | None,
        typer.Option(
            "--partners", help="The partner list (default: mail.partners in publication.yaml)."
        ),
    ] = None,
    resend: Annotated[
        bool,
        typer.Option(
            "--resend",
            help="Send the current PDF to partners who got an earlier version of it.",
        ),
    ] = False,
) -> None:
    """Send the email edition of MONTH to the partners: one message each, never twice.

    A rerun after any failure sends only to the partners not reached yet
    (OUT/mail/MONTH/send-log.jsonl says who was).
    """
    from bulletin.mail.send import Mode, send_issue

    if dry_run and test:
        typer.echo("bulletin: --dry-run and --test: choose one", err=True)
        raise typer.Exit(2)
    mode: Mode = "dry-run" if dry_run else "test" if test else "send"
    show = _SendBar() if sys.stderr.isatty() else _send_lines
    # The message under way is finished and logged; a second Ctrl-C stops at once.
    with _first_interrupt() as stop:
        try:
            report = send_issue(
                root,
                month,
                (out or root / "out").resolve(),
                mode=mode,
                test_address=test,
                group=group,
                partners_file=partners.resolve() if partners else None,
                resend=resend,
                progress=show,
                stop=stop,
            )
        except BulletinError as error:
            raise _fail(error, outcome="nothing was sent") from None
        except KeyboardInterrupt:
            # The second Ctrl-C: the message under way may or may not have gone; the log
            # holds every one the server accepted, so a rerun sends the rest.
            typer.echo(
                "\nstopped at once: run the same command again to send to the partners "
                "not reached yet",
                err=True,
            )
            raise typer.Exit(130) from None
        finally:
            if isinstance(show, _SendBar):
                show.close()
    _report_send(report)
    if not report.complete:
        raise typer.Exit(1)


def _report_send(report: SendReport) -> None:
    if report.mode == "dry-run":
        by_language = _count(p.language for p in [*report.sent])
        typer.echo(
            f"wrote {report.selected} message{_s(report.selected)} to {report.written}/ "
            "(open them in a mail client)"
        )
        typer.echo(
            f"a send now would go to {len(report.sent)} partner{_s(len(report.sent))}"
            + (f" ({by_language})" if by_language else "")
            + (f"; {len(report.already)} have it already" if report.already else "")
        )
        return
    if report.mode == "test":
        languages = ", ".join(language for language, _ in report.tests)
        typer.echo(f"sent a test copy in {languages} to {report.tests[0][1]}")
        return
    for failure in report.failed:
        partner = failure.partner
        typer.echo(
            f"{report.partner_list}:{partner.line}: email: {partner.email}: the server refused "
            f"the message: {failure.reply}",
            err=True,
        )
    sent = len(report.sent)
    counts = _count(p.language for p in report.sent)
    typer.echo(
        f"sent {sent} message{_s(sent)}"
        + (f" ({counts})" if counts else "")
        + (
            f"; {len(report.already)} partner{_s(len(report.already))} had it already"
            if report.already
            else ""
        )
    )
    for language, edition in report.editions.items():
        got = [e for e in report.already if e.digest == edition.digest]
        got_now = [p for p in report.sent if p.language == language]
        typer.echo(
            f"  {language}: {edition.pdf.name} version {edition.digest[:12]}: "
            f"{len(got) + len(got_now)} partner{_s(len(got) + len(got_now))}"
        )
    if report.outdated:
        typer.echo(
            f"{len(report.outdated)} partner{_s(len(report.outdated))} got an earlier version "
            "and were not sent the current one (pass --resend to send it to them):"
        )
        for partner, entry in report.outdated:
            current = report.editions[partner.language].digest[:12]
            typer.echo(
                f"  {partner.email} ({partner.language}): version {entry.digest[:12]} on "
                f"{entry.time}, current {current}"
            )
    if report.stopped:
        left = len(report.left)
        typer.echo(
            f"stopped: {report.stopped}. {sent} sent, {left} left: run the same command again "
            f"to send to the {left} left ({report.log} says who has it)",
            err=True,
        )
    elif report.left:
        left = len(report.left)
        typer.echo(
            f"{left} partner{_s(left)} refused for now (4xx): run the same command again later",
            err=True,
        )
    if report.failed:
        typer.echo(
            f"{len(report.failed)} message{_s(len(report.failed))} refused for good: correct "
            f"the address in {report.partner_list}, then run the same command again",
            err=True,
        )


def _count(languages: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for language in languages:
        counts[language] = counts.get(language, 0) + 1
    return ", ".join(f"{language} {count}" for language, count in counts.items())


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _send_lines(progress: SendProgress) -> None:
    # One line per message, without addresses: this output may end up in a log.
    if progress.waiting:
        typer.echo(f"waiting: {progress.waiting}", err=True)
        return
    done = progress.total - progress.left
    typer.echo(
        f"[{done}/{progress.total}] sent {progress.sent}, failed {progress.failed}, "
        f"left {progress.left}",
        err=True,
    )


class _SendBar:
    """A one-line count of a send on a terminal: sent, left, failed."""

    def __init__(self) -> None:
        self.drawn = False

    def __call__(self, progress: SendProgress) -> None:
        line = f"\rsent {progress.sent}, left {progress.left}, failed {progress.failed}"
        if progress.waiting:
            line += f" (waiting: {progress.waiting})"
        typer.echo(line.ljust(60), err=True, nl=False)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            typer.echo("", err=True)
