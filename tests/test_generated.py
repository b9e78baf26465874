"""The issue generator: what it writes validates, keeps its ranges, and builds today.

Thirty seeds are generated and loaded in both languages; a few are built
(email edition, English and Russian) and read back. The generator is
exercised here so that a change to the model that it no longer follows
fails in one place, with the seed that shows it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import yaml

from bulletin.manifest.load import load_issue
from bulletin.model.issue import Stats, Story
from generated import (
    MAX_ASPECT,
    MAX_PHOTOS,
    MAX_STORIES,
    MAX_WORDS,
    MIN_ASPECT,
    MIN_STORIES,
    MIN_WORDS,
    RU_LONGER,
    GeneratedIssue,
    make_issue,
)
from generated_builds import GeneratedBuilds, seed_param

SEEDS = range(30)
# Built in both languages: a short issue, one with a four-photo story and
# portrait photos, and one of six stories with two call-outs.
BUILT_SEEDS = (2, 16, 20)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@pytest.fixture(scope="module")
def generated(generated_builds: GeneratedBuilds) -> dict[int, GeneratedIssue]:
    return {seed: generated_builds.issue(seed) for seed in SEEDS}


def _texts(issue: GeneratedIssue) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = issue.root / "issues" / issue.month
    source = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    translation = yaml.safe_load((folder / "issue.ru.yaml").read_text(encoding="utf-8"))
    return source, translation


def test_every_generated_issue_validates_in_both_languages(
    generated: dict[int, GeneratedIssue],
) -> None:
    for seed, issue in generated.items():
        assert issue.languages == ("en", "ru"), seed
        english = load_issue(issue.root, issue.month)
        russian = load_issue(issue.root, issue.month, language="ru")
        assert english.publication.name != "IOM Central Asia Bulletin"
        assert russian.language == "ru"
        stories = [block for block in english.issue.stories if isinstance(block, Story)]
        stats = [block for block in english.issue.stories if isinstance(block, Stats)]
        assert (len(stories), len(stats)) == (issue.stories, issue.stats), seed


def test_generated_issues_keep_their_ranges(generated: dict[int, GeneratedIssue]) -> None:
    story_counts, words, photo_counts, aspects = [], [], [], []
    for issue in generated.values():
        story_counts.append(issue.stories)
        words.extend(issue.words.values())
        loaded = load_issue(issue.root, issue.month)
        for block in loaded.issue.stories:
            if isinstance(block, Story):
                photo_counts.append(len(block.photos))
        aspects.extend(photo.aspect for photo in issue.photos.values())

    assert min(story_counts) >= MIN_STORIES and max(story_counts) <= MAX_STORIES
    assert min(words) >= MIN_WORDS and max(words) <= MAX_WORDS
    assert max(photo_counts) <= MAX_PHOTOS
    assert min(aspects) >= MIN_ASPECT - 0.01 and max(aspects) <= MAX_ASPECT + 0.01
    # The seeds cover the ranges, not one corner of them.
    assert min(words) < 120 and max(words) > 1200
    assert min(story_counts) <= 4 and max(story_counts) >= 12
    assert 4 in photo_counts
    assert min(aspects) < 0.7 and max(aspects) > 2.3


def test_the_russian_text_is_15_to_25_percent_longer(
    generated: dict[int, GeneratedIssue],
) -> None:
    low, high = RU_LONGER
    for seed, issue in generated.items():
        source, translation = _texts(issue)
        for block in source["stories"]:
            text = translation["stories"][block["id"]]
            field = "intro" if block.get("kind") == "stats" else "body"
            ratio = len(text[field]) / len(block[field])
            assert low <= ratio <= high, (seed, block["id"], ratio)
            assert CYRILLIC.search(text[field]) and CYRILLIC.search(text["title"])


def test_photos_are_drawn_with_their_subjects_inside(
    generated: dict[int, GeneratedIssue],
) -> None:
    with_faces = 0
    for issue in generated.values():
        for photo in issue.photos.values():
            width, height = photo.size
            assert photo.path.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
            for left, top, right, bottom in (*photo.faces, photo.subject):
                assert 0 <= left < right <= width and 0 <= top < bottom <= height
            for face in photo.faces:
                assert photo.subject[0] <= face[0] and face[2] <= photo.subject[2]
            with_faces += bool(photo.faces)
    photos = sum(len(issue.photos) for issue in generated.values())
    assert 0.4 * photos < with_faces < 0.9 * photos


def test_a_seed_writes_the_same_files_every_time(tmp_path: Path) -> None:
    def digests(root: Path) -> dict[str, str]:
        return {
            path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((root / "issues").rglob("*"))
            if path.is_file()
        }

    first = make_issue(7, tmp_path / "a")
    second = make_issue(7, tmp_path / "b")
    other = make_issue(8, tmp_path / "c")

    assert digests(first.root) == digests(second.root)
    assert digests(first.root) != digests(other.root)


@pytest.mark.parametrize("seed", [seed_param(seed) for seed in BUILT_SEEDS])
def test_generated_issues_build_with_the_standard_layout(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    issue = generated_builds.issue(seed)
    results = list(generated_builds.email(seed).values())

    assert [result.language for result in results] == ["en", "ru"]
    for result, language in zip(results, (None, "ru"), strict=True):
        loaded = load_issue(issue.root, issue.month, language=language)
        assert result.page_count <= loaded.publication.page_budget
        document = pdfium.PdfDocument(result.path)
        try:
            printed = " ".join(
                " ".join(page.get_textpage().get_text_range().split()) for page in document
            )
        finally:
            document.close()
        for block in loaded.issue.stories:
            assert block.title in printed, (seed, result.language, block.title)
