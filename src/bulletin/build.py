"""Build an issue's editions: load, check, lay out and typeset everything, then write."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bulletin.editions import Edition, issue_datetime, plan_editions
from bulletin.errors import BulletinError, RenderError
from bulletin.fit import Fit, fit_photos
from bulletin.images import PhotoInfo, check_photos
from bulletin.layout import layout_folder, render_html
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

    path: Path
    """The PDF written."""
    page_count: int
    """Its number of pages."""
    size: int
    """Its size in bytes."""
    language: str
    """Its language, as a BCP 47 tag."""
    edition: str
    """``email``, ``print`` or ``archive``."""
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
    layout_dir = layout_folder(source)
    cache_dir = out / ".cache"
    typesetter = Typesetter(
        base_dir=layout_dir,
        folders=[source.issue_dir, layout_dir, root / "issues", cache_dir],
        fonts_dir=root / "fonts",
        source=source.problem((), "").file,
    )
    made = []
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
        # The layout with the photos as they are tells the size each is
        # placed at and the part of it that shows: each edition's photos are
        # made for exactly that.
        jobs = plan_photos(measure_placements(laid_out.document, _sources(photos)), photos)
        for each in editions:
            typeset = _typeset_edition(loaded, typesetter, each, fit, jobs, cache_dir)
            if typeset.rendered.page_count != laid_out.page_count:
                raise RenderError.single(
                    f"layouts/{loaded.publication.layout}",
                    f"the {each.name} edition takes {typeset.rendered.page_count} pages where "
                    f"the layout took {laid_out.page_count}: its style sheet must not move text",
                )
            made.append((edition_language, each, typeset))
    results = []
    for edition_language, each, typeset in made:
        data = typeset.rendered.data
        write_output(each.target, data)
        log.info("wrote %s (%d pages)", each.target, typeset.rendered.page_count)
        results.append(
            BuildResult(
                each.target,
                typeset.rendered.page_count,
                len(data),
                edition_language,
                each.name,
                typeset.ppi,
                typeset.quality,
                tuple(typeset.photos.values()),
            )
        )
    return results


def _lay_out(loaded: LoadedIssue, typesetter: Typesetter) -> tuple[Fit, RenderedPdf]:
    """Return photo heights that pack the pages, and the issue laid out with them."""
    # A trial layout measures the stories; the second one sizes photos to fit.
    trial = typesetter.render_pdf(render_html(loaded), write=False)
    fit = fit_photos(trial.document)
    laid_out = typesetter.render_pdf(render_html(loaded, fit=fit), write=False)
    if laid_out.page_count > fit.pages and fit.closing_space_mm:
        # The engine paginated a line longer than the simulation: give up the
        # closing space rather than push the contacts onto a page of their own.
        fit = replace(fit, closing_space_mm=0)
        laid_out = typesetter.render_pdf(render_html(loaded, fit=fit), write=False)
    _check_budget(loaded, laid_out.page_count)
    return fit, laid_out


def _sources(photos: Mapping[Path, PhotoInfo]) -> dict[str, Path]:
    # The layout writes each photo's src as its file URI.
    return {path.as_uri(): path for path in photos}


def _typeset_edition(
    loaded: LoadedIssue,
    typesetter: Typesetter,
    edition: Edition,
    fit: Fit,
    jobs: Sequence[PhotoJob],
    cache_dir: Path,
) -> _Typeset:
    settings = edition.settings
    if isinstance(settings, EmailEdition):
        return _fit_email(loaded, typesetter, edition, settings, fit, jobs, cache_dir)
    return _typeset(
        loaded,
        typesetter,
        edition,
        fit,
        jobs,
        cache_dir,
        ppi=settings.ppi,
        quality=settings.quality,
    )


def _typeset(
    loaded: LoadedIssue,
    typesetter: Typesetter,
    edition: Edition,
    fit: Fit,
    jobs: Sequence[PhotoJob],
    cache_dir: Path,
    *,
    ppi: int,
    quality: int,
) -> _Typeset:
    prepared = prepare_photos(jobs, ppi=ppi, quality=quality, cache_dir=cache_dir)
    html = render_html(
        loaded,
        images={source: photo.url for source, photo in prepared.items()},
        fit=fit,
        edition=edition.name,
    )
    rendered = typesetter.render_pdf(
        html,
        stylesheets=[edition.stylesheet] if edition.stylesheet else [],
        named={photo.url: photo.path for photo in prepared.values()},
        finisher=edition.finisher,
        source_date=int(issue_datetime(loaded).timestamp()),
        **edition.options,
    )
    _check_placed(loaded, edition, rendered, jobs, prepared)
    return _Typeset(rendered, prepared, ppi, quality)


def _check_placed(
    loaded: LoadedIssue,
    edition: Edition,
    rendered: RenderedPdf,
    jobs: Sequence[PhotoJob],
    prepared: Mapping[Path, PreparedPhoto],
) -> None:
    """Fail if the edition places a prepared photo otherwise than measured."""
    sources = {photo.url: source for source, photo in prepared.items()}
    by_source = {job.source: job for job in jobs}
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


def _fit_email(
    loaded: LoadedIssue,
    typesetter: Typesetter,
    edition: Edition,
    settings: EmailEdition,
    fit: Fit,
    jobs: Sequence[PhotoJob],
    cache_dir: Path,
) -> _Typeset:
    """Typeset the email edition within its size budget, stepping photo settings down."""
    budget = round(settings.max_megabytes * 1_000_000)
    steps = _email_steps(settings)
    index = 0
    while True:
        ppi, quality = steps[index]
        typeset = _typeset(
            loaded, typesetter, edition, fit, jobs, cache_dir, ppi=ppi, quality=quality
        )
        size = len(typeset.rendered.data)
        if size <= budget:
            return typeset
        # All but the photos stays the same from one step to the next, so
        # each step's size is foreseen without typesetting it.
        rest = size - sum(photo.bytes for photo in typeset.photos.values())
        log.info("email edition: %d bytes at %d ppi, quality %d: over budget", size, ppi, quality)
        trial = typeset.photos
        for later in range(index + 1, len(steps)):
            ppi, quality = steps[later]
            trial = prepare_photos(jobs, ppi=ppi, quality=quality, cache_dir=cache_dir)
            foreseen = rest + sum(photo.bytes for photo in trial.values())
            if foreseen <= budget:
                index = later
                break
        else:
            raise _over_budget(loaded, settings, steps[-1], rest, trial)


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


def _over_budget(
    loaded: LoadedIssue,
    settings: EmailEdition,
    floor: tuple[int, int],
    rest: int,
    photos: Mapping[Path, PreparedPhoto],
) -> BulletinError:
    heaviest = sorted(photos.values(), key=lambda photo: (-photo.bytes, photo.source))[:3]
    issue_dir = loaded.issue_dir.resolve()
    listed = ", ".join(
        f"{photo.source.relative_to(issue_dir).as_posix()} ({photo.bytes / 1e6:.2f} MB)"
        for photo in heaviest
    )
    total = rest + sum(photo.bytes for photo in photos.values())
    return BulletinError(
        [
            loaded.problem(
                ("editions", "email", "max_megabytes"),
                f"the email edition would take {total / 1e6:.2f} MB even with photos at "
                f"{floor[0]} ppi and JPEG quality {floor[1]}, over its budget of "
                f"{settings.max_megabytes:g} MB; the heaviest photos are {listed}: place "
                "fewer or smaller photos, or raise max_megabytes",
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
