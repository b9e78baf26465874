"""Build an issue's editions: load, check, lay out and typeset everything, then write."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bulletin.compose import Layout, Measures, PhotoPlace, Plan, Text, plan_issue
from bulletin.errors import BulletinError, CheckError, RenderError
from bulletin.html.layout import edition_stylesheet, layout_folder, render_html
from bulletin.manifest.load import LoadedIssue, issue_languages, load_editions, load_issue
from bulletin.model.issue import EmailEdition, Story
from bulletin.output import publish_set, remove_stale_temporaries, write_output
from bulletin.pdf.editions import Edition, issue_datetime, plan_editions
from bulletin.pdf.numbering import render_numbered
from bulletin.pdf.typeset import RenderedPdf, Typesetter
from bulletin.photos.check import PhotoInfo, check_photos, photo_unusable
from bulletin.photos.crop import look_up_subjects
from bulletin.photos.placement import Box, Placement, measure_placements
from bulletin.photos.prepare import (
    PhotoJob,
    PreparedPhoto,
    describe_image,
    plan_photos,
    prepare_photos,
)
from bulletin.preflight.inspect import inspect_manifests
from bulletin.preflight.photos import MIN_PPI, PRINT_PPI, describe_resolution
from bulletin.preflight.report import Finding, Severity

log = logging.getLogger(__name__)

# How far a photo's placed size may drift between the measuring layout and an
# edition's (rounding of pixel sizes moves auto heights a little).
PLACED_TOLERANCE = 0.01
# Each step down the email ladder lowers JPEG quality by this much, then
# resolution by this factor, until both reach their floors.
QUALITY_STEP = 8
PPI_STEP = 0.85
# Where a build notes the pages its stories started on, in the cache folder:
# the next build's first guess for its contents list (checked, never trusted).
PAGES_CACHE = "pages"
# Where a build keeps the measures of its blocks and front matter, in the
# cache folder: a later build measures only what changed (see bulletin.compose).
MEASURES_CACHE = "measures"
# Where a build keeps where each photo's subject is (faces, detail), by the
# photo's content: a later build reads it back instead of looking again.
SUBJECTS_CACHE = "subjects"


@dataclass
class Session:
    """What a long-running process keeps from one build of a project to the next.

    ``bulletin watch`` builds an issue again after each edit. Kept in memory
    between builds: the typesetter (WeasyPrint's font configuration and its
    caches), the photos already checked, the measures of the blocks and front
    matter (an edit to one story measures that story alone again), and the
    pages the stories started on. Start a new session when the fonts change.
    """

    typesetters: dict[tuple[Path, ...], Typesetter] = field(default_factory=dict)
    """Typesetters by layout folder, readable folders and fonts folder."""
    photos: dict[tuple[Path, int, int], PhotoInfo] = field(default_factory=dict)
    """Photos found sound, by file, modification time (ns) and size."""
    measures: dict[tuple[str, str], Measures] = field(default_factory=dict)
    """The measures of the last build, by month and language."""
    pages: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    """The pages the stories started on in the last build, by month and language."""
    crops: dict[str, dict[PhotoPlace, float]] = field(default_factory=dict)
    """The shapes the photos were shown at (in every language), by month."""


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: one edition in one language."""

    edition: str
    """``email``, ``print`` or ``archive`` (see :mod:`bulletin.pdf.editions`)."""
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
    session: Session | None = None,
    force: bool = False,
    notices: list[Finding] | None = None,
) -> list[BuildResult]:
    """Typeset the issue of ``month`` under ``root`` into ``out``; return what was written.

    Every edition (email, print, archive) is built in every language the
    issue has, or only ``edition`` or ``language``; all are laid out and
    checked before the first file is written.

    The quick checks of ``bulletin check`` (glyphs, text, links) run first, and
    each photo's resolution once the layout has placed it: what they find goes
    into ``notices``. An error that would show in an edition being built (a
    photo too small for the print edition) stops the build with a
    ``CheckError`` before anything is written, unless ``force``.

    A ``session`` keeps what the next build of the same project can use.
    The pages the stories started on are noted in ``out/.cache/pages/``: the
    next build's first guess for its contents list, which saves the engine
    passes that find them, if they are still right (checked).
    """
    # Every manifest and translation of the languages built is checked in one
    # pass (with the photos, if any is wrong), so that every mistake is told at once.
    wanted = [None, language] if language else [None, *issue_languages(root, month)]
    loaded_editions = load_editions(root, month, wanted, photos=photo_unusable)
    source = loaded_editions[0]
    by_language = {edition.language: edition for edition in loaded_editions}
    checks = _Checks(force, notices)
    for edition_language in dict.fromkeys(_languages_of(source, language, root, month)):
        checks.add(inspect_manifests(by_language[edition_language]))
    checks.stop_on_errors()
    photos = dict(check_photos(source, checked=session.photos if session else None))
    logo = source.publication.logo
    if logo and (info := describe_image(Path(logo))):
        # A raster logo goes through the pipeline like a photo (transparency kept).
        photos[info.path] = info
    main = source.publication.language
    languages = _languages_of(source, language, root, month)
    cache_dir = out / ".cache"
    if cache_dir.is_dir():  # what an earlier build, killed while writing, left
        remove_stale_temporaries(cache_dir)
    typesetter = issue_typesetter(source, cache_dir, session)
    # Where each photo's subject is: found once, then read back from the cache.
    subjects = look_up_subjects(_analysed_photos(by_language.values()), cache_dir / SUBJECTS_CACHE)
    made: list[tuple[str, Edition, _Typeset]] = []
    # A photo shows the same part of itself in every language: every
    # language of the issue has a say in its crop, built or not.
    plans, notes = _plan(
        [
            *((each, each.language in languages) for each in by_language.values()),
            *((other, False) for other in _other_languages(source, by_language)),
        ],
        typesetter,
        photos,
        cache_dir,
        session,
    )
    for edition_language in dict.fromkeys(languages):
        loaded = by_language[edition_language]
        suffix = "" if edition_language == main else f"-{edition_language}"
        name = f"{loaded.publication.slug}-{month}{suffix}"
        editions = plan_editions(loaded, out / month, name, edition)
        plan = plans[edition_language]
        laid_out = plan.laid_out
        _check_budget(loaded, laid_out.page_count)
        # The layout with the photos as they are tells the size each is
        # placed at and the part of it that shows: each edition's photos are
        # made for exactly that.
        placements = measure_placements(laid_out.document, _sources(photos))
        jobs = plan_photos(placements, photos)
        printed = any(each.name == "print" for each in editions)
        checks.add(_check_resolution(loaded, jobs, printed=printed))
        checks.stop_on_errors()
        laid = _Laid(
            loaded, typesetter, plan.layout, laid_out, plan.pages, placements, jobs, cache_dir
        )
        made.extend((edition_language, each, _typeset_edition(laid, each)) for each in editions)
    # Every PDF of the issue is switched into place at once (see bulletin.output).
    written = publish_set(
        out, month, {each.target.name: typeset.rendered.data for _, each, typeset in made}
    )
    results = []
    for edition_language, each, typeset in made:
        data = typeset.rendered.data
        log.info("wrote %s (%d pages)", each.target, typeset.rendered.page_count)
        results.append(
            BuildResult(
                each.name,
                edition_language,
                written[each.target.name],
                typeset.rendered.page_count,
                len(data),
                typeset.ppi,
                typeset.quality,
                tuple(typeset.photos.values()),
            )
        )
    for path, text in [*notes, *subjects]:
        _note(path, text)
    return results


