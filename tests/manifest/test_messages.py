"""Manifest problems come back one per line, with where they are and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin.build import build_issue
from bulletin.errors import ManifestError
from bulletin.manifest.load import load_issue
from bulletin.manifest.messages import Loc
from bulletin.manifest.safe_yaml import MAX_MANIFEST_BYTES, MAX_NODES, Builder
from conftest import SAMPLE

MANIFESTS = Path(__file__).parent / "cases"
ISSUE = "issues/2021-05/issue.yaml"
PUBLICATION = "issues/publication.yaml"

# Each file under manifests/bad/ is a complete issue.yaml with one mistake,
# named after it; this is every line bulletin prints for it.
BAD_ISSUES = [
    (
        "alias_bomb",
        (
            "issues/2021-05/issue.yaml:47:33: the manifest expands to too many values (aliases or"
            " nesting): a bulletin manifest needs neither at this scale"
        ),
    ),
    (
        "bad_story_id",
        (
            "issues/2021-05/issue.yaml:22:9: stories[1].id: 'Family Return' is not valid: use "
            "lower-case letters, digits and hyphens only, like almaty-process"
        ),
    ),
    (
        "colon_in_title",
        (
            "issues/2021-05/issue.yaml:39:18: a colon followed by a space inside a value: put the"
            ' whole value in quotes (title: "Migration: the next steps")'
        ),
    ),
    (
        "columns_out_of_range",
        "issues/2021-05/issue.yaml:20:16: stories[0].layout.columns: must be 1, 2 or 3, not '4'",
    ),
    (
        "control_character",
        (
            "issues/2021-05/issue.yaml:24:55: the file contains an invisible control character "
            "(U+0008) that YAML does not allow: delete it (it often comes from copying text out "
            "of a PDF)"
        ),
    ),
    (
        "date_in_wrong_form",
        (
            "issues/2021-05/issue.yaml:18:17: stories[0].photos[0].credit.date: '26/05/2021' is "
            "not a date: write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes for a month "
            '("2021-05"), or YYYY for a year (2021)'
        ),
    ),
    (
        "deep_nesting",
        (
            "issues/2021-05/issue.yaml:3:48: the manifest is nested too deeply (aliases or "
            "nesting): a bulletin manifest needs neither at this scale"
        ),
    ),
    (
        "duplicate_key",
        (
            "issues/2021-05/issue.yaml:28:5: stories[1].body: 'body' appears twice here; only one"
            " would be kept and the other silently lost: merge them or delete one"
        ),
    ),
    (
        "duplicate_story_id",
        (
            "issues/2021-05/issue.yaml:22:9: stories[1].id: story id 'almaty-process' is used "
            "twice: give each story its own id"
        ),
    ),
    (
        "empty_file",
        "issues/2021-05/issue.yaml:1:1: the file is empty: write its fields in it",
    ),
    (
        "empty_quoted_title",
        "issues/2021-05/issue.yaml:7:12: stories[0].title: must not be empty",
    ),
    (
        "empty_title",
        "issues/2021-05/issue.yaml:7:11: stories[0].title: is empty: it must be text",
    ),
    (
        "file_link",
        (
            "issues/2021-05/issue.yaml:8:11: stories[0].body: link 'file:///etc/passwd' is not "
            "allowed: use an https://, http:// or mailto: address"
        ),
    ),
    (
        "impossible_date",
        (
            "issues/2021-05/issue.yaml:18:17: stories[0].photos[0].credit.date: '2021-02-30' is "
            "not a date: write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes for a month "
            '("2021-05"), or YYYY for a year (2021)'
        ),
    ),
    (
        "indentation_mismatch",
        (
            "issues/2021-05/issue.yaml:23:4: the indentation does not line up with the fields "
            "around it: align it with the field above (a list item starts with '- ', a dash and a"
            " space)"
        ),
    ),
    (
        "hash_inside_credit",
        (
            "issues/2021-05/issue.yaml:32:24: stories[1].photos[0].credit.by: the text after ' #' "
            'is read as a comment and would be lost ("#2"): put the credit in quotes: '
            'by: "IOM Team #2"'
        ),
    ),
    (
        "hash_inside_title",
        (
            "issues/2021-05/issue.yaml:24:28: stories[1].title: the text after ' #' is read as a "
            'comment and would be lost ("#1414 in Tajikistan…"): put the title in quotes: '
            'title: "Migrant hotline #1414 in Tajikistan…"'
        ),
    ),
    (
        "indented_too_far",
        (
            "issues/2021-05/issue.yaml:23:13: this field is indented further than the fields "
            "around it: align it with the field above"
        ),
    ),
    (
        "javascript_link",
        (
            "issues/2021-05/issue.yaml:8:11: stories[0].body: link 'javascript:alert(1)' is not "
            "allowed: use an https://, http:// or mailto: address"
        ),
    ),
    (
        "list_item_without_space",
        (
            "issues/2021-05/issue.yaml:22:3: the indentation does not line up with the fields "
            "around it: align it with the field above (a list item starts with '- ', a dash and a"
            " space)"
        ),
    ),
    (
        "missing_title",
        (
            "issues/2021-05/issue.yaml:5:5: stories[0].title: required field 'title' is missing: "
            "add it (The headline)"
        ),
    ),
    (
        "misspelt_field",
        (
            "issues/2021-05/issue.yaml:15:9: stories[0].photos[0].credt: unknown field 'credt' — "
            "did you mean 'credit'?"
        ),
    ),
    (
        "month_differs_from_folder",
        (
            "issues/2021-05/issue.yaml:2:8: month: says 2021-06 but the folder is 2021-05: make "
            "them the same"
        ),
    ),
    (
        "month_in_words",
        (
            "issues/2021-05/issue.yaml:2:8: month: 'May 2021' is not valid: write the month as "
            '"YYYY-MM" in quotes, like "2021-05"'
        ),
    ),
    (
        "no_stories",
        (
            "issues/2021-05/issue.yaml:4:10: stories: the issue has no stories yet: add one under "
            "'stories' (bulletin import brings one in from a Word file)"
        ),
    ),
    (
        "not_utf8",
        "issues/2021-05/issue.yaml:23: the file is not UTF-8 text: save it as UTF-8 in your editor",
    ),
    (
        "number_in_words",
        "issues/2021-05/issue.yaml:3:9: number: must be a whole number, not 'five'",
    ),
    (
        "number_with_decimals",
        "issues/2021-05/issue.yaml:3:9: number: must be a whole number, not '5.5'",
    ),
    (
        "number_zero",
        "issues/2021-05/issue.yaml:3:9: number: must be at least 1, not 0",
    ),
    (
        "paragraph_indented_less",
        (
            "issues/2021-05/issue.yaml:11:5: this line is not indented like the text of 'body' "
            "above it, so YAML cannot read it: indent it by 6 spaces, as the lines above (the "
            "text of 'body: |' is the lines indented below it)"
        ),
    ),
    (
        "paragraph_not_indented",
        (
            "issues/2021-05/issue.yaml:11:1: this line is not indented like the text of 'body' "
            "above it, so YAML cannot read it: indent it by 6 spaces, as the lines above (the "
            "text of 'body: |' is the lines indented below it)"
        ),
    ),
    (
        "photo_absolute_path",
        (
            "issues/2021-05/issue.yaml:29:15: stories[1].photos[0].file: "
            "'/home/comms/Pictures/nukus.jpg' must be a path relative to the issue folder, like "
            "photos/name.jpg"
        ),
    ),
    (
        "photo_missing",
        (
            "issues/2021-05/issue.yaml:29:15: stories[1].photos[0].file: photo 'photos/nukus.jpg'"
            " does not exist in the issue folder"
        ),
    ),
    (
        "headline_too_long",
        "issues/2021-05/issue.yaml:24:12: stories[1].title: is 545 characters; the most is 200: "
        "shorten it",
    ),
    (
        "photo_name_too_long",
        (
            "issues/2021-05/issue.yaml:29:15: stories[1].photos[0].file: photo "
            "'photos/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…' cannot be used (File "
            "name too long): rename the file, or correct the path"
        ),
    ),
    (
        "photo_outside_folder",
        (
            "issues/2021-05/issue.yaml:29:15: stories[1].photos[0].file: photo "
            "'../2021-04/photos/nukus.jpg' lies outside the issue folder: copy it into the folder"
            " and refer to it from there"
        ),
    ),
    (
        "photo_without_credit",
        (
            "issues/2021-05/issue.yaml:13:9: stories[0].photos[0].credit: required field 'credit'"
            " is missing: add it (The photo credit printed under the photo)"
        ),
    ),
    (
        "photo_wrong_case",
        (
            "issues/2021-05/issue.yaml:13:15: stories[0].photos[0].file: photo "
            "'photos/Istanbul-2021-05-26.JPG' does not exist in the issue folder: did you mean "
            "'photos/istanbul-2021-05-26.jpg'?"
        ),
    ),
    (
        "photo_wrong_extension",
        (
            "issues/2021-05/issue.yaml:29:15: stories[1].photos[0].file: photo "
            "'photos/kazakhstan-2021-05.jpeg' does not exist in the issue folder: did you mean "
            "'photos/kazakhstan-2021-05.jpg'?"
        ),
    ),
    (
        "photos_not_a_list",
        (
            "issues/2021-05/issue.yaml:28:13: stories[1].photos: must be a list (lines starting "
            "with '- '), not 'photos/kazakhstan-2021-05.jpg'"
        ),
    ),
    (
        "python_tag",
        (
            "issues/2021-05/issue.yaml:3:9: number: '!!python/object/apply:os.system' is a YAML "
            "tag, which a manifest does not use: delete it"
        ),
    ),
    (
        "relative_link",
        (
            "issues/2021-05/issue.yaml:8:11: stories[0].body: link 'calendar.html' is not "
            "allowed: use an https://, http:// or mailto: address"
        ),
    ),
    (
        "stats_without_figures",
        (
            "issues/2021-05/issue.yaml:36:5: stories[2].figures: required field 'figures' is "
            "missing: add it (The figures, printed large (one to six))"
        ),
    ),
    (
        "story_not_a_mapping",
        (
            "issues/2021-05/issue.yaml:22:5: stories[1]: must be a group of fields (key: value "
            "lines indented below it), not 'Return of a family'"
        ),
    ),
    (
        "tab_indentation",
        (
            "issues/2021-05/issue.yaml:23:1: a tab is used for indentation: YAML needs spaces "
            "(set your editor to insert spaces)"
        ),
    ),
    (
        "text_after_quote",
        (
            "issues/2021-05/issue.yaml:23:22: text goes on after a quote, ] or } that YAML reads "
            "as the end of the value: put the whole value in quotes, with the other kind of quote"
            " inside ('\"Border\" health')"
        ),
    ),
    (
        "title_starting_with_hash",
        (
            "issues/2021-05/issue.yaml:24:11: stories[1].title: is empty: it must be text (YAML "
            "reads everything after ' #' as a comment: put the value in quotes)"
        ),
    ),
    (
        "too_many_figures",
        "issues/2021-05/issue.yaml:43:7: stories[2].figures: takes at most 6 items",
    ),
    (
        "top_level_list",
        "issues/2021-05/issue.yaml:1:1: expected fields (key: value lines) at the top",
    ),
    (
        "true_as_text",
        (
            "issues/2021-05/issue.yaml:33:18: stories[1].photos[0].credit.place: must be text, "
            'not true: write "true" in quotes if you mean the word'
        ),
    ),
    (
        "two_documents",
        (
            "issues/2021-05/issue.yaml:47:1: '---' starts a second document: a manifest is one "
            "document, so delete the line (and move the fields below it up into the first)"
        ),
    ),
    (
        "unclosed_quote",
        "issues/2021-05/issue.yaml:2:8: a quote is opened but never closed: add the closing quote",
    ),
    (
        "unknown_block_kind",
        (
            "issues/2021-05/issue.yaml:36:11: stories[2].kind: unknown block kind: use 'story' "
            "(the default) or 'stats'"
        ),
    ),
    (
        "unknown_field",
        (
            "issues/2021-05/issue.yaml:24:5: stories[1].author: unknown field 'author' — the "
            "fields here are kind, id, kicker, title, standfirst, quote, body, photos, layout"
        ),
    ),
    (
        "value_starting_with_at",
        (
            "issues/2021-05/issue.yaml:32:15: a value cannot start with '@' in YAML: put the "
            "value in quotes"
        ),
    ),
    (
        "value_starting_with_star",
        "issues/2021-05/issue.yaml:23:13: '*' starts an alias in YAML: put the value in quotes",
    ),
]

# Each file under manifests/bad_publication/ is a publication.yaml with one mistake.
BAD_PUBLICATIONS = [
    (
        "bad_email",
        (
            "issues/publication.yaml:18:16: contacts.offices[1].emails[0]: 'iomkyrgyzstan' is not"
            " an email address (name@example.org)"
        ),
    ),
    (
        "colour_in_words",
        (
            "issues/publication.yaml:9:12: colors.primary: 'blue' is not valid: write a colour as"
            ' "#RRGGBB" in quotes, like "#0033A0"'
        ),
    ),
    (
        "colour_not_quoted",
        (
            "issues/publication.yaml:9:11: colors.primary: is empty: it must be text (YAML reads "
            "everything after ' #' as a comment: put the value in quotes)"
        ),
    ),
    (
        "javascript_social_link",
        (
            "issues/publication.yaml:27:10: social[0].url: link 'javascript:alert(1)' is not "
            "allowed: use an https://, http:// or mailto: address"
        ),
    ),
    (
        "misspelt_field",
        (
            "issues/publication.yaml:4:1: publsher: unknown field 'publsher' — did you mean "
            "'publisher'?"
        ),
    ),
    (
        "page_budget_zero",
        "issues/publication.yaml:11:14: page_budget: must be at least 1, not 0",
    ),
]


def _problems(project: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_issue(project, "2021-05")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("case", "message"), BAD_ISSUES, ids=[case for case, _ in BAD_ISSUES])
def test_bad_issue_manifest(project: Path, case: str, message: str) -> None:
    shutil.copy(MANIFESTS / "bad" / f"{case}.yaml", project / ISSUE)
    assert _problems(project) == [message]


@pytest.mark.parametrize(
    ("case", "message"), BAD_PUBLICATIONS, ids=[case for case, _ in BAD_PUBLICATIONS]
)
def test_bad_publication_manifest(project: Path, case: str, message: str) -> None:
    shutil.copy(MANIFESTS / "bad_publication" / f"{case}.yaml", project / PUBLICATION)
    assert _problems(project) == [message]


def test_every_bad_manifest_has_its_message() -> None:
    assert sorted(p.stem for p in (MANIFESTS / "bad").glob("*.yaml")) == sorted(
        case for case, _ in BAD_ISSUES
    )
    assert sorted(p.stem for p in (MANIFESTS / "bad_publication").glob("*.yaml")) == sorted(
        case for case, _ in BAD_PUBLICATIONS
    )


def test_every_problem_in_a_manifest_is_reported_at_once(project: Path) -> None:
    shutil.copy(MANIFESTS / "ten_mistakes.yaml", project / ISSUE)
    assert _problems(project) == [
        "issues/2021-05/issue.yaml:3:9: number: must be at least 1, not 0",
        (
            "issues/2021-05/issue.yaml:6:5: stories[0].kiker: unknown field 'kiker' — did you "
            "mean 'kicker'?"
        ),
        (
            "issues/2021-05/issue.yaml:18:17: stories[0].photos[0].credit.date: '26.05.2021' is "
            "not a date: write YYYY-MM-DD (2021-05-26), or YYYY-MM in quotes for a month "
            '("2021-05"), or YYYY for a year (2021)'
        ),
        (
            "issues/2021-05/issue.yaml:22:9: stories[1].id: 'Family return' is not valid: use "
            "lower-case letters, digits and hyphens only, like almaty-process"
        ),
        "issues/2021-05/issue.yaml:42:11: stories[2].title: is empty: it must be text",
        (
            "issues/2021-05/issue.yaml:48:15: stories[2].photos[0].file: photo "
            "'photos/Bishkek-2021-05.JPG' does not exist in the issue folder: did you mean "
            "'photos/bishkek-2021-05.jpg'?"
        ),
        (
            "issues/2021-05/issue.yaml:67:17: stories[3].photos[0].credit: must be a group of "
            "fields (by, place, date, licence) on lines indented below it, not 'IOM, Tashkent'"
        ),
        (
            "issues/2021-05/issue.yaml:91:11: stories[5].body: link 'javascript:void(0)' is not "
            "allowed: use an https://, http:// or mailto: address"
        ),
        "issues/2021-05/issue.yaml:105:16: stories[5].layout.columns: must be 1, 2 or 3, not '4'",
        (
            "issues/2021-05/issue.yaml:111:5: stories[6].title: 'title' appears twice here; only "
            "one would be kept and the other silently lost: merge them or delete one"
        ),
    ]


def test_problems_in_both_manifests_are_reported_together(project: Path) -> None:
    shutil.copy(MANIFESTS / "bad" / "number_zero.yaml", project / ISSUE)
    shutil.copy(MANIFESTS / "bad_publication" / "page_budget_zero.yaml", project / PUBLICATION)
    assert _problems(project) == [
        "issues/publication.yaml:11:14: page_budget: must be at least 1, not 0",
        "issues/2021-05/issue.yaml:3:9: number: must be at least 1, not 0",
    ]


@pytest.mark.parametrize(
    "issue_file",
    sorted((SAMPLE / "issues").glob("*/issue.yaml")),
    ids=lambda path: str(path.relative_to(SAMPLE)),
)
def test_every_issue_in_the_repository_validates(sample_root: Path, issue_file: Path) -> None:
    loaded = load_issue(sample_root, issue_file.parent.name)
    assert loaded.issue.month == issue_file.parent.name


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("no", "no"),  # YAML 1.1: false
        ("Yes", "Yes"),  # YAML 1.1: true
        ("off", "off"),  # YAML 1.1: false
        ("2021-05-26", "2021-05-26"),  # YAML 1.1: a date
        ("1.10", "1.10"),  # YAML 1.1: the number 1.1
        ("0123", "0123"),  # YAML 1.1: octal, 83
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("1:30", "1:30"),  # YAML 1.1: sexagesimal, 90
        ("0x1F", "0x1F"),  # YAML 1.1: hexadecimal, 31
        (".inf", ".inf"),  # YAML 1.1: infinity
        ("1e3", "1e3"),  # YAML 1.1: 1000.0
        ("2021", "2021"),
    ],
)
def test_yaml_1_1_surprises_stay_text(project: Path, written: str, read: str) -> None:
    path = project / ISSUE
    text = path.read_text()
    path.write_text(text.replace("kicker: Border health", f"kicker: {written}", 1))
    stories = load_issue(project, "2021-05").issue.stories
    assert [story.kicker for story in stories if story.id == "border-health-security"] == [read]


def test_an_alias_bomb_is_refused_without_expanding_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nine levels of ten aliases: a billion values if it were expanded. Bound
    # the work instead of the time, so that a regression fails rather than hangs.
    built = 0
    build = Builder.build

    def counted(self: Builder, node: object, loc: Loc) -> object:
        nonlocal built
        built += 1
        assert built <= 2 * MAX_NODES, "the alias bomb was being expanded"
        return build(self, node, loc)  # type: ignore[arg-type]

    monkeypatch.setattr(Builder, "build", counted)
    shutil.copy(MANIFESTS / "bad" / "alias_bomb.yaml", project / ISSUE)
    assert _problems(project) == [dict(BAD_ISSUES)["alias_bomb"]]


def test_a_manifest_over_the_size_limit_is_refused_unread(project: Path) -> None:
    path = project / ISSUE
    path.write_text(path.read_text() + "# padding\n" * (MAX_MANIFEST_BYTES // 10))
    size = path.stat().st_size
    assert _problems(project) == [
        f"issues/2021-05/issue.yaml: the file is {size:,} bytes; a manifest is at most "
        "1,000,000: is this the right file?"
    ]


def test_a_month_that_is_not_a_month_is_refused(project: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        load_issue(project, "May")
    assert str(caught.value) == "bulletin: 'May' is not a month: write it as YYYY-MM, like 2021-05"


def test_a_month_without_an_issue_names_the_issues_there(project: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        load_issue(project, "2021-07")
    assert str(caught.value) == (
        "issues/2021-07/issue.yaml: no issue for 2021-07: create issues/2021-07/issue.yaml "
        "(issues here: 2021-05, 2021-06)"
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_mistake_of_every_file_in_one_pass(project: Path, tmp_path: Path) -> None:
    """Ids, references, translations and photos: told together, by file and line."""
    issue = project / ISSUE
    _edit(issue, 'month: "2021-05"', 'month: "2021-06"')
    _edit(issue, "    kicker: Regional cooperation\n", "    kiker: Regional cooperation\n")
    _edit(issue, "  - id: border-health-security\n", "  - id: almaty-process\n")
    photo = project / "issues/2021-05/photos/bishkek-2021-05.jpg"
    photo.write_bytes(photo.read_bytes()[:2000])
    russian = project / "issues/2021-05/issue.ru.yaml"
    _edit(russian, "  family-return-karakalpakstan:\n", "  family-return-karakalpakstn:\n")
    _edit(
        russian,
        "    title: Шестое совещание",
        "    titel: Шестое совещание",
    )

    with pytest.raises(ManifestError) as caught:
        build_issue(project, "2021-05", tmp_path / "out")

    assert [str(problem) for problem in caught.value.problems] == [
        "issues/2021-05/issue.yaml:3:8: month: says 2021-06 but the folder is 2021-05: make "
        "them the same",
        "issues/2021-05/issue.yaml:7:5: stories[0].kiker: unknown field 'kiker' — did you mean "
        "'kicker'?",
        "issues/2021-05/issue.yaml:49:15: stories[2].photos[0].file: photo "
        "'photos/bishkek-2021-05.jpg' cannot be read, it may be truncated or damaged (image "
        "file is truncated (2 bytes not processed)): export it again",
        "issues/2021-05/issue.yaml:58:9: stories[3].id: story id 'almaty-process' is used "
        "twice: give each story its own id",
        "issues/2021-05/issue.ru.yaml:6:5: stories.almaty-process.titel: unknown field 'titel' "
        "— did you mean 'title'?",
        "issues/2021-05/issue.ru.yaml:16:3: stories.family-return-karakalpakstn: there is no "
        "story 'family-return-karakalpakstn' in issue.yaml: did you mean "
        "'family-return-karakalpakstan'?",
        "issues/2021-05/issue.ru.yaml:41:3: stories.border-health-security: there is no story "
        "'border-health-security' in issue.yaml: check the id (the stories are almaty-process, "
        "family-return-karakalpakstan, migration-focal-points-retreat, "
        "national-dialogue-trafficking, reintegration-survey, tajikistan-migration-strategy)",
    ]
    assert not (tmp_path / "out").exists()


def test_duplicate_story_id_is_told_with_the_other_mistakes(project: Path) -> None:
    issue = project / ISSUE
    _edit(issue, "    kicker: Regional cooperation\n", "    kiker: Regional cooperation\n")
    _edit(issue, "  - id: border-health-security\n", "  - id: almaty-process\n")

    assert _problems(project) == [
        "issues/2021-05/issue.yaml:7:5: stories[0].kiker: unknown field 'kiker' — did you mean "
        "'kicker'?",
        "issues/2021-05/issue.yaml:58:9: stories[3].id: story id 'almaty-process' is used "
        "twice: give each story its own id",
    ]


def test_misspelt_label_gets_a_did_you_mean(project: Path) -> None:
    publication = project / "issues/publication.ru.yaml"
    publication.write_text(
        publication.read_text(encoding="utf-8") + "labels:\n  in_this_isue: В номере\n",
        encoding="utf-8",
    )

    with pytest.raises(ManifestError) as caught:
        load_issue(project, "2021-05", language="ru")

    assert [str(problem) for problem in caught.value.problems] == [
        "issues/publication.ru.yaml:16:3: labels.in_this_isue: unknown label 'in_this_isue' — "
        "did you mean 'in_this_issue'?"
    ]
