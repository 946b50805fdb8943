"""A small real HTTP server on loopback that plays the Clarifai API, with exact fault control.

Each request is recorded, routed through clarinb's endpoint table to a
responder, and may be replaced by a fault chosen by ``server.fault``:

* ``"429"``: HTTP 429 with ``Retry-After`` and a ``CONN_THROTTLED`` (11005) body;
* ``"503html"``: HTTP 503 with an HTML page;
* ``"drop"``: the connection is closed without any response;
* ``"truncate"``: a 200 whose body stops half-way (``Content-Length`` promises more);
* ``"truncate_close"``: a 200 without ``Content-Length`` whose JSON stops half-way
  (not in ``FAULTS``);
* ``"throttle200"``: HTTP 200 whose status is 11005;
* ``"500"``: HTTP 500 with an ``INTERNAL_SERVER_ISSUE`` (98004) body.

Also used by ``benchmarks/bench_paging.py``.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from clarinb._wire import to_camel
from clarinb.api.endpoints import match_route

FAULTS = ("429", "503html", "drop", "truncate", "throttle200", "500")
OK = {"code": 10000, "description": "Ok"}


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: Any
    operation_id: str | None
    path_params: dict[str, str]
    attempt: int = 0  # how many identical requests came before this one

    def q(self, name: str) -> str | None:
        """The first value of a query parameter."""
        return next((v for k, v in self.query if k == name), None)

    @property
    def key(self) -> str:
        return json.dumps([self.method, self.path, sorted(self.query), self.body], sort_keys=True)


@dataclass
class Reply:
    """What a responder answers."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of ``body``


Responder = Callable[[Request], Reply]


def camelize(obj: Any) -> Any:
    """Return ``obj`` with every key in camelCase and status codes as names."""
    if isinstance(obj, dict):
        out = {to_camel(k): camelize(v) for k, v in obj.items()}
        if isinstance(out.get("code"), int) and "description" in out:
            from clarinb._wire import code_name

            out["code"] = code_name(out["code"]) or out["code"]
        return out
    if isinstance(obj, list):
        return [camelize(v) for v in obj]
    return obj


