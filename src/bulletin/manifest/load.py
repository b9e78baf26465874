"""Load and validate the manifests: ``issues/publication.yaml`` and ``issues/YYYY-MM/issue.yaml``.

Every problem is reported at once, each with the file, line and column it
comes from (taken from the YAML nodes) and a plain-words fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from pydantic_core import PydanticCustomError

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.i18n import LABEL_KEYS, babel_locale, labels_for, labels_for_keys
from bulletin.manifest.files import resolve_inside, resolver
from bulletin.manifest.messages import Loc, close_field, gap_problem, where
from bulletin.manifest.safe_yaml import Marks, Raw, load_model, read_yaml
from bulletin.manifest.translations import load_translation
from bulletin.model.issue import (
    MONTH,
    RESOLVE_FILE,
    Issue,
    IssueTranslation,
    Publication,
)
from bulletin.pdf.fonts import list_fonts

MISSING_FONTS = (
    "no font files (.ttf, .otf, .woff, .woff2) here, or no such folder: the layouts "
    "set the text in the fonts kept there (a family not found falls back to another "
    "font without a word); put the project's fonts/ folder back beside issues/ and layouts/"
)
_TRANSLATION_NAME = re.compile(r"^issue\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.yaml$")


@dataclass(frozen=True)
class LoadedIssue:
    """A validated issue with its publication and where they came from."""

    root: Path
    """The project folder holding ``issues/``, ``layouts/`` and ``fonts/``."""
    publication: Publication
    """The publication's settings."""
    issue: Issue
    """The month's content."""
    issue_dir: Path
    """The issue folder (``issues/2021-05``)."""
    manifests: tuple[Path, ...]
    """The manifest files read, publication first."""
    positions: tuple[dict[Loc, tuple[int, int]], ...]
    """Line and column of every value in each manifest, by field path."""
    language: str = ""
    """The language of this edition, as a BCP 47 tag."""
    labels: dict[str, str] = field(default_factory=dict)
    """The words the layout prints in this language (see ``bulletin.i18n``)."""
    texts: tuple[Path | None, Path | None] = (None, None)
    """The translation files of a language edition: publication's, issue's."""

    def problem(self, loc: Loc, message: str, *, publication: bool = False) -> Problem:
        """Return a problem at the field ``loc`` of ``issue.yaml`` (or ``publication.yaml``)."""
        which = 0 if publication else -1
        line, column = self.positions[which].get(loc, (None, None))
        name = display_path(self.root, self.manifests[which])
        return Problem(name, line, column, where(loc), message)


def issue_languages(root: Path, month: str) -> list[str]:
    """Return the languages of the issue of ``month``: its translations' ("ru"), sorted."""
    folder = root / "issues" / month
    return sorted(
        match[1]
        for path in folder.glob("issue.*.yaml")
        if (match := _TRANSLATION_NAME.match(path.name))
    )


PhotoCheck = Callable[[Path], str | None]
"""Say why a photo file cannot be used ("is an empty file: …"), or None when it can."""


def load_issue(
    root: Path, month: str, *, language: str | None = None, photos: PhotoCheck | None = None
) -> LoadedIssue:
    """Return the validated publication and issue for ``month`` under ``root``.

    With ``language``, return the edition in that language: the source with the
    text of ``issue.<language>.yaml`` and ``publication.<language>.yaml``.
    Every problem of the files read is reported at once (see ``load_editions``).
    """
    return load_editions(root, month, [language], photos=photos)[0]


