"""Build an issue's editions: load, check, lay out and typeset everything, then write."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bulletin.editions import Edition, issue_datetime, plan_editions
from bulletin.errors import BulletinError, RenderError
from bulletin.fit import Fit, fit_photos
from bulletin.images import PhotoInfo, check_photos
from bulletin.layout import edition_stylesheet, layout_folder, render_html
from bulletin.manifest import LoadedIssue, issue_languages, load_issue
from bulletin.model import EmailEdition
from bulletin.output import write_output
from bulletin.pdf import RenderedPdf, Typesetter
from bulletin.photos import (
    PhotoJob,
    PreparedPhoto,
    describe_image,
    plan_photos,
    prepare_photos,
)
from bulletin.placement import WHOLE, measure_placements

log = logging.getLogger(__name__)

# How far a photo's placed size may drift between the measuring layout and an
# edition's (rounding of pixel sizes moves auto heights a little).
PLACED_TOLERANCE = 0.01
# Each step down the email ladder lowers JPEG quality by this much, then
# resolution by this factor, until both reach their floors.
QUALITY_STEP = 8
PPI_STEP = 0.85


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: one edition in one language."""

    edition: str
    """``email``, ``print`` or ``archive`` (see :mod:`bulletin.editions`)."""
    language: str
    """The language of the edition ("en", "ru")."""
    path: Path
    """The PDF written."""
    page_count: int
    """Its number of pages."""
    size: int
    """Its size in bytes."""
    ppi: int
    """The photo resolution asked for (the most; photos are never enlarged)."""
    quality: int
    """The JPEG quality of its photos."""
    photos: tuple[PreparedPhoto, ...]
    """The photos it places, as prepared for it."""


@dataclass(frozen=True)
class _Typeset:
    rendered: RenderedPdf
    photos: Mapping[Path, PreparedPhoto]
    ppi: int
    quality: int


def build_issue(
    root: Path,
    month: str,
    out: Path,
    *,
    language: str | None = None,
    edition: str | None = None,
) -> list[BuildResult]:
    """Typeset the issue of ``month`` under ``root`` into ``out``; return what was written.

    Every edition (email, print, archive) is built in every language the
    issue has, or only ``edition`` or ``language``; all are laid out and
    checked before the first file is written.
    """
    source = load_issue(root, month)
    photos = dict(check_photos(source))
    logo = source.publication.logo
    if logo and (info := describe_image(Path(logo))):
        # A raster logo goes through the pipeline like a photo (transparency kept).
        photos[info.path] = info
    main = source.publication.language
    languages = [language] if language else [main, *issue_languages(root, month)]
    cache_dir = out / ".cache"
    typesetter = _typesetter(source, cache_dir)
    made: list[tuple[str, Edition, _Typeset]] = []
    for edition_language in dict.fromkeys(languages):
        loaded = (
            source
            if edition_language == main
            else load_issue(root, month, language=edition_language)
        )
        suffix = "" if edition_language == main else f"-{edition_language}"
        name = f"{loaded.publication.slug}-{month}{suffix}"
        editions = plan_editions(loaded, out / month, name, edition)
        fit, laid_out = _lay_out(loaded, typesetter)
        _check_budget(loaded, laid_out.page_count)
        # The layout with the photos as they are tells the size each is
        # placed at and the part of it that shows: each edition's photos are
        # made for exactly that.
        jobs = plan_photos(measure_placements(laid_out.document, _sources(photos)), photos)
        laid = _Laid(loaded, typesetter, fit, laid_out, jobs, cache_dir)
        made.extend((edition_language, each, _typeset_edition(laid, each)) for each in editions)
    results = []
    for edition_language, each, typeset in made:
        data = typeset.rendered.data
        write_output(each.target, data)
        log.info("wrote %s (%d pages)", each.target, typeset.rendered.page_count)
        results.append(
            BuildResult(
                each.name,
                edition_language,
                each.target,
                typeset.rendered.page_count,
                len(data),
                typeset.ppi,
                typeset.quality,
                tuple(typeset.photos.values()),
            )
        )
    return results


