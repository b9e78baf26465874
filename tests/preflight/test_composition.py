"""Preflight of the composition: holes the plan leaves, crops past their limit, photos astray."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from bulletin.build import issue_typesetter, typeset_issue
from bulletin.compose import Plan
from bulletin.compose.shapes import PhotoSize
from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from bulletin.model.issue import Story
from bulletin.preflight.composition import check_crops, check_holes, check_photo_pages
from bulletin.preflight.inspect import inspect_issue
from bulletin.preflight.source import IssueText
from conftest import SAMPLE, SAMPLE_MONTH, copy_sample
from generated_builds import GeneratedBuilds, seed_param

ISSUE = f"issues/{SAMPLE_MONTH}/issue.yaml"


def _shorten(project: Path, story: str) -> None:
    """Keep only the first paragraph of ``story`` in the project's sample issue."""
    manifest = project / ISSUE
    data = yaml.safe_load(manifest.read_text())
    for block in data["stories"]:
        if block["id"] == story:
            paragraphs = block["body"].split("\n\n")
            assert len(paragraphs) > 1
            block["body"] = paragraphs[0] + "\n"
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@pytest.mark.parametrize("seed", [seed_param(8)])
def test_a_large_back_panel_is_reported(generated_builds: GeneratedBuilds, seed: int) -> None:
    # Generated issue 8 is short of its fourth page: the back panel grows into
    # the room its stories leave on the last.
    issue = generated_builds.issue(seed)
    report = inspect_issue(issue.root, issue.month)
    assert report.pages == 4
    composition = [finding for finding in report.findings if finding.check == "composition"]
    assert [str(finding) for finding in composition] == [
        f"issues/{issue.month}/issue.yaml:47:3: warning: stories[3]: page 4: the back panel "
        'grows 78 mm (140 cm²) to fill the page after "Local road repair helps three '
        "districts in Osh\" — the issue's own content fills it better: lengthen the stories "
        "by about 17 lines a column, or add a photo, a pull quote or a short story"
    ]
    assert [(f.story, f.severity) for f in composition] == [
        ("local-road-repair-helps-three", "warning")
    ]


def test_sample_plan_leaves_no_hole_to_report(sample_plans: dict[str, Plan]) -> None:
    plan = sample_plans["en"]
    assert plan.holes == ()
    assert inspect_issue(SAMPLE, SAMPLE_MONTH).findings == ()


