"""Write build results into place atomically: a whole file, or an issue's whole set of PDFs.

One file (:func:`write_output`) is written to a temporary file beside it and renamed over
it. An issue's PDFs (:func:`publish_set`) change together: ``out/2021-05`` is a symbolic link
to the folder that holds the issue's current set, ``out/.builds/2021-05.<id>/``. A build
writes every new PDF into a new folder there, adds the files of the current set it did not
rebuild, and then points the link at the new folder with one ``rename()``, which the system
does atomically: whoever opens ``out/2021-05/<name>.pdf``, at any instant and after a crash
at any instant, finds the whole old set or the whole new set. The next build of the issue
removes what a killed build left (its folder, its temporary link, temporary files).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from bulletin.errors import OutputError

BUILDS = ".builds"
"""The folder, inside ``out/``, that holds each issue's sets of PDFs."""
MOVED = "moved"
"""The id given to the plain folder a link replaces (an ``out/`` from before links)."""

step_hook: Callable[[str], None] | None = None
"""Called with the name of each step of :func:`publish_set` once it is done (for tests)."""


def write_output(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temp file and a rename; return ``target``.

    A failure at any point leaves the previous file untouched and no
    temporary file behind. A process killed meanwhile leaves a temporary file
    named after its process id, which :func:`remove_stale_temporaries` removes.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise _cannot_write(target, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _cannot_write(target, error) from None
    return target


def publish_set(out: Path, month: str, files: Mapping[str, bytes]) -> dict[str, Path]:
    """Make ``files`` (by file name) part of the set at ``out/<month>``, all at once.

    The files of the current set that ``files`` does not name (an edition or a language
    not built this time) are carried into the new set. Return each file's path as readers
    open it: ``out/<month>/<name>``. A crash at any point leaves the old set or the new one.
    """
    link = out / month
    builds = out / BUILDS
    try:
        builds.mkdir(parents=True, exist_ok=True)
        with _locked(builds / f"{month}.lock"):
            _step("locked")
            current = _current_set(link, builds, month)
            _remove_stale(out, builds, month, keep=current)
            _step("cleaned")
            staging = Path(tempfile.mkdtemp(prefix=f"{month}.", dir=builds))
            try:
                _stage(staging, files, current)
                _fsync(builds)
                _step("synced")
                _switch(out, link, staging)
            except BaseException:
                # A failure (a full disk, Ctrl-C) leaves the old set, and nothing beside it.
                if link.resolve() != staging:
                    shutil.rmtree(staging, ignore_errors=True)
                raise
            if current is not None:
                _remove_set(current)
    except OSError as error:
        # Named after a file of the set, as the user knows it (out/2021-05/<name>.pdf).
        raise _cannot_write(link / next(iter(files), ""), error) from None
    return {name: link / name for name in files}


def _stage(staging: Path, files: Mapping[str, bytes], current: Path | None) -> None:
    """Write ``files`` into ``staging``, then the files of ``current`` it does not replace."""
    os.chmod(staging, 0o755)
    _step("staged")
    for name, data in files.items():
        if not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"not a file name for a set: {name!r}")
        _write_whole(staging / name, data)
        _step(f"written {name}")
    if current is not None:
        for kept in sorted(current.iterdir()):
            if kept.name not in files and _published(kept):
                _carry(kept, staging / kept.name)
                _step(f"carried {kept.name}")
    _fsync(staging)


def set_folder(out: Path, month: str) -> Path:
    """Return the folder that holds the current set of ``month`` (for tests and tools)."""
    return (out / month).resolve()


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files under ``folder`` of writers no longer running; return them."""
    removed = []
    for path in folder.rglob(".*.tmp"):
        pid = path.name.rsplit(".", 3)[-3] if path.name.count(".") >= 4 else ""
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``: one build at a time writes an issue's set."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current_set(link: Path, builds: Path, month: str) -> Path | None:
    """Return the folder of the current set, making a plain ``out/<month>`` folder a set."""
    moved = builds / f"{month}.{MOVED}"
    if link.is_symlink():
        target = link.resolve()
        return target if target.is_dir() else None
    if link.is_dir():
        # A folder written before sets were linked: it becomes the current set, moved and
        # linked back (a crash in between leaves it moved, and the next build links it back).
        shutil.rmtree(moved, ignore_errors=True)
        os.replace(link, moved)
        _fsync(builds)
        _step("moved")
        _switch(link.parent, link, moved)
        return moved
    if link.exists():  # a file, say, where the month's folder should be: never replaced
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(link))
    if moved.is_dir():
        _switch(link.parent, link, moved)
        return moved
    return None


def _remove_stale(out: Path, builds: Path, month: str, *, keep: Path | None) -> None:
    """Remove what killed builds of ``month`` left: their folders, links and temporary files."""
    for path in builds.glob(f"{month}.*"):
        if path.is_dir() and not path.is_symlink() and path != keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in out.glob(f".{month}.*.link"):
        with contextlib.suppress(OSError):
            path.unlink()
    if keep is not None:  # a folder moved in may hold the temporary files of older builds
        for path in keep.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                path.unlink()


def _remove_set(folder: Path) -> None:
    """Remove a set no longer linked (a crash half way leaves it to the next build)."""
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        _step(f"removed {path.name}")
    with contextlib.suppress(OSError):
        folder.rmdir()
    _step("removed")


def _published(path: Path) -> bool:
    """Tell whether ``path`` belongs to a set: a file, not a hidden or temporary one."""
    return path.is_file() and not path.name.startswith(".")


def _write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` in an unpublished folder, flushed to the disk."""
    with open(target, "wb") as stream:
        half = len(data) // 2
        stream.write(data[:half])
        stream.flush()
        _step(f"half {target.name}")
        stream.write(data[half:])
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(target, 0o644)


def _carry(source: Path, target: Path) -> None:
    """Put ``source`` into the new set as well: a hard link, or a copy where links fail."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP}:
            raise
        shutil.copy2(source, target)


def _switch(out: Path, link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` with one rename of a new link over it."""
    temporary = out / f".{link.name}.{os.getpid()}.link"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(os.path.relpath(target, out), temporary)
    _step("linked")
    os.replace(temporary, link)
    _fsync(out)
    _step("switched")


def _fsync(folder: Path) -> None:
    """Flush ``folder``'s entries (names created, renamed) to the disk."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cannot_write(target: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError.single(
        str(target),
        f"cannot write the output ({reason}): check the folder exists, "
        "is writable and has free space, or choose another with --out",
    )
