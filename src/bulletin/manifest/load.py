"""Load and validate the manifests: ``issues/publication.yaml`` and ``issues/YYYY-MM/issue.yaml``.

Every problem is reported at once, each with the file, line and column it
comes from (taken from the YAML nodes) and a plain-words fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.i18n import LABEL_KEYS, babel_locale, labels_for, labels_for_keys
from bulletin.manifest.files import resolver
from bulletin.manifest.messages import Loc, gap_problem, where
from bulletin.manifest.safe_yaml import Marks, load_model, read_yaml
from bulletin.manifest.translations import load_translation
from bulletin.model.issue import (
    MONTH,
    RESOLVE_FILE,
    Issue,
    IssueTranslation,
    Publication,
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


def load_issue(root: Path, month: str, *, language: str | None = None) -> LoadedIssue:
    """Return the validated publication and issue for ``month`` under ``root``.

    With ``language``, return the edition in that language: the source with the
    text of ``issue.<language>.yaml`` and ``publication.<language>.yaml``.
    """
    loaded = _load_source(root, month)
    main = loaded.publication.language
    if language is None or language == main:
        source = (loaded.manifests[0], Marks({}, loaded.positions[0]))
        return _with_labels(loaded, main, loaded.publication.labels, source)
    translated, extra, source = load_translation(loaded, language)
    return _with_labels(translated, language, extra, source)


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


def check_month(month: str) -> None:
    """Refuse a month argument that is not written YYYY-MM, saying how to write it."""
    if not MONTH.match(month):
        raise ManifestError.single(
            "bulletin", f"'{month}' is not a month: write it as YYYY-MM, like 2021-05"
        )


def _load_source(root: Path, month: str) -> LoadedIssue:
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
    problems: list[Problem] = []
    publication_marks, marks = Marks({}, {}), Marks({}, {})
    publication = load_model(
        root,
        publication_file,
        Publication,
        {RESOLVE_FILE: resolver(issues_dir)},
        problems,
        publication_marks,
    )
    issue = load_model(
        root, issue_file, Issue, {RESOLVE_FILE: resolver(issue_dir)}, problems, marks
    )
    loaded = None
    if publication is not None and issue is not None:
        loaded = LoadedIssue(
            root,
            publication,
            issue,
            issue_dir,
            (publication_file, issue_file),
            (publication_marks.values, marks.values),
        )
        if issue.month != month:
            problems.append(
                loaded.problem(
                    ("month",),
                    f"says {issue.month} but the folder is {month}: make them the same",
                )
            )
    if problems or loaded is None:
        raise ManifestError(problems)
    return loaded


def _with_labels(
    loaded: LoadedIssue,
    language: str,
    extra: dict[str, str],
    source: tuple[Path, Marks],
) -> LoadedIssue:
    path, marks = source
    try:
        Locale.parse(babel_locale(language))
    except (UnknownLocaleError, ValueError):
        raise ManifestError(
            [
                gap_problem(
                    loaded.root,
                    path,
                    marks,
                    ("language",),
                    f"'{language}' is not a language bulletin can write dates in: use a "
                    "language code such as en, ru, kk, ky, tg, uz or tk",
                )
            ]
        ) from None
    labels = labels_for(language, extra)
    unknown = sorted(set(extra) - LABEL_KEYS)
    if labels is None or unknown:
        if unknown:
            message = (
                f"unknown label '{unknown[0]}': the labels are {', '.join(sorted(LABEL_KEYS))}"
            )
        else:
            missing = sorted(LABEL_KEYS - labels_for_keys(language, extra))
            message = (
                f"bulletin does not know the layout's words in '{language}': add labels with "
                f"{', '.join(missing)} to {path.name}"
            )
        raise ManifestError([gap_problem(loaded.root, path, marks, ("labels",), message)])
    return replace(loaded, language=language, labels=labels)
