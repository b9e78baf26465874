"""Load a language edition: the source issue with the text of its translation files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.errors import ManifestError, Problem, display_path
from bulletin.manifest.messages import gap_problem
from bulletin.manifest.safe_yaml import Marks, load_model
from bulletin.manifest.translate import translate_issue, translate_publication
from bulletin.model.issue import (
    IssueTranslation,
    PublicationTranslation,
)

if TYPE_CHECKING:
    from bulletin.manifest.load import LoadedIssue


def load_translation(
    loaded: LoadedIssue, language: str
) -> tuple[LoadedIssue, dict[str, str], tuple[Path, Marks]]:
    """Return ``loaded`` in ``language``, its labels' source file and marks, and their words."""
    root = loaded.root
    fallback = loaded.publication.translation_fallback
    issue_file = loaded.issue_dir / f"issue.{language}.yaml"
    publication_file = root / "issues" / f"publication.{language}.yaml"
    if not issue_file.is_file():
        raise ManifestError.single(
            display_path(root, issue_file),
            f"there is no {language} edition of this issue: create {issue_file.name}",
        )
    problems: list[Problem] = []
    issue_marks, publication_marks = Marks({}, {}), Marks({}, {})
    issue_text = load_model(root, issue_file, IssueTranslation, {}, problems, issue_marks)
    publication_text: PublicationTranslation | None = None
    if publication_file.is_file():
        publication_text = load_model(
            root, publication_file, PublicationTranslation, {}, problems, publication_marks
        )
    elif not fallback:
        problems.append(
            Problem(
                display_path(root, publication_file),
                None,
                None,
                "",
                f"the {language} edition needs the publication's text in {language}: create "
                f"{publication_file.name} (name, publisher, contacts, social)",
            )
        )
    if issue_text is None or problems:
        raise ManifestError(problems)
    files = {
        "issue": (issue_file, issue_marks),
        "publication": (publication_file, publication_marks),
    }
    for name, text in (("issue", issue_text), ("publication", publication_text)):
        if text is not None and text.language != language:
            path, marks = files[name]
            line, column = marks.values.get(("language",), (None, None))
            problems.append(
                Problem(
                    display_path(root, path),
                    line,
                    column,
                    "language",
                    f"says '{text.language}' but the file name says '{language}': "
                    "make them the same",
                )
            )
    issue, gaps = translate_issue(loaded.issue, issue_text, fallback=fallback)
    publication = loaded.publication
    if publication_text is not None:
        publication, more = translate_publication(publication, publication_text, fallback=fallback)
        gaps += more
    else:
        publication = publication.model_copy(update={"language": language})
    for gap in gaps:
        path, marks = files[gap.file]
        problems.append(gap_problem(root, path, marks, gap.loc, gap.message))
    if problems:
        raise ManifestError(problems)
    texts = (publication_file if publication_text else None, issue_file)
    translated = replace(loaded, publication=publication, issue=issue, texts=texts)
    extra = publication_text.labels if publication_text else {}
    return translated, extra, (publication_file, publication_marks)
