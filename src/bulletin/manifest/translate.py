"""Apply a translation file to an issue or a publication.

A translation carries only text, matched to the source by story id and by
position in lists. Everything the source has must be translated (or, where
the publication allows it, falls back to the source text); anything the
translation adds that the source does not have is an error, since it would
be silently dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bulletin.model.issue import (
    BlockText,
    Issue,
    IssueTranslation,
    Photo,
    PhotoText,
    Publication,
    PublicationTranslation,
    Stats,
    Story,
)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Gap:
    """A translation that is missing, or has text the source does not."""

    file: Literal["issue", "publication"]
    """Which translation file: ``issue.<lang>.yaml`` or ``publication.<lang>.yaml``."""
    loc: Loc
    """Where in that file (the nearest field that exists there)."""
    message: str
    """What is wrong and what to do."""


class _Merge:
    """Collect translated values and gaps for one file."""

    def __init__(self, file: Literal["issue", "publication"], fallback: bool) -> None:
        self.file = file
        self.fallback = fallback
        self.gaps: list[Gap] = []

    def text(self, source: str | None, text: str | None, loc: Loc, name: str) -> str | None:
        """Return the translated value of a field, or the source's where allowed."""
        if source is None:
            if text is not None:
                self.gap((*loc, name), f"the source has no {name} here: remove it")
            return None
        if text is None:
            if not self.fallback:
                self.gap(loc, f"'{name}' is not translated: add {name}")
            return source
        return text

    def items(
        self, source: Sequence[Any], text: Sequence[Any] | None, loc: Loc, name: str
    ) -> list[Any]:
        """Return the translated items of a list, matched by position (``None`` if absent)."""
        if text is None:
            if source and not self.fallback:
                self.gap(loc, f"'{name}' is not translated: add {len(source)} {name}")
            return [None] * len(source)
        if len(text) != len(source):
            self.gap(
                (*loc, name),
                f"has {len(text)} {name} but the source has {len(source)}: translate each, "
                "in the same order",
            )
        return [*text[: len(source)], *([None] * (len(source) - len(text)))]

    def absent(self, value: object, loc: Loc, name: str, kind: str) -> None:
        """Record a gap if a field the block kind does not have is given."""
        if value is not None:
            self.gap((*loc, name), f"a {kind} has no {name}: remove it")

    def gap(self, loc: Loc, message: str) -> None:
        """Record a gap."""
        self.gaps.append(Gap(self.file, loc, message))


def unknown_story(story_id: str, ids: Sequence[str]) -> str:
    """Return the message for a translated story whose id issue.yaml does not have."""
    close = difflib.get_close_matches(story_id, list(ids), n=1, cutoff=0.6)
    if close:
        return f"there is no story '{story_id}' in issue.yaml: did you mean '{close[0]}'?"
    return (
        f"there is no story '{story_id}' in issue.yaml: check the id "
        f"(the stories are {', '.join(sorted(set(ids)))})"
    )


def translate_issue(
    issue: Issue, translation: IssueTranslation, *, fallback: bool
) -> tuple[Issue, list[Gap]]:
    """Return ``issue`` with the text of ``translation``, and every gap found."""
    merge = _Merge("issue", fallback)
    known = {block.id for block in issue.stories}
    for story_id in translation.stories:
        if story_id not in known:
            merge.gap(("stories", story_id), unknown_story(story_id, sorted(known)))
    blocks: list[Story | Stats] = []
    for block in issue.stories:
        text = translation.stories.get(block.id)
        if text is None:
            if not fallback:
                merge.gap(("stories",), f"story '{block.id}' is not translated: add it")
            blocks.append(block)
            continue
        loc: Loc = ("stories", block.id)
        if isinstance(block, Story):
            blocks.append(_story(merge, block, text, loc))
        else:
            blocks.append(_stats(merge, block, text, loc))
    back_photo = issue.back_photo
    if back_photo is None:
        if translation.back_photo is not None:
            merge.gap(("back_photo",), "the source has no back_photo: remove it")
    elif translation.back_photo is None:
        if not fallback:
            merge.gap((), "'back_photo' is not translated: add back_photo with alt and credit")
    else:
        back_photo = _photo(merge, back_photo, translation.back_photo, ("back_photo",))
    return issue.model_copy(update={"stories": blocks, "back_photo": back_photo}), merge.gaps


