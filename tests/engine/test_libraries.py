"""The engine's libraries, found with one look at the loader's cache: the ones WeasyPrint finds."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

from bulletin.engine.libraries import loader_lookup

# The names WeasyPrint 70 tries for its libraries (weasyprint/text/ffi.py), and one that is nowhere.
NAMES = (
    "libgobject-2.0-0",
    "gobject-2.0-0",
    "gobject-2.0",
    "libpango-1.0-0",
    "pango-1.0",
    "libharfbuzz-0",
    "harfbuzz",
    "harfbuzz-subset",
    "harfbuzz-vector",
    "fontconfig-1",
    "fontconfig",
    "pangoft2-1.0",
    "no-such-library-anywhere",
)
# Print the files of the engine's libraries the process has opened.
OPENED = (
    "import sys\n"
    "{load}\n"
    "import weasyprint\n"
    "names = ('gobject', 'pango', 'harfbuzz', 'fontconfig')\n"
    "with open('/proc/self/maps') as maps:\n"
    "    files = {{line.split()[-1] for line in maps if '.so' in line\n"
    "             and any(name in line for name in names)}}\n"
    "print(sorted(files))\n"
)


def test_each_name_is_found_as_find_library_finds_it() -> None:
    lookup = loader_lookup()
    assert {name: lookup(name) for name in NAMES} == {
        name: ctypes.util.find_library(name) for name in NAMES
    }
    assert lookup("pango-1.0") == "libpango-1.0.so.0"


def _opened(load: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", OPENED.format(load=load)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_the_engine_opens_the_libraries_it_opens_by_itself() -> None:
    by_itself = _opened("")
    loaded = _opened("from bulletin.engine import libraries\nlibraries.load()")

    assert "libpango-1.0.so" in by_itself
    assert loaded == by_itself
