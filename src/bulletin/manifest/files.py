"""The file checks of validation: a path a manifest names stays in its folder and is a file.

Models are plain data; the loader passes :func:`resolver` in the validation
context (see :data:`bulletin.model.issue.RESOLVE_FILE`), so that a photo or
logo is checked against the folder it is read from, with a plain-words hint
when the name is nearly right.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic_core import PydanticCustomError


def resolver(folder: Path) -> Callable[..., Path]:
    """Return the check of files named relative to ``folder``, for the validation context."""
    return functools.partial(resolve_inside, folder)


def resolve_inside(folder: Path, relative: str, *, what: str) -> Path:
    """Return ``folder/relative`` resolved, refusing paths outside ``folder`` or missing."""
    if not relative or PurePosixPath(relative).is_absolute() or re.match(r"^[A-Za-z]:", relative):
        raise PydanticCustomError(
            "path_outside",
            "'{path}' must be a path relative to the issue folder, like photos/name.jpg",
            {"path": relative},
        )
    base = folder.resolve()
    try:
        target = (base / relative).resolve()
        found = target.is_file()
    except OSError as error:  # a name too long for the file system, a link loop
        raise PydanticCustomError(
            "path_unreadable",
            "{what} '{path}' cannot be used ({reason}): rename the file, or correct the path",
            {"what": what, "path": relative, "reason": error.strerror or str(error)},
        ) from None
    if not target.is_relative_to(base):
        raise PydanticCustomError(
            "path_outside",
            "{what} '{path}' lies outside the issue folder: copy it into the folder "
            "and refer to it from there",
            {"what": what, "path": relative},
        )
    if not found:
        near = _near_match(base, target.relative_to(base).as_posix())
        raise PydanticCustomError(
            "path_missing",
            "{what} '{path}' does not exist in the issue folder"
            + (": did you mean '{near}'?" if near else ""),
            {"what": what, "path": relative, "near": near},
        )
    return target


_MAX_LISTED = 2000


def _near_match(base: Path, wanted: str) -> str | None:
    """Return the file under ``base`` that ``wanted`` most likely means, if one stands out.

    Catches what the eye misses: a difference of case (``Photos/Istanbul.JPG``),
    another extension (``.jpeg``, ``.png``) or a slip of a letter or two.
    """
    files: list[str] = []
    for path in base.rglob("*"):
        if len(files) >= _MAX_LISTED:
            break
        if path.is_file() and not path.name.startswith("."):
            files.append(path.relative_to(base).as_posix())
    folded = wanted.casefold()
    same_case = [name for name in files if name.casefold() == folded]
    stem = PurePosixPath(folded).with_suffix("").as_posix()
    other_suffix = [
        name for name in files if PurePosixPath(name.casefold()).with_suffix("").as_posix() == stem
    ]
    if found := same_case or other_suffix:
        return sorted(found)[0]
    by_folded = {name.casefold(): name for name in files}
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.8)
    return by_folded[close[0]] if close else None
