"""Writing the PDF into place: all of the new file or, on failure, the old one untouched."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from bulletin.errors import OutputError
from bulletin.output import write_output

OLD = b"%PDF-1.7 the last good issue"
NEW = b"%PDF-1.7 the new issue" * 1000


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """Return the output path, holding the previous build."""
    path = tmp_path / "2021-05" / "bulletin-2021-05.pdf"
    path.parent.mkdir()
    path.write_bytes(OLD)
    return path


def test_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2021-05" / "bulletin-2021-05.pdf"

    assert write_output(target, NEW) == target

    assert target.read_bytes() == NEW
    assert list(target.parent.iterdir()) == [target]


def test_replaces_the_previous_file(target: Path) -> None:
    write_output(target, NEW)

    assert target.read_bytes() == NEW
    assert list(target.parent.iterdir()) == [target]


def test_output_is_readable_by_everyone(target: Path) -> None:
    # A temp file is created private (0600); the PDF is for sharing.
    write_output(target, NEW)

    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_new_file_is_complete_before_it_takes_the_old_one_s_place(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, bytes, bytes]] = []
    replace = os.replace

    def spy(source: Any, destination: Any) -> None:
        seen.append((Path(source), Path(source).read_bytes(), Path(destination).read_bytes()))
        replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)

    write_output(target, NEW)

    assert [(source.parent, new, old) for source, new, old in seen] == [(target.parent, NEW, OLD)]
    assert seen[0][0] != target


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        raise _no_space()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fail_write(monkeypatch: pytest.MonkeyPatch) -> None:
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(fdopen(*a, **k)))


def _fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise _no_space()

    monkeypatch.setattr(os, "fsync", fsync)


def _fail_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(source: Any, destination: Any) -> None:
        raise _no_space()

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize(
    "fail",
    [
        pytest.param(_fail_write, id="write"),
        pytest.param(_fail_fsync, id="fsync"),
        pytest.param(_fail_replace, id="rename"),
    ],
)
def test_failed_write_keeps_the_previous_file(
    target: Path, monkeypatch: pytest.MonkeyPatch, fail: Any
) -> None:
    fail(monkeypatch)

    with pytest.raises(OutputError) as caught:
        write_output(target, NEW)
    monkeypatch.undo()

    assert [str(problem) for problem in caught.value.problems] == [
        f"{target}: cannot write the output (No space left on device): check the folder "
        "exists, is writable and has free space, or choose another with --out"
    ]
    assert target.read_bytes() == OLD
    assert list(target.parent.iterdir()) == [target]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    target = blocker / "2021-05" / "bulletin-2021-05.pdf"

    with pytest.raises(OutputError) as caught:
        write_output(target, NEW)

    assert [str(problem) for problem in caught.value.problems] == [
        f"{target}: cannot write the output (Not a directory): check the folder exists, "
        "is writable and has free space, or choose another with --out"
    ]
    assert blocker.read_text() == "a file where the output folder should be"
