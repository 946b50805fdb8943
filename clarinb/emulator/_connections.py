"""Connections of the emulator: a thread each, a cap on how many, a deadline on headers.

:class:`HTTPServer` serves each connection in a thread, up to the emulator's
``max_connections`` at once; one more gets an immediate 503 status body.
:class:`TimedReader` reads a connection so that the request line and headers
must arrive within the emulator's timeout, however slowly they trickle.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from clarinb.emulator.dispatch import Seen
from clarinb.emulator.errors import ServiceError
from clarinb.emulator.faults import FaultPlan, Faults
from clarinb.emulator.store import Store

__all__ = ["HTTPServer", "Host", "TimedReader", "status_json"]

log = logging.getLogger("clarinb.emulator")


def status_json(error: ServiceError) -> bytes:
    """Return the JSON status body of ``error``, with a fresh request id."""
    body = error.body()
    body["status"]["req_id"] = secrets.token_hex(8)
    return json.dumps(body, separators=(",", ":")).encode()


class TimedReader(socket.SocketIO):
    """A connection's raw reader: while a deadline is set, no read waits past it.

    The socket timeout alone bounds each read; a client trickling a byte at a
    time would never meet it.  The deadline bounds the whole header phase.
    """

    def __init__(self, conn: socket.socket, idle: float) -> None:
        super().__init__(conn, "rb")
        self.conn = conn
        self.idle = idle
        self.deadline: float | None = None

    def readinto(self, buffer: Any) -> int | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request line and headers took too long")
            self.conn.settimeout(min(left, self.idle))
        return super().readinto(buffer)


class Host(Protocol):
    """What the HTTP layer reads from the emulator it serves (:class:`~clarinb.emulator.Emulator`).

    Written out here so that the HTTP layer and the server do not import each other.
    """

    pat: str
    url: str
    timeout: float
    max_body: int
    max_connections: int
    faults: Faults | None
    on_request: Callable[[Seen], None] | None
    _plan: FaultPlan | None

    @property
    def store(self) -> Store:
        """The in-memory state it serves."""
        ...


class HTTPServer(ThreadingHTTPServer):
    """A thread per connection, up to ``emulator.max_connections`` at once."""

    daemon_threads = True
    emulator: Host

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self._open_lock:
            self._open.add(conn)
        return conn, addr

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            busy = len(self._open) > self.emulator.max_connections
        if not busy:
            super().process_request(request, client_address)
            return
        busy_error = ServiceError(
            503,
            40031,
            "Server unavailable",
            f"the emulator is serving {self.emulator.max_connections} connections",
            {"Retry-After": "1"},
        )
        data = status_json(busy_error)
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            request.settimeout(0.5)
            request.sendall(head.encode() + data)
        self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a failure of a connection's thread once (the stdlib prints it to stderr)."""
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("connection from %s lost", client_address, exc_info=True)
        else:
            log.exception("the emulator failed on a connection")

    def close_connections(self) -> None:
        """Close the kept-alive connections, so a stopped emulator answers nothing."""
        with self._open_lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
