"""Make the pictures of an issue: a PNG of every page, a contact sheet, the social images.

``bulletin preview`` writes them to ``out/MONTH/preview/``, to look at, to
send for approval, or to post: each page at 150 ppi, every page of the issue
on one sheet, and the issue's card at the sizes social media show (page 1
with the lead photo, as the archive site shares it).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bulletin.build import build_issue
from bulletin.errors import BulletinError
from bulletin.html.layout import issue_date_label
from bulletin.manifest.load import LoadedIssue, load_issue
from bulletin.model.issue import Story
from bulletin.output import write_output
from bulletin.preview.social import SOCIAL_SIZES, issue_card, lead_photo
from bulletin.site.assets import render_pages

PREVIEW_DIR = "preview"
"""The previews' folder in the issue's output folder."""
PAGE_WIDTH = 1240
"""Width of a page's PNG in pixels: an A4 page at 150 ppi."""
SHEET_COLUMNS = 4
"""Pages side by side on the contact sheet."""
SHEET_PAGE_WIDTH = 420
"""Width of a page on the contact sheet, in pixels."""
_PAPER = (232, 235, 240)
_INK = (28, 35, 48)


@dataclass(frozen=True)
class Picture:
    """A picture ``bulletin preview`` wrote."""

    path: Path
    """The PNG file."""
    kind: str
    """``page``, ``contact sheet`` or ``social``."""
    language: str
    """The issue's language it shows."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""


def make_previews(
    root: Path, month: str, out: Path, *, language: str | None = None
) -> list[Picture]:
    """Build the issue's on-screen edition, then write its pictures to ``out/MONTH/preview/``.

    Every language the issue has, or only ``language``. The folder holds this
    run's pictures only: a page an issue no longer has is removed.
    """
    source = load_issue(root, month)
    names = source.publication.editions.names()
    if not names:
        raise BulletinError.single("issues/publication.yaml", "editions: no edition to preview")
    edition = "email" if "email" in names else names[0]
    results = build_issue(root, month, out, language=language, edition=edition)
    main = source.publication.language
    stories = [block for block in source.issue.stories if isinstance(block, Story)]
    lead = lead_photo([Path(photo.file) for story in stories for photo in story.photos])

    files: dict[Path, tuple[bytes, Picture]] = {}
    folder = out / month / PREVIEW_DIR
    for result in results:
        loaded = (
            source if result.language == main else load_issue(root, month, language=result.language)
        )
        suffix = "" if result.language == main else f"-{result.language}"
        pages = render_pages(result.path, width=PAGE_WIDTH)
        for number, page in enumerate(pages, start=1):
            _add(files, folder / f"page-{number:02d}{suffix}.png", page, "page", result.language)
        sheet = _contact_sheet(loaded, pages)
        _add(files, folder / f"contact-sheet{suffix}.png", sheet, "contact sheet", result.language)
        for size in SOCIAL_SIZES:
            card = issue_card(loaded, pages[0], lead, size)
            name = f"social-{size[0]}x{size[1]}{suffix}.png"
            _add(files, folder / name, card, "social", result.language)

    for path, (data, _) in files.items():
        write_output(path, data)
    if language is None:
        # The folder is this issue's previews: what this run did not make is stale.
        for stale in folder.glob("*.png"):
            if stale not in files:
                stale.unlink()
    return [picture for _, picture in files.values()]


def _add(
    files: dict[Path, tuple[bytes, Picture]],
    path: Path,
    image: Image.Image,
    kind: str,
    language: str,
) -> None:
    stream = io.BytesIO()
    image.save(stream, "PNG", optimize=True)
    files[path] = (stream.getvalue(), Picture(path, kind, language, image.width, image.height))


def _contact_sheet(loaded: LoadedIssue, pages: Sequence[Image.Image]) -> Image.Image:
    """Return every page of the issue on one sheet, in rows, under the issue's name."""
    fonts = loaded.root / "fonts"
    title_font = ImageFont.truetype(str(fonts / "NotoSans-Bold.ttf"), 34)
    label_font = ImageFont.truetype(str(fonts / "NotoSans-Regular.ttf"), 22)
    columns = min(SHEET_COLUMNS, len(pages))
    rows = -(-len(pages) // columns)
    scale = SHEET_PAGE_WIDTH / pages[0].width
    page_height = round(pages[0].height * scale)
    gap, margin, header, label = 40, 60, 90, 40
    width = 2 * margin + columns * SHEET_PAGE_WIDTH + (columns - 1) * gap
    height = 2 * margin + header + rows * (page_height + label) + (rows - 1) * gap
    sheet = Image.new("RGB", (width, height), _PAPER)
    draw = ImageDraw.Draw(sheet)
    month = issue_date_label(loaded.issue.date, loaded.language)
    count = loaded.labels["page"]
    draw.text(
        (margin, margin),
        f"{loaded.publication.name} — {month}",
        font=title_font,
        fill=_INK,
    )
    for index, page in enumerate(pages):
        row, column = divmod(index, columns)
        x = margin + column * (SHEET_PAGE_WIDTH + gap)
        y = margin + header + row * (page_height + label + gap)
        thumbnail = page.resize((SHEET_PAGE_WIDTH, page_height), Image.Resampling.LANCZOS)
        draw.rectangle(
            (x - 1, y - 1, x + SHEET_PAGE_WIDTH, y + page_height), outline=(190, 196, 206)
        )
        sheet.paste(thumbnail, (x, y))
        draw.text(
            (x, y + page_height + 8),
            f"{count} {index + 1}",
            font=label_font,
            fill=_INK,
        )
    return sheet
