"""The back photo shows the same part of itself in every language, whatever room each leaves.

The back photo is set the full width of the page, so its height is its
crop. Each language's pages leave their own room on the last page; the
photo takes the least height any language can give it, and a language with
more room grows its back panel instead. Read back from the written email
editions of generated issues whose languages, planned alone, wanted the back
photo at different heights (seed 1: English 97 mm, Russian 61 mm; seed 2:
61 and 87 mm; seed 10: 73 and 99 mm).
"""

from __future__ import annotations

import pikepdf
import pytest

from bulletin.manifest.load import load_issue
from generated_builds import GeneratedBuilds, seed_param
from pdf_images import PlacedImage, placed_images

MM = 72 / 25.4


@pytest.mark.parametrize("seed", [seed_param(seed) for seed in (1, 2, 10)])
def test_the_back_photo_has_one_crop_in_every_language(
    generated_builds: GeneratedBuilds, seed: int
) -> None:
    issue = generated_builds.issue(seed)
    assert issue.languages == ("en", "ru")
    back = load_issue(issue.root, issue.month).issue.back_photo
    assert back is not None
    source = (issue.root / "issues" / issue.month / back.file).resolve()
    shown: dict[str, PlacedImage] = {}
    for language, result in generated_builds.email(seed).items():
        [prepared] = [photo for photo in result.photos if photo.source.resolve() == source]
        with pikepdf.open(result.path) as pdf:
            last = len(pdf.pages) - 1
            found = [
                image
                for image in placed_images(pdf)
                if (image.width_px, image.height_px) == (prepared.width, prepared.height)
            ]
        # Once, on the last page.
        assert [image.page for image in found] == [last], language
        shown[language] = found[0]
    english, russian = shown["en"], shown["ru"]
    # The same box, so the same part of the photo (the edition's photo is
    # made for its frame: cut to the part that shows, from the same focus).
    assert (russian.width_px, russian.height_px) == (english.width_px, english.height_px)
    assert _size_mm(russian) == pytest.approx(_size_mm(english), abs=0.3)
    assert russian.crop == pytest.approx(english.crop, abs=0.002)
    # The photo keeps at least the layout's own 60 mm.
    assert _size_mm(english)[1] >= 59.5


def _size_mm(image: PlacedImage) -> tuple[float, float]:
    x0, y0, x1, y1 = image.shown
    return ((x1 - x0) / MM, (y1 - y0) / MM)
