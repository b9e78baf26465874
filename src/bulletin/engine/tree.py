"""Typed helpers over the engine's layout tree: pages, boxes, their kinds, classes and images.

Everything bulletin reads of a laid-out document goes through here, so the
names it relies on (listed in :mod:`bulletin.engine.internals`) are used in
one place. The engine is imported when a helper first needs it: commands
that do not lay anything out never load it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

Box = Any
"""A box of the engine's layout tree (``weasyprint.formatting_structure.boxes``)."""


@functools.cache
def _boxes() -> Any:
    from weasyprint.formatting_structure import boxes

    return boxes


def page_box(page: Any) -> Box:
    """Return the root box of a laid-out page (``Page._page_box``)."""
    return page._page_box


def page_boxes(document: Any) -> list[Box]:
    """Return the root box of every page of a laid-out ``document``, in order."""
    return [page_box(page) for page in document.pages]


def children(box: Box) -> tuple[Box, ...]:
    """Return the child boxes of ``box`` (none for a text or replaced box)."""
    return tuple(getattr(box, "children", None) or ())


def class_names(box: Box) -> set[str]:
    """Return the classes of the element ``box`` was made for (none for a pseudo-element)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "pseudo_type", None):
        return set()
    return set((element.get("class") or "").split())


def with_class(box: Box, name: str) -> Iterator[Box]:
    """Yield the boxes under ``box`` of class ``name``, depth first, not looking inside those."""
    for child in children(box):
        if name in class_names(child):
            yield child
        else:
            yield from with_class(child, name)


def first_with_class(box: Box, name: str) -> Box | None:
    """Return the first box under ``box`` of class ``name``, depth first (None if there is none)."""
    return next(with_class(box, name), None)


def is_line(box: Box) -> bool:
    """Return whether ``box`` is a line of text."""
    return type(box) is _boxes().LineBox


def is_margin_box(box: Box) -> bool:
    """Return whether ``box`` is a page-margin box (running header or footer)."""
    return type(box) is _boxes().MarginBox


def is_replaced(box: Box) -> bool:
    """Return whether ``box`` shows an image (inline or block)."""
    return isinstance(box, _boxes().ReplacedBox)


def is_image(box: Box) -> bool:
    """Return whether ``box`` is an image laid out inline or as a block."""
    boxes = _boxes()
    return type(box) in {boxes.InlineReplacedBox, boxes.BlockReplacedBox}


def is_inline(box: Box) -> bool:
    """Return whether ``box`` sits inside a line (text, inline, inline image or inline block)."""
    boxes = _boxes()
    return type(box) in {
        boxes.TextBox,
        boxes.InlineBox,
        boxes.InlineReplacedBox,
        boxes.InlineBlockBox,
    }


def is_line_or_image(box: Box) -> bool:
    """Return whether ``box`` is a line or an image placed in the flow: what prints at a foot."""
    boxes = _boxes()
    return type(box) in {boxes.LineBox, boxes.BlockReplacedBox, boxes.InlineReplacedBox}


def images(page: Box) -> Iterator[Box]:
    """Yield every box on a page that shows an image of an ``<img>`` element."""
    for box in page.descendants():
        if is_replaced(box) and box.element is not None:
            yield box


def drawn_image(box: Box) -> tuple[float, float, float, float]:
    """Return the width, height, x and y the image of ``box`` is drawn at (object-fit applied)."""
    from weasyprint.layout.replaced import replacedbox_layout

    width, height, x, y = replacedbox_layout(box)
    return width, height, x, y


def swap_image(box: Box, url: str, fetcher: Any, cache: dict[str, Any]) -> bool:
    """Make ``box`` paint the image at ``url`` instead; return false if it cannot be loaded.

    The engine has logged the error when it returns false.
    """
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.images import get_image_from_uri

    image = get_image_from_uri(
        cache=cache,
        url_fetcher=fetcher,
        options=DEFAULT_OPTIONS,
        url=url,
        orientation=box.style["image_orientation"],
    )
    if image is None:
        return False
    box.replacement = image
    return True


def copy_document(laid: Any, options: Mapping[str, Any]) -> Any:
    """Return a new document of the pages of ``laid``, to write once with ``options``.

    Fonts and colour profiles collect what one write uses; a document of its
    own for each PDF keeps them from leaking into the next.
    """
    from weasyprint.document import Document
    from weasyprint.pdf import VARIANTS

    variant = options.get("pdf_variant")
    intent = options.get("output_intent") or (
        VARIANTS[variant][1].get("output_intent") if variant else None
    )
    return Document(
        laid.pages,
        laid.metadata,
        laid.url_fetcher,
        laid.font_config,
        dict(laid.color_profiles),
        intent,
    )
