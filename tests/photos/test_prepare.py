"""The image pipeline: each photo made with Pillow into the pixels its placement needs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from bulletin.photos.check import PhotoInfo
from bulletin.photos.placement import WHOLE, Placement
from bulletin.photos.prepare import PhotoJob, plan_photos, prepare_photo

ORIENTATION = 0x0112


def job(path: Path, width_in: float, height_in: float, crop: tuple[float, ...] = WHOLE) -> PhotoJob:
    with Image.open(path) as image:
        width, height = image.size
        if image.getexif().get(ORIENTATION, 1) in {5, 6, 7, 8}:
            width, height = height, width
        jpeg = image.format == "JPEG"
    left, top, right, bottom = crop
    return PhotoJob(path, (width, height), jpeg, (left, top, right, bottom), width_in, height_in)


def test_exif_orientation_is_applied_and_removed(tmp_path: Path) -> None:
    # Stored landscape, red on the left; Orientation 6 means "rotate 90° clockwise to view".
    stored = Image.new("RGB", (400, 200), "blue")
    stored.paste("red", (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    source = tmp_path / "portrait.jpg"
    stored.save(source, quality=95, exif=exif)

    photo = prepare_photo(job(source, 1, 2), ppi=100, quality=90, cache_dir=tmp_path / "cache")

    with Image.open(photo.path) as prepared:
        assert prepared.size == (100, 200)
        assert ORIENTATION not in prepared.getexif()
        top_red, _, _ = prepared.convert("RGB").getpixel((50, 20))
        _, _, bottom_blue = prepared.convert("RGB").getpixel((50, 180))
    assert (top_red, bottom_blue) > (200, 200)


def test_cmyk_becomes_rgb(tmp_path: Path) -> None:
    source = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (300, 200), (255, 0, 0, 0)).save(source, quality=95)  # pure cyan

    photo = prepare_photo(job(source, 1.5, 1), ppi=100, quality=90, cache_dir=tmp_path)

    with Image.open(photo.path) as prepared:
        assert (prepared.format, prepared.mode, prepared.size) == ("JPEG", "RGB", (150, 100))
        red, green, blue = prepared.getpixel((75, 50))
    assert red < 30 and green > 220 and blue > 220


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    source = tmp_path / "deep.png"
    Image.new("I;16", (200, 100), 40000).save(source)

    photo = prepare_photo(job(source, 2, 1), ppi=50, quality=90, cache_dir=tmp_path)

    with Image.open(photo.path) as prepared:
        assert (prepared.format, prepared.mode, prepared.size) == ("PNG", "L", (100, 50))
        assert prepared.getpixel((50, 25)) == pytest.approx(40000 * 255 / 65535, abs=1)


def test_png_logo_keeps_its_transparency(tmp_path: Path) -> None:
    logo = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    logo.paste((0, 51, 160, 255), (100, 50, 300, 150))
    source = tmp_path / "logo.png"
    logo.save(source)

    photo = prepare_photo(job(source, 2, 1), ppi=100, quality=90, cache_dir=tmp_path)

    with Image.open(photo.path) as prepared:
        assert (prepared.format, prepared.mode, prepared.size) == ("PNG", "RGBA", (200, 100))
        assert prepared.getpixel((5, 5))[3] == 0
        assert prepared.getpixel((100, 50)) == (0, 51, 160, 255)


def test_a_small_photo_is_never_enlarged(tmp_path: Path) -> None:
    source = tmp_path / "small.jpg"
    Image.new("RGB", (300, 200), "grey").save(source)

    photo = prepare_photo(job(source, 6, 4), ppi=300, quality=90, cache_dir=tmp_path)

    assert (photo.width, photo.height) == (300, 200)
    assert photo.ppi == pytest.approx(50)


def test_only_the_part_that_shows_is_kept(tmp_path: Path) -> None:
    # object-fit: cover showing the middle half of a 3:2 photo in a 3:4 box.
    source = tmp_path / "wide.jpg"
    wide = Image.new("RGB", (1200, 800), "black")
    wide.paste("white", (300, 0, 900, 800))
    wide.save(source, quality=95)

    photo = prepare_photo(
        job(source, 1.5, 2, crop=(0.25, 0, 0.75, 1)), ppi=200, quality=90, cache_dir=tmp_path
    )

    with Image.open(photo.path) as prepared:
        assert prepared.size == (300, 400)
        assert min(prepared.convert("L").getextrema()) > 240  # no black from the hidden sides


def test_metadata_and_colour_profile_are_stripped(tmp_path: Path) -> None:
    source = tmp_path / "camera.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Camera model"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (600, 400), (200, 120, 40)).save(
        source, quality=95, exif=exif, icc_profile=srgb
    )

    photo = prepare_photo(job(source, 3, 2), ppi=100, quality=85, cache_dir=tmp_path)

    with Image.open(photo.path) as prepared:
        assert not prepared.getexif()
        assert "icc_profile" not in prepared.info
        assert prepared.getpixel((150, 100)) == pytest.approx((200, 120, 40), abs=3)


def test_prepared_photos_are_cached_by_content_size_and_quality(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    Image.new("RGB", (800, 600), "teal").save(source)
    cache = tmp_path / "cache"

    first = prepare_photo(job(source, 4, 3), ppi=100, quality=80, cache_dir=cache)
    again = prepare_photo(job(source, 4, 3), ppi=100, quality=80, cache_dir=cache)
    other_quality = prepare_photo(job(source, 4, 3), ppi=100, quality=70, cache_dir=cache)
    other_size = prepare_photo(job(source, 4, 3), ppi=120, quality=80, cache_dir=cache)
    Image.new("RGB", (800, 600), "olive").save(source)
    other_content = prepare_photo(job(source, 4, 3), ppi=100, quality=80, cache_dir=cache)

    assert (first.fresh, again.fresh) == (True, False)
    assert again.path == first.path
    assert other_quality.fresh and other_size.fresh and other_content.fresh
    assert len({first.path, other_quality.path, other_size.path, other_content.path}) == 4
    assert first.url == f"bulletin-photo:{first.path.name}"


def test_a_photo_placed_twice_is_made_for_its_largest_placement(tmp_path: Path) -> None:
    source = tmp_path / "twice.jpg"
    info = {source: PhotoInfo(source, 1800, 1200, "JPEG")}
    same_crop = (0.0, 0.1, 1.0, 0.9)
    placements = [
        Placement(source, 0, same_crop, 3.0, 1.6),
        Placement(source, 2, same_crop, 6.0, 3.2),
    ]
    other_crop = [*placements, Placement(source, 3, WHOLE, 2.0, 2 / 1.5)]

    (same,) = plan_photos(placements, info)
    (mixed,) = plan_photos(other_crop, info)

    assert (same.crop, same.width_in, same.height_in) == (same_crop, 6.0, pytest.approx(3.2))
    assert (mixed.crop, mixed.width_in, mixed.height_in) == (WHOLE, 6.0, pytest.approx(4.0))


def test_an_image_with_an_unusual_mode_is_converted(tmp_path: Path) -> None:
    source = tmp_path / "palette.png"
    palette = Image.new("P", (100, 100), 3)
    palette.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    palette.paste(1, (0, 0, 50, 100))
    palette.save(source, transparency=3)
    stream = io.BytesIO(source.read_bytes())

    photo = prepare_photo(job(source, 1, 1), ppi=50, quality=90, cache_dir=tmp_path)

    with Image.open(stream) as original, Image.open(photo.path) as prepared:
        assert original.mode == "P"
        assert (prepared.mode, prepared.size) == ("RGBA", (50, 50))
        assert prepared.getpixel((5, 25)) == (255, 0, 0, 255)
        assert prepared.getpixel((45, 25))[3] == 0
