"""Crop photos the way a picture editor does: keep the subject, never cut a face.

Where a photo's subject is comes, in this order, from its ``focus:`` in the
manifest; from the faces OpenCV's bundled Haar cascade finds (no model is
downloaded: the cascade ships inside ``opencv-python-headless``); or from
the most detailed part of the photo (gradient energy). The analysis runs on
a small copy of the upright photo and is kept by the file's digest, so a
photo has the same subject, and so the same crop for the same frame, in
every language and edition.

A crop is placed by one position per photo (as CSS ``object-position``
percentages): with the subject box ``[a, b]`` along an axis, the position
``a / (a + 1 - b)`` keeps that box inside every crop at least as large as
it, leaving the same share of the cut above and below (or left and right).
:func:`crop_box` computes the crop the layout engine paints with that
position, and :func:`crop_range` the frames a photo accepts: none that
keeps less than ``MIN_KEPT`` of its area, none that turns a portrait into a
landscape (or a landscape into a portrait) past square, and none that
cuts a face or the room above it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from PIL import Image, ImageFilter, ImageOps

from bulletin.model.issue import Focus

if TYPE_CHECKING:
    import cv2

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]
"""A part of an image as fractions of its width and height: left, top, right, bottom."""

# Bump when the analysis changes, so that cached results are made again.
ANALYSIS_VERSION = 1
MIN_KEPT = 0.6
# Faces are looked for in a copy this many pixels on its long side: faces of
# 2.5 % of that side and up are found, in some 20 ms.
ANALYSIS_SIDE = 800
MIN_FACE_PX = 20
# Around a face, the room a crop keeps (in face heights): above the head
# (hair and air), below the chin (the neck, not a cut at it) and beside it.
HEAD_ROOM = 0.45
CHIN_ROOM = 0.35
SIDE_ROOM = 0.25
# The most detailed part: the smallest box holding this share of the
# photo's detail (gradient energy above its median), trimmed equally each side.
DETAIL_SHARE = 0.7
DETAIL_SIDE = 160

Found = Literal["focus", "faces", "detail", "plain"]


@dataclass(frozen=True)
class Subject:
    """Where a photo's subject is, as fractions of the upright image."""

    box: Box
    """The part every crop should show: the faces with room around them, the
    most detailed part, or the focus point (a box of no size)."""
    faces: tuple[Box, ...]
    """The faces found (none when ``focus`` was given or none were found)."""
    found: Found
    """How the subject was found: ``focus`` (the manifest), ``faces``, ``detail``
    (the most detailed part), or ``plain`` (a photo with no detail: the centre)."""

    @property
    def position(self) -> tuple[float, float]:
        """Return the crop position (0-1 across, 0-1 down) that keeps ``box`` in every crop."""
        left, top, right, bottom = self.box
        return _position(left, right), _position(top, bottom)

    @property
    def css_position(self) -> str:
        """Return the position as CSS ``object-position`` ("38.5% 21%")."""
        x, y = self.position
        return f"{_percent(x)}% {_percent(y)}%"


def _position(start: float, end: float) -> float:
    before, after = max(0.0, start), max(0.0, 1.0 - end)
    return 0.5 if before + after <= 0 else before / (before + after)


def _percent(value: float) -> str:
    return f"{round(100 * value, 2):g}"


def find_subject(path: Path, focus: Focus | None = None) -> Subject:
    """Return where the subject of the photo at ``path`` is (``focus`` when given)."""
    if focus is not None:
        x, y = focus.x / 100, focus.y / 100
        return Subject((x, y, x, y), (), "focus")
    return _analysed(_digest(path), str(path))


def crop_box(size: tuple[int, int], subject: Subject, aspect: float) -> Box:
    """Return the part of a photo of ``size`` shown in a frame of ``aspect`` (width / height).

    This is the part the layout engine paints with ``object-fit: cover`` and the
    subject's ``object-position``.
    """
    width, height = size
    ratio = width / height
    x, y = subject.position
    if aspect >= ratio:
        kept = ratio / aspect  # of the height
        top = y * (1 - kept)
        return (0.0, top, 1.0, top + kept)
    kept = aspect / ratio  # of the width
    left = x * (1 - kept)
    return (left, 0.0, left + kept, 1.0)


def crop_range(size: tuple[int, int], subject: Subject) -> tuple[float, float]:
    """Return the narrowest and widest frames (width / height) the photo may be cropped to.

    No crop keeps less than MIN_KEPT of the area, a portrait stops at square
    (never a panorama), a landscape too, and no crop cuts a face or its room.
    The photo's own shape is always inside the range.
    """
    width, height = size
    ratio = width / height
    low, high = ratio * MIN_KEPT, ratio / MIN_KEPT
    if ratio < 1:
        high = min(high, 1.0)
    elif ratio > 1:
        low = max(low, 1.0)
    if subject.faces:
        left, top, right, bottom = subject.box
        low = max(low, ratio * (right - left))
        high = min(high, ratio / max(bottom - top, 1e-6))
    return min(low, ratio), max(high, ratio)


def kept_share(size: tuple[int, int], aspect: float) -> float:
    """Return the share of a photo's area a frame of ``aspect`` keeps."""
    ratio = size[0] / size[1]
    return min(ratio / aspect, aspect / ratio)


