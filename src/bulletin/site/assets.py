"""Make the archive site's images and fonts: web photos, covers of page 1, font subsets.

Each function returns bytes and leaves writing to :mod:`bulletin.site.build`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

PHOTO_WIDTH = 1200
"""Widest a photo is on an issue page, in pixels (twice the text column)."""
PHOTO_QUALITY = 82
COVER_WIDTH = 520
"""Width of the picture of page 1, in pixels (twice its width on the index page)."""
COVER_QUALITY = 85
# Latin (with Turkish, Uzbek and Turkmen letters), Cyrillic (with Kazakh,
# Kyrgyz and Tajik letters), punctuation, currency, №: the text of a bulletin.
FONT_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x2B9, 0x2E0),
    *range(0x300, 0x370),
    *range(0x400, 0x530),
    *range(0x1E00, 0x1F00),
    *range(0x2000, 0x2070),
    *range(0x20A0, 0x20C1),
    *(0x2116, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193, 0x2212),
]
SITE_FONTS = (
    "NotoSerif-Regular.ttf",
    "NotoSerif-Italic.ttf",
    "NotoSerif-Bold.ttf",
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
)
"""The faces the site's style sheet uses, from the project's ``fonts/``."""


@dataclass(frozen=True)
class Picture:
    """An image made for the site, still in memory."""

    data: bytes
    """The file's bytes."""
    suffix: str
    """``.jpg`` or ``.png``."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""


def prepare_photo(path: Path) -> Picture:
    """Return ``path`` upright, at most :data:`PHOTO_WIDTH` wide, as JPEG (PNG if transparent)."""
    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened)
    if image.width > PHOTO_WIDTH:
        height = round(image.height * PHOTO_WIDTH / image.width)
        image = image.resize((PHOTO_WIDTH, height), Image.Resampling.LANCZOS)
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        return _encode(image.convert("RGBA"), "PNG")
    return _encode(image.convert("RGB"), "JPEG", quality=PHOTO_QUALITY)


def render_cover(pdf: Path, *, width: int = COVER_WIDTH) -> Picture:
    """Return page 1 of ``pdf`` as a JPEG ``width`` pixels wide (:data:`COVER_WIDTH`)."""
    [image] = render_pages(pdf, width=width, pages=1)
    return _encode(image, "JPEG", quality=COVER_QUALITY)


def render_pages(pdf: Path, *, width: int, pages: int | None = None) -> list[Image.Image]:
    """Return the pages of ``pdf`` (the first ``pages`` of them) as RGB images ``width`` wide."""
    # Imported here: only the site and the previews render PDF pages.
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document) if pages is None else min(pages, len(document))):
            page = document[index]
            page_width, _ = page.get_size()
            images.append(page.render(scale=width / page_width).to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    return images


def encode_jpeg(image: Image.Image, quality: int = COVER_QUALITY) -> Picture:
    """Return ``image`` as an optimised, progressive JPEG."""
    return _encode(image.convert("RGB"), "JPEG", quality=quality)


def subset_font(path: Path) -> bytes:
    """Return the font at ``path`` cut down to the bulletin's scripts, as WOFF2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FONT_UNICODES)
    subsetter.subset(font)
    stream = io.BytesIO()
    font.flavor = "woff2"
    font.save(stream)
    return stream.getvalue()


def _encode(image: Image.Image, kind: str, **options: int) -> Picture:
    stream = io.BytesIO()
    if kind == "JPEG":
        image.save(stream, "JPEG", optimize=True, progressive=True, **options)
    else:
        image.save(stream, "PNG", optimize=True)
    suffix = ".jpg" if kind == "JPEG" else ".png"
    return Picture(stream.getvalue(), suffix, image.width, image.height)
