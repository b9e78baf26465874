"""Generate placeholder photos for the sample issues.

The real photos of the IOM Central Asia bulletin are not available, so each
photo referenced by ``issues/2021-05/issue.yaml`` is stood in for by a JPEG
that is plainly a placeholder: a calm, muted gradient with soft geometric
shapes and, centred in white, the words "PLACEHOLDER PHOTO" above the place
and date of the photo it replaces. The June 2021 issue is a demonstration
issue for the archive site; its photos stand in for nothing and say so.

Output is deterministic (no randomness, no timestamps, no EXIF), so rerunning
the script rewrites byte-identical files.  Usage, from the repository root::

    .venv/bin/python scripts/make_placeholder_photos.py
"""

import colorsys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont


@dataclass(frozen=True)
class Placeholder:
    """One placeholder photo: output file name, caption text, base hue and issue."""

    file: str
    place: str
    date_text: str
    hue: int  # degrees on the colour wheel, 0-359
    month: str = "2021-05"  # the issue folder the photo belongs to


# Placeholder(file name, place, date text shown on the image, hue in degrees)
PHOTOS: tuple[Placeholder, ...] = (
    Placeholder("istanbul-2021-05-26.jpg", "Istanbul", "26 May 2021", 212),
    Placeholder("kazakhstan-2021-05.jpg", "Kazakhstan", "May 2021", 34),
    Placeholder("bishkek-2021-05.jpg", "Bishkek", "May 2021", 148),
    Placeholder("tashkent-2021-05-22.jpg", "Tashkent", "22 May 2021", 186),
    Placeholder("dushanbe-2021-05-25.jpg", "Dushanbe", "25 May 2021", 262),
    Placeholder("almaty-2021-05-28.jpg", "Almaty", "28 May 2021", 340),
    # New rows go last: a photo's shapes depend on its position in this list.
    Placeholder("demonstration-archive-2021-06.jpg", "Demonstration", "June 2021", 20, "2021-06"),
    Placeholder("demonstration-site-2021-06.jpg", "Demonstration", "June 2021", 200, "2021-06"),
)

REPO_ROOT = Path(__file__).resolve().parent.parent
ISSUES_DIR = REPO_ROOT / "issues"
FONT_CANDIDATES: tuple[Path, ...] = (
    REPO_ROOT / "fonts" / "NotoSans-Bold.ttf",
    Path("/tmp/noto/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
)

SIZE = (1800, 1200)
JPEG_QUALITY = 85
TITLE_TEXT = "PLACEHOLDER PHOTO"
TITLE_SIZE = 118
CAPTION_SIZE = 62

RGB = tuple[int, int, int]


def hsv(hue: float, saturation: float, value: float) -> RGB:
    """Convert a hue in degrees plus saturation/value in 0-1 to an RGB triple."""
    r, g, b = colorsys.hsv_to_rgb((hue % 360) / 360, saturation, value)
    return round(r * 255), round(g * 255), round(b * 255)


def find_font() -> Path:
    """Return the first existing bold font, preferring the repository's own copy."""
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(path) for path in FONT_CANDIDATES)
    raise FileNotFoundError(f"NotoSans-Bold.ttf not found; looked in: {searched}")


def gradient(hue: int) -> Image.Image:
    """Diagonal two-tone gradient, lighter at the top left, darker at the bottom right."""
    width, height = SIZE
    vertical = Image.linear_gradient("L").resize(SIZE, Image.Resampling.BICUBIC)
    # Rotating the top-to-bottom ramp a quarter turn makes it run left to right.
    horizontal = Image.linear_gradient("L").rotate(90).resize(SIZE, Image.Resampling.BICUBIC)
    mask = Image.blend(vertical, horizontal, 0.4)
    light = Image.new("RGB", (width, height), hsv(hue, 0.34, 0.58))
    dark = Image.new("RGB", (width, height), hsv(hue + 16, 0.42, 0.30))
    return Image.composite(dark, light, mask)


def shapes(index: int) -> Image.Image:
    """Soft, faint geometric overlay: concentric rings plus two large discs."""
    width, height = SIZE

    # Concentric rings around a centre that moves from corner to corner per photo.
    rings = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(rings)
    corners = ((width, height), (0, height), (width, 0), (0, 0))
    cx, cy = corners[index % len(corners)]
    for radius in range(140, 2200, 110):
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            outline=(255, 255, 255, 30),
            width=3,
        )

    # Two large soft discs, placed by simple arithmetic on the index.
    discs = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(discs)
    disc_x = 360 + (index * 270) % 1100
    disc_y = 300 + (index * 190) % 600
    draw.ellipse((disc_x - 330, disc_y - 330, disc_x + 330, disc_y + 330), fill=(255, 255, 255, 22))
    draw.ellipse(
        (width - disc_x - 250, height - disc_y - 250, width - disc_x + 250, height - disc_y + 250),
        fill=(0, 0, 0, 26),
    )

    layer = rings.filter(ImageFilter.GaussianBlur(1))
    layer.alpha_composite(discs.filter(ImageFilter.GaussianBlur(6)))
    return layer


def text_layers(spec: Placeholder, font_path: Path) -> tuple[Image.Image, Image.Image]:
    """Return (blurred shadow layer, crisp white text layer) for the centred labels."""
    width, height = SIZE
    title_font = ImageFont.truetype(str(font_path), TITLE_SIZE)
    caption_font = ImageFont.truetype(str(font_path), CAPTION_SIZE)
    caption = f"{spec.place} · {spec.date_text}"
    centre_x = width // 2
    title_y = height // 2 - 70
    rule_y = height // 2 + 12
    caption_y = height // 2 + 80

    def paint(colour: tuple[int, int, int, int]) -> Image.Image:
        layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        draw.text((centre_x, title_y), TITLE_TEXT, font=title_font, fill=colour, anchor="mm")
        draw.line((centre_x - 90, rule_y, centre_x + 90, rule_y), fill=colour, width=4)
        draw.text((centre_x, caption_y), caption, font=caption_font, fill=colour, anchor="mm")
        return layer

    shadow = paint((0, 0, 0, 110)).filter(ImageFilter.GaussianBlur(10))
    return shadow, paint((255, 255, 255, 255))


def render(spec: Placeholder, index: int, font_path: Path) -> Image.Image:
    """Compose one placeholder photo as an RGB image."""
    image = gradient(spec.hue).convert("RGBA")
    image.alpha_composite(shapes(index))
    shadow, text = text_layers(spec, font_path)
    image.alpha_composite(shadow)
    image.alpha_composite(text)
    return image.convert("RGB")


def main() -> None:
    """Write every placeholder photo listed in PHOTOS, one line of output per file."""
    font_path = find_font()
    for index, spec in enumerate(PHOTOS):
        path = ISSUES_DIR / spec.month / "photos" / spec.file
        path.parent.mkdir(parents=True, exist_ok=True)
        # Pillow writes no EXIF unless asked; untagged RGB JPEG is read as sRGB.
        render(spec, index, font_path).save(
            path, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:2:0"
        )
        size_kb = path.stat().st_size / 1024
        print(f"wrote {path.relative_to(REPO_ROOT)} ({SIZE[0]}x{SIZE[1]}, {size_kb:.0f} KB)")


if __name__ == "__main__":
    main()
