"""Whatever is done to the sample manifest, check and build end with a message, never a crash."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.manifest.safe_yaml import ManifestLoader
from conftest import SAMPLE

ISSUE = "issues/2021-05/issue.yaml"
LINE = re.compile(
    r"^issues/[^:]+\.yaml(:\d+(:\d+)?)?: \S.*$|^\d+ problems; .+\.$"
    r"|^\d+ errors? would show in the PDF; .+\.$"
)
# check reports its findings indented under their story, each with a severity.
FINDING = re.compile(r"^  issues/[^:]+\.yaml(:\d+(:\d+)?)?: (error|warning): \S.*$")

Path_ = tuple[str | int, ...]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a project to break again and again (only its issue.yaml changes)."""
    target = tmp_path_factory.mktemp("mutations")
    for name in ("issues", "layouts", "fonts"):
        shutil.copytree(SAMPLE / name, target / name)
    # Only issue.yaml is broken here: its translations would fail with it.
    for translation in (target / "issues/2021-05").glob("issue.*.yaml"):
        translation.unlink()
    return target


def _original() -> Any:
    return yaml.load((SAMPLE / ISSUE).read_text(), Loader=ManifestLoader)


def _paths(data: Any, path: Path_ = ()) -> list[Path_]:
    found: list[Path_] = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


def _parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    st.integers(1_000, 300_000).map(lambda n: "Ω" * n),  # a very long string
    st.integers(1, 120).map(_nested),  # deep nesting
)


@st.composite
def mutated_manifests(draw: st.DrawFn) -> str:
    """Return the sample issue's text with one to three things broken."""
    data = _original()
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["drop", "rename", "retype"]))
        if action == "drop":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=20))] = parent.pop(last)
        else:
            parent[last] = draw(values)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    lines = text.splitlines(keepends=True)
    # Then, perhaps, a slip of the keyboard in the text itself.
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    slip = draw(st.sampled_from(["none", "duplicate", "delete", "insert", "tab"]))
    if lines and slip == "duplicate":
        lines.insert(at, lines[at])
    elif lines and slip == "delete":
        del lines[at]
    elif lines and slip == "insert":
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + draw(st.text(min_size=1, max_size=5)) + lines[at][column:]
    elif lines and slip == "tab":
        lines[at] = "\t" + lines[at].lstrip(" ")
    return "".join(lines)


def _assert_ends_with_a_message(args: list[str]) -> int:
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    assert result.exit_code in {0, 1}
    if result.exit_code == 1 and args[0] == "check":
        findings = [line for line in result.stdout.splitlines() if line.startswith("  ")]
        assert findings, result.stdout
        assert all(FINDING.match(line) for line in findings), findings
    elif result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert lines
        assert all(LINE.match(line) for line in lines), lines
    return result.exit_code


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=mutated_manifests())
def test_check_answers_every_broken_manifest(sample: Path, text: str) -> None:
    (sample / ISSUE).write_text(text, encoding="utf-8")
    _assert_ends_with_a_message(["check", "2021-05", "--quick", "--root", str(sample)])


def _build_ends_with_a_whole_pdf_or_none(sample: Path, text: str) -> None:
    out = sample / "out"
    shutil.rmtree(out, ignore_errors=True)
    (sample / ISSUE).write_text(text, encoding="utf-8")
    args = ["build", "2021-05", "--edition", "email", "--root", str(sample)]
    code = _assert_ends_with_a_message(args)
    pdfs = out.glob("2021-05/*") if out.exists() else []
    written = sorted(p.name for p in pdfs if p.is_file())
    if code == 1:
        assert written == []
    else:
        assert written == ["iom-central-asia-bulletin-2021-05.pdf"]
        with pikepdf.open(out / "2021-05" / written[0]) as pdf:
            assert len(pdf.pages) >= 1


# A build takes seconds: a handful of random examples, then the cases that
# pass validation and test the later stages, on a one-story issue.
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_manifests())
def test_build_of_a_broken_manifest_ends_with_a_message(sample: Path, text: str) -> None:
    _build_ends_with_a_whole_pdf_or_none(sample, text)


def _first_story(text: str) -> str:
    return text.split("\n  - id: family-return-karakalpakstan")[0].rstrip() + "\n"


TITLE = "title: Sixth Senior Officials Meeting of the Almaty Process in Istanbul"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t.replace("title: Sixth", "title: Шестое 第六 Sixth"),  # a glyph missing
        lambda t: t.replace("title: Sixth", "title: " + "Sixth " * 60),  # a long title
        lambda t: t.replace(TITLE, 'title: "\\u200b\\u202e\\ufeff' + TITLE[6:] + '"'),
        lambda t: t,
    ],
    ids=["missing glyph", "long title", "invisible characters", "as is"],
)
def test_build_of_an_odd_but_valid_manifest_ends_with_a_message(
    sample: Path, mutate: Callable[[str], str]
) -> None:
    _build_ends_with_a_whole_pdf_or_none(sample, mutate(_first_story((SAMPLE / ISSUE).read_text())))
