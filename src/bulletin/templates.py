"""A layout template that cannot be read or filled, told as the user's problem.

Layout, mail and site templates are the user's files: a name mistyped in one, a
tag left open, or an edit that divides by nothing is theirs to correct. Jinja
raises these as its own exceptions, with the template's file and line in the
traceback it rewrites; :func:`rendered` turns them into one problem at that line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import jinja2

from bulletin.errors import BulletinError, display_path

T = TypeVar("T")

TEMPLATE_SUFFIX = ".j2"
_WHAT_TO_DO = "correct the template (its opening comment lists what it is given), or undo the edit"


def rendered(root: Path, fallback: Path, render: Callable[[], T]) -> T:
    """Return ``render()``; a fault of a template in it is raised as one :class:`BulletinError`.

    The problem names the innermost template at fault and its line (the file
    ``fallback`` when no template's frame is found), relative to ``root``.
    A template that is not found at all is raised as Jinja's ``TemplateNotFound``,
    for the caller to say which to restore. A failure whose innermost frame is
    not a template's is bulletin's own and keeps its traceback.
    """
    try:
        return render()
    except jinja2.TemplateSyntaxError as error:
        file = Path(error.filename) if error.filename else fallback
        raise _problem(
            root, file, error.lineno, f"the template is not valid Jinja ({error.message})"
        ) from None
    except jinja2.TemplateNotFound as error:
        file, line = _template_frame(error.__traceback__, fallback)
        if line is None:
            raise  # the template asked for is missing: its caller says which to restore
        raise _problem(
            root, file, line, f"the template includes '{error.name}', which is not beside it"
        ) from None
    except jinja2.UndefinedError as error:
        file, line = _template_frame(error.__traceback__, fallback)
        raise _problem(
            root, file, line, f"the template uses a name it is not given ({error.message})"
        ) from None
    except jinja2.TemplateError as error:
        file, line = _template_frame(error.__traceback__, fallback)
        raise _problem(
            root, file, line, f"the template cannot be filled ({error.message or error})"
        ) from None
    except Exception as error:
        innermost = _innermost(error.__traceback__)
        if innermost is None or not _is_template(innermost.tb_frame.f_code.co_filename):
            raise
        file, line = Path(innermost.tb_frame.f_code.co_filename), innermost.tb_lineno
        raise _problem(
            root, file, line, f"the template cannot be filled ({type(error).__name__}: {error})"
        ) from None


def _problem(root: Path, file: Path, line: int | None, message: str) -> BulletinError:
    return BulletinError.single(display_path(root, file), f"{message}: {_WHAT_TO_DO}", line=line)


def _is_template(filename: str) -> bool:
    return filename.endswith(TEMPLATE_SUFFIX)


def _innermost(traceback: TracebackType | None) -> TracebackType | None:
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback


def _template_frame(traceback: TracebackType | None, fallback: Path) -> tuple[Path, int | None]:
    """Return the file and line of the innermost template frame of ``traceback``."""
    found: tuple[Path, int | None] = (fallback, None)
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if _is_template(filename):
            found = (Path(filename), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
