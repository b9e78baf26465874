"""What the engine logs while it lays out and draws, collected instead of printed.

WeasyPrint reports problems only in its log: a resource it could not load
at ERROR, a character no font has (drawn as an empty box, ``.notdef``) at
WARNING. The texts matched here are the engine's (see
:mod:`bulletin.engine.internals`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

ENGINE_LOGGER = "weasyprint"
"""The logger the engine reports on."""
MISSING_GLYPH = ".notdef glyph"
"""In the engine's warning for a character drawn as an empty box."""
_MISSING_POINT = re.compile(r"\.notdef.*\(U\+([0-9A-Fa-f]+)\)")


class EngineLog(logging.Handler):
    """The records the engine logged at WARNING or above, in order."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep ``record``."""
        self.records.append(record)


@contextmanager
def collect_log() -> Iterator[EngineLog]:
    """Collect what the engine logs while active; nothing of it is printed meanwhile."""
    handler = EngineLog()
    engine = logging.getLogger(ENGINE_LOGGER)
    engine.addHandler(handler)
    # Records are judged and reported by the caller, not printed twice.
    propagate, engine.propagate = engine.propagate, False
    try:
        yield handler
    finally:
        engine.removeHandler(handler)
        engine.propagate = propagate


def is_missing_glyph(record: logging.LogRecord) -> bool:
    """Return whether ``record`` reports a character drawn as an empty box."""
    return MISSING_GLYPH in record.getMessage()


def missing_character(message: str) -> str | None:
    """Return the character an engine message says has no glyph, if it says so."""
    point = _MISSING_POINT.search(message)
    return chr(int(point.group(1), 16)) if point else None


def explain(message: str) -> str:
    """Return an engine error message in plain words, with its first line quoted."""
    first = message.splitlines()[0]
    if "Failed to load image" in first or "Failed to load" in first:
        return f"the layout engine could not load a resource: {first}"
    if ".notdef" in first or "glyph" in first:
        return f"a character has no glyph in the bundled fonts: {first}"
    return f"the layout engine failed: {first}"