def _common(merge: _Merge, block: Story | Stats, text: BlockText, loc: Loc) -> dict[str, Any]:
    return {
        "kicker": merge.text(block.kicker, text.kicker, loc, "kicker"),
        "title": merge.text(block.title, text.title, loc, "title"),
    }


def _story(merge: _Merge, story: Story, text: BlockText, loc: Loc) -> Story:
    merge.absent(text.intro, loc, "intro", "story")
    merge.absent(text.figures, loc, "figures", "story")
    photos = [
        photo if words is None else _photo(merge, photo, words, (*loc, "photos", index))
        for index, (photo, words) in enumerate(
            zip(story.photos, merge.items(story.photos, text.photos, loc, "photos"), strict=True)
        )
    ]
    return story.model_copy(
        update={
            **_common(merge, story, text, loc),
            "standfirst": merge.text(story.standfirst, text.standfirst, loc, "standfirst"),
            "quote": merge.text(story.quote, text.quote, loc, "quote"),
            "body": merge.text(story.body, text.body, loc, "body"),
            "photos": photos,
        }
    )


def _photo(merge: _Merge, photo: Photo, words: PhotoText, where: Loc) -> Photo:
    credit = photo.credit
    credit_words = words.credit
    if credit_words is None:
        if not merge.fallback:
            words_ = "by and place" if credit.place else "by"
            merge.gap(where, f"'credit' is not translated: add credit with {words_}")
    else:
        credit = credit.model_copy(
            update={
                "by": merge.text(credit.by, credit_words.by, (*where, "credit"), "by"),
                "place": merge.text(credit.place, credit_words.place, (*where, "credit"), "place"),
            }
        )
    return photo.model_copy(
        update={
            "alt": merge.text(photo.alt, words.alt, where, "alt"),
            "caption": merge.text(photo.caption, words.caption, where, "caption"),
            "credit": credit,
        }
    )


def _stats(merge: _Merge, stats: Stats, text: BlockText, loc: Loc) -> Stats:
    merge.absent(text.standfirst, loc, "standfirst", "call-out")
    merge.absent(text.quote, loc, "quote", "call-out")
    merge.absent(text.body, loc, "body", "call-out")
    merge.absent(text.photos, loc, "photos", "call-out")
    figures = []
    for index, (figure, words) in enumerate(
        zip(stats.figures, merge.items(stats.figures, text.figures, loc, "figures"), strict=True)
    ):
        if words is None:
            figures.append(figure)
            continue
        where = (*loc, "figures", index)
        figures.append(
            figure.model_copy(
                update={
                    # Figures are numbers: the source's value stands unless restyled.
                    "value": words.value or figure.value,
                    "label": merge.text(figure.label, words.label, where, "label"),
                }
            )
        )
    return stats.model_copy(
        update={
            **_common(merge, stats, text, loc),
            "intro": merge.text(stats.intro, text.intro, loc, "intro"),
            "figures": figures,
        }
    )


def translate_publication(
    publication: Publication, translation: PublicationTranslation, *, fallback: bool
) -> tuple[Publication, list[Gap]]:
    """Return ``publication`` with the text of ``translation``, and every gap found."""
    merge = _Merge("publication", fallback)
    contacts = publication.contacts
    words = translation.contacts
    if words is None:
        if not fallback:
            merge.gap((), "'contacts' is not translated: add contacts with heading and offices")
    else:
        offices = [
            office if label is None else office.model_copy(update={"country": label.country})
            for office, label in zip(
                contacts.offices,
                merge.items(contacts.offices, words.offices, ("contacts",), "offices"),
                strict=True,
            )
        ]
        contacts = contacts.model_copy(
            update={
                "heading": merge.text(contacts.heading, words.heading, ("contacts",), "heading"),
                "offices": offices,
            }
        )
    social = [
        link if label is None else link.model_copy(update={"label": label.label})
        for link, label in zip(
            publication.social,
            merge.items(publication.social, translation.social, (), "social"),
            strict=True,
        )
    ]
    translated = publication.model_copy(
        update={
            "name": merge.text(publication.name, translation.name, (), "name"),
            "publisher": merge.text(publication.publisher, translation.publisher, (), "publisher"),
            "language": translation.language,
            "contacts": contacts,
            "social": social,
            "about": merge.text(publication.about, translation.about, (), "about"),
        }
    )
    return translated, merge.gaps