def load_editions(
    root: Path,
    month: str,
    languages: Sequence[str | None],
    *,
    photos: PhotoCheck | None = None,
) -> list[LoadedIssue]:
    """Return the issue of ``month`` in each of ``languages`` (None: the main language).

    The manifests and every translation file asked for are read and checked in
    one pass: a problem in one does not hide those of another. If there is any,
    one ``ManifestError`` lists them all, by file (in the order read) and line;
    with ``photos``, the photos of the issue are then checked too and their
    problems listed with the others.
    """
    problems: list[Problem] = []
    order: list[str] = []
    source, raw = _load_source(root, month, problems, order)
    fonts = root / "fonts"
    if not fonts.is_dir() or not list_fonts(fonts):
        problems.append(Problem("fonts/", None, None, "", MISSING_FONTS))
        order.append("fonts/")
    editions: list[LoadedIssue] = []
    for language in languages:
        edition: LoadedIssue | None = None
        if source is not None and language in (None, source.publication.language):
            main = source.publication.language
            marks = Marks({}, source.positions[0])
            edition = _with_labels(
                source, main, source.publication.labels, (source.manifests[0], marks), problems
            )
        elif language is not None:
            found = load_translation(root, month, source, raw, language, problems, order)
            if found is not None:
                translated, extra, labels_source = found
                edition = _with_labels(translated, language, extra, labels_source, problems)
        if edition is not None:
            editions.append(edition)
    if problems:
        if photos is not None:
            problems.extend(_photo_problems(root, month, raw, photos))
        raise ManifestError(_in_file_order(problems, order))
    return editions


def _in_file_order(problems: list[Problem], order: list[str]) -> list[Problem]:
    """Return ``problems`` without repeats, by file (in the order read), line and column."""
    unique = list(dict.fromkeys(problems))
    rank = {name: number for number, name in enumerate(dict.fromkeys(order))}
    return sorted(unique, key=lambda p: (rank.get(p.file, len(rank)), p.line or 0, p.column or 0))


def _photo_problems(root: Path, month: str, raw: Raw, check: PhotoCheck) -> list[Problem]:
    """Return the problems of the photos the issue manifest names, valid or not."""
    stories = raw.data.get("stories") if isinstance(raw.data, dict) else None
    issue_dir = root / "issues" / month
    name = display_path(root, issue_dir / "issue.yaml")
    problems: list[Problem] = []
    seen: set[Path] = set()
    for index, story in enumerate(stories if isinstance(stories, list) else []):
        photos = story.get("photos") if isinstance(story, dict) else None
        for number, photo in enumerate(photos if isinstance(photos, list) else []):
            file = photo.get("file") if isinstance(photo, dict) else None
            if not isinstance(file, str):
                continue
            try:
                path = resolve_inside(issue_dir, file, what="photo")
            except PydanticCustomError:
                continue  # the manifest's own check tells it
            if path in seen:
                continue
            seen.add(path)
            if (reason := check(path)) is not None:
                loc = ("stories", index, "photos", number, "file")
                line, column = raw.marks.values.get(loc, (None, None))
                shown = path.relative_to(issue_dir.resolve()).as_posix()
                message = f"photo '{shown}' {reason}"
                problems.append(Problem(name, line, column, where(loc), message))
    return problems


def read_manifest(root: Path, path: Path) -> Any:
    """Return the data of the manifest at ``path``, read as ``load_issue`` reads YAML.

    The data is not validated: a command that edits a draft (``bulletin
    translate``) reads what is there even while a photo credit is missing.
    """
    marks = Marks({}, {})
    data, found = read_yaml(path, display_path(root, path), marks)
    if found:
        raise ManifestError(found)
    return data


def read_translation(root: Path, path: Path) -> IssueTranslation:
    """Return the translation file at ``path`` validated on its own, not against its source."""
    problems: list[Problem] = []
    text = load_model(root, path, IssueTranslation, {}, problems, Marks({}, {}))
    if text is None or problems:
        raise ManifestError(problems)
    return text


def load_publication(root: Path) -> Publication:
    """Return the validated ``issues/publication.yaml`` under ``root``, without an issue."""
    issues_dir = root / "issues"
    problems: list[Problem] = []
    publication = load_model(
        root,
        issues_dir / "publication.yaml",
        Publication,
        {"issues_dir": issues_dir},
        problems,
        Marks({}, {}),
    )
    if problems or publication is None:
        raise ManifestError(problems)
    return publication


