"""Every WeasyPrint internal bulletin relies on, listed once; the engine is pinned to it.

bulletin reads the engine's layout tree and replaces its column layout, so
it depends on more than the engine's public API (``HTML``, ``CSS``,
``Attachment``, ``FontConfiguration``, ``URLFetcher``, ``write_pdf``). Each
such name is here, with what it is used for; only :mod:`bulletin.engine`
uses them, and ``tests/engine/test_internals.py`` checks every one against
the installed engine. Upgrading WeasyPrint means going through this list
(and :mod:`bulletin.engine.column`'s patch).
"""

from __future__ import annotations

import importlib
from typing import Any

from bulletin.engine.version import ENGINE_VERSION

__all__ = ["ENGINE_VERSION", "INSTANCE_ATTRIBUTES", "INTERNALS", "resolve"]

INTERNALS: dict[str, str] = {
    # The layout tree (bulletin.engine.tree).
    "weasyprint.document.Page._page_box": "the root box of a laid-out page",
    "weasyprint.document.Document": "built anew from laid-out pages, positional arguments",
    "weasyprint.formatting_structure.boxes.LineBox": "a line: measured by fit and balance",
    "weasyprint.formatting_structure.boxes.MarginBox": "running heads, skipped by preflight",
    "weasyprint.formatting_structure.boxes.ReplacedBox": "an image, placed and swapped",
    "weasyprint.formatting_structure.boxes.BlockReplacedBox": "an image in the flow",
    "weasyprint.formatting_structure.boxes.InlineReplacedBox": "an image in a line",
    "weasyprint.formatting_structure.boxes.TextBox": "text inside a line",
    "weasyprint.formatting_structure.boxes.InlineBox": "an inline element",
    "weasyprint.formatting_structure.boxes.InlineBlockBox": "an inline block",
    "weasyprint.layout.replaced.replacedbox_layout": "object-fit arithmetic, for photo crops",
    "weasyprint.images.get_image_from_uri": "loads the image an edition swaps in",
    "weasyprint.pdf.VARIANTS": "the output intent of a PDF variant",
    "weasyprint.DEFAULT_OPTIONS": "options of an image loaded outside a render",
    # The column layout (bulletin.engine.column).
    "weasyprint.layout.block.columns_layout": "replaced by bulletin's",
    "weasyprint.layout.column.columns_layout": "vendored and patched; its arguments' order",
    "weasyprint.layout.absolute.absolute_layout": "used by the vendored column layout",
    "weasyprint.layout.percent.percentage": "used by the vendored column layout",
    "weasyprint.layout.percent.resolve_percentages": "used by the vendored column layout",
    "weasyprint.layout.block.block_box_layout": "used by the vendored column layout",
    "weasyprint.layout.block.block_level_layout": "used by the vendored column layout",
    "weasyprint.layout.block.block_level_width": "used by the vendored column layout",
    "weasyprint.layout.block.collapse_margin": "used by the vendored column layout",
    "weasyprint.layout.block.remove_placeholders": "used by the vendored column layout",
    "weasyprint.layout.LayoutContext.excluded_shapes": "floats a dropped column layout undoes",
    "weasyprint.layout.LayoutContext.current_page_footnotes": "footnotes: no trusted balance",
    "weasyprint.layout.LayoutContext.current_footnote_area": "footnotes: no trusted balance",
    # The limit of hyphenated lines in a row (bulletin.engine.hyphens).
    "weasyprint.layout.block.iter_line_boxes": "wrapped: counts hyphenated lines in a row",
    "weasyprint.layout.inline.split_first_line": "wrapped: breaks a line without hyphens",
    "weasyprint.css.ComputedStyle.copy": "a line's style with hyphens: manual",
    # The log (bulletin.engine.log).
    "weasyprint.LOGGER": "the engine's logger, named 'weasyprint'",
}
"""Each internal name, dotted from its module, and what bulletin uses it for."""

INSTANCE_ATTRIBUTES = frozenset(
    {
        "weasyprint.document.Page._page_box",
        "weasyprint.layout.LayoutContext.current_page_footnotes",
        "weasyprint.layout.LayoutContext.current_footnote_area",
    }
)
"""The names above that an instance sets in ``__init__``, not its class."""


def resolve(name: str) -> Any:
    """Return the object ``name`` (one of :data:`INTERNALS`) is in the installed engine.

    For an instance attribute, return its class. Raise ``LookupError`` when
    the engine has no such name.
    """
    parts = name.split(".")
    if name in INSTANCE_ATTRIBUTES:
        parts = parts[:-1]
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                found = getattr(found, attribute)
        except AttributeError as error:
            raise LookupError(f"the engine has no {name}") from error
        return found
    raise LookupError(f"the engine has no {name}")