@pytest.mark.parametrize("seed", [seed_param(1)])
def test_holes_too_small_to_see_are_not_reported(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    # Generated issue 1 leaves 3 mm at the foot of page 5 and 4 mm at that of
    # page 8: under the 15 cm² a reader sees.
    issue = generated_builds.issue(seed)
    loaded = load_issue(issue.root, issue.month)
    plan = generated_builds.plan(seed, "en")
    assert [(hole.page, round(hole.height_mm)) for hole in plan.holes] == [(5, 3), (8, 4)]
    assert list(check_holes(IssueText(loaded), plan)) == []


@pytest.fixture(scope="module")
def squeezed(sample_plans: dict[str, Plan]) -> tuple[IssueText, object]:
    """The sample laid out with its first photo forced into a frame a third as tall."""
    loaded = load_issue(SAMPLE, SAMPLE_MONTH)
    plan = sample_plans["en"]
    choice = plan.layout.choices["almaty-process"]
    photo = choice.photos[0]
    low = PhotoSize(photo.width_mm, photo.height_mm / 3, photo.aspect * 3, photo.kept / 3)
    layout = dataclasses.replace(
        plan.layout,
        choices={
            **plan.layout.choices,
            "almaty-process": dataclasses.replace(choice, photos=(low,)),
        },
    )
    html = render_html(loaded, plan=layout, pages=plan.pages)
    document = issue_typesetter(loaded).render_pdf(html, write=False).document
    return IssueText(loaded), document


def test_photo_cropped_past_its_limit_is_reported(squeezed: tuple[IssueText, object]) -> None:
    # The composer never crops past the limit, so the frame is forced here; the
    # check measures what the engine paints in it.
    issue, document = squeezed
    assert [str(finding) for finding in check_crops(issue, document)] == [
        f"{ISSUE}:14:15: warning: stories[0].photos[0].file: photo "
        '"photos/istanbul-2021-05-26.jpg" shows only 30% of itself on page 1: a crop keeps '
        "at least 60% — give the story a photo closer to the shape of its frame, or "
        "another photo"
    ]


def test_sample_crops_keep_their_limit(sample_plans: dict[str, Plan]) -> None:
    loaded = load_issue(SAMPLE, SAMPLE_MONTH)
    document = sample_plans["en"].laid_out.document
    issue = IssueText(loaded)
    assert list(check_crops(issue, document)) == []
    assert list(check_photo_pages(issue, document)) == []


def test_room_on_the_last_page_is_not_reported_over_the_budget(tmp_path: Path) -> None:
    # The sample with one story cut to its first paragraph takes 4 pages; with
    # a budget of 3 the budget check asks to shorten the stories, and the room
    # the back panel grows into on the last page is no reason to lengthen them.
    project = copy_sample(tmp_path / "project")
    _shorten(project, "migration-focal-points-retreat")
    publication = project / "issues" / "publication.yaml"
    text = publication.read_text()
    assert "page_budget: 8" in text
    publication.write_text(text.replace("page_budget: 8", "page_budget: 3"))
    plan = typeset_issue(load_issue(project, SAMPLE_MONTH), write=False)
    assert [(hole.page, round(hole.height_mm)) for hole in plan.holes if hole.closing] == [(4, 125)]
    report = inspect_issue(project, SAMPLE_MONTH)
    assert [str(finding) for finding in report.findings] == [
        "issues/publication.yaml:11:14: error: page_budget: the issue takes 4 pages but the "
        'budget is 3: "Returned migrants rate their reintegration sessions" and the contacts '
        "run onto page 4 — shorten stories, or raise page_budget",
    ]


@pytest.mark.parametrize("seed", [seed_param(6)])
def test_a_hole_at_a_page_foot_is_reported(generated_builds: GeneratedBuilds, seed: int) -> None:
    # Generated issue 6: page 5 ends 21 mm short, for the next story's head
    # and first lines need more room than that; the check names both stories.
    issue = generated_builds.issue(seed)
    loaded = load_issue(issue.root, issue.month)
    plan = generated_builds.plan(seed, "en")
    assert [str(finding) for finding in check_holes(IssueText(loaded), plan)] == [
        f"issues/{issue.month}/issue.yaml:57:3: warning: stories[3]: page 5: a hole 21 mm tall "
        'across the page (38 cm²) at its foot, after "New youth forum starts with teachers in '
        'Khujand": "First survey reaches three districts in Shymkent" does not fit there and '
        'starts on page 6 — lengthen "New youth forum starts with teachers in Khujand" by '
        "about 4 lines a column, or give it a photo or a pull quote",
    ]


@pytest.mark.parametrize("seed", [seed_param(2)])
def test_photos_away_from_their_text_are_reported(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    # Generated issue 2's story of four photos, forced into four rows across
    # the width: taller together than a page, the first two stay on page 3
    # with the headline and the text starts on page 4.
    issue = generated_builds.issue(seed)
    loaded = load_issue(issue.root, issue.month)
    plan = generated_builds.plan(seed, "en")
    story = loaded.issue.stories[1]
    assert isinstance(story, Story) and len(story.photos) == 4
    tall = tuple(PhotoSize(180.0, 110.0, 180 / 110, 0.9) for _ in story.photos)
    choice = dataclasses.replace(
        plan.layout.choices[story.id], treatment="group", photos=tall, rows=((0,), (1,), (2,), (3,))
    )
    layout = dataclasses.replace(plan.layout, choices={**plan.layout.choices, story.id: choice})
    html = render_html(loaded, plan=layout, pages=plan.pages)
    document = issue_typesetter(loaded).render_pdf(html, write=False).document
    away = (
        'of "Open school programme supports teachers" is on page 3, away from its text '
        "(pages 4-5): the story's photos are taller together than a page takes — give the "
        "story fewer photos, so that they and its first lines share a page"
    )
    assert [str(finding) for finding in check_photo_pages(IssueText(loaded), document)] == [
        f"issues/{issue.month}/issue.yaml:37:11: warning: stories[1].photos[0].file: photo 1 "
        + away,
        f"issues/{issue.month}/issue.yaml:43:11: warning: stories[1].photos[1].file: photo 2 "
        + away,
    ]
    # Laid out as planned, every photo shares a page with its text.
    assert list(check_photo_pages(IssueText(loaded), plan.laid_out.document)) == []
