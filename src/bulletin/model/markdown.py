"""The Markdown of the manifests' text fields: CommonMark, raw HTML off, one parser for all."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt


def markdown_parser(*, every_link: bool = False) -> MarkdownIt:
    """Return a new parser of the manifests' Markdown.

    With ``every_link``, it reads every link as one (for validation, which
    refuses a ``javascript:`` or ``file:`` link by name); otherwise, as the
    layout renders, such a link stays plain text.
    """
    parser = MarkdownIt("commonmark", {"html": False})
    if every_link:
        parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


@functools.cache
def _renderer() -> MarkdownIt:
    return markdown_parser()


def render_markdown(text: str) -> str:
    """Return ``text`` rendered as HTML; raw HTML in it is escaped, so the result is safe."""
    return str(_renderer().render(text))
