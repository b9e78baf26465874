"""The code fingerprint covers the whole package: a module moved, added or changed anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin import fingerprint


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """Return a copy of the installed package, without its bytecode."""
    copy = tmp_path / "bulletin"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_running_code_is_fingerprinted_from_the_package(package: Path) -> None:
    assert fingerprint.code_digest(package) == fingerprint.code_digest()
    assert fingerprint.code_digest() in fingerprint.code_version()


def test_every_file_of_the_package_is_covered() -> None:
    covered = {path.relative_to(fingerprint.PACKAGE) for path in fingerprint.code_files()}
    assert {
        Path("build.py"),
        Path("engine/column.py"),
        Path("engine/column.patch"),
        Path("engine/vendor/column.py"),
        Path("html/layout.py"),
        Path("preflight/__init__.py"),
    } <= covered
    assert not any("__pycache__" in path.parts for path in covered)


def test_a_module_moved_to_another_package_changes_it(package: Path) -> None:
    before = fingerprint.code_digest(package)
    (package / "html" / "contract.py").rename(package / "engine" / "contract.py")
    assert fingerprint.code_digest(package) != before


def test_a_new_module_in_a_subpackage_changes_it(package: Path) -> None:
    before = fingerprint.code_digest(package)
    (package / "preflight" / "new_check.py").write_text('"""A new check."""\n')
    assert fingerprint.code_digest(package) != before


def test_an_edit_deep_in_the_package_changes_it(package: Path) -> None:
    before = fingerprint.code_digest(package)
    patch = package / "engine" / "column.patch"
    patch.write_text(patch.read_text() + " \n")
    assert fingerprint.code_digest(package) != before


def test_bytecode_does_not_change_it(package: Path) -> None:
    before = fingerprint.code_digest(package)
    (package / "engine" / "__pycache__").mkdir()
    (package / "engine" / "__pycache__" / "column.cpython-311.pyc").write_bytes(b"\0\1")
    (package / "stray.pyc").write_bytes(b"\0")
    assert fingerprint.code_digest(package) == before
