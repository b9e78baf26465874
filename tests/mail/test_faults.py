"""A send broken in every way a send breaks: after a rerun, each partner has exactly one message.

The server drops the connection, answers 421 for a while, refuses one address, is killed; the
sender is killed or interrupted with Ctrl-C. Each time the send log must say exactly what the
server took, and the rerun must send the rest, to no one twice.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.mail.send import SendReport, send_issue
from mail.mailtest import (
    LOG,
    SAMPLE,
    SAMPLE_MONTH,
    Server,
    assert_each_got_one,
    assert_log_true,
    log_entries,
    ready,
)

HERE = Path(__file__).resolve().parent
BULLETIN = Path(sys.executable).parent / "bulletin"
WAIT = 60.0
"""The most a test waits for a process to reach a point (never reached when all is well)."""


def send(project: Path, **options: object) -> SendReport:
    return send_issue(project, SAMPLE_MONTH, project / "out", **options)  # type: ignore[arg-type]


def sent_in_log(project: Path) -> int:
    return sum(entry["status"] == "sent" for entry in log_entries(project))


@pytest.mark.parametrize("k", [0, 1, 3, 5])
def test_a_dropped_connection_stops_the_send_and_the_rerun_sends_the_rest(
    k: int, mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server, retries=0)
    smtp_server.recorder.drop_at = {k}
    first = send(project)
    assert smtp_server.recorder.drops == 1
    assert len(first.sent) == k == len(smtp_server.recorder.messages) == sent_in_log(project)
    assert first.stopped.startswith("the server did not take a message in 1 try: the connection")
    assert len(first.left) == len(SAMPLE) - k
    second = send(project)
    assert second.complete and len(second.sent) == len(SAMPLE) - k
    assert_each_got_one(project, smtp_server.recorder.messages)


@pytest.mark.parametrize("per_connection", [1, 2, 4])
def test_a_server_that_drops_every_few_messages_is_reconnected_to(
    per_connection: int, mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server, retries=1)
    smtp_server.recorder.drop_after = per_connection
    report = send(project)
    assert report.complete, report.stopped
    assert smtp_server.recorder.drops == (len(SAMPLE) - 1) // per_connection
    assert_each_got_one(project, smtp_server.recorder.messages)
    assert send(project).sent == []


def test_421_for_a_while_is_waited_out(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server, retries=3)
    smtp_server.recorder.busy = 3
    waits: list[str] = []
    report = send(project, progress=lambda p: waits.append(p.waiting) if p.waiting else None)
    assert report.complete
    assert waits == ["421 4.3.2 Too busy, try again later; trying again in 0.05 s"] * 3
    assert_each_got_one(project, smtp_server.recorder.messages)


def test_421_for_longer_stops_and_the_rerun_sends_the_rest(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server, retries=2)
    recorder = smtp_server.recorder
    take = recorder.handle_DATA

    async def busy_after_two(server: object, session: object, envelope: object) -> str:
        reply = await take(server, session, envelope)
        if len(recorder.messages) == 2:
            recorder.busy = 4  # longer than the first try and two more
        return reply

    recorder.handle_DATA = busy_after_two  # type: ignore[method-assign]
    stopped = send(project)
    assert stopped.stopped == (
        "the server did not take a message in 3 tries: 421 4.3.2 Too busy, try again later"
    )
    assert len(stopped.sent) == 2 == sent_in_log(project)
    assert len(stopped.left) == len(SAMPLE) - 2
    # Still busy for one more MAIL: the rerun waits it out.
    rerun = send(project)
    assert rerun.complete and len(rerun.sent) == len(SAMPLE) - 2
    assert_each_got_one(project, recorder.messages)


def test_a_mailbox_busy_for_now_is_deferred_and_the_others_go_on(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    smtp_server.recorder.reject["dilnoza@example.net"] = "450 4.2.1 Mailbox busy, try later"
    first = send(project)
    assert [p.email for p in first.left] == ["dilnoza@example.net"]
    assert not first.complete and not first.stopped and not first.failed
    [deferred] = [e for e in log_entries(project) if e["status"] == "deferred"]
    assert deferred["reply"] == "450 4.2.1 Mailbox busy, try later"
    smtp_server.recorder.reject.clear()
    assert [p.email for p in send(project).sent] == ["dilnoza@example.net"]
    assert_each_got_one(project, smtp_server.recorder.messages)


def test_the_rate_limit_spaces_the_messages(mail_project: Path, smtp_server: Server) -> None:
    project = ready(mail_project, smtp_server, rate_per_minute=60)

    class Recorded(threading.Event):
        """A stop that never comes, recording how long the send would wait."""

        def __init__(self) -> None:
            super().__init__()
            self.waits: list[float] = []

        def wait(self, timeout: float | None = None) -> bool:
            assert timeout is not None
            self.waits.append(timeout)
            return False

    stop = Recorded()
    assert send(project, stop=stop).complete
    # No wait before the first message; before each other, what is left of a second.
    assert len(stop.waits) == len(SAMPLE) - 1
    assert all(0.5 < wait <= 1.0 for wait in stop.waits), stop.waits


# ---- The server or the sender killed: processes of their own ---------------------------


class ProcessServer:
    """The SMTP server of smtp_process.py, in a process of its own, storing into a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = 0
        """The port it listens on: the system's choice at the first start, the same after."""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, stall_after: int | None = None) -> None:
        for name in ("ready", "stalled", "release"):
            (self.folder / name).unlink(missing_ok=True)
        command = [sys.executable, str(HERE / "smtp_process.py"), str(self.port), str(self.folder)]
        if stall_after is not None:
            command += ["--stall-after", str(stall_after)]
        self.process = subprocess.Popen(command)
        wait_for(self.folder / "ready")
        self.port = int((self.folder / "ready").read_text())

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(WAIT)

    def deliveries(self) -> list[tuple[str, str]]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            found.append((path.with_suffix(".rcpt").read_text(), str(message["Message-ID"])))
        return found


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


