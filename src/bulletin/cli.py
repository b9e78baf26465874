"""The ``bulletin`` command: parse arguments, call the build, print the outcome."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bulletin.errors import BulletinError

if TYPE_CHECKING:
    from bulletin.archive import Progress

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
MonthArgument = Annotated[str, typer.Argument(help="The issue's month, YYYY-MM.")]


@app.callback()
def _main() -> None:
    """Typeset an organisation's monthly bulletin from issues/YYYY-MM/issue.yaml."""


def _fail(error: BulletinError) -> typer.Exit:
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    if count > 1:
        typer.echo(f"{count} problems; nothing was written.", err=True)
    return typer.Exit(1)


@app.command()
def build(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Build only this language (default: every one)."),
    ] = None,
) -> None:
    """Build the bulletin PDF of MONTH into OUT/MONTH/, in every language it has."""
    from bulletin.build import build_issue

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        results = build_issue(root, month, (out or root / "out").resolve(), language=language)
    except BulletinError as error:
        raise _fail(error) from None
    for result in results:
        typer.echo(f"{result.path} ({result.page_count} pages, {result.size / 1e6:.2f} MB)")


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
) -> None:
    """Build every issue (only those whose inputs changed) and the download site in OUT/site/."""
    from bulletin.archive import build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    show = _ProgressBar() if sys.stderr.isatty() else _progress_lines
    try:
        result = build_site(
            root, (out or root / "out").resolve(), republish=republish, progress=show
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
