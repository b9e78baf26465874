"""``bulletin new``: a month started in one command, and nothing that exists replaced."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from bulletin.authoring.translate import digest
from bulletin.cli import app
from bulletin.manifest.load import load_issue
from bulletin.model.issue import Focus, IssueTranslation, Story

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def _tree(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def test_new_month_after_the_latest(may_latest: Path) -> None:
    result = _run("new", "2021-06", "--root", may_latest)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Started issues/2021-06/: issue 6, after 2021-05.",
        "  issues/2021-06/issue.yaml: the stories, with an example of each kind to uncomment",
        "  issues/2021-06/issue.ru.yaml: the Russian text, to fill in",
        "  issues/2021-06/photos/: the photos",
        "Next: bulletin import 2021-06 story.docx for each story from Word, "
        "then bulletin check 2021-06.",
    ]
    folder = may_latest / "issues" / "2021-06"
    assert _tree(folder) == ["issue.ru.yaml", "issue.yaml", "photos"]
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:5] == [
        "# yaml-language-server: $schema=../../schema/issue.schema.json",
        'month: "2021-06"',
        "number: 6",
        "published: false    # true once the issue has gone out to readers",
        "stories:",
    ]
    translation = yaml.safe_load((folder / "issue.ru.yaml").read_text(encoding="utf-8"))
    assert IssueTranslation.model_validate(translation) == IssueTranslation(
        language="ru", stories={}
    )


def test_a_new_month_says_what_to_fill_in(may_latest: Path) -> None:
    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    result = _run("check", "2021-06", "--quick", "--root", may_latest)
    assert result.exit_code == 1
    assert (
        "  issues/2021-06/issue.yaml:5:9: error: stories: the issue has no stories yet: add one "
        "under 'stories' (bulletin import brings one in from a Word file)"
    ) in result.stdout.splitlines()


def _uncommented(text: str) -> str:
    """Return ``text`` with its examples' lines uncommented, as an editor's toggle does."""
    lines, example = [], False
    for line in text.splitlines():
        example = line.startswith("  # - ") or (example and line.startswith("  #"))
        if example:
            line = "  " + line[4:] if line.startswith("  # ") else ""
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_examples_are_valid_once_uncommented(may_latest: Path) -> None:
    assert _run("new", "2021-06", "--root", may_latest).exit_code == 0
    manifest = may_latest / "issues" / "2021-06" / "issue.yaml"
    manifest.write_text(_uncommented(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    result = _run("check", "2021-06", "--quick", "--root", may_latest)
    errors = [line.strip() for line in result.stdout.splitlines() if "error:" in line]
    assert errors == [
        "issues/2021-06/issue.yaml:33:15: error: stories[0].photos[0].file: photo "
        "'photos/lead-photo.jpg' does not exist in the issue folder",
        "issues/2021-06/issue.yaml:43:15: error: stories[0].photos[1].file: photo "
        "'photos/second-photo.jpg' does not exist in the issue folder",
        "issues/2021-06/issue.yaml:63:15: error: stories[1].photos[0].file: photo "
        "'photos/short-story.jpg' does not exist in the issue folder",
    ]
    photos = manifest.parent / "photos"
    for name in ("lead-photo.jpg", "second-photo.jpg", "short-story.jpg"):
        shutil.copy(
            may_latest / "issues" / "2021-05" / "photos" / "istanbul-2021-05-26.jpg", photos / name
        )
    issue = load_issue(may_latest, "2021-06").issue
    # A story without photos is among the examples where the model allows one.
    text_only = [] if Story.model_fields["photos"].is_required() else ["text-only-story"]
    assert [block.id for block in issue.stories] == [
        "story-with-photos",
        "short-story",
        *text_only,
        "in-figures",
    ]
    assert issue.number == 6 and issue.published is False
    # Every optional field the examples show is read as the composer takes it.
    story = issue.stories[0]
    assert isinstance(story, Story)
    assert story.quote == "The sessions gave me the courage to start again."
    assert [photo.focus for photo in story.photos] == [Focus(x=50, y=30), None]
    assert story.layout.columns == 3
    # The translation file gets a place for each text, the pull quote's too.
    assert _run("translate", "2021-06", "--language", "ru", "--root", may_latest).exit_code == 0
    translation = (manifest.parent / "issue.ru.yaml").read_text(encoding="utf-8")
    lines = translation.splitlines()
    at = lines.index("    quote:")
    assert lines[at - 1 : at + 1] == [
        f"    # en {digest(story.quote)}: The sessions gave me the courage to start again.",
        "    quote:",
    ]


def test_an_existing_issue_is_never_overwritten(project: Path) -> None:
    manifest = project / "issues" / "2021-06" / "issue.yaml"
    before = _tree(manifest.parent), manifest.read_bytes()
    result = _run("new", "2021-06", "--root", project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "issues/2021-06/issue.yaml: the issue of 2021-06 exists already: bulletin new never "
        "overwrites an issue; edit issues/2021-06/issue.yaml, or pick another month\n"
    )
    assert (_tree(manifest.parent), manifest.read_bytes()) == before


def test_a_folder_with_photos_only_is_filled_in(may_latest: Path) -> None:
    photos = may_latest / "issues" / "2021-06" / "photos"
    photos.mkdir(parents=True)
    (photos / "bishkek.jpg").write_bytes(b"the officer's photo")
    result = _run("new", "2021-06", "--root", may_latest)
    assert result.exit_code == 0, result.output
    assert _tree(photos.parent) == ["issue.ru.yaml", "issue.yaml", "photos", "photos/bishkek.jpg"]
    assert (photos / "bishkek.jpg").read_bytes() == b"the officer's photo"
    assert not [p for p in (may_latest / "issues").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["2021-7"],
            "bulletin: '2021-7' is not a month: write it as YYYY-MM, like 2021-05\n",
        ),
        (
            ["July"],
            "bulletin: 'July' is not a month: write it as YYYY-MM, like 2021-05\n",
        ),
        (
            ["2021-13"],
            "bulletin: '2021-13' is not a month: write it as YYYY-MM, like 2021-05\n",
        ),
        (
            ["2021-04"],
            "issues/2021-04: 2021-04 comes before the latest issue, 2021-06: check the month "
            "(to add an earlier issue all the same, give its number: bulletin new 2021-04 "
            "--number N)\n",
        ),
        (
            ["2021-07", "--number", "0"],
            "bulletin: --number 0: an issue number is 1 or more\n",
        ),
    ],
)
def test_bad_months_write_nothing(project: Path, args: list[str], message: str) -> None:
    before = _tree(project / "issues")
    result = _run("new", *args, "--root", project)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert _tree(project / "issues") == before


def test_an_earlier_month_with_its_number(project: Path) -> None:
    result = _run("new", "2021-04", "--number", "5", "--root", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Started issues/2021-04/: issue 5."
    assert "Note: 2021-05 has number 5 too: correct one of them." in result.stdout.splitlines()
    text = (project / "issues" / "2021-04" / "issue.yaml").read_text(encoding="utf-8")
    assert "\nnumber: 5\n" in text


def test_a_gap_of_months_is_pointed_out(project: Path) -> None:
    result = _run("new", "2021-10", "--root", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Started issues/2021-10/: issue 7, after 2021-06."
    assert (
        "Note: no issue for 2021-07, 2021-08, 2021-09 between 2021-06 and 2021-10: check the month "
        "(numbered 7, after 2021-06)."
    ) in result.stdout.splitlines()
    # 2021-06 is in English only: no translation to start.
    assert _tree(project / "issues" / "2021-10") == ["issue.yaml", "photos"]


def test_after_an_issue_without_a_number(may_latest: Path) -> None:
    manifest = may_latest / "issues" / "2021-05" / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("number: 5\n", ""))
    result = _run("new", "2021-06", "--root", may_latest)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[0]
        == "Started issues/2021-06/: an issue without a number, after 2021-05."
    )
    assert (
        "Note: the issue before, 2021-05, has no number that bulletin can read: this one has none "
        "either (add number: to issue.yaml, or run again with --number N)."
    ) in result.stdout.splitlines()
    text = (may_latest / "issues" / "2021-06" / "issue.yaml").read_text(encoding="utf-8")
    assert "\n# number: 1\n" in text


def test_the_first_issue(tmp_path: Path) -> None:
    (tmp_path / "issues").mkdir()
    result = _run("new", "2024-01", "--root", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Started issues/2024-01/: issue 1."
    assert (
        "Note: this is the first issue here: numbered 1 (give another with --number N)."
        in result.stdout.splitlines()
    )


def test_no_issues_folder(tmp_path: Path) -> None:
    result = _run("new", "2024-01", "--root", tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "issues: there is no issues/ folder here: run bulletin in the project folder (the one "
        "holding issues/, layouts/ and fonts/), or give it with --root\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_commands() -> None:
    listed = _run("--help").stdout
    assert all(f"│ {name} " in listed for name in ("new", "import", "translate"))
    assert "Start the issue of MONTH" in _run("new", "--help").stdout
    shown = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"], cwd=REPO, capture_output=True, text=True
    ).stdout
    for line in (
        "  make new        Start the issue of MONTH (folder, manifest, translations): "
        "make new MONTH=2021-07\n",
        "  make import     Add a Word story to MONTH: make import MONTH=2021-07 DOCX=story.docx\n",
        "  make translate  Write or update MONTH's translation: make translate MONTH=2021-07 "
        "LANGUAGE=ru\n",
    ):
        assert line in shown
