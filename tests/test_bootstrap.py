"""scripts/bootstrap.sh: one answer every run, as root or not; no installer when all is there."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

RUNS = 200
LIBRARIES = {
    "libpango-1.0.so.0": "libpango-1.0-0",
    "libpangoft2-1.0.so.0": "libpangoft2-1.0-0",
    "libharfbuzz-subset.so.0": "libharfbuzz-subset0",
}
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
# Records each call in calls.log beside itself, then fails: nothing may install anything here.
RECORDER = '#!/bin/sh\necho "$(basename "$0") $*" >>"$(dirname "$0")/calls.log"\nexit 1\n'


def _system_python() -> str:
    """Return a Python any user may run (the test's own may lie in root's home)."""
    python = shutil.which("python3", path=SYSTEM_PATH)
    assert python, f"no python3 on {SYSTEM_PATH}"
    return python


def _users() -> list[str]:
    """Return the users to run as: root and an unprivileged one when root, else oneself."""
    return ["root", "nobody"] if os.geteuid() == 0 else [""]


@pytest.fixture
def machine() -> Iterator[Path]:
    """Return a world-readable folder holding bootstrap.sh, the locks and a venv all installed.

    Its ``bin/`` holds fake ``apt-get`` and ``sudo`` that record their calls; the venv's
    ``python`` records its calls too, so that an install (``python -m pip``) is seen, not run.
    """
    folder = Path(tempfile.mkdtemp(prefix="bulletin-bootstrap-"))
    try:
        folder.chmod(0o755)
        (folder / "scripts").mkdir()
        for name in ("scripts/bootstrap.sh", "pyproject.toml", "requirements.lock"):
            shutil.copy2(REPO / name, folder / name)
        shutil.copy2(REPO / "requirements-test.lock", folder / "requirements-test.lock")
        # The accessibility audit's axe-core, as `npm ci` leaves it in tests/node_modules.
        (folder / "tests" / "node_modules" / "axe-core").mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(REPO / "tests" / name, folder / "tests" / name)
        (folder / "tests" / "node_modules" / "axe-core" / "axe.min.js").write_text("/* axe */\n")
        (folder / "tests" / "node_modules" / ".package-lock.json").write_text("{}\n")
        for directory, names in (("bin", ("apt-get", "sudo", "npm")), (".venv/bin", ("python",))):
            (folder / directory).mkdir(parents=True)
            for name in names:
                path = folder / directory / name
                path.write_text(RECORDER)
                path.chmod(0o755)
            log = folder / directory / "calls.log"
            log.touch()
            log.chmod(0o666)  # an unprivileged user's calls are recorded too
        for want, lock in (("test", "requirements-test.lock"),):
            (folder / ".venv" / f".installed-{want}").write_text(_digest(folder, lock) + "\n")
        for path in folder.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
        yield folder
    finally:
        shutil.rmtree(folder)


def _digest(folder: Path, lock: str) -> str:
    data = (folder / lock).read_bytes() + (folder / "pyproject.toml").read_bytes()
    return hashlib.sha256(data).hexdigest()


def _run_many(folder: Path, user: str, script: str) -> list[str]:
    """Run ``script`` (bash) in ``folder`` as ``user``, with the fakes first on PATH."""
    environment = {
        "PATH": f"{folder / 'bin'}:{SYSTEM_PATH}:/usr/sbin:/sbin",
        "HOME": str(folder),
        "PYTHON": _system_python(),
        "LANG": "C.UTF-8",
    }
    command = ["bash", "-c", script]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(
        ["env", "-i", *(f"{k}={v}" for k, v in environment.items()), *command],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    return result.stdout.splitlines()


def _calls(folder: Path) -> str:
    return (folder / "bin/calls.log").read_text() + (folder / ".venv/bin/calls.log").read_text()


def test_the_libraries_weasyprint_needs_are_here() -> None:
    # The truth the detection is held to: this process loads each library (and WeasyPrint).
    for library in LIBRARIES:
        ctypes.CDLL(library)


@pytest.mark.parametrize("user", _users())
def test_detection_gives_the_same_answer_every_time(machine: Path, user: str) -> None:
    loop = f'for i in $(seq {RUNS}); do scripts/bootstrap.sh system; echo "exit $?"; done'
    lines = _run_many(machine, user, loop)
    assert lines == ["exit 0"] * RUNS  # nothing reported missing, in any run
    assert _calls(machine) == ""


@pytest.mark.parametrize("user", _users())
def test_an_installed_machine_runs_no_installer(machine: Path, user: str) -> None:
    loop = (
        'for i in $(seq 25); do scripts/bootstrap.sh run; echo "run $?";'
        ' scripts/bootstrap.sh test; echo "test $?"; done'
    )
    assert _run_many(machine, user, loop) == ["run 0", "test 0"] * 25
    assert _calls(machine) == ""


def test_a_changed_lock_installs_again_from_it(machine: Path) -> None:
    lock = machine / "requirements-test.lock"
    lock.write_text(lock.read_text() + "# refreshed\n")
    result = subprocess.run(
        ["bash", "scripts/bootstrap.sh", "test"],
        cwd=machine,
        env={**os.environ, "PATH": f"{machine / 'bin'}:{os.environ['PATH']}", "VENV": ".venv"},
        capture_output=True,
        text=True,
    )
    # The fake python fails the first install: the stamp stays, so the next run tries again.
    assert result.returncode == 1
    assert result.stdout == "Installing bulletin[test] into .venv from requirements-test.lock…\n"
    assert (machine / ".venv/bin/calls.log").read_text() == (
        "python -m pip --disable-pip-version-check --quiet install --require-hashes"
        " -r requirements-test.lock\n"
    )
    assert (machine / "bin/calls.log").read_text() == ""


def test_a_missing_audit_tool_is_installed_with_npm_ci(machine: Path) -> None:
    (machine / "tests" / "node_modules" / "axe-core" / "axe.min.js").unlink()
    result = subprocess.run(
        ["bash", "scripts/bootstrap.sh", "test"],
        cwd=machine,
        env={**os.environ, "PATH": f"{machine / 'bin'}:{os.environ['PATH']}", "VENV": ".venv"},
        capture_output=True,
        text=True,
    )
    # The fake npm fails: the bootstrap stops there, and tries again on the next run.
    assert result.returncode == 1
    assert result.stdout == (
        "Installing axe-core into tests/node_modules (for the accessibility audit)…\n"
    )
    assert (machine / "bin/calls.log").read_text() == (
        "npm ci --prefix tests --no-audit --no-fund --loglevel=error\n"
    )
