"""Typeset the HTML into PDF with WeasyPrint, treating its log as part of the result."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.engine import tree
from bulletin.engine.log import collect_log, explain, is_missing_glyph
from bulletin.engine.version import require_engine
from bulletin.errors import Problem, RenderError
from bulletin.pdf.fonts import confine_fonts

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
    typesetter = Typesetter(base_dir=base_dir, folders=folders, fonts_dir=fonts_dir, source=source)
    return typesetter.render_pdf(html, write=write, **options)


class Typesetter:
    """Typeset HTML into PDF, keeping one font configuration for every render of a build."""

    def __init__(
        self, *, base_dir: Path, folders: Sequence[Path], fonts_dir: Path, source: str
    ) -> None:
        require_engine()
        confine_fonts(fonts_dir)
        # Imported here so that commands which do not render start quickly.
        from bulletin.engine import column, hyphens, libraries

        libraries.load()
        from weasyprint.text.fonts import FontConfiguration

        from bulletin.pdf.fetch import FolderFetcher

        column.install()
        hyphens.install()

        self.base_url = base_dir.resolve().as_uri() + "/"
        self.fetcher = FolderFetcher([*folders, fonts_dir])
        self.font_config = FontConfiguration()
        self.source = source

    def render_pdf(
        self,
        html: str,
        *,
        stylesheets: Sequence[str] = (),
        named: Mapping[str, Path] | None = None,
        finisher: Callable[[Any, Any], None] | None = None,
        source_date: int | None = None,
        write: bool = True,
        **options: Any,
    ) -> RenderedPdf:
        """Return the PDF typeset from ``html``; fail on any error the engine logs.

        ``stylesheets`` are CSS texts applied as user style sheets (below the
        layout's own rules); ``named`` maps URLs the HTML uses to files (see
        :mod:`bulletin.pdf.fetch`); ``finisher`` may amend the PDF objects before they
        are written; ``source_date`` (seconds since 1970) stands for "now"
        wherever the engine or its font tools would stamp the time. With
        ``write`` false the document is laid out only (for measuring) and
        ``data`` is empty.
        """
        from weasyprint import CSS, HTML

        self.fetcher.named = dict(named or {})
        with collect_log() as collected, _source_date_epoch(source_date):
            sheets = [
                CSS(
                    string=text,
                    base_url=self.base_url,
                    url_fetcher=self.fetcher,
                    font_config=self.font_config,
                )
                for text in stylesheets
            ]
            # Layout options (images, style sheets) must reach render(); PDF
            # options must reach write_pdf(). Each ignores the other's.
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=sheets, **options
            )
            data = document.write_pdf(finisher=finisher, **options) if write else b""
        self._judge(collected.records)
        return RenderedPdf(data, len(document.pages), document)

    def write_pdf(
        self,
        laid_out: RenderedPdf,
        *,
        named: Mapping[str, Path] | None = None,
        finisher: Callable[[Any, Any], None] | None = None,
        source_date: int | None = None,
        **options: Any,
    ) -> RenderedPdf:
        """Return ``laid_out`` (rendered with ``write`` false) written as PDF.

        The same as rendering with ``write`` true, in two steps, so that a
        layout can be judged before it is written.
        """
        self.fetcher.named = dict(named or {})
        with collect_log() as collected, _source_date_epoch(source_date):
            data = laid_out.document.write_pdf(finisher=finisher, **options)
        self._judge(collected.records)
        return RenderedPdf(data, laid_out.page_count, laid_out.document)

    def rewrite_pdf(
        self,
        laid_out: RenderedPdf,
        *,
        images: Mapping[str, str],
        named: Mapping[str, Path] | None = None,
        finisher: Callable[[Any, Any], None] | None = None,
        source_date: int | None = None,
        **options: Any,
    ) -> RenderedPdf:
        """Return ``laid_out`` written as PDF again, its images swapped, without a new layout.

        ``images`` maps an ``<img src>`` of the layout to the URL of the image
        to paint in its place: one of the same proportions, or it is drawn
        otherwise than it was laid out. Laying out takes seconds; writing
        takes a fraction of one, so editions that differ only by their
        images and PDF options share one layout.
        """
        self.fetcher.named = dict(named or {})
        laid = laid_out.document
        loaded: dict[str, Any] = {}
        with collect_log() as collected, _source_date_epoch(source_date):
            for page in laid.pages:
                for box in tree.images(tree.page_box(page)):
                    url = images.get(box.element.get("src", ""))
                    if url is not None:
                        # If it cannot be loaded, the engine has logged an error.
                        tree.swap_image(box, url, self.fetcher, loaded)
            # A document of its own for each PDF: fonts and colour profiles
            # collect what one write uses, and must not leak into the next.
            document = tree.copy_document(laid, options)
            data = document.write_pdf(finisher=finisher, **options)
        self._judge(collected.records)
        return RenderedPdf(data, len(document.pages), document)

    def _judge(self, records: Sequence[logging.LogRecord]) -> None:
        """Fail on the engine's errors and missing glyphs; pass its warnings on."""
        # A missing glyph is only a warning to WeasyPrint, but an empty box in
        # print is as bad as a missing photo: both fail the build.
        errors = [r for r in records if r.levelno >= logging.ERROR or is_missing_glyph(r)]
        for record in records:
            if record not in errors:
                log.warning("layout engine: %s", record.getMessage())
        if errors:
            raise RenderError(
                Problem(self.source, None, None, "", explain(record.getMessage()))
                for record in errors
            )


@contextmanager
def _source_date_epoch(seconds: int | None) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` while rendering, unless the caller's environment sets it.

    Font subsetting with fontTools stamps the current time into each font
    unless this variable is set; builds of the same input must not differ.
    """
    if seconds is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
