"""Typeset the HTML into PDF with WeasyPrint, treating its log as part of the result."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.errors import Problem, RenderError
from bulletin.fonts import confine_fonts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPdf:
    """A typeset PDF, still in memory."""

    data: bytes
    """The PDF file's bytes."""
    page_count: int
    """Number of pages."""
    document: Any
    """WeasyPrint's laid-out document, for inspection."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _collect_log() -> Iterator[_Collect]:
    handler = _Collect()
    engine = logging.getLogger("weasyprint")
    engine.addHandler(handler)
    # Records are judged and reported by render_pdf, not printed twice.
    propagate, engine.propagate = engine.propagate, False
    try:
        yield handler
    finally:
        engine.removeHandler(handler)
        engine.propagate = propagate


def render_pdf(
    html: str,
    *,
    base_dir: Path,
    folders: Sequence[Path],
    fonts_dir: Path,
    source: str,
    write: bool = True,
    **options: Any,
) -> RenderedPdf:
    """Return the PDF typeset from ``html``; fail on any error the engine logs.

    ``folders`` are the only places resources may be read from; ``source``
    names the input in error messages. With ``write`` false the document is
    laid out only (for measuring) and ``data`` is empty.
    """
    confine_fonts(fonts_dir)
    # Imported here so that commands which do not render start quickly.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from bulletin.fetch import FolderFetcher

    fetcher = FolderFetcher([*folders, fonts_dir])
    with _collect_log() as collected:
        document = HTML(
            string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=FontConfiguration(), **options)
        data = document.write_pdf(**options) if write else b""
    # A missing glyph is only a warning to WeasyPrint, but an empty box in
    # print is as bad as a missing photo: both fail the build.
    errors = [r for r in collected.records if r.levelno >= logging.ERROR or _is_tofu(r)]
    for record in collected.records:
        if record not in errors:
            log.warning("layout engine: %s", record.getMessage())
    if errors:
        raise RenderError(
            Problem(source, None, None, "", _explain(record.getMessage())) for record in errors
        )
    return RenderedPdf(data, len(document.pages), document)


def _is_tofu(record: logging.LogRecord) -> bool:
    return ".notdef glyph" in record.getMessage()


def _explain(message: str) -> str:
    first = message.splitlines()[0]
    if "Failed to load image" in first or "Failed to load" in first:
        return f"the layout engine could not load a resource: {first}"
    if ".notdef" in first or "glyph" in first:
        return f"a character has no glyph in the bundled fonts: {first}"
    return f"the layout engine failed: {first}"
