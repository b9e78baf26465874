"""The tests' SMTP servers listen on 127.0.0.1, on a port the system gives each when it binds.

Kept apart from ``mailtest.py`` so that ``smtp_process.py``, a script of its own, imports it
without pytest.
"""

from __future__ import annotations

from typing import Any

from aiosmtpd.controller import Controller


class LocalController(Controller):
    """aiosmtpd's threaded server on 127.0.0.1, on a port the system gives it when it binds.

    A port picked beforehand (bound, closed, then bound again) can be taken meanwhile by a
    test running in another process; bound as port 0, it cannot. aiosmtpd 1.4 does not take
    port 0 itself (aio-libs/aiosmtpd#388): its start() connects to the port it was given, so
    the port bound is read first. ``port`` is the server's once ``start()`` returns.
    """

    def __init__(self, handler: Any, port: int = 0, **options: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=port, **options)

    def _trigger_server(self) -> None:
        assert self.server is not None and self.server.sockets
        self.port = int(self.server.sockets[0].getsockname()[1])
        super()._trigger_server()
