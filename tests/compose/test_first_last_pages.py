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
from typing import Any

import pytest
import yaml

from bulletin.build import build_issue, issue_typesetter
from bulletin.engine.tree import class_names, page_box
from bulletin.html import contract
from bulletin.html.layout import render_html
from bulletin.manifest.load import load_issue
from bulletin.preflight.whitespace import PX_PER_MM_CSS, Box, PageSpace, measure_pdf, type_areas_of
from conftest import REPO
from generated import make_issue

HOLE_CM2 = 15.0
# seed: (stories, back photo, about, website) as the generator writes them.
SEEDS = {
    2: (3, True, True, False),
    7: (5, False, True, True),
    8: (3, False, False, True),
    10: (10, True, True, True),
    40: (15, False, False, False),
}
TWO_PAGES = """<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css"></head>
<body><p>one</p><p style="break-before: page">two</p></body></html>"""


@pytest.fixture(scope="module")
def type_areas() -> tuple[Box, ...]:
    from weasyprint import HTML

    layout = REPO / "layouts" / "standard"
    return type_areas_of(HTML(string=TWO_PAGES, base_url=f"{layout}/").render())


@pytest.fixture(scope="module", params=sorted(SEEDS), ids=lambda seed: f"seed{seed}")
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    type_areas: tuple[Box, ...],
) -> tuple[int, dict[str, tuple[list[PageSpace], float]]]:
    seed = request.param
    root = tmp_path_factory.mktemp(f"seed{seed}")
    issue = make_issue(seed, root)
    manifest = yaml.safe_load((root / "issues" / issue.month / "issue.yaml").read_text())
    publication = yaml.safe_load((root / "issues" / "publication.yaml").read_text())
    # The seed still writes the issue it was chosen for.
    assert (
        issue.stories,
        "back_photo" in manifest,
        "about" in publication,
        "website" in publication,
    ) == SEEDS[seed]
    spaces = {
        result.language: (
            measure_pdf(result.path, type_areas),
            _contents_foot(root, issue.month, result.language),
        )
        for result in build_issue(root, issue.month, root / "out", edition="email")
    }
    assert sorted(spaces) == ["en", "ru"]
    return seed, spaces


def _contents_foot(root: Path, month: str, language: str) -> float:
    """Return where the contents list ends on page 1 (mm from the page top), laid out alone."""
    loaded = load_issue(root, month, language=language)
    pages = {block.id: 1 for block in loaded.issue.stories}
    html = render_html(loaded, blocks=(), pages=pages)
    document = issue_typesetter(loaded).render_pdf(html, write=False).document
    found = _find(page_box(document.pages[0]), contract.CONTENTS)
    assert found is not None
    return float(found.border_box_y() + found.border_height()) / PX_PER_MM_CSS


def _find(box: Any, name: str) -> Any:
    for child in getattr(box, "children", None) or ():
        if name in class_names(child):
            return child
        found = _find(child, name)
        if found is not None:
            return found
    return None


def _holes(space: PageSpace, above: float = math.inf) -> list[tuple[float, tuple[float, ...]]]:
    return [
        (region.area_cm2, tuple(round(edge) for edge in region.box))
        for region in space.regions
        if region.area_cm2 > HOLE_CM2 and region.box[1] < above
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_page_one_has_no_hole_around_the_contents(
    built: tuple[int, dict[str, tuple[list[PageSpace], float]]], language: str
) -> None:
    seed, spaces = built
    pages, foot = spaces[language]
    assert _holes(pages[0], foot) == [], f"seed {seed} {language}: page 1 (area cm², box mm)"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_last_page_has_no_hole(
    built: tuple[int, dict[str, tuple[list[PageSpace], float]]], language: str
) -> None:
    seed, spaces = built
    last = spaces[language][0][-1]
    assert _holes(last) == [], f"seed {seed} {language}: page {last.page} (area cm², box mm)"


def test_the_seeds_cover_the_back_page_fields() -> None:
    for field in range(1, 4):
        assert {SEEDS[seed][field] for seed in SEEDS} == {True, False}
    assert min(value[0] for value in SEEDS.values()) == 3
    assert max(value[0] for value in SEEDS.values()) == 15
