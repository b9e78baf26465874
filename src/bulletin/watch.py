"""Watch an issue's files and build its PDFs again on every change, in one warm process.

A build started afresh imports WeasyPrint and loads the fonts and templates
before it lays anything out. Watching keeps all that in memory, with the
photos already checked, the measures of every story and of the front matter,
and the pages the stories started on (a :class:`~bulletin.build.Session`):
an edit to one story's text costs a layout of that story alone (to measure
it), one layout of the issue with the photo heights that pack the pages, and
one write. The PDF is byte for byte what ``bulletin build`` writes. A change
that breaks the issue is reported and watching goes on; nothing is written,
so the last good PDF stays until the next good build replaces it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bulletin.build import BuildResult, Session, build_issue
from bulletin.errors import BulletinError, Problem

log = logging.getLogger(__name__)

# watchfiles yields a batch of changes once none has come for STEP_MS (an
# editor's save is several events), and at the latest after DEBOUNCE_MS.
STEP_MS = 50
DEBOUNCE_MS = 1600
IDLE_MS = 500


@dataclass(frozen=True)
class Rebuild:
    """The outcome of one build: the files written, or the problems that stopped it."""

    seconds: float
    """How long the build took."""
    results: tuple[BuildResult, ...] = ()
    """The PDFs written (none if the build failed)."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the issue (none if it was built)."""
    changed: tuple[Path, ...] = ()
    """The files whose change started the build (none for the first build)."""


class Watcher:
    """Build one issue's editions again whenever one of its inputs changes."""

    def __init__(
        self,
        root: Path,
        month: str,
        out: Path,
        *,
        edition: str | None = "email",
        language: str | None = None,
    ) -> None:
        self.root = root.resolve()
        self.month = month
        self.out = out
        self.edition = edition
        """The edition built (``None``: every edition)."""
        self.language = language
        """The language built (``None``: every language of the issue)."""
        self.session = Session()

    def folders(self) -> list[Path]:
        """Return the folders to watch: the issues, the layouts and the fonts."""
        return [self.root / name for name in ("issues", "layouts", "fonts")]

    def concerns(self, path: Path) -> bool:
        """Return whether a change to ``path`` may change this issue's PDFs."""
        issues = self.root / "issues"
        for folder in (issues / self.month, self.root / "layouts", self.root / "fonts"):
            if path.is_relative_to(folder):
                return True
        # The publication's files (manifest, translations, logo) lie in issues/ itself.
        return path.parent == issues

    def build(self, changed: Iterable[Path] = ()) -> Rebuild:
        """Build the issue now; return what was written, or why nothing was."""
        start = time.perf_counter()
        try:
            results = build_issue(
                self.root,
                self.month,
                self.out,
                language=self.language,
                edition=self.edition,
                session=self.session,
            )
        except BulletinError as error:
            return Rebuild(
                time.perf_counter() - start, problems=error.problems, changed=(*changed,)
            )
        return Rebuild(time.perf_counter() - start, results=tuple(results), changed=(*changed,))

    def handle(self, changes: Iterable[Path]) -> Rebuild | None:
        """Build again after one batch of ``changes``; return None if none concerns the issue."""
        changed = sorted({path for path in changes if self.concerns(path)})
        if not changed:
            return None
        fonts = self.root / "fonts"
        if any(path.is_relative_to(fonts) for path in changed):
            # The font configuration loaded the fonts as they were.
            self.session = Session()
        return self.build(changed)


def watch_issue(
    watcher: Watcher,
    report: Callable[[Rebuild], None],
    *,
    stop: threading.Event | None = None,
) -> None:
    """Build the issue, then again after each change, reporting each build; return when stopped.

    ``stop`` ends the watch when set; Ctrl-C ends it too.
    """
    import watchfiles

    built = False
    for changes in watchfiles.watch(
        *watcher.folders(),
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        # An empty batch every so often when nothing changes: the first one
        # says the folders are watched, so the first build starts only then
        # (an edit made while it runs is seen, and builds again).
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if stop is not None and stop.is_set():
            return
        if not built:
            report(watcher.build())
            built = True
        outcome = watcher.handle(Path(path) for _, path in changes)
        if outcome is not None:
            report(outcome)
