"""The words the layout prints, by language; dates and month names come from Babel."""

from __future__ import annotations

from collections.abc import Mapping

# Keys: in_this_issue (contents heading), issue (before the number on the
# masthead), page and of ("page 2 of 5"), credit (a format with {by}, {place}
# and {date}). A language missing here can bring its words in the `labels`
# of its publication.<lang>.yaml.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "in_this_issue": "In this issue",
        "issue": "Issue",
        "page": "page",
        "of": "of",
        "credit": "Photo by {by}, {place}, {date}",
    },
    "ru": {
        "in_this_issue": "В этом выпуске",
        "issue": "Выпуск",
        "page": "стр.",
        "of": "из",
        "credit": "Фото: {by}, {place}, {date}",
    },
}
LABEL_KEYS = frozenset(LABELS["en"])


def labels_for(language: str, extra: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """Return the layout's words for ``language``, or ``None`` if some are unknown.

    ``extra`` (from the publication's translation) overrides or completes them.
    """
    base = LABELS.get(language) or LABELS.get(language.split("-")[0]) or {}
    words = {**base, **(extra or {})}
    return words if words.keys() >= LABEL_KEYS else None


def labels_for_keys(language: str, extra: Mapping[str, str] | None = None) -> set[str]:
    """Return the label keys known for ``language`` (built in, or given in ``extra``)."""
    base = LABELS.get(language) or LABELS.get(language.split("-")[0]) or {}
    return set(base) | set(extra or {})


def babel_locale(language: str) -> str:
    """Return the Babel locale of a BCP 47 language tag (``pt-BR`` → ``pt_BR``)."""
    return language.replace("-", "_")
