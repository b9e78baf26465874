"""Prepare photos for an edition: upright, sRGB, cropped and resampled to their placed size.

WeasyPrint embeds a JPEG as it finds it, and ignores ``jpeg_quality`` once
``dpi`` is set, so every photo is made here, with Pillow, into exactly the
pixels its edition needs. Prepared files are cached by content under
``out/.cache/photos``: a rebuild that places a photo at the same size with the
same settings reuses the file instead of processing the photo again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from bulletin.output import write_output
from bulletin.photos.check import PhotoInfo
from bulletin.photos.placement import WHOLE, Box, Placement

log = logging.getLogger(__name__)

# Bump when the processing below changes, so that cached files are made again.
PIPELINE_VERSION = 1
# A crop that differs by less than this (a fraction of the image) is the same crop.
SAME_CROP = 0.002
# JPEG decoding may shrink the image by a power of two on the way in (much
# faster for camera files); it keeps at least this many times the target size.
DRAFT_MARGIN = 2


@dataclass(frozen=True)
class PhotoJob:
    """A photo to prepare: the part of it that shows, and how large it is placed."""

    source: Path
    """The photo file."""
    source_size: tuple[int, int]
    """Its size in pixels, upright (after EXIF orientation)."""
    jpeg: bool
    """Whether it is a JPEG (prepared as JPEG) rather than a PNG (prepared as PNG)."""
    crop: Box
    """The part that shows, as fractions of the upright image."""
    width_in: float
    """Placed width of that part, in inches (the largest, if placed more than once)."""
    height_in: float
    """Placed height of that part, in inches."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo made for one edition."""

    source: Path
    """The photo file it was made from."""
    path: Path
    """The prepared file (in the cache), which the layout engine places."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""
    bytes: int
    """Size of the prepared file."""
    ppi: float
    """Resolution at its placed size, in pixels per inch."""
    fresh: bool
    """Whether it was made by this build (False: taken from the cache)."""

    @property
    def url(self) -> str:
        """Return the URL the layout places it by: its content hash, not its location."""
        return f"bulletin-photo:{self.path.name}"


def describe_image(path: Path) -> PhotoInfo | None:
    """Return what the pipeline needs of a raster image (a logo), or None for SVG and the like."""
    try:
        with Image.open(path) as image:
            width, height = _upright_size(image)
            return PhotoInfo(path, width, height, str(image.format))
    except (OSError, ValueError):
        return None


def plan_photos(
    placements: Iterable[Placement], photos: Mapping[Path, PhotoInfo]
) -> tuple[PhotoJob, ...]:
    """Return one job per photo placed, from where the layout placed it.

    A photo placed more than once is prepared for its largest placement; if
    the placements show different parts of it, it is not cropped.
    """
    grouped: dict[Path, list[Placement]] = {}
    for placement in placements:
        grouped.setdefault(placement.source, []).append(placement)
    jobs = []
    for source, group in grouped.items():
        first = group[0].crop
        same = all(
            max(abs(a - b) for a, b in zip(p.crop, first, strict=True)) < SAME_CROP for p in group
        )
        crop = first if same else WHOLE
        # Inches per unit of the image's width and height, for the largest placement.
        per_width = max(p.width_in / (p.crop[2] - p.crop[0]) for p in group)
        per_height = max(p.height_in / (p.crop[3] - p.crop[1]) for p in group)
        info = photos[source]
        jobs.append(
            PhotoJob(
                source,
                (info.width, info.height),
                info.format in {"JPEG", "MPO"},
                crop,
                per_width * (crop[2] - crop[0]),
                per_height * (crop[3] - crop[1]),
            )
        )
    return tuple(jobs)


def prepare_photos(
    jobs: Sequence[PhotoJob], *, ppi: float, quality: int, cache_dir: Path
) -> dict[Path, PreparedPhoto]:
    """Return each job's photo prepared at ``ppi`` (never enlarged) and JPEG ``quality``."""
    return {
        job.source: prepare_photo(job, ppi=ppi, quality=quality, cache_dir=cache_dir)
        for job in jobs
    }


def prepare_photo(job: PhotoJob, *, ppi: float, quality: int, cache_dir: Path) -> PreparedPhoto:
    """Return the photo of ``job`` prepared for ``ppi`` and ``quality``, from the cache if there."""
    box = _pixel_box(job)
    width, height = _target_size(job, box, ppi)
    suffix = ".jpg" if job.jpeg else ".png"
    key = json.dumps([PIPELINE_VERSION, _digest(job.source), box, [width, height], quality, suffix])
    name = hashlib.sha256(key.encode()).hexdigest()
    path = cache_dir / "photos" / name[:2] / f"{name}{suffix}"
    fresh = not path.is_file()
    if fresh:
        data = _process(job.source, box, (width, height), quality, jpeg=suffix == ".jpg")
        write_output(path, data)
        log.debug("prepared %s at %dx%d (quality %d)", job.source.name, width, height, quality)
    return PreparedPhoto(
        job.source,
        path,
        width,
        height,
        path.stat().st_size,
        width / job.width_in,
        fresh,
    )