class ItemList:
    """A list of items served page by page, by numbered pages or by ``lastId``.

    Parameters
    ----------
    n : int
        Number of items (ids ``it-00000`` ...).
    key : str
        The response's list key.
    drop_key_when_empty : bool
        Leave the list key out of empty pages (as ``eval_metrics`` does).
    short_page : int, optional
        Answer this page number with one item fewer than asked (a short page).
    camel : bool
        Answer in camelCase with status codes as names.
    """

    def __init__(
        self,
        n: int,
        key: str = "inputs",
        *,
        drop_key_when_empty: bool = False,
        short_page: int | None = None,
        camel: bool = False,
    ) -> None:
        self.items = [{"id": f"it-{i:05d}", "data": {"n": i}} for i in range(n)]
        self.key = key
        self.drop_key_when_empty = drop_key_when_empty
        self.short_page = short_page
        self.camel = camel

    def window(self, request: Request) -> list[dict[str, Any]]:
        if isinstance(request.body, dict) and "pagination" in request.body:
            page = int(request.body["pagination"]["page"])
            per_page = int(request.body["pagination"]["per_page"])
        else:
            per_page = int(request.q("perPage") or 128)
            last_id = request.q("lastId")
            if request.q("page") is None:
                start = 0
                if last_id:
                    ids = [item["id"] for item in self.items]
                    start = ids.index(last_id) + 1
                return self.items[start : start + per_page]
            page = int(request.q("page") or 1)
        chunk = self.items[(page - 1) * per_page : page * per_page]
        if page == self.short_page:
            chunk = chunk[:-1]
        return chunk

    def __call__(self, request: Request) -> Reply:
        chunk = self.window(request)
        body: dict[str, Any] = {"status": dict(OK)}
        if chunk or not self.drop_key_when_empty:
            body[self.key] = chunk
        return Reply(camelize(body) if self.camel else body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (timeouts, faults) are expected here."""


def default_responder(request: Request) -> Reply:
    """A success with nothing else in it."""
    return Reply({"status": dict(OK)})


class FakeApi:
    """The server.  Use as a context manager; ``url`` is its base URL.

    Attributes
    ----------
    routes : dict
        Operation id -> responder; ``""`` answers paths outside the table
        (media); the rest get :func:`default_responder`.
    fault : callable, optional
        ``fault(request) -> kind or None``; ``request.attempt`` counts earlier
        identical requests, so faults can be made to clear on retry.
    latency : float or callable
        Seconds to wait before answering (or ``latency(request) -> seconds``).
    retry_after : str
        The ``Retry-After`` header of ``"429"`` faults.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Responder] = {}
        self.fault: Callable[[Request], str | None] | None = None
        self.latency: float | Callable[[Request], float] = 0.0
        self.retry_after = "0"
        self.requests: list[Request] = []
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = _QuietServer((host, 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        port = self._httpd.server_address[1]
        self.url = f"http://{host}:{port}"

    def __enter__(self) -> FakeApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def reset(self) -> None:
        """Forget the requests seen so far (and so the attempt counts)."""
        with self._lock:
            self.requests.clear()
            self._seen.clear()

    def record(self, request: Request) -> Request:
        with self._lock:
            request.attempt = self._seen.get(request.key, 0)
            self._seen[request.key] = request.attempt + 1
            self.requests.append(request)
        return request

    def delay_for(self, request: Request) -> float:
        return self.latency(request) if callable(self.latency) else self.latency

    def answer(self, request: Request) -> Reply | str:
        kind = self.fault(request) if self.fault else None
        if kind is not None:
            return kind
        responder = self.routes.get(request.operation_id or "", default_responder)
        return responder(request)


def random_latency(low: float, high: float, seed: int = 0) -> Callable[[Request], float]:
    """Latency drawn uniformly from ``[low, high]`` seconds, reproducibly."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def pick(_: Request) -> float:
        with lock:
            return rng.uniform(low, high)

    return pick


def _make_handler(server: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle's
            # algorithm and delayed ACKs add ~40 ms to each response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            routed = match_route(self.command, parts.path)
            request = server.record(
                Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qsl(parts.query, keep_blank_values=True),
                    headers=dict(self.headers.items()),
                    body=body,
                    operation_id=routed[0].operation_id if routed else None,
                    path_params=routed[1] if routed else {},
                )
            )
            delay = server.delay_for(request)
            if delay:
                time.sleep(delay)
            outcome = server.answer(request)
            if isinstance(outcome, str):
                self._fault(outcome)
            else:
                self._reply(outcome)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

        def _send(self, status: int, payload: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Clarifai-Request-ID", f"req-{len(server.requests)}")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(payload)

        def _reply(self, reply: Reply) -> None:
            if reply.raw is not None:
                content_type = reply.headers.pop("Content-Type", "application/octet-stream")
                self._send(reply.status, reply.raw, content_type, **reply.headers)
                return
            payload = json.dumps(reply.body).encode()
            self._send(reply.status, payload, "application/json", **reply.headers)

        def _fault(self, kind: str) -> None:
            if kind == "429":
                body = {"status": {"code": 11005, "description": "Too Many Requests"}}
                payload = json.dumps(body).encode()
                self._send(429, payload, "application/json", Retry_After=server.retry_after)
            elif kind == "503html":
                page = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                self._send(503, page, "text/html")
            elif kind == "throttle200":
                body = {"status": {"code": 11005, "description": "Too Many Requests"}}
                self._send(200, json.dumps(body).encode(), "application/json")
            elif kind == "500":
                body = {"status": {"code": 98004, "description": "Internal server issue"}}
                self._send(500, json.dumps(body).encode(), "application/json")
            elif kind == "drop":
                self.close_connection = True
                self.connection.close()
            elif kind == "truncate":
                payload = json.dumps({"status": OK, "inputs": [{"id": "x" * 200}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.close()
            elif kind == "truncate_close":
                payload = json.dumps({"status": OK, "inputs": [{"id": "x" * 200}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.close()
            else:
                raise ValueError(f"unknown fault {kind!r}")

    return Handler
