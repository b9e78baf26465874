"""Compose the pictures shown where a link to an issue is shared: page 1 with the lead photo.

One composition serves every size: the archive site's Open Graph picture
(1200 × 630) and the social images of ``bulletin preview`` (1200 × 630 and
1080 × 1080). Each function returns a Pillow image and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont, ImageOps

from bulletin.html.layout import issue_date_label
from bulletin.manifest.load import LoadedIssue

OPEN_GRAPH = (1200, 630)
"""The size Open Graph and Twitter's large card show best, in pixels."""
SQUARE = (1080, 1080)
"""The square size of a post on most social networks, in pixels."""
SOCIAL_SIZES = (OPEN_GRAPH, SQUARE)
"""The sizes ``bulletin preview`` makes."""
_PAPER = (244, 246, 249)
_BOLD = "NotoSans-Bold.ttf"
_REGULAR = "NotoSans-Regular.ttf"


@dataclass(frozen=True)
class CardText:
    """The words on a card, in the issue's language."""

    name: str
    """The publication's name."""
    month: str
    """The issue's month ("May 2021")."""
    number: str
    """"Issue 5", or ``""``."""


def lead_photo(paths: list[Path]) -> Image.Image | None:
    """Return the first photo that opens, upright and in RGB, or ``None`` without one."""
    for path in paths:
        try:
            with Image.open(path) as opened:
                return ImageOps.exif_transpose(opened).convert("RGB")
        except OSError:
            continue
    return None


def issue_card(
    loaded: LoadedIssue, page: Image.Image, photo: Image.Image | None, size: tuple[int, int]
) -> Image.Image:
    """Return the picture of the issue in ``loaded``'s language, from ``page`` 1 and ``photo``."""
    labels, issue = loaded.labels, loaded.issue
    text = CardText(
        name=loaded.publication.name,
        month=_capitalised(issue_date_label(issue.date, loaded.language)),
        number=f"{labels['issue']} {issue.number}" if issue.number else "",
    )
    colors = (loaded.publication.colors.primary, loaded.publication.colors.accent)
    return compose_card(size, page, photo, text, colors, loaded.root / "fonts")


def _capitalised(text: str) -> str:
    # "май 2021 г." heads a card as "Май 2021 г.".
    return text[:1].upper() + text[1:]


def compose_card(
    size: tuple[int, int],
    page: Image.Image,
    photo: Image.Image | None,
    text: CardText,
    colors: tuple[str, str],
    fonts: Path,
) -> Image.Image:
    """Return a ``size`` picture of the issue: ``page`` (page 1), the lead ``photo``, its name.

    A landscape card sets page 1 on paper at the left and the photo above a
    band of the primary colour with the words; a square card puts the photo
    on top, the words below and page 1 across both. Without a photo, the
    accent colour takes its place.
    """
    width, height = size
    primary, accent = (ImageColor.getrgb(color)[:3] for color in colors)
    card = Image.new("RGB", size, primary)
    if width >= height * 1.3:
        paper_width = round(width * 0.36)
        band = round(height * 0.34)
        card.paste(_PAPER, (0, 0, paper_width, height))
        _place_photo(card, photo, accent, (paper_width, 0, width, height - band))
        page_box = _fit_page(page, round(height * 0.88), paper_width - 48)
        x = (paper_width - page_box.width) // 2
        y = (height - page_box.height) // 2
        _paste_page(card, page_box, (x, y))
        _words(card, text, fonts, (paper_width + 48, height - band + 26, width - 48, height - 26))
    else:
        top = round(height * 0.56)
        _place_photo(card, photo, accent, (0, 0, width, top))
        page_box = _fit_page(page, round(height * 0.58), round(width * 0.42))
        x = width - 60 - page_box.width
        y = height - 60 - page_box.height
        _paste_page(card, page_box, (x, y))
        _words(card, text, fonts, (60, top + 48, x - 40, height - 60))
    return card


def _place_photo(
    card: Image.Image,
    photo: Image.Image | None,
    accent: tuple[int, int, int],
    box: tuple[int, int, int, int],
) -> None:
    left, top, right, bottom = box
    if photo is None:
        card.paste(accent, box)
        return
    fitted = ImageOps.fit(photo, (right - left, bottom - top), Image.Resampling.LANCZOS)
    card.paste(fitted, (left, top))


def _fit_page(page: Image.Image, height: int, width: int) -> Image.Image:
    scale = min(height / page.height, width / page.width)
    size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
    return page.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def _paste_page(card: Image.Image, page: Image.Image, at: tuple[int, int]) -> None:
    """Paste ``page`` at ``at`` with a soft shadow, as a sheet lying on the card."""
    x, y = at
    margin = 24
    shadow = Image.new("L", (page.width + 2 * margin, page.height + 2 * margin), 0)
    ImageDraw.Draw(shadow).rectangle(
        (margin, margin + 6, margin + page.width, margin + page.height + 6), fill=110
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(10))
    card.paste((16, 24, 40), (x - margin, y - margin), shadow)
    card.paste(page, (x, y))


def _words(card: Image.Image, text: CardText, fonts: Path, box: tuple[int, int, int, int]) -> None:
    """Set the name, month and number in ``box``, each line shrunk until it fits its width."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(card)
    width = right - left
    space = bottom - top
    lines = [(text.name, _REGULAR, 0.16), (text.month, _BOLD, 0.40)]
    if text.number:
        lines.append((text.number, _REGULAR, 0.16))
    total = sum(share for _, _, share in lines)
    fitted = []
    for words, face, share in lines:
        size = max(12, round(space * share / total * 0.8))
        font = ImageFont.truetype(str(fonts / face), size)
        while size > 12 and draw.textlength(words, font=font) > width:
            size -= 2
            font = ImageFont.truetype(str(fonts / face), size)
        fitted.append((_clip(draw, words, font, width), font, size))
    # The lines as a block, centred in the height they have.
    height = sum(round(size * 1.3) for _, _, size in fitted) - round(fitted[-1][2] * 0.3)
    y = top + max(0, (space - height) // 2) - round(fitted[0][2] * 0.2)
    for words, font, size in fitted:
        draw.text((left, y), words, font=font, fill=(255, 255, 255))
        y += round(size * 1.3)


def _clip(draw: ImageDraw.ImageDraw, words: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """Return ``words`` cut with an ellipsis where even the smallest size does not fit."""
    if draw.textlength(words, font=font) <= width:
        return words
    while words and draw.textlength(words + "…", font=font) > width:
        words = words[:-1]
    return words.rstrip() + "…"
