"""The one WeasyPrint release bulletin works with, checked before the engine is imported."""

from __future__ import annotations

import functools
from importlib import metadata

from bulletin.errors import BulletinError

ENGINE_VERSION = "70.0"
"""The WeasyPrint release bulletin is made for: it reads the engine's layout internals."""


class EngineError(BulletinError):
    """The layout engine installed is not the release bulletin works with."""


@functools.cache
def require_engine() -> None:
    """Raise :class:`EngineError` unless WeasyPrint ``ENGINE_VERSION`` is the one installed."""
    try:
        installed = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        found = "WeasyPrint is not installed"
    else:
        if installed == ENGINE_VERSION:
            return
        found = f"WeasyPrint {installed} is installed"
    raise EngineError.single(
        "bulletin",
        f"{found}, but bulletin works only with WeasyPrint {ENGINE_VERSION}, whose layout "
        f"internals it reads: install it (pip install weasyprint=={ENGINE_VERSION}; "
        "in a clone of bulletin: rm -r .venv, then make setup)",
    )
