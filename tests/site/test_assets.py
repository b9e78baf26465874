"""The site's images and fonts: web photos upright and small, covers of page 1, font subsets."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image

from bulletin.build import BuildResult
from bulletin.site.assets import (
    COVER_WIDTH,
    FONT_UNICODES,
    PHOTO_WIDTH,
    prepare_photo,
    render_cover,
    subset_font,
)


def test_a_large_photo_is_made_web_wide_as_jpeg(tmp_path: Path) -> None:
    Image.new("RGB", (PHOTO_WIDTH * 2, PHOTO_WIDTH), "#468").save(tmp_path / "big.jpg")
    picture = prepare_photo(tmp_path / "big.jpg")
    assert (picture.suffix, picture.width, picture.height) == (
        ".jpg",
        PHOTO_WIDTH,
        PHOTO_WIDTH // 2,
    )
    with Image.open(io.BytesIO(picture.data)) as image:
        assert (image.format, image.size) == ("JPEG", (PHOTO_WIDTH, PHOTO_WIDTH // 2))


def test_a_small_photo_is_never_enlarged(tmp_path: Path) -> None:
    Image.new("RGB", (300, 200)).save(tmp_path / "small.png")
    picture = prepare_photo(tmp_path / "small.png")
    assert (picture.suffix, picture.width, picture.height) == (".jpg", 300, 200)


def test_a_photo_is_turned_upright_from_its_exif_orientation(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise when shown
    Image.new("RGB", (400, 200)).save(tmp_path / "turned.jpg", exif=exif.tobytes())
    picture = prepare_photo(tmp_path / "turned.jpg")
    assert (picture.width, picture.height) == (200, 400)


def test_a_transparent_photo_stays_transparent_as_png(tmp_path: Path) -> None:
    Image.new("RGBA", (100, 100), (0, 0, 0, 0)).save(tmp_path / "logo.png")
    picture = prepare_photo(tmp_path / "logo.png")
    assert picture.suffix == ".png"
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_the_cover_is_page_one_of_the_pdf(sample_build: BuildResult) -> None:
    cover = render_cover(sample_build.path)
    assert (cover.suffix, cover.width) == (".jpg", COVER_WIDTH)
    # A4 is 1 : √2.
    assert abs(cover.height / cover.width - 2**0.5) < 0.01


def test_a_font_subset_keeps_the_bulletins_scripts(sample_root: Path) -> None:
    source = sample_root / "fonts" / "NotoSerif-Regular.ttf"
    data = subset_font(source)
    assert data[:4] == b"wOF2"
    font = TTFont(io.BytesIO(data))
    kept = set(font.getBestCmap())
    wanted = {ord("A"), ord("ж"), ord("Ә"), ord("€"), ord("№")}
    assert wanted <= set(FONT_UNICODES)
    assert wanted <= kept
    # Nothing beyond the scripts asked for (Greek, say) is kept.
    assert ord("λ") not in kept
    assert len(data) < source.stat().st_size / 2
