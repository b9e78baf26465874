"""The back panel holds its addresses: no line runs past its padding, however long they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bulletin.build import typeset_issue
from bulletin.engine.tree import children, class_names, page_boxes
from bulletin.manifest.load import load_issue
from generated import make_issue
from generated_builds import GeneratedBuilds, seed_param

PX_PER_MM = 96 / 25.4
# Rounding of the engine's positions (px).
TOLERANCE_PX = 0.5


def _text_beyond(document: Any) -> list[tuple[str, float]]:
    """Return each text of the back panel past its content edges, and by how much (mm)."""
    found: list[tuple[str, float]] = []

    def walk(box: Any, left: float, right: float) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str) and text.strip():
            x = box.position_x
            over = max(x + box.width - right, left - x)
            if over > TOLERANCE_PX:
                found.append((text, round(over / PX_PER_MM, 1)))
        for child in children(box):
            walk(child, left, right)

    def find(box: Any) -> None:
        for child in children(box):
            if "back-panel" in class_names(child):
                left = child.content_box_x()
                walk(child, left, left + child.width)
            else:
                find(child)

    for page in page_boxes(document):
        find(page)
    return found


def _panel_count(document: Any) -> int:
    """Return how many back panels the layout holds."""

    def count(box: Any) -> int:
        return sum(
            1 if "back-panel" in class_names(child) else count(child) for child in children(box)
        )

    return sum(count(page) for page in page_boxes(document))


@pytest.mark.parametrize("seed", [seed_param(2), seed_param(7)])
def test_the_offices_addresses_stay_inside_the_back_panel(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    # Generated issues 2 and 7 have addresses of 38 to 41 characters
    # ("info.azerbaijan@mountainvillagestrust.org"): in three columns they ran
    # past the panel's padding, and its edge; the grid now takes two.
    document = generated_builds.plan(seed, "en").laid_out.document
    assert _panel_count(document) == 1
    assert _text_beyond(document) == []


def test_an_address_longer_than_the_panel_wraps_inside_it(tmp_path: Path) -> None:
    issue = make_issue(2, tmp_path / "project")
    path = issue.root / "issues" / "publication.yaml"
    publication = yaml.safe_load(path.read_text(encoding="utf-8"))
    long_local = "communications.partnerships.and.regional.programmes.department"
    publication["contacts"]["offices"][0]["emails"].append(f"{long_local}@example.org")
    publication["social"] = [
        {
            "label": "Follow us on Facebook",
            "url": "https://facebook.com/" + "-".join(["mountain-villages-trust"] * 6),
        }
    ]
    path.write_text(yaml.safe_dump(publication, allow_unicode=True, sort_keys=False))
    document = typeset_issue(load_issue(issue.root, issue.month), write=False).laid_out.document
    assert _panel_count(document) == 1
    assert _text_beyond(document) == []
