"""Where the layout places each photo, and the part of it that shows, as the engine paints it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bulletin.pdf.typeset import Typesetter
from bulletin.photos.placement import WHOLE, measure_placements

PAGE = "<style>@page { size: 6in 6in; margin: 0.5in } img { display: block }</style>"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder with a 400 × 200 photo (wide) and a 200 × 400 one (tall)."""
    Image.new("RGB", (400, 200), "#246").save(tmp_path / "wide.jpg")
    Image.new("RGB", (200, 400), "#642").save(tmp_path / "tall.jpg")
    return tmp_path


def _placements(
    folder: Path, sample_root: Path, body: str
) -> list[tuple[str, int, tuple[float, ...], float, float]]:
    typesetter = Typesetter(
        base_dir=folder, folders=[folder], fonts_dir=sample_root / "fonts", source="test.html"
    )
    laid = typesetter.render_pdf(PAGE + body, write=False)
    sources = {name: folder / name for name in ("wide.jpg", "tall.jpg")}
    return [
        (
            p.source.name,
            p.page,
            tuple(round(c, 4) for c in p.crop),
            round(p.width_in, 4),
            round(p.height_in, 4),
        )
        for p in measure_placements(laid.document, sources)
    ]


def test_a_cover_crop_shows_the_middle_of_a_wide_photo(folder: Path, sample_root: Path) -> None:
    body = '<img src="wide.jpg" style="width: 2in; height: 2in; object-fit: cover">'
    assert _placements(folder, sample_root, body) == [
        ("wide.jpg", 0, (0.25, 0.0, 0.75, 1.0), 2.0, 2.0)
    ]


def test_object_position_moves_the_crop(folder: Path, sample_root: Path) -> None:
    body = (
        '<img src="tall.jpg" style="width: 2in; height: 1in; object-fit: cover;'
        ' object-position: top">'
    )
    assert _placements(folder, sample_root, body) == [
        ("tall.jpg", 0, (0.0, 0.0, 1.0, 0.25), 2.0, 1.0)
    ]


def test_a_contained_photo_shows_whole_at_the_size_drawn(folder: Path, sample_root: Path) -> None:
    body = '<img src="wide.jpg" style="width: 2in; height: 2in; object-fit: contain">'
    assert _placements(folder, sample_root, body) == [("wide.jpg", 0, WHOLE, 2.0, 1.0)]


def test_each_photo_is_found_on_its_page_and_others_are_left_out(
    folder: Path, sample_root: Path
) -> None:
    Image.new("RGB", (10, 10)).save(folder / "logo.png")
    body = (
        '<img src="logo.png" style="width: 1in">'
        '<img src="wide.jpg" style="width: 4in">'
        '<img src="tall.jpg" style="width: 1in; break-before: page">'
        '<img src="wide.jpg" style="width: 0; height: 0">'
    )
    assert _placements(folder, sample_root, body) == [
        ("wide.jpg", 0, WHOLE, 4.0, 2.0),
        ("tall.jpg", 1, WHOLE, 1.0, 2.0),
    ]
