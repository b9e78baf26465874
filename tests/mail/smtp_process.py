"""A test SMTP server in a process of its own, to kill: ``python smtp_process.py PORT FOLDER``.

With PORT 0 the system gives it a port when it binds (no other test process can take it
meanwhile); ``FOLDER/ready`` holds the port it listens on once it does.

Each message is written to ``FOLDER/<n>.eml`` (and its recipient to ``<n>.rcpt``) and flushed
to disk before the server answers 250, as a real mail server commits a message before
accepting it. With ``--stall-after K``, the MAIL command after the K-th message waits: the
server creates ``FOLDER/stalled`` and answers only once ``FOLDER/release`` exists (once).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from pathlib import Path
from typing import Any

from localsmtp import LocalController  # beside this script


class Store:
    """Write each message to the folder; stall once after a number of them."""

    def __init__(self, folder: Path, stall_after: int | None) -> None:
        self.folder = folder
        self.stall_after = stall_after

    def count(self) -> int:
        return len(list(self.folder.glob("*.eml")))

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.stall_after is not None and self.count() >= self.stall_after:
            self.stall_after = None
            (self.folder / "stalled").touch()
            while not (self.folder / "release").exists():
                await asyncio.sleep(0.02)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        number = self.count() + 1
        for suffix, data in ((".rcpt", "\n".join(envelope.rcpt_tos).encode()), (".eml", None)):
            target = self.folder / f"{number:04d}{suffix}"
            temporary = target.with_suffix(suffix + ".tmp")
            with temporary.open("wb") as stream:
                stream.write(envelope.original_content if data is None else data)
                stream.flush()
                os.fsync(stream.fileno())
            temporary.rename(target)
        return f"250 2.0.0 Ok: queued as P{number:04d}"


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--stall-after", type=int)
    arguments = parser.parse_args()
    arguments.folder.mkdir(parents=True, exist_ok=True)
    controller = LocalController(Store(arguments.folder, arguments.stall_after), arguments.port)
    controller.start()
    # Written whole, then renamed: whoever sees the file reads the whole port.
    temporary = arguments.folder / "ready.tmp"
    temporary.write_text(str(controller.port))
    temporary.rename(arguments.folder / "ready")
    signal.signal(signal.SIGTERM, lambda signum, frame: controller.stop() or os._exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
