"""No more than two hyphenated lines in a row: the ``hyphenate-limit-lines: 2`` WeasyPrint lacks.

A designer circles a ladder, three or more lines of a column that end in a
hyphen. WeasyPrint 70 has ``hyphenate-limit-chars`` and
``hyphenate-limit-zone`` but not ``hyphenate-limit-lines``
(css-text-4), so bulletin counts the lines itself: after two lines that end
in a hyphen, the next line is broken without automatic hyphenation (at a
space, or at a soft or written hyphen).

The count follows a paragraph across column and page breaks (it is kept by
where the paragraph resumes), so a paragraph breaks into the same lines
however its columns fall: the composer's measures stay true of the pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

MAX_HYPHENATED_LINES = 2
"""The most lines in a row that may end in a hyphen."""
_HYPHENS = ("-", "\u2010", "\u00ad")
"""What a line ends in when a word is broken: a written hyphen, the engine's, a soft one."""

_local = threading.local()


def install() -> None:
    """Make WeasyPrint's lines follow :data:`MAX_HYPHENATED_LINES` (idempotent)."""
    from weasyprint.layout import block, inline

    if getattr(block.iter_line_boxes, "bulletin", False):
        return
    engine_lines = block.iter_line_boxes
    engine_split = inline.split_first_line

    def iter_line_boxes(
        context: Any,
        box: Any,
        position_y: Any,
        bottom_space: Any,
        skip_stack: Any,
        *arguments: Any,
    ) -> Iterator[tuple[Any, Any]]:
        runs = _runs(context)
        width = getattr(arguments[0], "width", None) if arguments else None
        run = runs.get((id(box), width, repr(skip_stack)), 0)
        lines = engine_lines(context, box, position_y, bottom_space, skip_stack, *arguments)
        while True:
            outer = getattr(_local, "plain", False)
            _local.plain = run >= MAX_HYPHENATED_LINES
            try:
                line, resume_at = next(lines)
            except StopIteration:
                return
            finally:
                _local.plain = outer
            run = run + 1 if ends_hyphenated(line) else 0
            if resume_at is not None:
                runs[(id(box), width, repr(resume_at))] = run
            yield line, resume_at

    def split_first_line(text: str, style: Any, *arguments: Any, **keywords: Any) -> Any:
        if getattr(_local, "plain", False) and style["hyphens"] == "auto":
            style = style.copy()
            style["hyphens"] = "manual"
        return engine_split(text, style, *arguments, **keywords)

    iter_line_boxes.bulletin = True  # type: ignore[attr-defined]
    block.iter_line_boxes = iter_line_boxes
    inline.split_first_line = split_first_line


def ends_hyphenated(line: Any) -> bool:
    """Return whether the laid-out ``line`` ends in a hyphen (a word broken there)."""
    box = line
    while getattr(box, "children", None):
        box = box.children[-1]
    text = getattr(box, "text", None)
    return isinstance(text, str) and text.rstrip(" ").endswith(_HYPHENS)


def _runs(context: Any) -> dict[tuple[int, Any, str], int]:
    """Return the hyphenated lines in a row before each place a paragraph resumes at."""
    runs: dict[tuple[int, Any, str], int] | None = getattr(context, "_bulletin_hyphen_runs", None)
    if runs is None:
        runs = {}
        context._bulletin_hyphen_runs = runs
    return runs
