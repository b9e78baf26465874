"""The lock files: exact versions with hashes for every dependency, and the engine pinned."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

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
