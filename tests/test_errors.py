"""A problem reads file:line:col: where: message; an error holds them all, one a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.errors import BulletinError, ManifestError, Problem, display_path


@pytest.mark.parametrize(
    ("problem", "shown"),
    [
        (
            Problem("issues/2021-05/issue.yaml", 3, 9, "number", "must be at least 1"),
            "issues/2021-05/issue.yaml:3:9: number: must be at least 1",
        ),
        (
            Problem("issues/2021-05/issue.yaml", 3, None, "number", "must be at least 1"),
            "issues/2021-05/issue.yaml:3: number: must be at least 1",
        ),
        (
            Problem("layouts/standard/issue.html.j2", None, None, "", "the layout lacks <main>"),
            "layouts/standard/issue.html.j2: the layout lacks <main>",
        ),
        # A column without its line would point nowhere: it is left out.
        (Problem("a.yaml", None, 4, "title", "is empty"), "a.yaml: title: is empty"),
    ],
)
def test_a_problem_reads_as_file_line_column_where_message(problem: Problem, shown: str) -> None:
    assert str(problem) == shown


def test_an_error_holds_every_problem_one_a_line() -> None:
    first = Problem("a.yaml", 1, 2, "title", "is empty")
    second = Problem("b.yaml", None, None, "", "cannot read the file")
    error = ManifestError([first, second])
    assert error.problems == (first, second)
    assert str(error) == "a.yaml:1:2: title: is empty\nb.yaml: cannot read the file"
    assert isinstance(error, BulletinError)


def test_a_single_problem_keeps_its_class_and_place() -> None:
    error = ManifestError.single("a.yaml", "is empty", where="title", line=4, column=10)
    assert type(error) is ManifestError
    assert error.problems == (Problem("a.yaml", 4, 10, "title", "is empty"),)


def test_a_path_is_named_from_the_project_root_when_inside_it(tmp_path: Path) -> None:
    assert display_path(tmp_path, tmp_path / "issues" / "2021-05" / "issue.yaml") == (
        "issues/2021-05/issue.yaml"
    )
    outside = tmp_path.parent / "elsewhere.yaml"
    assert display_path(tmp_path, outside) == str(outside)
