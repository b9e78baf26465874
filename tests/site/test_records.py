"""The archive site as data: what each issue page shows, names and links, read without files."""

from __future__ import annotations

import json
from pathlib import Path

from bulletin.manifest.load import load_issue
from bulletin.model.issue import Story
from bulletin.site.records import (
    WORDS,
    WebImage,
    describe_pages,
    language_name,
    revision_name,
    words_for,
)
from conftest import SAMPLE_FACTS


def test_a_language_is_named_in_itself() -> None:
    assert [language_name(tag) for tag in ("en", "ru", "kk")] == [
        "English",
        "Русский",
        "Қазақ тілі",
    ]


def test_an_earlier_pdf_is_kept_under_a_revision_name() -> None:
    assert revision_name("bulletin-2021-05.pdf", 2) == "bulletin-2021-05-r2.pdf"


def test_the_sites_words_fall_back_to_english() -> None:
    assert words_for("ru-KZ") == {**WORDS["en"], **WORDS["ru"]}
    assert words_for("kk") == WORDS["en"]


def test_each_language_of_an_issue_is_one_page_of_its_stories(sample_root: Path) -> None:
    editions = [
        load_issue(sample_root, SAMPLE_FACTS.month, language=language)
        for language in SAMPLE_FACTS.languages
    ]
    photos = [
        photo.file
        for block in editions[0].issue.stories
        if isinstance(block, Story)
        for photo in block.photos
    ]
    images = {
        file: WebImage(href=f"photos/{Path(file).name}", width=1200, height=800) for file in photos
    }
    pages = describe_pages(editions, images)
    assert [page.language for page in pages] == list(SAMPLE_FACTS.languages)
    for page in pages:
        assert tuple(story.id for story in page.stories) == SAMPLE_FACTS.stories
        # The photos are the web copies; the text is rendered Markdown.
        hrefs = [photo.image.href for story in page.stories for photo in story.photos]
        assert hrefs == [f"photos/{Path(file).name}" for file in photos]
        assert all(story.body_html.startswith("<p>") for story in page.stories)
    english = editions[0]
    first = next(block for block in english.issue.stories if isinstance(block, Story))
    assert pages[0].stories[0].title == first.title
    # A page round-trips through the JSON kept beside the site.
    assert type(pages[0]).model_validate_json(pages[0].model_dump_json()) == pages[0]
    assert json.loads(pages[1].model_dump_json())["language"] == "ru"
