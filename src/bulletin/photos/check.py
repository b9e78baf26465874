"""Check the issue's photos before anything is laid out."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from bulletin.errors import PhotoError, Problem
from bulletin.manifest.load import LoadedIssue

MAX_PIXELS = 100_000_000
FORMATS = frozenset({"JPEG", "PNG"})
# Pixel modes the layout engine places as they are. WeasyPrint 70 has no
# case for 16-bit greyscale ("I;16", from a 16-bit PNG): it logs "Unknown
# image mode" and prints noise (weasyprint/images.py, RasterImage).


@dataclass(frozen=True)
class PhotoInfo:
    """What the layout needs to know of a photo file."""

    path: Path
    """The photo file."""
    width: int
    """Width in pixels, after EXIF orientation."""
    height: int
    """Height in pixels, after EXIF orientation."""
    format: str
    """File format as Pillow names it ("JPEG", "PNG")."""
    mode: str = "RGB"
    """Pixel mode as Pillow names it ("RGB", "CMYK", "I;16")."""


def check_photos(
    loaded: LoadedIssue, *, checked: MutableMapping[tuple[Path, int, int], PhotoInfo] | None = None
) -> dict[Path, PhotoInfo]:
    """Return every photo of the issue, decoded once; raise one error listing all bad ones.

    ``checked`` keeps the photos found sound by an earlier call, by file,
    modification time and size: those are not decoded again.
    """
    found: dict[Path, PhotoInfo] = {}
    problems: list[Problem] = []
    for loc, photo in loaded.issue.placed_photos():
        path = Path(photo.file)
        if path in found:
            continue
        try:
            found[path] = _inspect_once(path, checked)
        except _Unusable as reason:
            shown = path.relative_to(loaded.issue_dir.resolve()).as_posix()
            problems.append(loaded.problem(loc, f"photo '{shown}' {reason}"))
    if problems:
        raise PhotoError(problems)
    return found


def photo_unusable(path: Path) -> str | None:
    """Return why the photo at ``path`` cannot be used ("is an empty file: …"), or None."""
    try:
        _inspect(path)
    except _Unusable as reason:
        return str(reason)
    return None


def _inspect_once(
    path: Path, checked: MutableMapping[tuple[Path, int, int], PhotoInfo] | None
) -> PhotoInfo:
    if checked is None:
        return _inspect(path)
    try:
        stat = path.stat()
    except OSError:
        return _inspect(path)  # which says what is wrong
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in checked:
        checked[key] = _inspect(path)
    return checked[key]


class _Unusable(Exception):
    """Why a photo cannot be used, in words for the user."""


@contextmanager
def _strict_loading() -> Iterator[None]:
    """Let a truncated file fail to load, whatever the layout engine set.

    Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole
    process (weasyprint/images.py), after which a cut-off photo loads as a
    grey band: in a process that has rendered before, the check would pass it.
    """
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _inspect(path: Path) -> PhotoInfo:
    if path.stat().st_size == 0:
        raise _Unusable("is an empty file: export the photo again")
    with path.open("rb") as stream:
        start = stream.read(1024).lstrip()
    if start.startswith(b"<") and b"<svg" in start:
        raise _Unusable("is an SVG drawing, not a photo: export it as PNG or JPEG")
    with warnings.catch_warnings(), _strict_loading():
        # Pillow warns from 89 megapixels and refuses from 179; our own limit
        # below is the one that counts, with a message that says what to do.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                image_format = str(image.format)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _Unusable(
                        f"is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); "
                        f"the most a photo may have is {MAX_PIXELS / 1e6:.0f}: scale it down"
                    )
                if image_format not in FORMATS:
                    raise _Unusable(
                        f"is a {image_format} image: save it as JPEG (photos) or PNG (graphics)"
                    )
                image.load()
                orientation = image.getexif().get(0x0112, 1)
                mode = image.mode
        except Image.DecompressionBombError:
            raise _Unusable(
                f"has more than {MAX_PIXELS / 1e6:.0f} megapixels: scale it down"
            ) from None
        except UnidentifiedImageError:
            raise _Unusable("is not an image (or not a JPEG or PNG): export it again") from None
        except (OSError, SyntaxError, ValueError) as error:
            raise _Unusable(
                f"cannot be read, it may be truncated or damaged ({error}): export it again"
            ) from None
    if orientation in {5, 6, 7, 8}:
        width, height = height, width
    return PhotoInfo(path, width, height, image_format, mode)
