"""The emulator's HTTP server: a threaded server on loopback in a daemon thread."""

from __future__ import annotations

import functools
import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from clarinb.api.endpoints import Endpoint
from clarinb.client import Client
from clarinb.emulator import media
from clarinb.emulator.dispatch import check_auth, dispatch
from clarinb.emulator.errors import ServiceError
from clarinb.emulator.faults import FaultPlan, Faults, parse_faults
from clarinb.emulator.store import Store, read_workspace
from clarinb.emulator.wire import status

__all__ = ["Emulator", "serve"]

log = logging.getLogger("clarinb.emulator")

_FAULT_BODIES = {
    "429": (429, 11005, "Making too many requests"),
    "throttle200": (200, 11005, "Making too many requests"),
    "500": (500, 98004, "Internal server issue"),
    "503": (503, 40031, "Server unavailable"),
}


@functools.lru_cache(maxsize=1)
def demo_workspace() -> dict[str, Any]:
    """Return the demo workspace, built once per process (stores copy it)."""
    from clarinb.emulator.demo import build_workspace  # noqa: PLC0415 - heavy, built on demand

    return build_workspace()


def load_data(data: str | Path | dict[str, Any]) -> dict[str, Any]:
    """Return a workspace dict from ``"demo"``, a JSON file path or a dict."""
    if isinstance(data, dict):
        return data
    if isinstance(data, str) and data == "demo":
        return demo_workspace()
    if isinstance(data, (str, Path)):
        return read_workspace(data)
    raise TypeError(
        f"data must be 'demo', a file path or a workspace dict, not {type(data).__name__}"
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this each answer
    # waits for the client's delayed ACK (about 40 ms on Linux).
    disable_nagle_algorithm = True
    server: _Server

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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: Emulator


class Emulator:
    """A running emulator; stop it with :meth:`stop` or by leaving a ``with`` block.

    Attributes
    ----------
    url : str
        Base URL of the API (``http://127.0.0.1:PORT``).
    pat : str
        The token requests must carry (never shown in the repr).
    user_id, app_id : str
        The workspace's scope, the default of requests that name none.
    faults : Faults or None
        The faults it injects.
    on_request : callable or None
        Called with ``(endpoint, body)`` for each routed API request (tests
        use it to see the bodies clients send).
    """

    def __init__(
        self, store: Store, *, host: str, port: int, pat: str, faults: Faults | None
    ) -> None:
        self._store = store
        self.pat = pat
        self.user_id = store.user_id
        self.app_id = store.app_id
        self.faults = faults
        self._plan = (
            FaultPlan(faults) if faults is not None and (faults.rate or faults.latency) else None
        )
        self.on_request: Callable[[Endpoint, dict[str, Any]], None] | None = None
        self._server = _Server((host, port), _Handler)
        self._server.emulator = self
        bound_host, bound_port = self._server.server_address[:2]
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "") else str(bound_host)
        self.url = f"http://{shown}:{bound_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="clarinb-emulator",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return (
            f"Emulator(url={self.url!r}, user_id={self.user_id!r}, app_id={self.app_id!r}, {state})"
        )

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def fault_counts(self) -> dict[str, int]:
        """How many requests got each kind of fault so far (empty without faults)."""
        return dict(self._plan.counts) if self._plan is not None else {}

    @property
    def store(self) -> Store:
        """The in-memory state (for tests and tools in the same process)."""
        return self._store

    def client(self, **kwargs: Any) -> Client:
        """Return a :class:`clarinb.Client` on this emulator; ``kwargs`` go to the client."""
        kwargs.setdefault("pat", self.pat)
        kwargs.setdefault("user_id", self.user_id)
        kwargs.setdefault("app_id", self.app_id)
        kwargs.setdefault("base_url", self.url)
        return Client(**kwargs)

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    data: str | Path | dict[str, Any] = "demo",
    pat: str | None = None,
    faults: str | Faults | None = None,
) -> Emulator:
    """Start an emulator of the Clarifai API in a background thread.

    Parameters
    ----------
    host : str
        Address to listen on; loopback by default.
    port : int
        Port; 0 picks a free one.
    data : "demo", path or dict
        The workspace to serve: the generated demo, a workspace JSON file
        (such as a snapshot) or a workspace dict.
    pat : str, optional
        The token clients must send; a random one by default.
    faults : str or Faults, optional
        Faults to inject, e.g. ``"rate=0.3,seed=7,kinds=429+503+drop"``.

    Returns
    -------
    Emulator
        The running emulator; use it as a context manager to stop it.

    Raises
    ------
    ValueError
        For a bad workspace or fault spec.
    OSError
        When the address cannot be bound.
    """
    store = Store(load_data(data))
    token = pat or secrets.token_hex(16)
    return Emulator(store, host=host, port=port, pat=token, faults=parse_faults(faults))
