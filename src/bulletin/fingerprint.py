"""The fingerprint of bulletin's own code, so that caches forget what other code made.

The measures kept between builds and the archive site's record of each
issue are valid only for the code that made them. The fingerprint covers
every file of the package, wherever it lies in it (a module moved or added
changes it), the engine's release and bulletin's version; compiled
bytecode is left out, since it follows from the sources.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

import bulletin

PACKAGE = Path(bulletin.__file__).parent
"""The folder of the installed package."""


def code_files(package: Path = PACKAGE) -> list[Path]:
    """Return every file of ``package`` but compiled bytecode, sorted by relative path."""
    return sorted(
        (
            path
            for path in package.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        ),
        key=lambda path: path.relative_to(package).as_posix(),
    )


def code_digest(package: Path = PACKAGE) -> str:
    """Return a SHA-256 over the relative name and bytes of every file of ``package``."""
    digest = hashlib.sha256()
    for path in code_files(package):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """Return the fingerprint of the code running: the package's files and versions."""
    try:
        engine = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        engine = "none"
    return f"bulletin {bulletin.__version__}, weasyprint {engine}, code {code_digest()}"
