"""The HTTP layer of the emulator: request handler and threaded server.

Before a body is read, the handler checks the token, the route and method
and the body's framing and size, so a request refused for any of these
costs nothing but its headers.  Then it applies the fault plan, serves
media and hands API requests to :func:`clarinb.emulator.dispatch.dispatch`.
Every answer, errors of the HTTP layer itself included, is the API's JSON
status body.  Connections, their timeouts and their cap are in
:mod:`clarinb.emulator._connections`.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import socket
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from clarinb.api.endpoints import match_route
from clarinb.emulator import _framing, media
from clarinb.emulator._connections import HTTPServer, TimedReader, status_json
from clarinb.emulator.dispatch import MEDIA_PREFIX, check_auth, dispatch, split_scope
from clarinb.emulator.errors import ServiceError
from clarinb.emulator.wire import status

__all__ = ["HTTPServer", "Handler"]

log = logging.getLogger("clarinb.emulator")

_FAULT_BODIES = {
    "429": (429, 11005, "Making too many requests"),
    "throttle200": (200, 11005, "Making too many requests"),
    "500": (500, 98004, "Internal server issue"),
    "503": (503, 40031, "Server unavailable"),
}
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Clarifai status code of each HTTP error the HTTP layer answers by itself.
_CODES = {405: 11103, 408: 40032, 413: 40033, 500: 98004, 501: 10040, 503: 40031}
# After a refusal, what the client still sends is read and dropped for this
# long (and up to this much), so that it sees the answer rather than a reset.
_DRAIN_SECONDS = 1.0
_DRAIN_BYTES = 2**20


def _allowed(path: str) -> list[str]:
    """Return the methods some route serves at ``path``, in the usual order."""
    if path.startswith(MEDIA_PREFIX):
        return ["GET"]
    short, _ = split_scope(path)
    return [m for m in _METHODS if match_route(m, short) is not None]


class Handler(BaseHTTPRequestHandler):
    """One connection's requests: checks before the body, faults, media, dispatch."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this each answer
    # waits for the client's delayed ACK (about 40 ms on Linux).
    disable_nagle_algorithm = True
    server: HTTPServer

    def setup(self) -> None:
        super().setup()
        # Every read and write of the connection gives up after this long, and
        # the request line and headers must all arrive within it.
        timeout = self.server.emulator.timeout
        self.connection.settimeout(timeout)
        self.rfile.close()
        self._reader = TimedReader(self.connection, timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + self._reader.idle
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self._reader.deadline = None  # the headers are in: the body gets the idle timeout
        self.connection.settimeout(self._reader.idle)
        if not parsed:
            return False
        if self.request_version == "HTTP/0.9":
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 requests are not supported")
            return False
        if not hasattr(self, "do_" + self.command):
            self._handle(self.command)  # an unknown method: answered with a 405 or 404
            return False
        return True

    def handle_expect_100(self) -> bool:
        refusal = self._refusal(self.command, self.path.partition("?")[0])
        if refusal is not None:
            self._refuse(refusal)
            return False
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an error of the HTTP layer with a JSON status body (never HTML)."""
        code = int(code)
        if self.request_version == "HTTP/0.9":
            self.request_version = self.protocol_version  # so the status line is written
        self.log_error("code %d, message %s", code, message)
        try:
            description = HTTPStatus(code).phrase
        except ValueError:
            description = "Error"
        details = (message or description)[:200]
        error = ServiceError(code, _CODES.get(code, 11100), description, details)
        self._send_error(error, close=True)

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

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_OPTIONS(self) -> None:
        path = self.path.partition("?")[0]
        allowed = _allowed(path)
        if not allowed:
            self._refuse(_no_route("OPTIONS", path))
            return
        unread = self._has_body()
        self.send_response(204)
        self.send_header("Allow", ", ".join([*allowed, "OPTIONS"]))
        if unread:
            self.send_header("Connection", "close")  # the body is not read
        self.end_headers()
        if unread:
            self._discard_input()

    def _send(
        self, http: int, data: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(http)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_error(self, error: ServiceError, *, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._send(error.http_status, status_json(error), "application/json", error.headers)

    def _has_body(self) -> bool:
        headers = getattr(self, "headers", None)
        return headers is not None and (
            "Transfer-Encoding" in headers or (headers.get("Content-Length") or "0").strip() != "0"
        )

    def _refuse(self, error: ServiceError) -> None:
        """Answer ``error`` without reading the body; close if there is one."""
        unread = self._has_body()
        self._send_error(error, close=unread)
        if unread:
            self._discard_input()

    def _discard_input(self) -> None:
        """Half-close, then briefly read and drop what the client still sends."""
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(_DRAIN_SECONDS)
            end, dropped = time.monotonic() + _DRAIN_SECONDS, 0
            while time.monotonic() < end and dropped < _DRAIN_BYTES:
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                dropped += len(chunk)

    def _refusal(self, method: str, path: str) -> ServiceError | None:
        """Why the request is refused before its body is read, or ``None``."""
        emu = self.server.emulator
        try:
            check_auth(self.headers.get("Authorization"), emu.pat)
            if path.startswith(MEDIA_PREFIX):
                routed = method == "GET"
            else:
                routed = (
                    method in _METHODS and match_route(method, split_scope(path)[0]) is not None
                )
            if not routed:
                allowed = _allowed(path)
                if not allowed:
                    raise _no_route(method, path)
                if method not in allowed:
                    raise ServiceError(
                        405,
                        11103,
                        "Method not allowed",
                        f"{path} takes {', '.join(allowed)}, not {method[:20]}",
                        {"Allow": ", ".join([*allowed, "OPTIONS"])},
                    )
            _framing.declared_length(self.headers, emu.max_body)
        except ServiceError as exc:
            return exc
        return None

    def _handle(self, method: str) -> None:
        try:
            self._serve(method)
        except TimeoutError:
            raise  # the stdlib drops the connection
        except OSError as exc:  # the client went away
            log.debug("connection lost: %r", exc)
            self.close_connection = True
        except Exception:
            log.exception("the emulator failed on %s %s", method, self.path.partition("?")[0])
            self._send_error(ServiceError(500, 98004, "Internal server issue"), close=True)

    def _serve(self, method: str) -> None:
        emu = self.server.emulator
        path, _, query = self.path.partition("?")
        refusal = self._refusal(method, path)
        if refusal is not None:
            self._refuse(refusal)
            return
        try:
            length = _framing.declared_length(self.headers, emu.max_body)
            raw = _framing.read_body(self.rfile, length, emu.max_body)
        except ServiceError as exc:
            self._refuse(exc)
            return
        except TimeoutError:
            late = ServiceError(
                408, 40032, "Request timeout", f"the body did not arrive within {emu.timeout:g} s"
            )
            self._send_error(late, close=True)
            return
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
        if path.startswith(MEDIA_PREFIX):
            self._media(path)
            return
        http, body = dispatch(
            emu.store,
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
        with emu.store.lock:
            found = media.find_media(emu.store, path)
        if found is None:
            self._send_error(
                ServiceError(404, 11101, "Resource does not exist", f"no media at {path}")
            )
            return
        kind, data = found
        self._send(200, data, kind)


def _no_route(method: str, path: str) -> ServiceError:
    return ServiceError(
        404, 11101, "Resource does not exist", f"no route {method[:20]} {path[:200]}"
    )
