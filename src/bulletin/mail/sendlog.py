"""The send log: one line per message, on disk before the next message goes.

``out/mail/YYYY-MM/send-log.jsonl`` holds one JSON object a line. A line is
written and flushed to disk (fsync) as soon as the server has accepted a
message (or refused it for good), so that a run stopped in any way (a crash,
Ctrl-C, a lost connection) leaves a log that says exactly who was reached: the
next run sends to the others only. The log is locked while a send runs, so
that two runs cannot send the same issue at once.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Literal

from bulletin.errors import BulletinError, Problem

Status = Literal["sent", "failed", "deferred", "test"]
STATUSES = ("sent", "failed", "deferred", "test")


@dataclass(frozen=True)
class Entry:
    """One message in the send log."""

    time: str
    """When the server answered, UTC, ISO 8601."""
    status: Status
    """``sent`` (accepted), ``failed`` (refused for good, 5xx), ``deferred`` (a temporary
    refusal, 4xx: a rerun tries again) or ``test`` (a copy sent with ``--test``)."""
    email: str
    """The address the message went to."""
    language: str
    """The language of the message."""
    delivery: str
    """``attachment`` or ``link``."""
    file: str
    """The email edition's file name."""
    digest: str
    """SHA-256 of that file when the message was made: which version the partner got."""
    message_id: str
    """The message's Message-ID header."""
    reply: str
    """The server's answer, code and words ("250 2.0.0 Ok: queued as 4F2A1")."""

    @property
    def key(self) -> str:
        """Return the partner's key: the address, case folded."""
        return self.email.casefold()


def now() -> str:
    """Return the time now, UTC, to the second, as the log writes it."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class SendLog:
    """The send log of one issue, open for appending and locked against a second run."""

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self._stream: IO[str] | None = None
        self.entries: list[Entry] = []

    def open(self) -> SendLog:
        """Lock the log, read what earlier runs wrote, and make it ready to append."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        stream = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            stream.close()
            raise BulletinError.single(
                self.display,
                "another 'bulletin send' of this issue is running (it holds this log): "
                "wait for it to end",
            ) from None
        if created:
            _sync_folder(self.path.parent)
        stream.seek(0)
        text = stream.read()
        try:
            self.entries = list(_parse(text, self.display))
        except BulletinError:
            stream.close()
            raise
        if text and not text.endswith("\n"):
            # Drop a last line cut short (see _parse), so that the next one starts clean.
            stream.truncate(len(text[: text.rfind("\n") + 1].encode("utf-8")))
            stream.flush()
            os.fsync(stream.fileno())
        self._stream = stream
        return self

    def append(self, entry: Entry) -> None:
        """Write ``entry`` as one line and flush it to disk before returning."""
        assert self._stream is not None, "the log is not open"
        self._stream.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self.entries.append(entry)

    def close(self) -> None:
        """Release the lock."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> SendLog:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reached(self) -> dict[str, Entry]:
        """Return the last message each partner accepted, by partner key."""
        return {entry.key: entry for entry in self.entries if entry.status == "sent"}


def read_log(path: Path, display: str) -> list[Entry]:
    """Return the entries of the log at ``path`` (none if there is none), without locking it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return list(_parse(text, display))


def _parse(text: str, display: str) -> Iterator[Entry]:
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            entry = Entry(**data)
            if entry.status not in STATUSES:
                raise ValueError(entry.status)
        except (ValueError, TypeError):
            if number == len(lines):
                # A last line cut short: the run stopped while writing it, before
                # the flush that would have made it count. The message it would
                # record was not counted as sent: it goes again, with the same
                # Message-ID, so a mail client shows it once.
                continue
            raise BulletinError(
                [
                    Problem(
                        display,
                        number,
                        None,
                        "",
                        "this line is not a send log entry (was the log edited?): restore "
                        "it, or delete the line if you know that message was not sent",
                    )
                ]
            ) from None
        yield entry


def _sync_folder(folder: Path) -> None:
    """Flush a new file's name in ``folder`` to disk, so that a crash cannot lose the log."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
