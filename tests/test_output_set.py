"""An issue's PDFs change together: a build killed at any step leaves the old set or the new."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bulletin import output
from bulletin.build import Session, build_issue
from bulletin.output import publish_set, set_folder
from conftest import SAMPLE_MONTH, copy_sample, litter, published, shorten_issue

EMAIL = "iom-central-asia-bulletin-2021-05.pdf"
PRINT = "iom-central-asia-bulletin-2021-05-print.pdf"
ARCHIVE = "iom-central-asia-bulletin-2021-05-archive.pdf"
OLD_TITLE = "Sixth Senior Officials Meeting of the Almaty Process in Istanbul"
NEW_TITLE = "The Almaty Process meets in Istanbul for the sixth time"

Files = dict[str, bytes]


@dataclass(frozen=True)
class Sets:
    """A project whose issue builds the new set, and an ``out/`` holding the old set."""

    project: Path
    old_out: Path
    old: Files
    new: Files
    session: Session


def _read_set(out: Path) -> Files:
    folder = out / SAMPLE_MONTH
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Sets:
    """Build the one-story sample (3 PDFs, English) once as it is and once edited."""
    root = tmp_path_factory.mktemp("sets")
    project = copy_sample(root / "project")
    shorten_issue(project)
    session = Session()
    old_out = root / "old-out"
    build_issue(project, SAMPLE_MONTH, old_out, session=session)
    old = _in_build_order(_read_set(old_out))
    issue = project / "issues" / SAMPLE_MONTH / "issue.yaml"
    issue.write_text(issue.read_text().replace(OLD_TITLE, NEW_TITLE))
    new_out = root / "new-out"
    build_issue(project, SAMPLE_MONTH, new_out, session=session)
    new = _in_build_order(_read_set(new_out))
    assert sorted(old) == sorted(new) == sorted([EMAIL, PRINT, ARCHIVE])
    assert all(old[name] != new[name] for name in old)  # every file of the set changes
    return Sets(project, old_out, old, new, session)


def _in_build_order(files: Files) -> Files:
    return {name: files[name] for name in (EMAIL, PRINT, ARCHIVE)}


def _steps_of(run: Callable[[], object]) -> list[str]:
    """Return the steps of the write phase, in order, that ``run`` goes through."""
    seen: list[str] = []
    output.step_hook = seen.append
    try:
        run()
    finally:
        output.step_hook = None
    return seen


def _killed_at(number: int, run: Callable[[], object]) -> None:
    """Run ``run`` in a child process that SIGKILLs itself once its step ``number`` is done."""
    seen: list[str] = []

    def kill(name: str) -> None:
        seen.append(name)
        if len(seen) == number + 1:
            os.kill(os.getpid(), signal.SIGKILL)

    pid = os.fork()
    if pid == 0:  # the child: the build, to its death
        try:
            output.step_hook = kill
            run()
        finally:
            os._exit(3)  # reached only if the step never came
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, number


@pytest.fixture
def out(sets: Sets, tmp_path: Path) -> Iterator[Path]:
    """Return a copy of the ``out/`` that holds the old set."""
    target = tmp_path / "out"
    shutil.copytree(sets.old_out, target, symlinks=True)
    yield target


def _every_step(
    sets: Sets, out: Path, tmp_path: Path, run: Callable[[Path], object], *, after: Files
) -> list[str]:
    """Kill ``run`` at each step of its write phase; check what is left, then the next build.

    Up to the switch of the link, the old set must be in place, whole; from it on, the new
    set (``after``), whole. The next build writes the new set and leaves nothing else.
    """
    steps = _steps_of(lambda: run(out))
    for number, step in enumerate(steps):
        killed = tmp_path / f"killed-{number}"
        shutil.copytree(sets.old_out, killed, symlinks=True)
        _killed_at(number, lambda: run(killed))  # noqa: B023 - run at once, in the child
        switched = number >= steps.index("switched")
        assert _read_set(killed) == (after if switched else sets.old), step
        run(killed)
        assert _read_set(killed) == after, step
        assert litter(killed) == [], step
        assert published(killed) == ["2021-05", *(f"2021-05/{name}" for name in sorted(after))]
    return steps


def test_the_write_phase_of_a_build_is_the_set_s(sets: Sets, out: Path) -> None:
    build = _steps_of(lambda: build_issue(sets.project, SAMPLE_MONTH, out, session=sets.session))
    shutil.rmtree(out)
    shutil.copytree(sets.old_out, out, symlinks=True)
    assert build == _steps_of(lambda: publish_set(out, SAMPLE_MONTH, sets.new))
    assert _read_set(out) == sets.new


# The build's write phase is publish_set with the PDFs laid out (the test above): killed at
# each of its steps, each in a child process of its own, with the PDFs of the sample.


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_set(
    sets: Sets, out: Path, tmp_path: Path
) -> None:
    def run(target: Path) -> object:
        return publish_set(target, SAMPLE_MONTH, sets.new)

    steps = _every_step(sets, out, tmp_path, run, after=sets.new)
    files = [EMAIL, PRINT, ARCHIVE]
    assert steps == [
        "locked",
        "cleaned",
        "staged",
        *(step for name in files for step in (f"half {name}", f"written {name}")),
        "synced",
        "linked",
        "switched",
        *(f"removed {name}" for name in sorted(files)),
        "removed",
    ]


def test_a_build_of_one_edition_carries_the_others_into_the_new_set(
    sets: Sets, out: Path, tmp_path: Path
) -> None:
    def run(target: Path) -> object:
        return publish_set(target, SAMPLE_MONTH, {EMAIL: sets.new[EMAIL]})

    after = {**sets.old, EMAIL: sets.new[EMAIL]}
    steps = _every_step(sets, out, tmp_path, run, after=after)
    assert [step for step in steps if step.startswith("carried")] == [
        f"carried {ARCHIVE}",
        f"carried {PRINT}",
    ]


def test_a_plain_folder_from_an_earlier_bulletin_becomes_a_set(sets: Sets, tmp_path: Path) -> None:
    # Before sets were linked, out/2021-05 was a folder, with the temporary files of
    # builds killed while writing.
    legacy = tmp_path / "legacy"
    (legacy / SAMPLE_MONTH).mkdir(parents=True)
    for name, data in sets.old.items():
        (legacy / SAMPLE_MONTH / name).write_bytes(data)
    (legacy / SAMPLE_MONTH / f".{EMAIL}.x81kq2_a.tmp").write_bytes(b"%PDF half")

    litter_file = {f".{EMAIL}.x81kq2_a.tmp": b"%PDF half"}

    def run(target: Path) -> object:
        return publish_set(target, SAMPLE_MONTH, sets.new)

    steps = _steps_of(lambda: run(_copy(legacy, tmp_path / "probe")))
    assert steps[:5] == ["locked", "moved", "linked", "switched", "cleaned"]
    assert [steps.index(step) for step in ("moved", "linked")] == [1, 2]
    last_switch = len(steps) - 1 - steps[::-1].index("switched")
    for number, step in enumerate(steps):
        killed = _copy(legacy, tmp_path / f"killed-{number}")
        _killed_at(number, lambda: run(killed))  # noqa: B023 - run at once, in the child
        if number >= last_switch:
            assert _read_set(killed) == sets.new, step
        elif step in ("moved", "linked") and number < steps.index("switched"):
            # The folder is moved into .builds, then linked back: killed in between, the
            # build leaves no out/2021-05, which the next build links back before all else.
            assert not (killed / SAMPLE_MONTH).exists()
            assert _read_set_at(killed / ".builds" / "2021-05.moved") == sets.old | litter_file
        else:
            expected = sets.old | (litter_file if number < steps.index("cleaned") else {})
            assert _read_set(killed) == expected, step
        run(killed)
        assert _read_set(killed) == sets.new, step
        assert litter(killed) == [], step


def _read_set_at(folder: Path) -> Files:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def test_the_set_is_a_link_readers_follow(sets: Sets, out: Path) -> None:
    link = out / SAMPLE_MONTH
    assert link.is_symlink()
    assert os.readlink(link).startswith(".builds/2021-05.")  # relative: out/ may move
    assert set_folder(out, SAMPLE_MONTH).parent == (out / ".builds").resolve()
    results = build_issue(sets.project, SAMPLE_MONTH, out, session=sets.session)
    assert [result.path for result in results] == [link / EMAIL, link / PRINT, link / ARCHIVE]
    assert sorted(path.name for path in (out / ".builds").iterdir()) == sorted(
        ["2021-05.lock", set_folder(out, SAMPLE_MONTH).name]
    )


def test_a_killed_build_s_cache_files_are_removed_by_the_next(sets: Sets, out: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id no process has now
    cache = out / ".cache" / "pages"
    left = cache / f".2021-05-en.json.{dead.pid}.k2j4_x9a.tmp"
    left.write_text('{"half": ')
    running = cache / f".2021-05-en.json.{os.getpid()}.p0q1_z8b.tmp"
    running.write_text('{"being written": ')
    build_issue(sets.project, SAMPLE_MONTH, out, session=sets.session)
    assert not left.exists()
    assert running.exists()  # another build, still running, is writing it
    running.unlink()
    assert litter(out) == []


def test_the_bulletin_command_killed_while_writing(sets: Sets, out: Path) -> None:
    """The command itself, as a user runs it, killed by SIGKILL after the second PDF."""
    code = (
        "import os, signal, sys\n"
        "from bulletin import output\n"
        "from bulletin.cli import app\n"
        "def kill(step):\n"
        "    if step == sys.argv[1]:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "output.step_hook = kill\n"
        "app(['build', '2021-05', '--root', sys.argv[2], '--out', sys.argv[3]])\n"
    )
    command = [sys.executable, "-c", code, f"written {PRINT}", str(sets.project), str(out)]
    killed = subprocess.run(command, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert _read_set(out) == sets.old
    assert len(litter(out)) == 1  # the new set, half written, out of sight
    assert subprocess.run([*command[:3], "none", *command[4:]]).returncode == 0
    assert _read_set(out) == sets.new
    assert litter(out) == []


def test_a_failed_write_leaves_the_old_set_and_nothing_else(
    sets: Sets, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(name: str) -> None:
        if name == f"half {PRINT}":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "step_hook", full)
    with pytest.raises(output.OutputError) as caught:
        publish_set(out, SAMPLE_MONTH, sets.new)
    assert str(caught.value) == (
        f"{out / SAMPLE_MONTH / EMAIL}: cannot write the output (No space left on device): "
        "check the folder exists, is writable and has free space, or choose another with --out"
    )
    assert _read_set(out) == sets.old
    assert litter(out) == []
