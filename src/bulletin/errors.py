"""User errors: problems the person running the tool can fix themselves.

Anything raised as a :class:`BulletinError` is reported as one line per problem,
``file:line:col: where: message``, and ends the command with exit code 1.
Every other exception is a bug in bulletin and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Self


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, and where it is."""

    file: str
    """The file at fault, as the user knows it (relative to the project root)."""
    line: int | None
    """1-based line in ``file``, when known."""
    column: int | None
    """1-based column in ``file``, when known."""
    where: str
    """The field at fault (``stories[2].photos[0].credit``), or ``""``."""
    message: str
    """What is wrong, in plain words, and what to do."""

    def __str__(self) -> str:
        """Return the problem as ``file:line:col: where: message``."""
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )


class BulletinError(Exception):
    """A problem in the user's input or environment that stops a build."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def single(
        cls,
        file: str,
        message: str,
        *,
        where: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> Self:
        """Return an error holding one problem."""
        return cls([Problem(file, line, column, where, message)])


def display_path(root: Path, path: Path) -> str:
    """Return ``path`` as a message names it: relative to the project ``root`` if inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


class ManifestError(BulletinError):
    """A manifest is not valid YAML, or does not match its schema."""


class PhotoError(BulletinError):
    """A photo cannot be read or used."""


class CheckError(BulletinError):
    """The checks found errors that would show in an edition being built."""


class RenderError(BulletinError):
    """The layout engine reported an error while typesetting."""


class OutputError(BulletinError):
    """The output file cannot be written."""
