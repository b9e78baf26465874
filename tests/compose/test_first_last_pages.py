"""Page 1 and the last page of generated issues leave no hole a reader sees.

Measured from the rendered pages (:mod:`bulletin.preflight.whitespace`): on
page 1, around the masthead and the contents list (a region that starts
above the list's foot), and on the last page, where the closing block
grows into a back page, no empty region is larger than 15 cm². The seeds
cover issues with and without a back photo, an ``about:`` text and a
website, of 3 to 15 stories, in English and Russian.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from bulletin.build import issue_typesetter
from bulletin.engine.tree import first_with_class, page_box
from bulletin.html import contract
from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from bulletin.preflight.whitespace import (
    LARGEST_EMPTY_CM2,
    PX_PER_MM_CSS,
    PageSpace,
    layout_type_areas,
    measure_pdf,
)
from conftest import REPO
from generated_builds import GeneratedBuilds, seed_param

# seed: (stories, back photo, about, website) as the generator writes them.
SEEDS = {
    1: (14, True, True, True),
    2: (3, True, True, False),
    7: (5, False, True, True),
    8: (3, False, False, True),
    10: (10, True, True, True),
}


@pytest.mark.parametrize(
    ("seed", "language"),
    [seed_param(seed, language) for seed in SEEDS for language in ("en", "ru")],
)
def test_page_one_and_the_last_page_have_no_hole(
    generated_builds: GeneratedBuilds, seed: int, language: str
) -> None:
    issue = generated_builds.issue(seed)
    manifest = yaml.safe_load((issue.root / "issues" / issue.month / "issue.yaml").read_text())
    publication = yaml.safe_load((issue.root / "issues" / "publication.yaml").read_text())
    # The seed still writes the issue it was chosen for.
    assert (
        issue.stories,
        "back_photo" in manifest,
        "about" in publication,
        "website" in publication,
    ) == SEEDS[seed]
    result = generated_builds.email(seed)[language]
    pages = measure_pdf(result.path, layout_type_areas(REPO / "layouts" / "standard"))
    foot = _contents_foot(issue.root, issue.month, language)
    found = {
        f"seed {seed} {language} page 1, above {foot:.0f} mm": _holes(pages[0], foot),
        f"seed {seed} {language} page {len(pages)} (the last)": _holes(pages[-1]),
    }
    assert found == {where: [] for where in found}


def test_the_seeds_cover_the_back_page_fields() -> None:
    for field in range(1, 4):
        assert {SEEDS[seed][field] for seed in SEEDS} == {True, False}
    assert min(value[0] for value in SEEDS.values()) == 3
    assert max(value[0] for value in SEEDS.values()) >= 14


def _contents_foot(root: Path, month: str, language: str) -> float:
    """Return where the contents list ends on page 1 (mm from the page top), laid out alone."""
    loaded = load_issue(root, month, language=language)
    pages = {block.id: 1 for block in loaded.issue.stories}
    html = render_html(loaded, blocks=(), pages=pages)
    document = issue_typesetter(loaded).render_pdf(html, write=False).document
    found = first_with_class(page_box(document.pages[0]), contract.CONTENTS)
    assert found is not None
    return float(found.border_box_y() + found.border_height()) / PX_PER_MM_CSS


def _holes(space: PageSpace, above: float = math.inf) -> list[tuple[float, tuple[float, ...]]]:
    """Return the regions over the target that start above ``above`` mm: area cm², box mm."""
    return [
        (region.area_cm2, tuple(round(edge) for edge in region.box))
        for region in space.regions
        if region.area_cm2 > LARGEST_EMPTY_CM2 and region.box[1] < above
    ]
