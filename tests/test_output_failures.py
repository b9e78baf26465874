"""Output is written whole or not at all, and never lost to a failed or concurrent write."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from bulletin import output
from bulletin.errors import OutputError
from bulletin.output import write_output

PREVIOUS = b"%PDF the previous good build"


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "2021-05" / "bulletin.pdf"
    assert write_output(target, PREVIOUS) == target
    write_output(target, b"%PDF the new build")
    assert target.read_bytes() == b"%PDF the new build"
    assert os.listdir(target.parent) == ["bulletin.pdf"]


class _FullDisk:
    """A file that takes a little, then reports the disk full."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def write(self, data: bytes) -> int:
        self.real.write(data[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bulletin.pdf"
    target.write_bytes(PREVIOUS)
    fdopen = os.fdopen
    monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: _FullDisk(fdopen(*a, **k)))
    with pytest.raises(OutputError) as caught:
        write_output(target, b"%PDF the new build, too big for the disk")
    assert str(caught.value) == (
        f"{target}: cannot write the output (No space left on device): check the folder "
        "exists, is writable and has free space, or choose another with --out"
    )
    assert target.read_bytes() == PREVIOUS
    assert os.listdir(tmp_path) == ["bulletin.pdf"]


def test_concurrent_writes_leave_one_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "bulletin.pdf"
    contents = [bytes([n]) * 2_000_000 for n in range(8)]
    start = threading.Barrier(len(contents))

    def write(data: bytes) -> None:
        start.wait()
        write_output(target, data)

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in contents
    assert os.listdir(tmp_path) == ["bulletin.pdf"]