def _pixel_box(job: PhotoJob) -> tuple[int, int, int, int]:
    """Return the crop in pixels of the upright image, rounded so cache keys are stable."""
    width, height = job.source_size
    left, top, right, bottom = job.crop
    box = (round(left * width), round(top * height), round(right * width), round(bottom * height))
    # Never less than one pixel each way.
    return (box[0], box[1], max(box[2], box[0] + 1), max(box[3], box[1] + 1))


def _target_size(job: PhotoJob, box: tuple[int, int, int, int], ppi: float) -> tuple[int, int]:
    """Return the pixels the placed size needs at ``ppi``, never more than the crop has."""
    crop_width, crop_height = box[2] - box[0], box[3] - box[1]
    scale = min(1.0, max(ppi * job.width_in / crop_width, ppi * job.height_in / crop_height))
    return max(1, round(crop_width * scale)), max(1, round(crop_height * scale))


@functools.lru_cache(maxsize=256)
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _digest(path: Path) -> str:
    """Return the SHA-256 of the file, computed once per version of the file."""
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


def _process(
    source: Path,
    box: tuple[int, int, int, int],
    size: tuple[int, int],
    quality: int,
    *,
    jpeg: bool,
) -> bytes:
    """Return the encoded photo: upright, cropped to ``box``, resampled to ``size``, sRGB."""
    with Image.open(source) as opened:
        upright_width, upright_height = _upright_size(opened)
        crop_width = box[2] - box[0]
        # Let the JPEG decoder shrink by a power of two while it reads, keeping
        # at least DRAFT_MARGIN times the pixels needed: the high-quality filter
        # does the rest.
        factor = min(1.0, DRAFT_MARGIN * size[0] / crop_width)
        opened.draft(None, (math.ceil(opened.width * factor), math.ceil(opened.height * factor)))
        image = ImageOps.exif_transpose(opened)
        icc = opened.info.get("icc_profile")
    # Map the crop onto the image as decoded (smaller if the decoder shrank it).
    scale_x, scale_y = image.width / upright_width, image.height / upright_height
    scaled = (box[0] * scale_x, box[1] * scale_y, box[2] * scale_x, box[3] * scale_y)
    image = _resample(_eight_bit(image), size, scaled)
    image = _to_srgb(image, icc)
    return _encode(image, quality, jpeg=jpeg)


def _upright_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(0x0112, 1)
    if orientation in {5, 6, 7, 8}:
        return image.height, image.width
    return image.width, image.height


def _eight_bit(image: Image.Image) -> Image.Image:
    """Return ``image`` in a mode of 8 bits per channel that resampling keeps exact."""
    if image.mode in {"RGB", "RGBA", "L", "LA", "CMYK"}:
        return image
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit grey: scale to 8 bits (a plain convert would clip at 255).
        maximum = 65535 if image.mode.startswith("I") else 1.0
        return image.convert("F").point(lambda value: value * 255 / maximum).convert("L")
    if image.mode in {"P", "PA"}:
        keeps_alpha = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if keeps_alpha else "RGB")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")


def _resample(
    image: Image.Image, size: tuple[int, int], box: tuple[float, float, float, float]
) -> Image.Image:
    """Return the ``box`` of ``image`` resampled to ``size`` with a Lanczos filter."""
    premultiplied = {"RGBA": "RGBa", "LA": "La"}.get(image.mode)
    if premultiplied:
        # Resample colour weighted by alpha, or transparent pixels bleed dark fringes.
        mode = image.mode
        resized = image.convert(premultiplied).resize(size, Image.Resampling.LANCZOS, box=box)
        return resized.convert(mode)
    return image.resize(size, Image.Resampling.LANCZOS, box=box)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Return ``image`` in sRGB (or grey), through its embedded colour profile if it has one."""
    if image.mode in {"RGBA", "LA"} and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert(image.mode[:-1])  # alpha that hides nothing
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode == "CMYK" or profile.profile.xcolor_space.strip() == "RGB":
                output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
                converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=output_mode)
                if converted is not None:
                    return converted
        except (OSError, ImageCms.PyCMSError) as error:
            log.warning("ignored a colour profile that cannot be read: %s", error)
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


_SRGB = ImageCms.createProfile("sRGB")


def _encode(image: Image.Image, quality: int, *, jpeg: bool) -> bytes:
    """Return ``image`` as JPEG (photos) or PNG (graphics, transparency), with no metadata."""
    stream = io.BytesIO()
    if jpeg:
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        # Full-resolution colour at print quality; halved colour resolution below.
        subsampling = 0 if quality >= 90 else 2
        image.save(stream, "JPEG", quality=quality, optimize=True, subsampling=subsampling)
    else:
        image.save(stream, "PNG", optimize=True)
    return stream.getvalue()
