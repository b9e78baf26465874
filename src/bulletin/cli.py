"""The ``bulletin`` command: parse arguments, call the build, print the outcome."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from bulletin.errors import BulletinError

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


def _fail(error: BulletinError, *, outcome: str = "nothing was written") -> typer.Exit:
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    if count > 1:
        typer.echo(f"{count} problems; {outcome}.", err=True)
    return typer.Exit(1)


@app.command()
def build(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    out: OutOption = None,
) -> None:
    """Build the bulletin PDF of MONTH into OUT/MONTH/."""
    from bulletin.build import build_issue

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        result = build_issue(root, month, (out or root / "out").resolve())
    except BulletinError as error:
        raise _fail(error) from None
    typer.echo(f"{result.path} ({result.page_count} pages, {result.size / 1e6:.2f} MB)")


@app.command()
def check(
    month: MonthArgument,
    *,
    root: RootOption = Path("."),
    quick: Annotated[
        bool,
        typer.Option(
            "--quick",
            help="Check manifests and photos only; never lay out the pages, so answer at once.",
        ),
    ] = False,
) -> None:
    """Check the manifests and photos of MONTH; list every problem, write nothing."""
    # Today every check is quick: manifests and photos. Laying out the pages
    # to inspect them will come to the plain check only, never to --quick.
    del quick
    from bulletin.check import check_issue

    try:
        result = check_issue(root, month)
    except BulletinError as error:
        raise _fail(error, outcome="fix them and check again") from None
    stories = len(result.loaded.issue.stories)
    typer.echo(
        f"{result.loaded.problem((), '').file}: no problems found "
        f"({stories} stories, {len(result.photos)} photos)"
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
    from bulletin.schema import write_schemas

    try:
        written = write_schemas(out or root / "schema")
    except BulletinError as error:
        raise _fail(error) from None
    for path in written:
        typer.echo(str(path))
