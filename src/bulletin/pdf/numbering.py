"""Lay out a document whose contents list prints the pages its stories start on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bulletin.pdf.typeset import RenderedPdf, Typesetter

log = logging.getLogger(__name__)

# Layouts with the contents list's page numbers written in, before leaving
# them to the engine's target-counter().
NUMBERING_ATTEMPTS = 2


def render_numbered(
    typesetter: Typesetter,
    html_for: Callable[[Mapping[str, int] | None], str],
    guess: Mapping[str, int],
    ids: Sequence[str],
    **options: Any,
) -> RenderedPdf:
    """Return the layout (not written) of ``html_for(pages)`` whose contents list is right.

    The contents list prints the page each story starts on. Left to the
    engine (target-counter), page 1 is laid out again in each pass that
    resolves them; written in from ``guess``, one pass does. The written
    pages are checked against where the stories landed: a wrong guess is
    replaced by what the layout found, and after NUMBERING_ATTEMPTS the
    engine is left to resolve them.
    """
    pages = dict(guess)
    for _ in range(NUMBERING_ATTEMPTS if pages else 0):
        rendered = typesetter.render_pdf(html_for(pages), write=False, **options)
        found = start_pages(rendered.document, ids)
        if found == pages:
            return rendered
        log.debug("contents list: guessed pages %s, found %s", pages, found)
        pages = found
    return typesetter.render_pdf(html_for(None), write=False, **options)


def start_pages(document: Any, ids: Sequence[str]) -> dict[str, int]:
    """Return the page each of ``ids`` starts on in the laid-out ``document``, from 1."""
    wanted = set(ids)
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            if name in wanted:
                found.setdefault(name, number)
    return found