def _analysed_photos(editions: Iterable[LoadedIssue]) -> list[Path]:
    """Return the photos whose subject the layout looks for: those without ``focus:``."""
    return [
        Path(photo.file)
        for loaded in editions
        for _, photo in loaded.issue.placed_photos()
        if photo.focus is None
    ]


def _languages_of(source: LoadedIssue, language: str | None, root: Path, month: str) -> list[str]:
    """Return the languages a build makes: ``language``, or the main one and each translation's."""
    return [language] if language else [source.publication.language, *issue_languages(root, month)]


class _Checks:
    """The findings of the checks a build runs, told once each."""

    def __init__(self, force: bool, notices: list[Finding] | None) -> None:
        self.force = force
        self.notices = notices
        self.errors: list[Finding] = []
        self.seen: set[Finding] = set()

    def add(self, findings: Iterable[Finding]) -> None:
        """Note ``findings``: errors to stop on, and every finding as a notice."""
        for finding in findings:
            if finding in self.seen:
                continue  # the same photo or publication text in another language
            self.seen.add(finding)
            if finding.severity == "error" and not self.force:
                self.errors.append(finding)
            elif self.notices is not None:
                self.notices.append(finding)

    def stop_on_errors(self) -> None:
        """Raise the errors found so far, if any: they would show in the PDF."""
        if self.errors:
            raise CheckError(
                replace(error.problem, where=f"error: {error.problem.where}".rstrip(": "))
                for error in self.errors
            )


