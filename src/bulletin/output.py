"""Write build results into place atomically: all of the new file, or none of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bulletin.errors import OutputError


def write_output(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temp file and a rename; return ``target``.

    A failure at any point leaves the previous file untouched and no
    temporary file behind.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise _cannot_write(target, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _cannot_write(target, error) from None
    return target


def _cannot_write(target: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError.single(
        str(target),
        f"cannot write the output ({reason}): check the folder exists, "
        "is writable and has free space, or choose another with --out",
    )
