"""The lock files: exact versions with hashes for every dependency, and the engine pinned."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bulletin.engine.version import ENGINE_VERSION
from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+?)(?: ; (.+?))? \\$")


def _lock(name: str) -> dict[str, tuple[str, str | None, int]]:
    """Return each package of the lock file ``name``: (version, marker, number of hashes)."""
    pins: dict[str, tuple[str, str | None, int]] = {}
    current = ""
    for line in (REPO / name).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            assert current not in pins, f"{name}: {current} is pinned twice"
            pins[current] = (match[2], match[3], 0)
        elif line.strip().startswith("--hash=sha256:"):
            version, marker, hashes = pins[current]
            pins[current] = (version, marker, hashes + 1)
        else:
            assert not line or line.lstrip().startswith("#"), f"{name}: not a pin: {line!r}"
    return pins


def _requirements(*extras: str) -> list[Requirement]:
    requirements = [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]
    for extra in extras:
        optional = PYPROJECT["project"]["optional-dependencies"][extra]
        requirements += [Requirement(text) for text in optional]
    return requirements + [Requirement(t) for t in PYPROJECT["build-system"]["requires"]]


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))]
)
def test_every_dependency_is_locked_to_one_version_with_hashes(
    lock: str, extras: tuple[str, ...]
) -> None:
    pins = _lock(lock)
    assert all(hashes >= 1 for _, _, hashes in pins.values())
    for requirement in _requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {requirement}: run make lock"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{lock} pins {name}=={pins[name][0]}, outside {requirement}: run make lock"
        )


def test_both_locks_agree_on_every_version() -> None:
    runtime, test = _lock("requirements.lock"), _lock("requirements-test.lock")
    assert set(runtime) < set(test)
    assert {name: test[name][0] for name in runtime} == {n: v[0] for n, v in runtime.items()}


def test_the_engine_is_pinned_to_the_release_bulletin_reads() -> None:
    assert f"weasyprint=={ENGINE_VERSION}" in PYPROJECT["project"]["dependencies"]
    for lock in ("requirements.lock", "requirements-test.lock"):
        assert _lock(lock)["weasyprint"][0] == ENGINE_VERSION
    assert any(Requirement(t).name == "pydyf" for t in PYPROJECT["project"]["dependencies"])


def test_the_tests_run_on_the_locked_versions() -> None:
    environment = default_environment()
    for name, (version, marker, _) in _lock("requirements-test.lock").items():
        if marker and not Requirement(f"{name}; {marker}").marker.evaluate(environment):  # type: ignore[union-attr]
            continue
        assert metadata.version(name) == version, f"{name}: installed is not locked"


GROUPED = textwrap.dedent(
    """
    import os
    from pathlib import Path

    import pytest

    from generated_builds import seed_param


    @pytest.mark.parametrize(
        ("seed", "language"),
        [seed_param(seed, language) for seed in range(6) for language in ("en", "ru", "kk", "uz")],
    )
    def test_member(seed, language):
        Path(f"ran-{seed}-{language}").write_text(os.environ["PYTEST_XDIST_WORKER"])
    """
)


def test_make_test_runs_every_test_of_a_generated_issue_in_the_process_that_builds_it(
    tmp_path: Path,
) -> None:
    # make test runs pytest-xdist with --dist loadgroup: a seed's tests
    # share its build only in one process. On pytest 9.2 the groups were
    # dropped without a word (pytest-xdist#1386), and each generated issue
    # was built by both processes.
    (tmp_path / "pytest.ini").write_text(f"[pytest]\npythonpath = {REPO / 'tests'}\n")
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q"]
    done = subprocess.run(
        [*command, "-p", "no:cacheprovider", "test_grouped.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers: dict[int, set[str]] = {}
    for path in tmp_path.glob("ran-*"):
        workers.setdefault(int(path.name.split("-")[1]), set()).add(path.read_text())
    assert sorted(workers) == list(range(6))
    assert {seed: len(ran) for seed, ran in workers.items()} == dict.fromkeys(range(6), 1)