def typeset_issue(loaded: LoadedIssue, *, write: bool = True) -> RenderedPdf:
    """Return the issue laid out as printed: photos sized by a trial layout, then typeset.

    The original photos are placed; with ``write`` false the final layout is
    not drawn, and ``data`` is empty.
    """
    return _lay_out(loaded, _typesetter(loaded), write=write)[1]


def _typesetter(loaded: LoadedIssue, cache_dir: Path | None = None) -> Typesetter:
    layout_dir = layout_folder(loaded)
    folders = [loaded.issue_dir, layout_dir, loaded.root / "issues"]
    return Typesetter(
        base_dir=layout_dir,
        # Prepared photos are read from the cache.
        folders=[*folders, cache_dir] if cache_dir else folders,
        fonts_dir=loaded.root / "fonts",
        source=loaded.problem((), "").file,
    )


def _lay_out(
    loaded: LoadedIssue, typesetter: Typesetter, *, write: bool = False
) -> tuple[Fit, RenderedPdf]:
    """Return photo heights that pack the pages, and the issue laid out with them."""
    # A trial layout measures the stories; the second one sizes photos to fit.
    trial = typesetter.render_pdf(render_html(loaded), write=False)
    fit = fit_photos(trial.document)
    laid_out = typesetter.render_pdf(render_html(loaded, fit=fit), write=write)
    if laid_out.page_count > fit.pages and fit.closing_space_mm:
        # The engine paginated a line longer than the simulation: give up the
        # closing space rather than push the contacts onto a page of their own.
        fit = replace(fit, closing_space_mm=0)
        laid_out = typesetter.render_pdf(render_html(loaded, fit=fit), write=write)
    return fit, laid_out


def _sources(photos: Mapping[Path, PhotoInfo]) -> dict[str, Path]:
    # The layout writes each photo's src as its file URI.
    return {path.as_uri(): path for path in photos}


@dataclass(frozen=True)
class _Laid:
    """One language of the issue, laid out, and what its editions share."""

    loaded: LoadedIssue
    typesetter: Typesetter
    fit: Fit
    laid_out: RenderedPdf
    jobs: Sequence[PhotoJob]
    cache_dir: Path


def _typeset_edition(laid: _Laid, edition: Edition) -> _Typeset:
    settings = edition.settings
    if isinstance(settings, EmailEdition):
        return _fit_email(laid, edition, settings)
    return _typeset(laid, edition, ppi=settings.ppi, quality=settings.quality)


def _typeset(laid: _Laid, edition: Edition, *, ppi: int, quality: int) -> _Typeset:
    loaded = laid.loaded
    prepared = prepare_photos(laid.jobs, ppi=ppi, quality=quality, cache_dir=laid.cache_dir)
    common: dict[str, Any] = {
        "named": {photo.url: photo.path for photo in prepared.values()},
        "finisher": edition.finisher,
        "source_date": int(issue_datetime(loaded).timestamp()),
        **edition.options,
    }
    if edition.stylesheet or edition_stylesheet(loaded, edition.name):
        # Its own page set-up or style sheet: a layout of its own.
        html = render_html(
            loaded,
            images={source: photo.url for source, photo in prepared.items()},
            fit=laid.fit,
            edition=edition.name,
        )
        stylesheets = [edition.stylesheet] if edition.stylesheet else []
        rendered = laid.typesetter.render_pdf(html, stylesheets=stylesheets, **common)
    else:
        # The same pages with other photos: the shared layout, written again.
        images = {source.as_uri(): photo.url for source, photo in prepared.items()}
        rendered = laid.typesetter.rewrite_pdf(laid.laid_out, images=images, **common)
    _check_placed(laid, edition, rendered, prepared)
    return _Typeset(rendered, prepared, ppi, quality)


