"""Loading the manifests: the sample loads, and each mistake is reported where it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import ManifestError
from bulletin.manifest.load import MISSING_FONTS, load_issue
from bulletin.model.issue import Stats, Story
from conftest import SAMPLE_MONTH, SAMPLE_MONTHS

ISSUE = "issues/2021-05/issue.yaml"
PUBLICATION = "issues/publication.yaml"
# The first story's lead photo, as written in the sample (line 13).
LEAD_PHOTO = "photos/istanbul-2021-05-26.jpg"

Edit = tuple[str, str, str]
"""A change to a manifest under issues/: (file, text to replace, replacement)."""


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(project: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_issue(project, SAMPLE_MONTH)
    return [str(problem) for problem in caught.value.problems]


def test_sample_issue_loads(sample_root: Path) -> None:
    loaded = load_issue(sample_root, SAMPLE_MONTH)

    assert loaded.publication.name == "IOM Central Asia Bulletin"
    assert loaded.issue.month == SAMPLE_MONTH
    assert [(type(block), block.id) for block in loaded.issue.stories] == [
        (Story, "almaty-process"),
        (Story, "family-return-karakalpakstan"),
        (Story, "migration-focal-points-retreat"),
        (Story, "border-health-security"),
        (Story, "tajikistan-migration-strategy"),
        (Story, "national-dialogue-trafficking"),
        (Stats, "reintegration-survey"),
    ]
    assert loaded.manifests == (sample_root / PUBLICATION, sample_root / ISSUE)


def test_sample_photos_are_resolved_inside_the_issue_folder(sample_root: Path) -> None:
    loaded = load_issue(sample_root, SAMPLE_MONTH)
    stories = [block for block in loaded.issue.stories if isinstance(block, Story)]

    files = [Path(photo.file) for story in stories for photo in story.photos]

    assert [file.name for file in files] == [
        "istanbul-2021-05-26.jpg",
        "kazakhstan-2021-05.jpg",
        "bishkek-2021-05.jpg",
        "tashkent-2021-05-22.jpg",
        "dushanbe-2021-05-25.jpg",
        "almaty-2021-05-28.jpg",
    ]
    photos_dir = (sample_root / "issues" / SAMPLE_MONTH / "photos").resolve()
    assert all(file.parent == photos_dir for file in files)


def test_later_stages_report_problems_at_the_manifest_line(sample_root: Path) -> None:
    loaded = load_issue(sample_root, SAMPLE_MONTH)

    problem = loaded.problem(("stories", 0, "photos", 0, "file"), "is damaged")
    budget = loaded.problem(("page_budget",), "is too small", publication=True)

    assert str(problem) == f"{ISSUE}:14:15: stories[0].photos[0].file: is damaged"
    assert str(budget) == f"{PUBLICATION}:11:14: page_budget: is too small"


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_every_issue_in_the_repository_validates(sample_root: Path, month: str) -> None:
    assert load_issue(sample_root, month).issue.month == month


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param(
            [("2021-05/issue.yaml", "number: 5", "numbr: 5")],
            [f"{ISSUE}:4:1: numbr: unknown field 'numbr' — did you mean 'number'?"],
            id="unknown-key",
        ),
        pytest.param(
            [("2021-05/issue.yaml", "    kicker: Regional cooperation\n", "")],
            [
                f"{ISSUE}:6:5: stories[0].kicker: required field 'kicker' is missing: add it "
                '(Section label above the headline ("Direct assistance"))'
            ],
            id="missing-field",
        ),
        pytest.param(
            [("2021-05/issue.yaml", "number: 5", "number: five")],
            [f"{ISSUE}:4:9: number: must be a whole number, not 'five'"],
            id="wrong-type",
        ),
        pytest.param(
            [("2021-05/issue.yaml", LEAD_PHOTO, "photos/istanbul.jpg")],
            [
                f"{ISSUE}:14:15: stories[0].photos[0].file: "
                "photo 'photos/istanbul.jpg' does not exist in the issue folder"
            ],
            id="photo-missing",
        ),
        pytest.param(
            [("2021-05/issue.yaml", LEAD_PHOTO, "../publication.yaml")],
            [
                f"{ISSUE}:14:15: stories[0].photos[0].file: photo '../publication.yaml' lies "
                "outside the issue folder: copy it into the folder and refer to it from there"
            ],
            id="photo-outside-by-dot-dot",
        ),
        pytest.param(
            [("2021-05/issue.yaml", LEAD_PHOTO, "/etc/hostname")],
            [
                f"{ISSUE}:14:15: stories[0].photos[0].file: '/etc/hostname' must be a path "
                "relative to the issue folder, like photos/name.jpg"
            ],
            id="photo-absolute-path",
        ),
        pytest.param(
            [("2021-05/issue.yaml", "date: 2021-05-26", "date: 26.05.2021")],
            [
                f"{ISSUE}:19:17: stories[0].photos[0].credit.date: '26.05.2021' is not a date: "
                'write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes for a month ("2021-05"), '
                "or YYYY for a year (2021)"
            ],
            id="bad-date-form",
        ),
        pytest.param(
            [("2021-05/issue.yaml", 'month: "2021-05"', 'month: "2021-06"')],
            [f"{ISSUE}:3:8: month: says 2021-06 but the folder is 2021-05: make them the same"],
            id="month-not-folder",
        ),
        pytest.param(
            [
                (
                    "2021-05/issue.yaml",
                    "    kicker: Regional cooperation\n",
                    "    kicker: Regional cooperation\n    kicker: Cooperation\n",
                )
            ],
            [
                f"{ISSUE}:8:5: stories[0].kicker: 'kicker' appears twice here; only one would "
                "be kept and the other silently lost: merge them or delete one"
            ],
            id="duplicate-key",
        ),
        pytest.param(
            [("2021-05/issue.yaml", "id: family-return-karakalpakstan", "id: almaty-process")],
            [
                f"{ISSUE}:23:9: stories[1].id: story id 'almaty-process' is used twice: "
                "give each story its own id"
            ],
            id="duplicate-story-id",
        ),
        pytest.param(
            [("publication.yaml", "page_budget: 8", "page_budget: 0")],
            [f"{PUBLICATION}:11:14: page_budget: must be at least 1, not 0"],
            id="publication-error",
        ),
        pytest.param(
            [
                ("publication.yaml", 'primary: "#0033A0"', 'primary: "#03A"'),
                ("2021-05/issue.yaml", "number: 5", "number: 0"),
            ],
            [
                f"{PUBLICATION}:9:12: colors.primary: '#03A' is not valid: "
                'write a colour as "#RRGGBB" in quotes, like "#0033A0"',
                f"{ISSUE}:4:9: number: must be at least 1, not 0",
            ],
            id="errors-in-both-files-all-reported",
        ),
    ],
)
def test_bad_manifest_is_reported_where_it_is(
    project: Path, edits: list[Edit], expected: list[str]
) -> None:
    for file, old, new in edits:
        _replace_once(project / "issues" / file, old, new)

    assert _problems(project) == expected


@pytest.mark.parametrize(
    ("link", "photo"),
    [
        pytest.param("photos/elsewhere.jpg", "photos/elsewhere.jpg", id="file-link"),
        pytest.param("elsewhere", "elsewhere/istanbul.jpg", id="folder-link"),
    ],
)
def test_photo_symlinked_from_outside_the_issue_is_refused(
    project: Path, tmp_path: Path, link: str, photo: str
) -> None:
    issue_dir = project / "issues" / SAMPLE_MONTH
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(issue_dir / LEAD_PHOTO, outside / "istanbul.jpg")
    target = outside / "istanbul.jpg" if link.endswith(".jpg") else outside
    (issue_dir / link).symlink_to(target)
    _replace_once(issue_dir / "issue.yaml", LEAD_PHOTO, photo)

    assert _problems(project) == [
        f"{ISSUE}:14:15: stories[0].photos[0].file: photo '{photo}' lies outside the issue "
        "folder: copy it into the folder and refer to it from there"
    ]


def test_photo_symlinked_within_the_issue_is_accepted(project: Path) -> None:
    issue_dir = project / "issues" / SAMPLE_MONTH
    (issue_dir / "photos" / "lead.jpg").symlink_to(issue_dir / LEAD_PHOTO)
    _replace_once(issue_dir / "issue.yaml", LEAD_PHOTO, "photos/lead.jpg")

    story = load_issue(project, SAMPLE_MONTH).issue.stories[0]

    assert isinstance(story, Story)
    assert story.photos[0].file == str((issue_dir / LEAD_PHOTO).resolve())


def test_date_written_as_fields_is_checked(project: Path) -> None:
    # A flow mapping is valid YAML for a date; month 13 must be a user error at
    # its line, not a ValueError from the layout when it prints the credit.
    _replace_once(
        project / "issues" / SAMPLE_MONTH / "issue.yaml",
        "date: 2021-05-26",
        "date: {year: 2021, month: 13}",
    )

    with pytest.raises(ManifestError) as caught:
        load_issue(project, SAMPLE_MONTH)

    assert [(p.file, p.line, p.column, p.where) for p in caught.value.problems] == [
        (ISSUE, 19, 17, "stories[0].photos[0].credit.date")
    ]


@pytest.mark.parametrize(
    ("folders", "month", "expected"),
    [
        pytest.param(
            ["2021-05"],
            "2021-5",
            "bulletin: '2021-5' is not a month: write it as YYYY-MM, like 2021-05",
            id="not-a-month",
        ),
        pytest.param(
            ["2021-04", "2021-05"],
            "2021-06",
            "issues/2021-06/issue.yaml: no issue for 2021-06: "
            "create issues/2021-06/issue.yaml (issues here: 2021-04, 2021-05)",
            id="no-such-issue",
        ),
        pytest.param(
            [],
            "2021-06",
            "issues/2021-06/issue.yaml: no issue for 2021-06: "
            "create issues/2021-06/issue.yaml (there are no issues yet)",
            id="no-issues-at-all",
        ),
    ],
)
def test_month_asked_for_must_name_an_issue(
    tmp_path: Path, folders: list[str], month: str, expected: str
) -> None:
    (tmp_path / "issues").mkdir()
    for folder in folders:
        (tmp_path / "issues" / folder).mkdir()
        (tmp_path / "issues" / folder / "issue.yaml").write_text("month: x\n")

    with pytest.raises(ManifestError) as caught:
        load_issue(tmp_path, month)

    assert [str(problem) for problem in caught.value.problems] == [expected]


@pytest.mark.parametrize("empty", [False, True], ids=["no-folder", "no-font-files"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_project_without_its_fonts_is_refused_and_nothing_is_written(
    project: Path, command: str, empty: bool
) -> None:
    shutil.rmtree(project / "fonts")
    if empty:
        (project / "fonts").mkdir()
        (project / "fonts" / "OFL.txt").write_text("licence")
    (project / "out").mkdir()
    (project / "out" / "earlier.pdf").write_bytes(b"%PDF earlier")
    result = CliRunner().invoke(app, [command, SAMPLE_MONTH, "--root", str(project)])
    if command == "build":
        assert (result.exit_code, result.stderr) == (1, f"fonts/: {MISSING_FONTS}\n")
    else:
        # check reports it as the one finding of the manifests' validation.
        assert result.exit_code == 1
        assert f"  fonts/: error: {MISSING_FONTS}\n" in result.stdout
        assert "1 error: fix the manifests, then check again." in result.stdout
    assert sorted(path.name for path in (project / "out").iterdir()) == ["earlier.pdf"]
    assert (project / "out" / "earlier.pdf").read_bytes() == b"%PDF earlier"
