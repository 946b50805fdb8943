"""The HTTP layer of the emulator: request handler and threaded server.

The handler applies the fault plan, serves media and hands API requests to
:func:`clarinb.emulator.dispatch.dispatch`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from clarinb.emulator import media
from clarinb.emulator.dispatch import check_auth, dispatch
from clarinb.emulator.errors import ServiceError
from clarinb.emulator.wire import status

if TYPE_CHECKING:
    from clarinb.emulator.server import Emulator

__all__ = ["HTTPServer", "Handler"]

log = logging.getLogger("clarinb.emulator")

_FAULT_BODIES = {
    "429": (429, 11005, "Making too many requests"),
    "throttle200": (200, 11005, "Making too many requests"),
    "500": (500, 98004, "Internal server issue"),
    "503": (503, 40031, "Server unavailable"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this each answer
    # waits for the client's delayed ACK (about 40 ms on Linux).
    disable_nagle_algorithm = True
    server: HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _send(
        self, http: int, data: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(http)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        emu = self.server.emulator
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            body = {"status": status(11100, "Bad request format", details="bad Content-Length")}
            self.close_connection = True
            self._send(400, json.dumps(body).encode(), "application/json")
            return
        raw = self.rfile.read(length) if length > 0 else b""
        fault = emu._plan.next() if emu._plan is not None else None
        if emu.faults is not None and emu.faults.latency:
            time.sleep(emu.faults.latency)
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault in _FAULT_BODIES:
            http, code, text = _FAULT_BODIES[fault]
            headers = (
                {"Retry-After": f"{emu.faults.retry_after:g}"}
                if fault == "429" and emu.faults
                else {}
            )
            fault_body = json.dumps({"status": status(code, text)}).encode()
            self._send(http, fault_body, "application/json", headers)
            return
        path, _, query = self.path.partition("?")
        if path.startswith("/media/"):
            self._media(path)
            return
        http, body = dispatch(
            emu._store,
            method,
            path,
            query,
            raw,
            auth=self.headers.get("Authorization"),
            pat=emu.pat,
            base_url=emu.url,
            capture=emu.on_request,
        )
        data = json.dumps(body, separators=(",", ":")).encode()
        if fault == "truncate":
            data = data[: len(data) // 2]
        req_id = str(body.get("status", {}).get("req_id", ""))
        self._send(http, data, "application/json", {"X-Clarifai-Request-ID": req_id})

    def _media(self, path: str) -> None:
        emu = self.server.emulator
        try:
            check_auth(self.headers.get("Authorization"), emu.pat)
        except ServiceError as exc:
            self._send(exc.http_status, json.dumps(exc.body()).encode(), "application/json")
            return
        with emu._store.lock:
            found = media.find_media(emu._store, path)
        if found is None:
            body = {
                "status": status(11101, "Resource does not exist", details=f"no media at {path}")
            }
            self._send(404, json.dumps(body).encode(), "application/json")
            return
        kind, data = found
        self._send(200, data, kind)


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    emulator: Emulator

    def __init__(self, address: tuple[str, int], handler: type[Handler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self._open_lock:
            self._open.add(conn)
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close the kept-alive connections, so a stopped emulator answers nothing."""
        with self._open_lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