def _check_resolution(
    loaded: LoadedIssue, jobs: Iterable[PhotoJob], *, printed: bool
) -> list[Finding]:
    """Return a finding for each photo with too few pixels for print at its placed size.

    Below ``MIN_PPI`` it is an error when the print edition is built, else a
    warning; below ``PRINT_PPI`` a warning, as ``bulletin check`` says.
    """
    where: dict[Path, tuple[str, int, int]] = {}
    for index, block in enumerate(loaded.issue.stories):
        if isinstance(block, Story):
            for number, photo in enumerate(block.photos):
                where.setdefault(Path(photo.file), (block.id, index, number))
    findings = []
    for job in jobs:
        if job.source not in where:
            continue  # the logo
        (width, height), crop = job.source_size, job.crop
        ppi = min(
            width * (crop[2] - crop[0]) / job.width_in,
            height * (crop[3] - crop[1]) / job.height_in,
        )
        if ppi >= PRINT_PPI:
            continue
        story, index, number = where[job.source]
        shown = job.source.relative_to(loaded.issue_dir.resolve()).as_posix()
        frame = (job.width_in * 25.4, job.height_in * 25.4)
        message = describe_resolution(shown, (width, height), frame, ppi)
        severity: Severity = "error" if ppi < MIN_PPI and printed else "warning"
        if ppi < MIN_PPI and not printed:
            message += " (an error in the print edition)"
        loc = ("stories", index, "photos", number, "file")
        findings.append(Finding(severity, "photos", story, loaded.problem(loc, message)))
    return findings


def typeset_issue(loaded: LoadedIssue, *, write: bool = True) -> Plan:
    """Return the issue's plan, laid out as printed; with ``write``, its PDF drawn too.

    The original photos are placed; without ``write`` the final layout is
    not drawn (the plan's ``laid_out.data`` is empty).
    """
    typesetter = issue_typesetter(loaded)
    photos = check_photos(loaded)
    # A photo shows the same part of itself in every language: all have a say.
    others = _other_languages(loaded, {loaded.language: loaded})
    texts = [Text(loaded), *(Text(other, lay_out=False) for other in others)]
    plan = plan_issue(texts, typesetter, photos)[loaded.language]
    if write:
        return dataclasses.replace(plan, laid_out=typesetter.write_pdf(plan.laid_out))
    return plan


def _other_languages(loaded: LoadedIssue, known: Mapping[str, LoadedIssue]) -> list[LoadedIssue]:
    """Return the issue's languages not in ``known`` that load: they have a say in the crops.

    A language not built whose manifest has mistakes is left out: its own
    build reports them.
    """
    root, month = loaded.root, loaded.issue.month
    found: list[LoadedIssue] = []
    # The main language is the one without a language asked (None).
    for each in (None, *issue_languages(root, month)):
        if each in known or any(other.language == each for other in found):
            continue
        try:
            other = load_issue(root, month, language=each)
        except BulletinError:
            continue
        if other.language not in known and all(o.language != other.language for o in found):
            found.append(other)
    return found


def _plan(
    languages: Sequence[tuple[LoadedIssue, bool]],
    typesetter: Typesetter,
    photos: Mapping[Path, PhotoInfo],
    cache_dir: Path,
    session: Session | None,
) -> tuple[dict[str, Plan], list[tuple[Path, str]]]:
    """Return the plans of the languages to lay out, with the notes for the next build to write.

    ``languages`` are the issue's languages, each with whether to lay it out.
    """
    texts = []
    notes: list[tuple[Path, str]] = []
    month = languages[0][0].issue.month
    for loaded, lay_out in languages:
        key = (month, loaded.language)
        noted = cache_dir / PAGES_CACHE / f"{month}-{loaded.language}.json"
        guess = session.pages.get(key) if session else None
        measures = session.measures.get(key) if session else None
        if measures is None:
            kept = cache_dir / MEASURES_CACHE / f"{month}-{loaded.language}.json"
            measures = _read_measures(kept)
            if session is not None:
                session.measures[key] = measures
        texts.append(
            Text(
                loaded,
                guess=guess if guess is not None else _read_pages(noted),
                measures=measures,
                lay_out=lay_out,
            )
        )
    crops = session.crops.get(month) if session else None
    plans = plan_issue(texts, typesetter, photos, crops=crops)
    for text in texts:
        language = text.loaded.language
        plan = plans.get(language)
        if plan is not None:
            if session is not None:
                session.pages[(month, language)] = plan.pages
                session.crops[month] = plan.crops
            noted = cache_dir / PAGES_CACHE / f"{month}-{language}.json"
            notes.append((noted, json.dumps(plan.pages, sort_keys=True)))
        if text.measures is not None:
            measured = cache_dir / MEASURES_CACHE / f"{month}-{language}.json"
            notes.append((measured, text.measures.to_json()))
    return plans, notes


