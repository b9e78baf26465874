"""bulletin watch: a change builds again, a broken issue keeps the last good PDF, a fix builds."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bulletin.watch import Rebuild, Watcher, watch_issue
from conftest import STORY_ID, layouts_recorded, shorten_issue

MONTH = "2021-05"
ISSUE = f"issues/{MONTH}/issue.yaml"
PDF = f"out/{MONTH}/iom-central-asia-bulletin-{MONTH}.pdf"
# Generous: a build takes seconds, but the machine may be busy. Never a timing assert.
WAIT_S = 180


def _edit(project: Path, old: str, new: str) -> None:
    path = project / ISSUE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def short(project: Path) -> Path:
    shorten_issue(project)
    return project


def test_a_change_builds_a_broken_issue_keeps_the_last_good_pdf_a_fix_builds(short: Path) -> None:
    watcher = Watcher(short, MONTH, short / "out")
    first = watcher.build()
    assert not first.problems
    assert [(r.edition, r.language, r.path) for r in first.results] == [
        ("email", "en", short / PDF)
    ]
    built = (short / PDF).read_bytes()

    _edit(short, "was organized by", "was organised by")
    edited = watcher.handle([short / ISSUE])
    assert edited is not None and not edited.problems
    assert edited.changed == (short / ISSUE,)
    assert (short / PDF).read_bytes() != built
    good = (short / PDF).read_bytes()

    _edit(short, "    kicker: Regional cooperation", "    kickr: Regional cooperation")
    broken = watcher.handle([short / ISSUE])
    assert broken is not None and not broken.results
    assert [(p.file, p.line, p.where) for p in broken.problems] == [(ISSUE, 7, "stories[0].kickr")]
    assert (short / PDF).read_bytes() == good

    _edit(short, "    kickr: Regional cooperation", "    kicker: Regional cooperation")
    fixed = watcher.handle([short / ISSUE])
    assert fixed is not None and not fixed.problems
    assert (short / PDF).read_bytes() == good


def test_a_warm_build_writes_what_a_fresh_build_writes(short: Path, tmp_path: Path) -> None:
    from bulletin.build import build_issue

    watcher = Watcher(short, MONTH, short / "out")
    watcher.build()
    _edit(short, "was organized by", "was organised by")
    warm = watcher.handle([short / ISSUE])
    assert warm is not None and not warm.problems
    (fresh,) = build_issue(short, MONTH, tmp_path / "fresh", edition="email")
    assert fresh.path.read_bytes() == (short / PDF).read_bytes()


def test_an_edit_to_one_story_lays_out_that_story_and_the_issue_once(
    project: Path, tmp_path: Path
) -> None:
    from bulletin.build import build_issue

    watcher = Watcher(project, MONTH, project / "out", language="en")
    first = watcher.build()
    assert not first.problems
    _edit(project, "was organized by", "was organised by")
    with layouts_recorded() as laid_out:
        warm = watcher.handle([project / ISSUE])
    assert warm is not None and not warm.problems
    stories = STORY_ID.findall(_html(project))
    # The others keep their measures: the parts of the story its text
    # changes (its body at two and three columns, plain and with its photo
    # inside) are measured again, then
    # the issue is laid out once.
    assert laid_out == [
        [
            "m-almaty-process-body2",
            "m-almaty-process-body3",
            "m-almaty-process-inline2",
            "m-almaty-process-inline3",
        ],
        stories,
    ]
    (fresh,) = build_issue(project, MONTH, tmp_path / "fresh", edition="email", language="en")
    assert fresh.path.read_bytes() == (project / PDF).read_bytes()


def _html(project: Path) -> str:
    from bulletin.html.layout import render_html
    from bulletin.manifest.load import load_issue

    return render_html(load_issue(project, MONTH))


def test_only_changes_to_the_issue_its_publication_layouts_and_fonts_count(
    short: Path,
) -> None:
    watcher = Watcher(short, MONTH, short / "out")
    counted = [
        short / ISSUE,
        short / "issues" / MONTH / "photos" / "istanbul-2021-05-26.jpg",
        short / "issues" / "publication.yaml",
        short / "issues" / "logo.png",
        short / "layouts" / "standard" / "style.css",
        short / "fonts" / "NotoSerif-Regular.ttf",
    ]
    ignored = [
        short / "issues" / "2021-06" / "issue.yaml",
        short / "out" / MONTH / "iom-central-asia-bulletin-2021-05.pdf",
        short / "README.md",
    ]
    assert [path for path in counted if not watcher.concerns(path)] == []
    assert [path for path in ignored if watcher.concerns(path)] == []
    assert watcher.handle(ignored) is None


def test_a_font_change_starts_a_new_session(short: Path) -> None:
    watcher = Watcher(short, MONTH, short / "out")
    watcher.build()
    session = watcher.session
    outcome = watcher.handle([short / "fonts" / "NotoSerif-Regular.ttf"])
    assert outcome is not None and not outcome.problems
    assert watcher.session is not session


def test_the_watcher_builds_when_a_file_changes(short: Path) -> None:
    reports: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    watcher = Watcher(short, MONTH, short / "out")
    thread = threading.Thread(
        target=watch_issue, args=(watcher, reports.put), kwargs={"stop": stop}
    )
    thread.start()
    try:
        first = reports.get(timeout=WAIT_S)
        assert first.results and not first.changed
        _edit(short, "was organized by", "was organised by")
        second = reports.get(timeout=WAIT_S)
        assert second.results and short / ISSUE in second.changed
    finally:
        stop.set()
        thread.join(timeout=WAIT_S)
    assert not thread.is_alive()


def test_bulletin_watch_reports_each_build_and_each_mistake(short: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("bulletin")),
        "watch",
        MONTH,
        "--root",
        str(short),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()])
    reader.start()

    def until(start: str) -> list[str]:
        seen = []
        while True:
            line = lines.get(timeout=WAIT_S)
            seen.append(line)
            if line.startswith(start):
                return seen

    try:
        assert until("watching")[-1].startswith("watching issues/2021-05")
        until("built in")
        _edit(short, "    kicker: Regional cooperation", "    kickr: Regional cooperation")
        failed = until("not built")
        assert any("issues/2021-05/issue.yaml:7:5: stories[0].kickr" in line for line in failed)
        assert failed[-1].startswith("not built after a change to issue.yaml")
        assert failed[-1].rstrip().endswith("the last good PDF is kept")
        _edit(short, "    kickr: Regional cooperation", "    kicker: Regional cooperation")
        rebuilt = until("built in")
        assert rebuilt[-1].rstrip().endswith("after a change to issue.yaml:")
        assert until("  ")[-1].strip().startswith(str(short / PDF))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT_S)
        reader.join(timeout=WAIT_S)
    assert process.returncode == 0
