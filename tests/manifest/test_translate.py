"""Language editions: translation files, their errors, and the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.errors import ManifestError
from bulletin.html.layout import format_credit
from bulletin.manifest.load import issue_languages, load_issue
from bulletin.model.issue import Stats, Story
from conftest import SAMPLE_MONTH

ISSUE_RU = "issues/2021-05/issue.ru.yaml"
RU_TITLE = "    title: Шестое совещание старших должностных лиц Алматинского процесса в Стамбуле\n"
PUBLICATION_RU = "issues/publication.ru.yaml"


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def _messages(project: Path, language: str = "ru") -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_issue(project, SAMPLE_MONTH, language=language)
    return [str(problem) for problem in caught.value.problems]


def test_sample_languages(sample_root: Path) -> None:
    assert issue_languages(sample_root, SAMPLE_MONTH) == ["ru"]


def test_russian_edition_carries_russian_text_and_source_structure(sample_root: Path) -> None:
    source = load_issue(sample_root, SAMPLE_MONTH)
    russian = load_issue(sample_root, SAMPLE_MONTH, language="ru")
    assert russian.language == "ru"
    assert russian.publication.language == "ru"
    assert russian.publication.name == "Бюллетень МОМ по Центральной Азии"
    assert russian.publication.slug == source.publication.slug
    assert russian.labels["in_this_issue"] == "В этом выпуске"
    assert [b.id for b in russian.issue.stories] == [b.id for b in source.issue.stories]
    first = russian.issue.stories[0]
    assert isinstance(first, Story)
    assert first.title.startswith("Шестое совещание")
    # Photos keep their files and dates; only their words are translated.
    original = source.issue.stories[0]
    assert isinstance(original, Story)
    assert first.photos[0].file == original.photos[0].file
    assert first.photos[0].credit.date == original.photos[0].credit.date
    assert first.photos[0].credit.place == "Стамбул"
    survey = russian.issue.stories[-1]
    assert isinstance(survey, Stats)
    assert [f.value for f in survey.figures] == ["95\u00a0%", "86\u00a0%"]


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        pytest.param(
            ISSUE_RU,
            RU_TITLE,
            "",
            f"{ISSUE_RU}:4:3: stories.almaty-process: 'title' is not translated: add title",
            id="missing-title",
        ),
        pytest.param(
            ISSUE_RU,
            "  almaty-process:",
            "  almaty-proces:",
            f"{ISSUE_RU}:4:3: stories.almaty-proces: there is no story 'almaty-proces' in "
            "issue.yaml: did you mean 'almaty-process'?",
            id="misspelt-story-id",
        ),
        pytest.param(
            ISSUE_RU,
            "  almaty-process:",
            "  unknown-story:",
            f"{ISSUE_RU}:4:3: stories.unknown-story: there is no story 'unknown-story' in "
            "issue.yaml: check the id (the stories are almaty-process, "
            "border-health-security, family-return-karakalpakstan, "
            "migration-focal-points-retreat, national-dialogue-trafficking, "
            "reintegration-survey, tajikistan-migration-strategy)",
            id="unknown-story-id",
        ),
        pytest.param(
            ISSUE_RU,
            RU_TITLE,
            RU_TITLE.replace("title:", "titel:"),
            f"{ISSUE_RU}:6:5: stories.almaty-process.titel: unknown field 'titel' — did you "
            "mean 'title'?",
            id="misspelt-field",
        ),
        pytest.param(
            ISSUE_RU,
            "language: ru",
            "language: kk",
            f"{ISSUE_RU}:2:11: language: says 'kk' but the file name says 'ru': make them the same",
            id="language-differs-from-file-name",
        ),
        pytest.param(
            PUBLICATION_RU,
            "    - country: Узбекистан\n",
            "",
            f"{PUBLICATION_RU}:7:3: contacts.offices: has 4 offices but the source has 5: "
            "translate each, in the same order",
            id="office-missing",
        ),
    ],
)
def test_translation_errors(project: Path, name: str, old: str, new: str, message: str) -> None:
    _edit(project, name, old, new)
    assert message in _messages(project)


def test_missing_story_translation_names_the_story(project: Path) -> None:
    path = project / ISSUE_RU
    text = path.read_text()
    start = text.index("  reintegration-survey:")
    path.write_text(text[:start])
    assert _messages(project) == [
        f"{ISSUE_RU}:3:1: stories: story 'reintegration-survey' is not translated: add it"
    ]


def test_text_the_source_does_not_have_is_an_error(project: Path) -> None:
    _edit(
        project,
        ISSUE_RU,
        "    title: Шестое совещание",
        "    standfirst: Лишний подзаголовок.\n    title: Шестое совещание",
    )
    assert _messages(project) == [
        f"{ISSUE_RU}:6:5: stories.almaty-process.standfirst: the source has no standfirst "
        "here: remove it"
    ]


def test_fallback_fills_missing_text_from_the_source(project: Path) -> None:
    _edit(
        project,
        ISSUE_RU,
        RU_TITLE,
        "",
    )
    _edit(
        project,
        "issues/publication.yaml",
        "page_budget: 8",
        "page_budget: 8\ntranslation_fallback: true",
    )
    loaded = load_issue(project, SAMPLE_MONTH, language="ru")
    assert loaded.issue.stories[0].title == (
        "Sixth Senior Officials Meeting of the Almaty Process in Istanbul"
    )
    assert loaded.issue.stories[0].kicker == "Региональное сотрудничество"


def test_unknown_language_without_labels_says_what_to_add(project: Path) -> None:
    (project / "issues/2021-05/issue.kk.yaml").write_text("language: kk\nstories: {}\n")
    (project / "issues/publication.kk.yaml").write_text("language: kk\n")
    _edit(
        project,
        "issues/publication.yaml",
        "page_budget: 8",
        "page_budget: 8\ntranslation_fallback: true",
    )
    assert _messages(project, "kk") == [
        "issues/publication.kk.yaml:1:1: labels: bulletin does not know the layout's words in "
        "'kk': add labels with credit, in_this_issue, issue, of, page to publication.kk.yaml"
    ]


def test_missing_edition_file(project: Path) -> None:
    assert _messages(project, "tg") == [
        "issues/2021-05/issue.tg.yaml: there is no tg edition of this issue: create issue.tg.yaml"
    ]


# ---- Credits of library photos: no place, a year, a licence -----------------------

ISSUE = "issues/2021-05/issue.yaml"
LEAD_PLACE = "          place: Istanbul\n          date: 2021-05-26\n"


def test_credit_without_place_is_translated_without_one(project: Path) -> None:
    _edit(project, ISSUE, LEAD_PLACE, '          date: "2021"\n          licence: CC BY 4.0\n')
    _edit(project, ISSUE_RU, "          by: МОМ\n          place: Стамбул\n", "          by: МОМ\n")

    loaded = load_issue(project, SAMPLE_MONTH, language="ru")

    lead = loaded.issue.stories[0]
    assert isinstance(lead, Story)
    assert format_credit(lead.photos[0].credit, "ru", loaded.labels["credit"]) == (
        "Фото: МОМ, 2021, CC BY 4.0"
    )


def test_translated_place_where_the_source_has_none(project: Path) -> None:
    _edit(project, ISSUE, LEAD_PLACE, "          date: 2021-05-26\n")

    assert _messages(project) == [
        f"{ISSUE_RU}:15:11: stories.almaty-process.photos[0].credit.place: "
        "the source has no place here: remove it"
    ]


def test_untranslated_credit_without_place_asks_for_by_only(project: Path) -> None:
    _edit(project, ISSUE, LEAD_PLACE, "          date: 2021-05-26\n")
    _edit(project, ISSUE_RU, "        credit:\n          by: МОМ\n          place: Стамбул\n", "")

    assert _messages(project) == [
        f"{ISSUE_RU}:12:9: stories.almaty-process.photos[0]: 'credit' is not translated: "
        "add credit with by"
    ]


def test_text_after_hash_in_a_translation_is_an_error(project: Path) -> None:
    _edit(project, ISSUE_RU, RU_TITLE, "    title: Горячая линия #1414 в Таджикистане\n")

    assert _messages(project) == [
        f"{ISSUE_RU}:6:26: stories.almaty-process.title: the text after ' #' is read as a "
        'comment and would be lost ("#1414 в Таджикистане"): put the title in quotes: '
        'title: "Горячая линия #1414 в Таджикистане"'
    ]
