"""A layout template the user broke is told as one problem at its line; nothing is written."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BulletinError, Problem
from bulletin.templates import rendered

STORY = "layouts/standard/story.html.j2"
PDF = "out/2021-05/iom-central-asia-bulletin-2021-05.pdf"
PREVIOUS = b"%PDF-1.7 the last good build, to be kept byte for byte\n%%EOF\n"
TO_DO = "correct the template (its opening comment lists what it is given), or undo the edit"


def _break(project: Path, line: str) -> int:
    """Put ``line`` into the story template after its opening comment; return its line number."""
    template = project / STORY
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    after_comment = next(n for n, text in enumerate(lines) if "#}" in text) + 1
    lines.insert(after_comment, line + "\n")
    template.write_text("".join(lines), encoding="utf-8")
    return after_comment + 1


@pytest.mark.parametrize(
    ("line", "fault"),
    [
        (
            "{% if %}",
            "the template is not valid Jinja (Expected an expression, got 'end of "
            "statement block')",
        ),
        (
            "{{ no_such_name }}",
            "the template uses a name it is not given ('no_such_name' is undefined)",
        ),
        (
            "{{ block.no_such_field.title }}",
            "the template uses a name it is not given ('dict "
            "object' has no attribute 'no_such_field')",
        ),
        (
            '{% include "missing.html.j2" %}',
            "the template includes 'missing.html.j2', which is not beside it",
        ),
        ("{{ 1 / 0 }}", "the template cannot be filled (ZeroDivisionError: division by zero)"),
    ],
    ids=["syntax", "undefined", "undefined-field", "missing-include", "arithmetic"],
)
def test_a_broken_template_stops_the_build_at_its_line(
    project: Path, line: str, fault: str
) -> None:
    number = _break(project, line)
    pdf = project / PDF
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(PREVIOUS)

    result = CliRunner().invoke(
        app, ["build", "2021-05", "--edition", "email", "--root", str(project)]
    )

    assert (result.exit_code, result.stderr) == (1, f"{STORY}:{number}: {fault}: {TO_DO}\n")
    assert pdf.read_bytes() == PREVIOUS
    assert sorted(path.name for path in pdf.parent.iterdir()) == [pdf.name]


def test_check_reports_a_broken_template_as_its_finding(project: Path) -> None:
    number = _break(project, "{{ no_such_name }}")
    result = CliRunner().invoke(app, ["check", "2021-05", "--root", str(project)])
    assert result.exit_code == 1
    assert (
        f"  {STORY}:{number}: error: the template uses a name it is not given ('no_such_name' "
        f"is undefined): {TO_DO}\n"
    ) in result.stdout


def _environment(folder: Path, **templates: str) -> jinja2.Environment:
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined
    )


def test_the_innermost_template_at_fault_is_named(tmp_path: Path) -> None:
    environment = _environment(
        tmp_path,
        **{
            "page.html.j2": "<p>\n{% include 'part.html.j2' %}\n",
            "part.html.j2": "a\nb {{ x.y }}\n",
        },
    )
    with pytest.raises(BulletinError) as raised:
        rendered(
            tmp_path,
            tmp_path / "page.html.j2",
            lambda: environment.get_template("page.html.j2").render(x={}),
        )
    assert raised.value.problems == (
        Problem(
            "part.html.j2",
            2,
            None,
            "",
            f"the template uses a name it is not given ('dict object' has no attribute 'y'): "
            f"{TO_DO}",
        ),
    )


def test_a_template_not_there_at_all_is_left_to_its_caller(tmp_path: Path) -> None:
    environment = _environment(tmp_path)
    with pytest.raises(jinja2.TemplateNotFound):
        rendered(
            tmp_path, tmp_path / "page.html.j2", lambda: environment.get_template("page.html.j2")
        )


def test_a_fault_outside_the_templates_keeps_its_traceback(tmp_path: Path) -> None:
    def broken() -> str:
        raise RuntimeError("a bug in bulletin")

    environment = _environment(tmp_path, **{"page.html.j2": "{{ broken() }}\n"})
    with pytest.raises(RuntimeError, match="a bug in bulletin"):
        rendered(
            tmp_path,
            tmp_path / "page.html.j2",
            lambda: environment.get_template("page.html.j2").render(broken=broken),
        )
