"""Photos: bad ones are refused with a message naming the file; unusual ones are placed right."""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from bulletin.build import build_issue
from bulletin.errors import PhotoError
from bulletin.manifest.load import load_issue
from bulletin.photos.check import check_photos

PHOTO = "photos/istanbul-2021-05-26.jpg"
WHERE = "issues/2021-05/issue.yaml:14:15: stories[0].photos[0].file: photo 'photos/"
SIZE = (300, 200)


def _png(path: Path, size: tuple[int, int], depth: int, color_type: int, row: bytes) -> None:
    """Write a PNG by hand: bit depths and sizes Pillow will not write, at no cost."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    width, height = size
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + row) * height)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _picture() -> Image.Image:
    """Return a red picture with a blue top-left quarter: orientation shows at a glance."""
    image = Image.new("RGB", SIZE, (255, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, SIZE[0] // 2 - 1, SIZE[1] // 2 - 1), fill=(0, 0, 255))
    return image


def _problems(project: Path) -> list[str]:
    with pytest.raises(PhotoError) as caught:
        check_photos(load_issue(project, "2021-05"))
    return [str(problem) for problem in caught.value.problems]


def _svg(reference: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="200">'
        f'<image xlink:href="{reference}" width="300" height="200"/></svg>\n'
    ).encode()


BAD_PHOTOS: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "empty",
        lambda path: path.write_bytes(b""),
        "istanbul-2021-05-26.jpg' is an empty file: export the photo again",
    ),
    (
        "truncated",
        lambda path: path.write_bytes(path.read_bytes()[:5000]),
        "istanbul-2021-05-26.jpg' cannot be read, it may be truncated or damaged (image file "
        "is truncated (2 bytes not processed)): export it again",
    ),
    (
        "not_an_image",
        lambda path: path.write_text("Sixth Senior Officials Meeting, notes\n"),
        "istanbul-2021-05-26.jpg' is not an image (or not a JPEG or PNG): export it again",
    ),
    (
        "gif",
        lambda path: _picture().save(path, "GIF"),
        "istanbul-2021-05-26.jpg' is a GIF image: save it as JPEG (photos) or PNG (graphics)",
    ),
    (
        "svg",
        lambda path: path.write_bytes(_svg("data:,")),
        "istanbul-2021-05-26.jpg' is an SVG drawing, not a photo: export it as PNG or JPEG",
    ),
    (
        "svg_reading_outside_the_issue",
        lambda path: path.write_bytes(_svg("file:///etc/passwd")),
        "istanbul-2021-05-26.jpg' is an SVG drawing, not a photo: export it as PNG or JPEG",
    ),
    (
        "over_the_pixel_limit",
        lambda path: _png(path, (10_001, 10_000), 8, 0, b""),
        "istanbul-2021-05-26.jpg' is 10001x10000 pixels (100 megapixels); the most a photo "
        "may have is 100: scale it down",
    ),
    (
        "decompression_bomb",
        lambda path: _png(path, (50_000, 50_000), 1, 0, b""),
        "istanbul-2021-05-26.jpg' has more than 100 megapixels: scale it down",
    ),
]


@pytest.mark.parametrize(
    ("make", "message"),
    [(make, message) for _, make, message in BAD_PHOTOS],
    ids=[case for case, _, _ in BAD_PHOTOS],
)
def test_a_bad_photo_is_refused_naming_the_file(
    project: Path, make: Callable[[Path], object], message: str
) -> None:
    make(project / "issues/2021-05" / PHOTO)
    assert _problems(project) == [WHERE + message]


def test_every_bad_photo_is_reported_at_once(project: Path) -> None:
    photos = project / "issues/2021-05/photos"
    (photos / "istanbul-2021-05-26.jpg").write_bytes(b"")
    (photos / "almaty-2021-05-28.jpg").write_text("not a photo")
    assert _problems(project) == [
        WHERE + "istanbul-2021-05-26.jpg' is an empty file: export the photo again",
        "issues/2021-05/issue.yaml:102:15: stories[5].photos[0].file: photo "
        "'photos/almaty-2021-05-28.jpg' is not an image (or not a JPEG or PNG): export it again",
    ]


def test_a_photo_just_under_the_pixel_limit_is_used(project: Path) -> None:
    # Pillow warns from 89 megapixels; the limit that counts is ours.
    path = project / "issues/2021-05" / PHOTO
    _png(path, (10_000, 9_500), 1, 0, bytes(1250))
    info = check_photos(load_issue(project, "2021-05"))[path.resolve()]
    assert (info.width, info.height, info.format) == (10_000, 9_500, "PNG")


def _exif_rotated(path: Path) -> None:
    # Stored on its side, with EXIF orientation 6 ("rotate 90° clockwise to view"),
    # as a camera held upright writes it.
    exif = Image.Exif()
    exif[0x0112] = 6
    _picture().transpose(Image.Transpose.ROTATE_90).save(path, "JPEG", exif=exif.tobytes())


def _transparent(path: Path) -> None:
    image = _picture().convert("RGBA")
    image.putalpha(128)
    image.save(path, "PNG")


def _gray16(path: Path) -> None:
    # Left half black, right half white, in 16 bits.
    half = SIZE[0] // 2
    _png(path, SIZE, 16, 0, b"\x00\x00" * half + b"\xff\xff" * half)


UNUSUAL: dict[str, tuple[Callable[[Path], object], str]] = {
    "cmyk.jpg": (lambda path: _picture().convert("CMYK").save(path, "JPEG"), "CMYK"),
    "exif-rotated.jpg": (_exif_rotated, "RGB"),
    "gray16.png": (_gray16, "I;16"),
    "rgb16.png": (lambda path: _png(path, SIZE, 16, 2, b"\xff\xff\x00\x00\x00\x00" * 300), "RGB"),
    "palette.png": (lambda path: _picture().convert("P").save(path, "PNG"), "P"),
    "transparent.png": (_transparent, "RGBA"),
}


@pytest.fixture
def unusual(project: Path) -> Path:
    """Return the project with its six photos replaced by unusual but valid ones."""
    folder = project / "issues/2021-05"
    manifest = folder / "issue.yaml"
    text = manifest.read_text()
    old = sorted({line.split("file: ")[1] for line in text.splitlines() if "file: photos/" in line})
    for before, name in zip(old, UNUSUAL, strict=True):
        UNUSUAL[name][0](folder / "photos" / name)
        text = text.replace(before, f"photos/{name}")
    manifest.write_text(text)
    return project


def test_unusual_photos_pass_the_check_upright(unusual: Path) -> None:
    photos = check_photos(load_issue(unusual, "2021-05"))
    found = {path.name: (info.width, info.height, info.mode) for path, info in photos.items()}
    assert found == {name: (*SIZE, mode) for name, (_, mode) in UNUSUAL.items()}


def test_unusual_photos_are_placed_right(
    unusual: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    [result] = build_issue(unusual, "2021-05", tmp_path / "out", language="en", edition="email")
    assert [r.getMessage() for r in caplog.records] == []
    images = {}
    with pikepdf.open(result.path) as pdf:
        for page in pdf.pages:
            for image in page.get_images().values():
                images[image.objgen] = image
        placed = sorted(
            (
                int(image.Width),
                int(image.Height),
                str(image.ColorSpace),
                int(image.BitsPerComponent),
                "/SMask" in image,
                [float(x) for x in image.get("/Decode", [])],
            )
            for image in images.values()
        )
    # The image pipeline (bulletin.photos.prepare) converts every photo to 8-bit RGB or
    # grey, upright, cropped to its frame and never enlarged.
    assert len(placed) == len(UNUSUAL)
    # Cropped to the frame's shape: the full width or the full height is kept.
    assert all(
        width <= SIZE[0] and height <= SIZE[1] and (width == SIZE[0] or height == SIZE[1])
        for width, height, *_ in placed
    ), placed
    assert sorted(space for _, _, space, *_ in placed) == ["/DeviceGray"] + ["/DeviceRGB"] * 5
    assert all(bits == 8 and decode == [] for _, _, _, bits, _, decode in placed)
    assert [mask for *_, mask, _ in placed].count(True) == 1  # transparency kept as a mask
    assert not list(tmp_path.glob("**/*.tmp"))
