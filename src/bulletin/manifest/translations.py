"""Load a language edition: the source issue with the text of its translation files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.errors import Problem, display_path
from bulletin.manifest.messages import gap_problem
from bulletin.manifest.safe_yaml import Marks, Raw, load_model
from bulletin.manifest.translate import translate_issue, translate_publication, unknown_story
from bulletin.model.issue import (
    IssueTranslation,
    PublicationTranslation,
)

if TYPE_CHECKING:
    from bulletin.manifest.load import LoadedIssue


def load_translation(
    root: Path,
    month: str,
    loaded: LoadedIssue | None,
    raw: Raw,
    language: str,
    problems: list[Problem],
    order: list[str],
) -> tuple[LoadedIssue, dict[str, str], tuple[Path, Marks]] | None:
    """Return ``loaded`` in ``language``, its labels' words, and their file and marks.

    Problems go into ``problems`` (None is returned then). With no ``loaded``
    (the source does not validate), the translation files are still checked
    on their own, and their story ids against those ``raw`` has.
    """
    issue_file = root / "issues" / month / f"issue.{language}.yaml"
    publication_file = root / "issues" / f"publication.{language}.yaml"
    if not issue_file.is_file():
        if loaded is not None:
            problems.append(
                Problem(
                    display_path(root, issue_file),
                    None,
                    None,
                    "",
                    f"there is no {language} edition of this issue: create {issue_file.name}",
                )
            )
        return None
    fallback = loaded.publication.translation_fallback if loaded else True
    before = len(problems)
    order.extend((display_path(root, publication_file), display_path(root, issue_file)))
    issue_marks, publication_marks = Marks({}, {}), Marks({}, {})
    written = Raw(marks=issue_marks)
    issue_text = load_model(
        root, issue_file, IssueTranslation, {}, problems, issue_marks, raw=written
    )
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
    if issue_text is None or loaded is None:
        # Either file does not validate: check what can be checked without
        # them, the translation's story ids against those of issue.yaml.
        ids = [block.id for block in loaded.issue.stories] if loaded else raw.story_ids()
        stories = written.data.get("stories") if isinstance(written.data, dict) else None
        if ids is not None and isinstance(stories, dict):
            for story_id in stories:
                if isinstance(story_id, str) and story_id not in ids:
                    message = unknown_story(story_id, ids)
                    loc = ("stories", story_id)
                    problems.append(gap_problem(root, issue_file, issue_marks, loc, message))
        return None
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
    if len(problems) > before:
        return None
    texts = (publication_file if publication_text else None, issue_file)
    translated = replace(loaded, publication=publication, issue=issue, texts=texts)
    extra = publication_text.labels if publication_text else {}
    return translated, extra, (publication_file, publication_marks)
