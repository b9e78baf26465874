"""Build the archive site: every issue's PDFs (rebuilt only when an input changed) and its pages.

The site is written to ``<out>/site``, relative links only, so it works from
disk and from any static host. What the site knows of each issue is kept in
``<out>/.archive-state/<month>.json`` with a fingerprint of the issue's
inputs; an issue whose fingerprint did not change is not built again.

Published issues keep their PDFs: a rebuild that would change one is refused
unless the caller republishes, which keeps the earlier file as ``…-r1.pdf``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import ValidationError

from bulletin.errors import BulletinError, OutputError, Problem, display_path
from bulletin.fingerprint import code_version
from bulletin.manifest.load import issue_languages, issue_published, load_issue, load_publication
from bulletin.model.issue import MONTH, Story
from bulletin.output import write_output
from bulletin.preview.social import OPEN_GRAPH, issue_card, lead_photo
from bulletin.site.assets import (
    FONT_UNICODES,
    SITE_FONTS,
    Picture,
    encode_jpeg,
    prepare_photo,
    render_cover,
    render_pages,
    subset_font,
)
from bulletin.site.records import (
    EDITION_ORDER,
    FileEntry,
    Frame,
    IssueRecord,
    RevisionEntry,
    WebImage,
    describe_pages,
    index_context,
    issue_context,
    page_href,
    render_feed,
    render_json_index,
    render_robots,
    render_sitemap,
    revision_name,
    search_context,
    search_href,
    site_languages,
)
from bulletin.templates import rendered

log = logging.getLogger(__name__)

SITE_DIR = "site"
"""The site's folder in the output folder."""
STATE_DIR = ".archive-state"
"""Where the state of the site is kept, in the output folder (not published)."""
SITE_LAYOUT = "site"
"""The site's templates and style sheet: ``layouts/site/``."""
_TEMPLATE_SUFFIX = ".j2"


@dataclass(frozen=True)
class Progress:
    """One issue dealt with, for a progress display."""

    done: int
    """Issues dealt with so far, this one included."""
    total: int
    """Issues in the archive."""
    month: str
    """The issue."""
    status: str
    """``built`` (its PDFs were typeset), ``unchanged`` (its inputs did not change) or
    ``draft`` (not published, so not on the public site, and not built for it)."""


@dataclass(frozen=True)
class SiteResult:
    """What a build of the site did."""

    index: Path
    """The site's index page."""
    built: tuple[str, ...]
    """The issues typeset in this run."""
    unchanged: tuple[str, ...]
    """The issues left as they were."""
    republished: tuple[Path, ...] = ()
    """The earlier PDFs kept as revisions in this run."""
    drafts: tuple[str, ...] = ()
    """The drafts: left out of the public site, or marked as drafts in a preview."""
    removed: tuple[str, ...] = ()
    """The files removed from the site because nothing makes them any more, relative to it."""
    preview: bool = False
    """True when drafts were included: a preview, not the public site."""


ProgressCallback = Callable[[Progress], None]


