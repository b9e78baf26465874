"""Load the engine's system libraries with one look at the loader's cache, not twenty processes.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig by trying several
names for each, and cffi asks Python's ``ctypes.util.find_library`` about
each name. On Linux that starts ``ldconfig -p``, and where the name is not
there ``gcc`` and ``ld`` too: some 50 processes and 0.3–0.7 s before the
first page (most names are other platforms' spellings, and none is found).
:func:`load` runs ``ldconfig -p`` once and looks every name up in its output
as ``find_library`` looks first. A name not there is not found: WeasyPrint
then tries the library's own file name (``libpango-1.0.so.0``), which the
loader finds wherever it would, ``LD_LIBRARY_PATH`` included. The libraries
loaded are the ones WeasyPrint would load by itself.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator

# What find_library looks for in the loader's cache, by machine (ctypes.util).
_ABI_TYPES = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


@functools.cache
def load() -> None:
    """Import the engine's bindings to its system libraries, each name looked up once."""
    if "weasyprint.text.ffi" in sys.modules or not sys.platform.startswith("linux"):
        return
    with _lookup(loader_lookup()):
        import weasyprint.text.ffi  # noqa: F401  (loads the libraries)


def loader_lookup() -> Callable[[str], str | None]:
    """Return a ``find_library`` that answers from one listing of the loader's cache."""
    return _cached_lookup(_loader_cache())


def _loader_cache() -> bytes:
    """Return what ``ldconfig -p`` lists (empty where it cannot run)."""
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return b""
    return done.stdout


def _cached_lookup(listing: bytes) -> Callable[[str], str | None]:
    """Return a ``find_library`` that looks in ``listing`` as ``ctypes.util`` looks first."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi_type = _ABI_TYPES.get(os.uname().machine + bits, "libc6")

    def find(name: str) -> str | None:
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi_type}")
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find


@contextlib.contextmanager
def _lookup(find: Callable[[str], str | None]) -> Iterator[None]:
    """Let ``find`` answer for ``ctypes.util.find_library`` meanwhile."""
    original = ctypes.util.find_library
    ctypes.util.find_library = find  # type: ignore[assignment]  # (a Callable has no parameter names)
    try:
        yield
    finally:
        ctypes.util.find_library = original