def issue_published(root: Path, month: str) -> bool:
    """Return whether the issue of ``month`` says ``published: true``, reading only that.

    A draft need not be valid yet, so its other fields are not checked here;
    a file that cannot be read as YAML raises :class:`ManifestError`.
    """
    data = read_manifest(root, root / "issues" / month / "issue.yaml")
    return isinstance(data, dict) and data.get("published") is True


def check_month(month: str) -> None:
    """Refuse a month argument that is not written YYYY-MM, saying how to write it."""
    if not MONTH.match(month):
        raise ManifestError.single(
            "bulletin", f"'{month}' is not a month: write it as YYYY-MM, like 2021-05"
        )


def _load_source(
    root: Path, month: str, problems: list[Problem], order: list[str]
) -> tuple[LoadedIssue | None, Raw]:
    check_month(month)
    issues_dir = root / "issues"
    issue_dir = issues_dir / month
    issue_file = issue_dir / "issue.yaml"
    if not issue_file.is_file():
        known = sorted(p.parent.name for p in issues_dir.glob("*/issue.yaml"))
        hint = f"issues here: {', '.join(known)}" if known else "there are no issues yet"
        raise ManifestError.single(
            display_path(root, issue_file),
            f"no issue for {month}: create {display_path(root, issue_file)} ({hint})",
        )
    publication_file = issues_dir / "publication.yaml"
    publication_marks = Marks({}, {})
    raw = Raw()
    before = len(problems)
    name = display_path(root, issue_file)
    order.extend((display_path(root, publication_file), name))
    publication = load_model(
        root,
        publication_file,
        Publication,
        {RESOLVE_FILE: resolver(issues_dir)},
        problems,
        publication_marks,
    )
    issue = load_model(
        root, issue_file, Issue, {RESOLVE_FILE: resolver(issue_dir)}, problems, raw.marks, raw=raw
    )
    # Told with the rest, even when the issue does not validate.
    written = raw.data.get("month") if isinstance(raw.data, dict) else None
    if isinstance(written, dt.date):
        written = f"{written.year:04d}-{written.month:02d}"
    if isinstance(written, str) and MONTH.match(written) and written != month:
        line, column = raw.marks.values.get(("month",), (None, None))
        message = f"says {written} but the folder is {month}: make them the same"
        problems.append(Problem(name, line, column, "month", message))
    if publication is None or issue is None or len(problems) > before:
        return None, raw
    loaded = LoadedIssue(
        root,
        publication,
        issue,
        issue_dir,
        (publication_file, issue_file),
        (publication_marks.values, raw.marks.values),
    )
    return loaded, raw


def _with_labels(
    loaded: LoadedIssue,
    language: str,
    extra: dict[str, str],
    source: tuple[Path, Marks],
    problems: list[Problem],
) -> LoadedIssue | None:
    path, marks = source
    try:
        Locale.parse(babel_locale(language))
    except (UnknownLocaleError, ValueError):
        problems.append(
            gap_problem(
                loaded.root,
                path,
                marks,
                ("language",),
                f"'{language}' is not a language bulletin can write dates in: use a "
                "language code such as en, ru, kk, ky, tg, uz or tk",
            )
        )
        return None
    labels = labels_for(language, extra)
    unknown = sorted(set(extra) - LABEL_KEYS)
    if labels is None or unknown:
        at: Loc = ("labels",)
        if unknown:
            message = f"unknown label '{unknown[0]}'"
            if close := close_field(unknown[0], sorted(LABEL_KEYS)):
                message += f" — did you mean '{close}'?"
            else:
                message += f": the labels are {', '.join(sorted(LABEL_KEYS))}"
            at = ("labels", unknown[0])
        else:
            missing = sorted(LABEL_KEYS - labels_for_keys(language, extra))
            message = (
                f"bulletin does not know the layout's words in '{language}': add labels with "
                f"{', '.join(missing)} to {path.name}"
            )
        problems.append(gap_problem(loaded.root, path, marks, at, message))
        return None
    return replace(loaded, language=language, labels=labels)