def issue_typesetter(
    loaded: LoadedIssue, cache_dir: Path | None = None, session: Session | None = None
) -> Typesetter:
    """Return the typesetter of ``loaded``'s layout, fonts and folders (the session's, if kept)."""
    layout_dir = layout_folder(loaded)
    folders = [loaded.issue_dir, layout_dir, loaded.root / "issues"]
    if cache_dir:
        # Prepared photos are read from the cache.
        folders.append(cache_dir)
    fonts_dir = loaded.root / "fonts"
    key = (layout_dir, fonts_dir, *folders)
    if session is not None and key in session.typesetters:
        return session.typesetters[key]
    typesetter = Typesetter(
        base_dir=layout_dir,
        folders=folders,
        fonts_dir=fonts_dir,
        source=loaded.problem((), "").file,
    )
    if session is not None:
        session.typesetters[key] = typesetter
    return typesetter


def _read_pages(path: Path) -> dict[str, int]:
    """Return the pages a build noted in ``path``, or none if it holds none."""
    try:
        noted = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(noted, dict):
        return {}
    return {key: value for key, value in noted.items() if isinstance(value, int)}


def _note(path: Path, text: str) -> None:
    """Write a note for the next build, unless it holds that already."""
    with contextlib.suppress(OSError):
        if path.read_text() == text:
            return
    # A note that cannot be written only costs the next build some time.
    with contextlib.suppress(BulletinError):
        write_output(path, text.encode())


def _read_measures(path: Path) -> Measures:
    """Return the measures a build kept in ``path``, or none if it holds none that are sound."""
    try:
        return Measures.from_json(path.read_text())
    except OSError:
        return Measures()


def _sources(photos: Mapping[Path, PhotoInfo]) -> dict[str, Path]:
    # The layout writes each photo's src as its file URI.
    return {path.as_uri(): path for path in photos}


@dataclass(frozen=True)
class _Laid:
    """One language of the issue, laid out, and what its editions share."""

    loaded: LoadedIssue
    typesetter: Typesetter
    layout: Layout
    laid_out: RenderedPdf
    pages: dict[str, int]
    placements: Sequence[Placement]
    """Where the layout placed each photo, in the order of its pages."""
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
        # Its own page set-up or style sheet: a layout of its own, with the
        # pages of the shared one (the edition must not move text).
        placed = {source: photo.url for source, photo in prepared.items()}
        laid_out = render_numbered(
            laid.typesetter,
            lambda pages: render_html(
                loaded, images=placed, plan=laid.layout, edition=edition.name, pages=pages
            ),
            laid.pages,
            [block.id for block in loaded.issue.stories],
            stylesheets=[edition.stylesheet] if edition.stylesheet else [],
            **common,
        )
        rendered = laid.typesetter.write_pdf(laid_out, **common)
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
    # A photo may be placed several times (one file in two stories), each
    # its own size: each placement is compared with the layout's, in order.
    expected: dict[Path, list[Placement]] = {}
    for placement in laid.placements:
        expected.setdefault(placement.source, []).append(placement)
    placed: dict[Path, list[Placement]] = {}
    for placement in measure_placements(rendered.document, sources):
        placed.setdefault(placement.source, []).append(placement)
    for source, group in placed.items():
        wanted = expected.get(source, [])
        photo = prepared[source]
        # The crop of a prepared photo is a whole number of pixels: the engine
        # may crop the last one off again (a few pixels make a large share).
        pixel = 1 / min(photo.width, photo.height)
        moved = len(group) != len(wanted) or any(
            _drift(placement, measured, by_source[source].crop) > max(PLACED_TOLERANCE, pixel)
            for placement, measured in zip(group, wanted, strict=False)
        )
        if moved:
            shown = source.relative_to(loaded.issue_dir.resolve()).as_posix()
            raise RenderError.single(
                f"layouts/{loaded.publication.layout}",
                f"the {edition.name} edition places photo '{shown}' at another size than "
                "the layout did with the original photo: give photos a size in the layout's "
                "CSS (a width, and a height or auto), not their size in pixels",
            )


def _drift(placement: Placement, measured: Placement, prepared: Box) -> float:
    """Return how far an edition's ``placement`` of a prepared photo is from the layout's.

    ``prepared`` is the part of the original the prepared photo holds: the
    part of it that shows must be the part of the original the layout showed.
    """
    left, top, right, bottom = prepared
    width, height = right - left, bottom - top
    crop = measured.crop
    wanted = (
        (crop[0] - left) / width,
        (crop[1] - top) / height,
        (crop[2] - left) / width,
        (crop[3] - top) / height,
    )
    return max(
        abs(placement.width_in / measured.width_in - 1),
        abs(placement.height_in / measured.height_in - 1),
        *(abs(a - b) for a, b in zip(placement.crop, wanted, strict=True)),
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