@pytest.fixture
def process_server(tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessServer(tmp_path / "received")
    server.folder.mkdir()
    try:
        yield server
    finally:
        server.stop()


def test_the_server_killed_during_a_send(mail_project: Path, process_server: ProcessServer) -> None:
    process_server.start(stall_after=3)
    project = ready(mail_project, process_server.port, retries=1)
    killer = threading.Thread(
        target=lambda: (wait_for(process_server.folder / "stalled"), process_server.kill())
    )
    killer.start()
    first = send(project)
    killer.join()
    assert len(first.sent) == 3 == sent_in_log(project)
    assert first.stopped == (
        "the server did not take a message in 2 tries: cannot connect to "
        f"127.0.0.1:{process_server.port}: Connection refused"
    )
    assert len(process_server.deliveries()) == 3
    process_server.start()
    second = send(project)
    assert second.complete and len(second.sent) == len(SAMPLE) - 3
    assert_log_true(project, process_server.deliveries())


def sender(project: Path) -> subprocess.Popen[str]:
    """Start ``bulletin send`` of the sample in a process of its own."""
    return subprocess.Popen(
        [str(BULLETIN), "send", SAMPLE_MONTH, "--root", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_the_sender_killed_during_a_send(mail_project: Path, process_server: ProcessServer) -> None:
    process_server.start(stall_after=2)
    project = ready(mail_project, process_server.port)
    running = sender(project)
    wait_for(process_server.folder / "stalled")
    running.send_signal(signal.SIGKILL)
    running.wait(WAIT)
    (process_server.folder / "release").touch()
    assert sent_in_log(project) == 2 == len(process_server.deliveries())
    rerun = send(project)
    assert rerun.complete and len(rerun.sent) == len(SAMPLE) - 2
    assert_log_true(project, process_server.deliveries())


def test_ctrl_c_finishes_the_message_under_way_then_stops(
    mail_project: Path, process_server: ProcessServer
) -> None:
    process_server.start(stall_after=2)
    project = ready(mail_project, process_server.port)
    running = sender(project)
    wait_for(process_server.folder / "stalled")
    running.send_signal(signal.SIGINT)
    (process_server.folder / "release").touch()
    out, err = running.communicate(timeout=WAIT)
    assert running.returncode == 1, out + err
    # The third message was under way: it is finished and logged, and the send stops.
    assert out.startswith("sent 3 messages (")
    assert err.endswith(
        "stopped: interrupted. 3 sent, 3 left: run the same command again to send to the 3 "
        f"left ({LOG} says who has it)\n"
    )
    assert "Traceback" not in err
    assert sent_in_log(project) == 3 == len(process_server.deliveries())
    rerun = send(project)
    assert rerun.complete and len(rerun.sent) == 3
    assert_log_true(project, process_server.deliveries())


def test_a_log_line_cut_short_by_a_crash_does_not_count(
    mail_project: Path, smtp_server: Server
) -> None:
    project = ready(mail_project, smtp_server)
    smtp_server.recorder.drop_at = {2}
    send(project, progress=None)
    log = project / LOG
    text = log.read_text()
    # A crash while the third line was written: only part of it reached the disk.
    third = json.dumps({"time": "2026-12-01T09:00:00Z", "status": "sent", "email": "olga"})
    log.write_text(text + third[:40])
    smtp_server.recorder.drop_at = set()
    report = send(project)
    assert report.complete
    assert log.read_text().startswith(text) and third[:40] not in log.read_text()
    assert_each_got_one(project, smtp_server.recorder.messages)