def _check_placed(
    laid: _Laid, edition: Edition, rendered: RenderedPdf, prepared: Mapping[Path, PreparedPhoto]
) -> None:
    """Fail if the edition places a prepared photo otherwise than measured."""
    loaded = laid.loaded
    if rendered.page_count != laid.laid_out.page_count:
        raise RenderError.single(
            f"layouts/{loaded.publication.layout}",
            f"the {edition.name} edition takes {rendered.page_count} pages where the layout "
            f"took {laid.laid_out.page_count}: its style sheet must not move text",
        )
    # An <img> keeps its src when its image is swapped (rewrite_pdf); a new
    # layout places the prepared file by its own URL.
    sources = {photo.url: source for source, photo in prepared.items()}
    sources.update({source.as_uri(): source for source in prepared})
    by_source = {job.source: job for job in laid.jobs}
    for placement in measure_placements(rendered.document, sources):
        job = by_source[placement.source]
        if job.crop == WHOLE:
            continue  # placed several times, each its own way: prepared uncropped
        drift = max(
            abs(placement.width_in / job.width_in - 1),
            abs(placement.height_in / job.height_in - 1),
            *(abs(a - b) for a, b in zip(placement.crop, WHOLE, strict=True)),
        )
        if drift > PLACED_TOLERANCE:
            shown = placement.source.relative_to(loaded.issue_dir.resolve()).as_posix()
            raise RenderError.single(
                f"layouts/{loaded.publication.layout}",
                f"the {edition.name} edition places photo '{shown}' at another size than "
                "the layout did with the original photo: give photos a size in the layout's "
                "CSS (a width, and a height or auto), not their size in pixels",
            )


def _fit_email(laid: _Laid, edition: Edition, settings: EmailEdition) -> _Typeset:
    """Typeset the email edition within its size budget, stepping photo settings down."""
    budget = round(settings.max_megabytes * 1_000_000)
    for ppi, quality in _email_steps(settings):
        # Each step writes the shared layout again: a fraction of a second.
        typeset = _typeset(laid, edition, ppi=ppi, quality=quality)
        size = len(typeset.rendered.data)
        if size <= budget:
            return typeset
        log.info("email edition: %d bytes at %d ppi, quality %d: over budget", size, ppi, quality)
    raise _over_budget(laid.loaded, settings, typeset)


def _email_steps(settings: EmailEdition) -> list[tuple[int, int]]:
    """Return (ppi, quality) pairs from the settings down to the floors: quality first."""
    ppi, quality = settings.ppi, settings.quality
    steps = [(ppi, quality)]
    while quality > settings.min_quality:
        quality = max(settings.min_quality, quality - QUALITY_STEP)
        steps.append((ppi, quality))
    while ppi > settings.min_ppi:
        ppi = max(settings.min_ppi, round(ppi * PPI_STEP))
        steps.append((ppi, quality))
    return steps


def _over_budget(loaded: LoadedIssue, settings: EmailEdition, floor: _Typeset) -> BulletinError:
    heaviest = sorted(floor.photos.values(), key=lambda photo: (-photo.bytes, photo.source))[:3]
    issue_dir = loaded.issue_dir.resolve()
    listed = ", ".join(
        f"{photo.source.relative_to(issue_dir).as_posix()} ({photo.bytes / 1e6:.2f} MB)"
        for photo in heaviest
    )
    return BulletinError(
        [
            loaded.problem(
                ("editions", "email", "max_megabytes"),
                f"the email edition would take {len(floor.rendered.data) / 1e6:.2f} MB even "
                f"with photos at {floor.ppi} ppi and JPEG quality {floor.quality}, over its "
                f"budget of {settings.max_megabytes:g} MB; the heaviest photos are {listed}: "
                "place fewer or smaller photos, or raise max_megabytes",
                publication=True,
            )
        ]
    )


def _check_budget(loaded: LoadedIssue, page_count: int) -> None:
    budget = loaded.publication.page_budget
    if page_count > budget:
        raise BulletinError(
            [
                loaded.problem(
                    ("page_budget",),
                    f"the issue takes {page_count} pages but the budget is {budget}: shorten "
                    "stories, or raise page_budget",
                    publication=True,
                )
            ]
        )
