"""No crop keeps less than 60 % of a photo, whatever its story's photos: read from plan and PDF."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from bulletin.build import typeset_issue
from bulletin.compose import Plan
from bulletin.compose.crops import MIN_KEPT
from bulletin.errors import PhotoError
from bulletin.manifest.load import load_issue
from bulletin.model.issue import Story
from bulletin.photos.placement import measure_placements
from generated import draw_photo, make_issue
from generated_builds import GeneratedBuilds, plan_languages, seed_param

# Shapes (width over height) of the photos of one story each: portraits
# beside panoramas, four photos of mixed shapes, and past the generator's
# range (1:2 and 3:1).
MIXES = (
    (2 / 3, 21 / 9),
    (21 / 9, 2 / 3, 2 / 3, 21 / 9),
    (2 / 3, 2 / 3, 2 / 3, 21 / 9),
    (21 / 9, 21 / 9, 21 / 9, 2 / 3),
    (2 / 3, 21 / 9, 1.0),
    (21 / 9, 2 / 3, 16 / 9, 4 / 5),
    (1 / 2, 1 / 2, 3.0, 3.0),
)
# Generated issues whose Russian edition, held to the English crops, was
# once cropped to less than half of some photos.
SEEDS = (0, 3)


def _set_photos(root: Path, month: str, mixes: tuple[tuple[float, ...], ...]) -> None:
    """Give the issue's stories, in order, photos of the shapes of ``mixes``."""
    folder = root / "issues" / month
    manifest, translation = folder / "issue.yaml", folder / "issue.ru.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    texts = yaml.safe_load(translation.read_text(encoding="utf-8"))
    stories = [block for block in data["stories"] if block.get("kind", "story") == "story"]
    assert len(stories) >= len(mixes)
    rng = random.Random(13)
    for story, mix in zip(stories, mixes, strict=False):
        entries, entries_ru = [], []
        for number, aspect in enumerate(mix):
            relative = f"photos/{story['id']}-mix-{number}.jpg"
            draw_photo(folder / relative, rng, aspect=aspect)
            entries.append({"file": relative, "alt": "A photo", "credit": {"by": "IOM"}})
            entries_ru.append({"alt": "Фото", "credit": {"by": "МОМ"}})
        story["photos"] = entries
        texts["stories"][story["id"]]["photos"] = entries_ru
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    translation.write_text(yaml.safe_dump(texts, allow_unicode=True, sort_keys=False))


def _plans(root: Path, month: str) -> dict[str, Plan]:
    plans = plan_languages(root, month)
    assert list(plans) == ["en", "ru"]
    return plans


def _kept_in_pdf(plan: Plan, root: Path, month: str) -> dict[Path, float]:
    """Return the share of each photo the laid-out pages show, from the engine's image boxes."""
    loaded = load_issue(root, month)
    sources = {
        Path(photo.file).resolve().as_uri(): Path(photo.file).resolve()
        for block in loaded.issue.stories
        if isinstance(block, Story)
        for photo in block.photos
    }
    found = {}
    for placement in measure_placements(plan.laid_out.document, sources):
        left, top, right, bottom = placement.crop
        found[placement.source] = (right - left) * (bottom - top)
    assert set(found) == set(sources.values())
    return found


def _assert_floor(plans: dict[str, Plan], root: Path, month: str) -> None:
    for language, plan in plans.items():
        for block, choice in plan.layout.choices.items():
            kept = [size.kept for size in choice.photos]
            assert all(share >= MIN_KEPT - 1e-9 for share in kept), (language, block, kept)
        shown = _kept_in_pdf(plan, root, month)
        # The engine rounds a frame to its pixels: 60 % may show as 59.999 %.
        assert min(shown.values()) >= MIN_KEPT - 1e-4, (language, min(shown.values()))
    # And each photo is cropped to the same shape in both languages.
    assert plans["en"].crops == pytest.approx(plans["ru"].crops, rel=1e-6)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Plan]]:
    issue = make_issue(0, tmp_path_factory.mktemp("mixed") / "project")
    _set_photos(issue.root, issue.month, MIXES)
    return issue.root, issue.month, _plans(issue.root, issue.month)


def test_stories_of_unlike_photos_keep_60_percent_of_each(
    mixed: tuple[Path, str, dict[str, Plan]],
) -> None:
    root, month, plans = mixed
    _assert_floor(plans, root, month)


def test_a_portrait_beside_panoramas_is_set_in_rows_of_its_own(
    mixed: tuple[Path, str, dict[str, Plan]],
) -> None:
    # Two 1:2 portraits and two 3:1 panoramas: no one scale holds the rows
    # within their crops, so each row is set at a height of its own (the
    # portraits side by side: alone across the width, one would be a panorama).
    root, month, plans = mixed
    loaded = load_issue(root, month)
    story = [block for block in loaded.issue.stories if isinstance(block, Story)][6]
    for plan in plans.values():
        choice = plan.layout.choices[story.id]
        assert choice.rows in (((0, 1), (2, 3)), ((0, 1), (2,), (3,))), choice.rows
        portraits, panoramas = choice.photos[0].height_mm, choice.photos[2].height_mm
        assert portraits > 2 * panoramas


@pytest.mark.parametrize("seed", [seed_param(seed) for seed in SEEDS])
def test_generated_issues_keep_60_percent_of_every_photo(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    issue = generated_builds.issue(seed)
    plans = {language: generated_builds.plan(seed, language) for language in issue.languages}
    _assert_floor(plans, issue.root, issue.month)


def test_a_photo_no_treatment_holds_is_refused(tmp_path: Path) -> None:
    # A 1:5 strip is taller than any column allows with 60 % of it kept.
    issue = make_issue(8, tmp_path / "project")
    _set_photos(issue.root, issue.month, ((1 / 5,),))
    with pytest.raises(PhotoError) as raised:
        typeset_issue(load_issue(issue.root, issue.month), write=False)
    assert str(raised.value) == (
        f"issues/{issue.month}/issue.yaml:20:3: stories[0].photos: no treatment frames these "
        "photos with at least 60 % of each kept: a photo narrower than about 1:4 or wider "
        "than about 6:1, or one far unlike the others beside it, has no frame — crop it "
        "nearer 3:2 before adding it, or leave it out"
    )


def test_a_portrait_beside_two_landscapes_is_composed_in_both_languages(tmp_path: Path) -> None:
    # The photos of a story of generated issue 42 (4:5, 2:1 and 7:3): the
    # only rows once tried (the portrait alone across the width, the others
    # below) held them at no scale, the story had no candidate, and the
    # composer stopped with an AssertionError. They are set in other rows now.
    issue = make_issue(8, tmp_path / "project")
    _set_photos(issue.root, issue.month, ((0.8, 2.0, 2.34),))
    plans = _plans(issue.root, issue.month)
    _assert_floor(plans, issue.root, issue.month)
    for plan in plans.values():
        assert plan.laid_out.page_count == plan.predicted_pages