def build_site(
    root: Path,
    out: Path,
    *,
    republish: bool = False,
    drafts: bool = False,
    progress: ProgressCallback | None = None,
) -> SiteResult:
    """Build the PDFs of every changed issue under ``root`` and write the site to ``out/site``.

    Only published issues are on the site; with ``drafts``, the site is a
    preview that shows the drafts too, marked as such. The site folder holds
    what the inputs make and nothing else: a file nothing makes any more is
    removed, except the PDFs of issues that were published (their addresses
    stay) and their earlier revisions.

    Issues build in parallel, one process per CPU. Everything is built and
    checked before the site is touched; a published PDF that would change
    stops the build unless ``republish`` is true. The worker processes are
    spawned, so a script calling this needs the ``if __name__ == "__main__":``
    guard of :mod:`multiprocessing`.
    """
    root, out = root.resolve(), out.resolve()
    site_dir, state_dir = out / SITE_DIR, out / STATE_DIR
    environment = _environment(root)
    publication = load_publication(root)
    frame = Frame(
        name=publication.name,
        publisher=publication.publisher,
        language=publication.language,
        colors=(publication.colors.primary, publication.colors.accent),
        slug=publication.slug,
        site_url=publication.site_url,
        preview=drafts,
    )
    every_month = _issue_months(root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    shared = _shared_digest(root)
    fingerprints = {month: _fingerprint(root, month, shared, epoch) for month in every_month}
    previous = {month: _read_record(state_dir / f"{month}.json") for month in every_month}
    published = {
        month: _published(root, month, previous[month], fingerprints[month])
        for month in every_month
    }
    draft_months = tuple(month for month in every_month if not published[month])
    months = every_month if drafts else [m for m in every_month if published[m]]
    stale = [m for m in months if not _current(previous[m], fingerprints[m], site_dir)]
    font_files, fonts = _cached_fonts(root)
    ledger = _read_ledger(state_dir, site_dir)

    report = progress or (lambda _: None)
    done = 0
    for month in every_month:
        if month not in months:
            done += 1
            report(Progress(done, len(every_month), month, "draft"))
        elif month not in stale:
            done += 1
            report(Progress(done, len(every_month), month, "unchanged"))
    sources = {name: source for name, (source, _) in fonts.items()}
    built, subsets = _run_builds(root, out, stale, sources, epoch, report, done, len(every_month))
    for name, data in subsets.items():
        _cache(fonts[name][1], data)
    font_files.update(subsets)

    plans = [
        _plan_issue(
            root,
            site_dir,
            built[month],
            fingerprints[month],
            previous[month],
            republish,
            ledger,
        )
        for month in stale
    ]
    problems = [problem for plan in plans for problem in plan.problems]
    if problems:
        raise BulletinError(problems)
    records = {month: record for month, record in previous.items() if record is not None}
    records.update({plan.record.month: plan.record for plan in plans})
    shown = [records[month] for month in months]
    pages = rendered(
        root, root / "layouts" / SITE_LAYOUT, lambda: _render_pages(environment, frame, shown)
    )
    search_files, search_key = _search_index(pages, state_dir, site_dir)

    # Everything is built and checked: only now is the site written.
    moved = [target for plan in plans for target in plan.apply()]
    expected: set[str] = set()
    for name, data in font_files.items():
        expected.add(f"fonts/{name}")
        _write_if_changed(site_dir / "fonts" / name, data)
    if (root / "fonts" / "OFL.txt").is_file():
        # The fonts' licence travels with them.
        expected.add("fonts/OFL.txt")
        _copy_if_changed(root / "fonts" / "OFL.txt", site_dir / "fonts" / "OFL.txt")
    for source in _static_files(environment):
        relative = source.relative_to(root / "layouts" / SITE_LAYOUT)
        expected.add(relative.as_posix())
        _copy_if_changed(source, site_dir / relative)
    for page_path, text in pages.items():
        expected.add(page_path)
        _write_if_changed(site_dir / page_path, text.encode())
    for search_path, blob in search_files.items():
        expected.add(search_path)
        if blob is not None:
            _write_if_changed(site_dir / search_path, blob)
    if search_key is not None:
        state = {"key": search_key, "files": sorted(search_files)}
        _write_if_changed(state_dir / _SEARCH_STATE, (json.dumps(state, indent=1) + "\n").encode())
    for record in shown:
        expected.update(record.outputs())
    for plan in plans:
        write_output(
            state_dir / f"{plan.record.month}.json", plan.record.model_dump_json(indent=1).encode()
        )
    # A published issue's PDFs keep their addresses, even once it is gone from the inputs.
    ledger |= {
        f"{record.folder}/{name}"
        for record in records.values()
        if record.published and record.month in every_month
        for name in [*(f.name for f in record.files), *(r.name for r in record.revisions)]
    }
    _write_ledger(state_dir, site_dir, ledger)
    removed = _remove_others(site_dir, expected | ledger)
    return SiteResult(
        site_dir / "index.html",
        tuple(stale),
        tuple(month for month in months if month not in stale),
        tuple(moved),
        draft_months,
        tuple(removed),
        drafts,
    )


def _published(root: Path, month: str, record: IssueRecord | None, fingerprint: str) -> bool:
    """Return whether ``month`` is published, from its record when its inputs did not change."""
    if record is not None and record.fingerprint == fingerprint:
        return record.published
    return issue_published(root, month)


_LEDGER = "published-files.json"
_SEARCH_STATE = "search.json"
SEARCH_DIR = "pagefind"
"""The search index's folder in the site."""
_ISSUE_PAGE = re.compile(r"^\d{4}/\d{2}/index(\.[A-Za-z0-9-]+)?\.html$")
# Pagefind's ready-made interfaces: the site has its own search page (search.js).
_SEARCH_UNUSED = re.compile(r"^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$")


def _search_index(
    pages: Mapping[str, str], state_dir: Path, site_dir: Path
) -> tuple[dict[str, bytes | None], str | None]:
    """Return the files of the search index of the issue pages, and the key to keep.

    Pagefind indexes the pages (each language apart, with its stemming) in a
    temporary folder. When the pages did not change since the index in the
    site was made, the files are named and not made again (``None`` for bytes).
    """
    import pagefind_bin

    indexed = {path: text for path, text in pages.items() if _ISSUE_PAGE.match(path)}
    if not indexed:
        # Nothing published yet: nothing to search.
        return {}, None
    binary = pagefind_bin.get_executable()
    digest = hashlib.sha256(importlib.metadata.version("pagefind-bin").encode())
    for path in sorted(indexed):
        digest.update(path.encode() + b"\0" + hashlib.sha256(indexed[path].encode()).digest())
    key = digest.hexdigest()
    try:
        state = json.loads((state_dir / _SEARCH_STATE).read_bytes())
        if state["key"] == key and all((site_dir / name).is_file() for name in state["files"]):
            return dict.fromkeys(state["files"]), None
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with tempfile.TemporaryDirectory(prefix="bulletin-search-") as folder:
        source, bundle = Path(folder) / "site", Path(folder) / SEARCH_DIR
        for path, text in indexed.items():
            (source / path).parent.mkdir(parents=True, exist_ok=True)
            (source / path).write_text(text, encoding="utf-8")
        command = [
            str(binary),
            "--site",
            str(source),
            "--output-path",
            str(bundle),
            "--keep-index-url",
            "--silent",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
            message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BulletinError.single(
                "pagefind", f"the search index could not be built: {message[0]}"
            )
        files: dict[str, bytes | None] = {
            f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in _files(bundle)
            if not _SEARCH_UNUSED.match(path.name)
        }
    return files, key


def _read_ledger(state_dir: Path, site_dir: Path) -> set[str]:
    """Return the PDFs of published issues still in the site, relative to it."""
    try:
        names = json.loads((state_dir / _LEDGER).read_bytes())
    except (OSError, ValueError):
        return set()
    # A file deleted by hand is no longer offered.
    return {name for name in names if isinstance(name, str) and (site_dir / name).is_file()}


def _write_ledger(state_dir: Path, site_dir: Path, ledger: set[str]) -> None:
    kept = sorted(name for name in ledger if (site_dir / name).is_file())
    _write_if_changed(state_dir / _LEDGER, (json.dumps(kept, indent=1) + "\n").encode())


def _remove_others(site_dir: Path, expected: set[str]) -> list[str]:
    """Remove every file of the site not in ``expected``, and the folders left empty."""
    removed = []
    for path in sorted(_files(site_dir)):
        relative = path.relative_to(site_dir).as_posix()
        if relative not in expected:
            path.unlink()
            removed.append(relative)
    for folder in sorted((p for p in site_dir.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
    return removed


# ---- Inputs and fingerprints ----------------------------------------------


def _issue_months(root: Path) -> list[str]:
    """Return the months of the issues under ``root``, oldest first."""
    months = sorted(
        path.parent.name
        for path in (root / "issues").glob("*/issue.yaml")
        if MONTH.match(path.parent.name)
    )
    if not months:
        raise BulletinError.single(
            "issues", "there are no issues to archive: add one as issues/YYYY-MM/issue.yaml"
        )
    return months


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _digest(paths: Iterable[Path], base: Path, *extra: str) -> str:
    """Return a SHA-256 over the names (relative to ``base``) and bytes of ``paths``."""
    digest = hashlib.sha256()
    for text in extra:
        digest.update(text.encode() + b"\0")
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _shared_digest(root: Path) -> str:
    """Return the fingerprint of what every issue is built from besides its own folder.

    That is the publication's files (everything in ``issues/`` outside the
    month folders: manifests, translations, logo), the print layouts, the
    fonts, and bulletin itself: its version and its code.
    """
    issues = root / "issues"
    publication = [
        path
        for path in _files(issues)
        if not (len(parts := path.relative_to(issues).parts) > 1 and MONTH.match(parts[0]))
    ]
    layouts = [
        path
        for path in _files(root / "layouts")
        if path.relative_to(root / "layouts").parts[0] != SITE_LAYOUT
    ]
    return _digest([*publication, *layouts, *_files(root / "fonts")], root, code_version())


def _fingerprint(root: Path, month: str, shared: str, epoch: str | None) -> str:
    return _digest(_files(root / "issues" / month), root, shared, epoch or "")


def _read_record(path: Path) -> IssueRecord | None:
    try:
        return IssueRecord.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        # No state, or state of another version of bulletin: build the issue again.
        return None


def _current(record: IssueRecord | None, fingerprint: str, site_dir: Path) -> bool:
    return (
        record is not None
        and record.fingerprint == fingerprint
        and all((site_dir / name).is_file() for name in record.outputs())
    )


def _cached_fonts(root: Path) -> tuple[dict[str, bytes], dict[str, tuple[Path, Path]]]:
    """Return the site's fonts already cut down, and those still to cut with their cache file.

    Cutting a font down takes seconds, so the result is kept by content (of
    the font and of the cut) in the temp folder, beside fontconfig's.
    """
    folder = Path(tempfile.gettempdir()) / "bulletin-site-fonts"
    recipe = f"{FONT_UNICODES!r} {importlib.metadata.version('fonttools')}".encode()
    found: dict[str, bytes] = {}
    missing: dict[str, tuple[Path, Path]] = {}
    for name in SITE_FONTS:
        source = root / "fonts" / name
        try:
            key = hashlib.sha256(source.read_bytes() + recipe).hexdigest()[:24]
        except OSError as error:
            raise BulletinError.single(
                display_path(root, source), f"the site needs this font ({error.strerror})"
            ) from None
        site_name = source.with_suffix(".woff2").name
        cached = folder / f"{source.stem}-{key}.woff2"
        try:
            found[site_name] = cached.read_bytes()
        except OSError:
            missing[site_name] = (source, cached)
    return found, missing


def _cache(path: Path, data: bytes) -> None:
    # A cache that cannot be written only costs time at the next build.
    with contextlib.suppress(BulletinError):
        write_output(path, data)


# ---- Building in parallel -------------------------------------------------


@dataclass(frozen=True)
class _Pdf:
    """A PDF an issue build wrote (the fields of BuildResult the site uses)."""

    edition: str
    language: str
    path: Path
    pages: int
    size: int


@dataclass(frozen=True)
class _Built:
    """The outcome of one issue's build in a worker process."""

    month: str
    pdfs: tuple[_Pdf, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _build_in_worker(root: Path, month: str, out: Path, epoch: str) -> _Built:
    """Build every edition of ``month``; return what was written, or the problems found."""
    from bulletin.build import build_issue

    # Dates the layout engine stamps (font subsets, metadata) come from here,
    # so that unchanged inputs give the same bytes and published files stay put.
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    try:
        results = build_issue(root, month, out)
    except BulletinError as error:
        return _Built(month, (), error.problems, tuple(collect.messages))
    finally:
        logging.getLogger().removeHandler(collect)
    pdfs = tuple(_Pdf(r.edition, r.language, r.path, r.page_count, r.size) for r in results)
    return _Built(month, pdfs, (), tuple(collect.messages))


def _month_epoch(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return str(int(dt.datetime(year, number, 1, tzinfo=dt.UTC).timestamp()))


def _run_builds(
    root: Path,
    out: Path,
    months: Sequence[str],
    fonts: Mapping[str, Path],
    epoch: str | None,
    report: ProgressCallback,
    done: int,
    total: int,
) -> tuple[dict[str, _Built], dict[str, bytes]]:
    """Build ``months`` and cut ``fonts`` down across the CPUs; return them once all are done."""
    if not months and not fonts:
        return {}, {}
    built: dict[str, _Built] = {}
    font_files: dict[str, bytes] = {}
    workers = min(os.cpu_count() or 1, len(months) + len(fonts))
    # WeasyPrint is not thread-safe, and a forked copy of a process that has
    # loaded it need not be sound either: each worker starts afresh.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        issues: dict[Future[_Built], str] = {
            pool.submit(_build_in_worker, root, month, out, epoch or _month_epoch(month)): month
            for month in reversed(months)
        }
        subsets: dict[Future[bytes], str] = {
            pool.submit(subset_font, source): name for name, source in fonts.items()
        }
        for future in as_completed(issues):
            result = future.result()
            for message in result.warnings:
                log.warning("%s: %s", result.month, message)
            built[result.month] = result
            done += 1
            report(Progress(done, total, result.month, "built"))
        for subset, name in subsets.items():
            font_files[name] = subset.result()
    problems = [problem for month in months for problem in built[month].problems]
    if problems:
        raise BulletinError(problems)
    return built, font_files


# ---- Planning an issue's files --------------------------------------------


@dataclass
class _Plan:
    """An issue's files for the site, made and checked, not yet written."""

    record: IssueRecord
    files: dict[Path, bytes] = field(default_factory=dict)
    """Site files to write, by path."""
    keep: list[tuple[Path, Path]] = field(default_factory=list)
    """Published PDFs to keep under a revision name before their new bytes are written."""
    problems: list[Problem] = field(default_factory=list)

    def apply(self) -> list[Path]:
        """Write the issue's files into the site; return the revisions kept."""
        kept = []
        for current, revision in self.keep:
            try:
                os.replace(current, revision)
            except OSError as error:
                raise OutputError.single(
                    str(revision), f"cannot keep the published PDF ({error.strerror})"
                ) from None
            kept.append(revision)
        for path, data in self.files.items():
            _write_if_changed(path, data)
        return kept


def _plan_issue(
    root: Path,
    site_dir: Path,
    built: _Built,
    fingerprint: str,
    previous: IssueRecord | None,
    republish: bool,
    ledger: set[str],
) -> _Plan:
    """Return the issue's site files and record, checking its published PDFs stay put."""
    month = built.month
    main = load_issue(root, month)
    editions = [main] + [
        load_issue(root, month, language=lang) for lang in issue_languages(root, month)
    ]
    folder = site_dir / month.replace("-", "/")
    files: dict[Path, bytes] = {}
    problems: list[Problem] = []
    keep: list[tuple[Path, Path]] = []

    images: dict[str, WebImage] = {}
    names: set[str] = set()
    for block in main.issue.stories:
        for photo in block.photos if isinstance(block, Story) else ():
            if photo.file in images:
                continue
            picture = prepare_photo(Path(photo.file))
            href = _photo_href(Path(photo.file), main.issue_dir, picture, names)
            images[photo.file] = WebImage(href=href, width=picture.width, height=picture.height)
            files[folder / href] = picture.data

    # An issue published before keeps its files; without a record of it, trust the manifest.
    protected = previous.published if previous is not None else main.issue.published
    # Earlier files deleted by hand are no longer offered.
    revisions = [
        revision
        for revision in (previous.revisions if previous is not None else ())
        if (folder / revision.name).is_file()
    ]
    entries = []
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for pdf in built.pdfs:
        data = pdf.path.read_bytes()
        target = folder / pdf.path.name
        entries.append(
            FileEntry(
                edition=pdf.edition,
                language=pdf.language,
                name=target.name,
                bytes=len(data),
                pages=pdf.pages,
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
        files[target] = data
        listed = f"{folder.relative_to(site_dir).as_posix()}/{target.name}" in ledger
        if not (protected or listed) or not target.is_file() or target.read_bytes() == data:
            continue
        number = _next_revision(target, revisions)
        kept = target.with_name(revision_name(target.name, number))
        if not republish:
            problems.append(_would_change(root, target, kept.name, month))
            continue
        keep.append((target, kept))
        revisions.append(
            RevisionEntry(
                name=kept.name,
                current=target.name,
                number=number,
                bytes=target.stat().st_size,
                replaced=now,
            )
        )

    covers, cards = {}, {}
    stories = [block for block in main.issue.stories if isinstance(block, Story)]
    lead = lead_photo([Path(p.file) for story in stories for p in story.photos])
    for edition in editions:
        pdf = _cover_source(built.pdfs, edition.language)
        picture = render_cover(pdf.path)
        language_suffix = "" if edition is main else f"-{edition.language}"
        href = f"cover{language_suffix}{picture.suffix}"
        covers[edition.language] = WebImage(href=href, width=picture.width, height=picture.height)
        files[folder / href] = picture.data
        [page1] = render_pages(pdf.path, width=OPEN_GRAPH[0], pages=1)
        card = encode_jpeg(issue_card(edition, page1, lead, OPEN_GRAPH))
        href = f"social{language_suffix}{card.suffix}"
        cards[edition.language] = WebImage(href=href, width=card.width, height=card.height)
        files[folder / href] = card.data

    record = IssueRecord(
        month=month,
        fingerprint=fingerprint,
        published=main.issue.published,
        colors=(main.publication.colors.primary, main.publication.colors.accent),
        slug=main.publication.slug,
        pages=describe_pages(editions, images),
        files=tuple(entries),
        revisions=tuple(revisions),
        covers=covers,
        cards=cards,
    )
    return _Plan(record, files, keep, problems)


def _photo_href(path: Path, issue_dir: Path, picture: Picture, taken: set[str]) -> str:
    """Return a unique name for the photo's web copy: ``photos/istanbul-2021-05-26.jpg``."""
    parts = list(path.relative_to(issue_dir.resolve()).with_suffix("").parts)
    if len(parts) > 1 and parts[0] == "photos":
        parts = parts[1:]
    stem = "-".join(parts)
    href = f"photos/{stem}{picture.suffix}"
    number = 2
    while href in taken:
        href = f"photos/{stem}-{number}{picture.suffix}"
        number += 1
    taken.add(href)
    return href


def _cover_source(pdfs: Sequence[_Pdf], language: str) -> _Pdf:
    order = {edition: index for index, edition in enumerate(EDITION_ORDER)}
    candidates = [pdf for pdf in pdfs if pdf.language == language] or list(pdfs)
    return min(candidates, key=lambda pdf: order.get(pdf.edition, len(order)))


def _next_revision(target: Path, revisions: Sequence[RevisionEntry]) -> int:
    number = 1 + max((r.number for r in revisions if r.current == target.name), default=0)
    while target.with_name(revision_name(target.name, number)).exists():
        number += 1
    return number


def _would_change(root: Path, target: Path, kept: str, month: str) -> Problem:
    return Problem(
        display_path(root, target),
        None,
        None,
        "",
        f"issue {month} is published and this rebuild would change its PDF, which partners "
        f"may link to: pass --republish to publish the new file and keep this one as {kept}, "
        "or undo the change to the issue's inputs",
    )


# ---- Pages ----------------------------------------------------------------


def _environment(root: Path) -> jinja2.Environment:
    folder = root / "layouts" / SITE_LAYOUT
    if not (folder / "index.html.j2").is_file():
        raise BulletinError.single(
            display_path(root, folder),
            "the archive site's templates are missing: restore layouts/site/ from bulletin",
        )
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _static_files(environment: jinja2.Environment) -> list[Path]:
    """Return the layout's files that are copied as they are (style sheet, icons)."""
    loader = environment.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    folder = Path(loader.searchpath[0])
    return [path for path in _files(folder) if path.suffix != _TEMPLATE_SUFFIX]


def _render_pages(
    environment: jinja2.Environment, frame: Frame, records: Sequence[IssueRecord]
) -> dict[str, str]:
    """Return every page of the site, by path relative to the site."""
    pages = {
        "index.html": environment.get_template("index.html.j2").render(
            index_context(frame, records)
        ),
        "index.json": render_json_index(frame, records),
    }
    # Feed readers and search engines see the public site only, never a preview's drafts.
    public = [record for record in records if record.published]
    pages["feed.xml"] = render_feed(frame, public).decode()
    if frame.site_url:
        pages["sitemap.xml"] = render_sitemap(frame, public).decode()
        pages["robots.txt"] = render_robots(frame)
    search = environment.get_template("search.html.j2")
    for language in site_languages(frame, records):
        pages[search_href(frame, language)] = search.render(
            search_context(frame, records, language)
        )
    template = environment.get_template("issue.html.j2")
    for record in records:
        for page in record.pages:
            relative = f"{record.folder}/{page_href(record, page.language)}"
            pages[relative] = template.render(issue_context(frame, record, page.language))
    return pages


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_output(path, data)


def _copy_if_changed(source: Path, target: Path) -> None:
    _write_if_changed(target, source.read_bytes())