def _digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def look_up_subjects(paths: Iterable[Path], folder: Path) -> list[tuple[Path, str]]:
    """Find the subjects of the photos at ``paths`` now; return the files to keep them in.

    A photo analysed by an earlier build (the same content, the same
    analysis) is read back from its file in ``folder``, not analysed again.
    For the others the file to write in ``folder`` is returned, with its
    text: the caller writes them once its build has succeeded. What
    :func:`find_subject` returns is the same either way.
    """
    notes: list[tuple[Path, str]] = []
    for path in dict.fromkeys(paths):
        try:
            digest = _digest(path)
        except OSError:
            continue  # the photo checks report it
        kept = folder / f"{digest}-{ANALYSIS_VERSION}.json"
        subject = _read_subject(kept)
        if subject is None:
            # Found in this process already, or looked for now: kept for the next.
            subject = _analysed(digest, str(path))
            notes.append((kept, json.dumps(dataclasses.asdict(subject))))
        _SUBJECTS.setdefault(digest, subject)
    return notes


def _read_subject(path: Path) -> Subject | None:
    """Return the subject written in ``path``, or None if it holds no sound one."""
    try:
        kept = json.loads(path.read_text())
        box = _box(kept["box"])
        faces = tuple(_box(face) for face in kept["faces"])
        found = kept["found"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if found not in get_args(Found):
        return None
    return Subject(box, faces, found)


def _box(value: object) -> Box:
    """Return ``value`` as a box; raise TypeError if it is not four numbers."""
    if not isinstance(value, list) or len(value) != 4:
        raise TypeError("not a box")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
        raise TypeError("not a box")
    left, top, right, bottom = (float(x) for x in value)
    return (left, top, right, bottom)


# The subjects found in this process, by the digest of the photo's content.
_SUBJECTS: dict[str, Subject] = {}


def _analysed(digest: str, path: str) -> Subject:
    """Return the subject of the photo whose content has ``digest`` (read from ``path``)."""
    found = _SUBJECTS.get(digest)
    if found is None:
        found = _SUBJECTS[digest] = _analyse(path)
    return found


def _analyse(path: str) -> Subject:
    """Return the subject of the photo at ``path``: its faces, else its most detailed part."""
    with Image.open(path) as opened:
        opened.draft("L", (ANALYSIS_SIDE, ANALYSIS_SIDE))
        image = ImageOps.exif_transpose(opened).convert("L")
    image.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE), Image.Resampling.LANCZOS)
    faces = _faces(image)
    if faces:
        return Subject(_around_faces(faces), faces, "faces")
    detail = _detail(image)
    if detail is None:
        return Subject((0.5, 0.5, 0.5, 0.5), (), "plain")
    return Subject(detail, (), "detail")


def _faces(image: Image.Image) -> tuple[Box, ...]:
    """Return the faces OpenCV's frontal-face cascade finds, as fractions, left to right."""
    import numpy as np

    # A slight blur first: JPEG blocks and grain otherwise hide some faces.
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(1)), dtype=np.uint8)
    found = _cascade().detectMultiScale(
        pixels, scaleFactor=1.1, minNeighbors=4, minSize=(MIN_FACE_PX, MIN_FACE_PX)
    )
    width, height = image.size
    faces = sorted(
        (x / width, y / height, (x + w) / width, (y + h) / height)
        for x, y, w, h in (tuple(int(value) for value in face) for face in found)
    )
    log.debug("found %d faces", len(faces))
    return tuple(faces)


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    import cv2

    # The "alt2" cascade: on our test photos it finds more faces than the
    # default one (96 % against 85 %) with no false ones.
    folder = Path(cv2.__file__).parent / "data"  # cv2.data.haarcascades, which the stubs lack
    path = folder / "haarcascade_frontalface_alt2.xml"
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"OpenCV's face cascade cannot be read from {path}")
    return cascade


def _around_faces(faces: tuple[Box, ...]) -> Box:
    """Return the box of every face with room above the heads, below the chins and beside."""
    boxes = []
    for left, top, right, bottom in faces:
        face_h, face_w = bottom - top, right - left
        boxes.append(
            (
                left - SIDE_ROOM * face_w,
                top - HEAD_ROOM * face_h,
                right + SIDE_ROOM * face_w,
                bottom + CHIN_ROOM * face_h,
            )
        )
    return (
        max(0.0, min(box[0] for box in boxes)),
        max(0.0, min(box[1] for box in boxes)),
        min(1.0, max(box[2] for box in boxes)),
        min(1.0, max(box[3] for box in boxes)),
    )


def _detail(image: Image.Image) -> Box | None:
    """Return the smallest box holding DETAIL_SHARE of the photo's detail, or None if plain."""
    import numpy as np

    small = image.copy()
    small.thumbnail((DETAIL_SIDE, DETAIL_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(small, dtype=np.float64)
    if min(pixels.shape) < 4:
        return None
    gradient_y, gradient_x = np.gradient(pixels)
    energy = np.hypot(gradient_x, gradient_y)
    # Sensor grain and gentle gradients are everywhere: only detail above the
    # photo's typical level counts.
    energy = np.clip(energy - np.median(energy), 0.0, None)
    total = float(energy.sum())
    if total <= 1e-9 * energy.size:
        return None
    trim = (1 - DETAIL_SHARE) / 2
    left, right = _spread(energy.sum(axis=0), trim)
    top, bottom = _spread(energy.sum(axis=1), trim)
    rows, columns = energy.shape
    return (left / columns, top / rows, right / columns, bottom / rows)


def _spread(weights: object, trim: float) -> tuple[float, float]:
    """Return where the cumulative ``weights`` pass ``trim`` and ``1 - trim`` of their sum."""
    import numpy as np

    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    cumulative /= cumulative[-1]
    start = int(np.searchsorted(cumulative, trim))
    end = int(np.searchsorted(cumulative, 1 - trim)) + 1
    return float(start), float(min(end, len(cumulative)))
