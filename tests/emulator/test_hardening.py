"""The emulator's HTTP server under hostile clients: every answer is a JSON status, fast.

Raw sockets and ``http.client`` against a running emulator: oversized and
unauthenticated bodies are refused before they are read, stalled clients are
dropped, malformed JSON and wrong-typed fields get 400s naming the field,
unsupported methods get 405s with ``Allow``, and no error path writes HTML.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from schema_gen import build_requests, request_class
from tiny import tiny_workspace

from clarinb.api.endpoints import ENDPOINTS, Endpoint, match_route
from clarinb.emulator import Emulator, serve
from clarinb.emulator._schema import REQUEST_FIELDS

SOCKET_TIMEOUT = 5.0
HUGE = 400 * 2**20


@pytest.fixture
def small() -> Iterator[Emulator]:
    """An emulator with a 1 KiB body limit, a short timeout and a small connection cap."""
    with serve(
        data=tiny_workspace(), max_body_mb=1 / 1024, timeout=0.5, max_connections=8
    ) as emulator:
        yield emulator


def _connect(emu: Emulator) -> socket.socket:
    parts = urlsplit(emu.url)
    assert parts.hostname
    assert parts.port
    return socket.create_connection((parts.hostname, parts.port), timeout=SOCKET_TIMEOUT)


def _read(sock: socket.socket, method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response, response.read()


def _exchange(
    emu: Emulator, data: bytes, method: str = "GET"
) -> tuple[http.client.HTTPResponse, bytes, socket.socket]:
    sock = _connect(emu)
    sock.sendall(data)
    response, body = _read(sock, method)
    return response, body, sock


def _closed(sock: socket.socket) -> bool:
    """Whether the server has closed the connection (EOF or reset)."""
    try:
        return sock.recv(1) == b""
    except ConnectionError:
        return True


def _status(body: bytes) -> dict[str, Any]:
    status = json.loads(body)["status"]
    assert isinstance(status["code"], int)
    assert status["description"]
    return dict(status)


def _head(method: str, path: str, *lines: str) -> bytes:
    return "\r\n".join([f"{method} {path} HTTP/1.1", "Host: emulator", *lines, "", ""]).encode()


def _auth(emu: Emulator) -> str:
    return f"Authorization: Key {emu.pat}"


# -- bodies: limits and authentication before reading -------------------------------------------


def test_a_declared_length_over_the_limit_is_refused_before_reading(emu: Emulator) -> None:
    request = _head("POST", "/v2/inputs", _auth(emu), f"Content-Length: {HUGE}") + b'{"in'
    response, body, sock = _exchange(emu, request)
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/json"
    assert _status(body)["code"] == 40033
    assert "64" in _status(body)["details"]
    assert _closed(sock)


def test_the_limit_is_configurable_and_applies_to_what_is_sent(small: Emulator) -> None:
    payload = json.dumps({"inputs": [{"id": "x" * 2000}]}).encode()
    sock = _connect(small)
    sock.sendall(
        _head("POST", "/v2/inputs", _auth(small), f"Content-Length: {len(payload)}") + payload
    )
    response, body = _read(sock)
    assert response.status == 413
    assert _status(body)["code"] == 40033


def test_a_request_without_the_token_is_refused_before_its_body(emu: Emulator) -> None:
    request = _head("POST", "/v2/inputs", f"Content-Length: {HUGE}") + b'{"inputs": ['
    response, body, sock = _exchange(emu, request)
    assert response.status == 401
    assert _status(body)["code"] == 11009
    assert _closed(sock)
    wrong = _head("POST", "/v2/inputs", "Authorization: Key nope", f"Content-Length: {HUGE}")
    response, body, sock = _exchange(emu, wrong + b"{")
    assert response.status == 401
    assert _status(body)["code"] == 11008
    assert _closed(sock)


def test_expect_continue_is_answered_only_after_the_checks(emu: Emulator) -> None:
    request = _head("POST", "/v2/inputs", f"Content-Length: {HUGE}", "Expect: 100-continue")
    response, body, sock = _exchange(emu, request)
    assert response.status == 401
    assert _status(body)["code"] == 11009
    assert _closed(sock)


def test_a_chunked_body_is_read_and_limited(emu: Emulator, small: Emulator) -> None:
    query = json.dumps({"searches": [{"query": {}}], "pagination": {"per_page": 2}}).encode()
    chunks = b"".join(
        f"{len(query[n : n + 7]):x}\r\n".encode() + query[n : n + 7] + b"\r\n"
        for n in range(0, len(query), 7)
    )
    request = (
        _head("POST", "/v2/inputs/searches", _auth(emu), "Transfer-Encoding: chunked")
        + chunks
        + b"0\r\n\r\n"
    )
    response, body, sock = _exchange(emu, request)
    assert response.status == 200, body
    assert len(json.loads(body)["hits"]) == 2
    # the connection stays usable: nothing of the body is taken for a next request
    sock.sendall(_head("GET", "/v2/inputs", _auth(emu)))
    again, _ = _read(sock)
    assert again.status == 200
    big = b"".join(b"400\r\n" + b" " * 1024 + b"\r\n" for _ in range(4)) + b"0\r\n\r\n"
    request = _head("POST", "/v2/inputs", _auth(small), "Transfer-Encoding: chunked") + big
    response, body, _ = _exchange(small, request)
    assert response.status == 413
    assert _status(body)["code"] == 40033


@pytest.mark.parametrize(
    "lines",
    [
        ["Content-Length: -5"],
        ["Content-Length: 12, 12"],
        ["Content-Length: 1_0"],
        ["Content-Length: +5"],
        ["Transfer-Encoding: gzip"],
        ["Transfer-Encoding: chunked", "Content-Length: 5"],
    ],
)
def test_bad_body_framing_is_a_json_400(emu: Emulator, lines: list[str]) -> None:
    response, body, sock = _exchange(emu, _head("POST", "/v2/inputs", _auth(emu), *lines))
    assert response.status == 400
    assert _status(body)["code"] == 11100
    assert _closed(sock)


def test_a_body_that_stops_midway_gets_408_and_the_connection_closes(small: Emulator) -> None:
    request = _head("POST", "/v2/inputs", _auth(small), "Content-Length: 100") + b'{"inputs"'
    response, body, sock = _exchange(small, request)
    assert response.status == 408
    assert _status(body)["code"] == 40032
    assert _closed(sock)


# -- stalled clients ----------------------------------------------------------------------------


def _threads_settle(limit: int, wait: float) -> int:
    end = time.monotonic() + wait
    while threading.active_count() > limit and time.monotonic() < end:
        time.sleep(0.05)
    return threading.active_count()


def test_stalled_connections_are_dropped_and_do_not_block_others() -> None:
    with serve(data=tiny_workspace(), timeout=0.5) as emu:
        before = threading.active_count()
        stalled = [_connect(emu) for _ in range(50)]
        for sock in stalled:
            sock.sendall(b"POST /v2/inputs HTTP/1.1\r\nHost: emulator\r\nContent-Le")
        answer = requests.get(
            f"{emu.url}/v2/inputs", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
        )
        assert answer.status_code == 200
        for sock in stalled:
            assert _closed(sock)
            sock.close()
        assert _threads_settle(before, 5.0) <= before


def test_a_client_trickling_its_headers_is_dropped(small: Emulator) -> None:
    sock = _connect(small)
    sock.sendall(b"GET /v2/inputs HTTP/1.1\r\n")
    end = time.monotonic() + 3.0  # six times the emulator's timeout
    dropped = False
    while not dropped and time.monotonic() < end:
        try:
            sock.sendall(b"X")  # a byte well within the timeout, never a whole header
        except OSError:
            dropped = True
            break
        sock.settimeout(0.2)
        try:
            dropped = sock.recv(1) == b""
        except TimeoutError:
            pass
        except OSError:
            dropped = True
    assert dropped


def test_connections_over_the_cap_get_a_json_503_at_once() -> None:
    with serve(data=tiny_workspace(), timeout=30, max_connections=8) as emu:
        held = [_connect(emu) for _ in range(8)]
        for sock in held:
            sock.sendall(b"GET /v2/inputs HTTP/1.1\r\n")
        time.sleep(0.2)
        response, body, sock = _exchange(emu, _head("GET", "/v2/inputs", _auth(emu)))
        assert response.status == 503
        assert _status(body)["code"] == 40031
        for sock in held:
            sock.close()
        # once the server has seen those close, there is room again
        end = time.monotonic() + 5.0
        while True:
            ok = requests.get(
                f"{emu.url}/v2/inputs", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
            )
            if ok.status_code != 503 or time.monotonic() > end:
                break
            time.sleep(0.05)
        assert ok.status_code == 200


# -- JSON bodies: nesting and field types --------------------------------------------------------


def _post(emu: Emulator, path: str, raw: bytes, method: str = "POST") -> requests.Response:
    return requests.request(
        method,
        f"{emu.url}{path}",
        data=raw,
        headers={"Authorization": f"Key {emu.pat}", "Content-Type": "application/json"},
        timeout=10,
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'{"a":' * 100_000,
        json.dumps({"searches": [{"query": {"filters": [{"annotation": {"data": {}}}]}}]})
        .replace("{}", '{"metadata": ' + "[" * 900 + "]" * 900 + "}")
        .encode(),
        json.dumps({"inputs": [{"id": "a", "data": {"metadata": {}}}]})
        .replace("{}}", "[" * 200 + "]" * 200 + "}")
        .encode(),
    ],
    ids=["lists", "objects", "deep-free-json-in-a-search", "deep-metadata"],
)
def test_deeply_nested_json_is_a_400(emu: Emulator, raw: bytes) -> None:
    path = "/v2/inputs/searches" if b"searches" in raw else "/v2/inputs"
    response = _post(emu, path, raw)
    assert response.status_code == 400
    status = response.json()["status"]
    assert status["code"] == 11100
    assert "deeper" in status["details"]


def test_a_body_that_is_not_utf8_json_is_a_400(emu: Emulator) -> None:
    response = _post(emu, "/v2/inputs", b'{"inputs": "\xff\xfe"}')
    assert response.status_code == 400
    assert response.json()["status"]["code"] == 11100


def _wrong_value(field: Any) -> Any:
    """A JSON value of the wrong type for a request field, or ``None`` if any is right."""
    if field.is_repeated and not (
        field.message_type is not None and field.message_type.GetOptions().map_entry
    ):
        return "x"
    msg = field.message_type
    if msg is not None:
        name = msg.full_name
        if name in ("google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"):
            return None
        if name.startswith("google.protobuf.") and name.endswith("Value"):
            return {"value": 1}
        return 7
    if field.enum_type is not None:
        return [1]
    if field.type in (9, 12):  # string, bytes
        return 7
    if field.type == 8:  # bool
        return "yes"
    return "abc"


def _wrong_field(endpoint: Endpoint) -> tuple[str, Any]:
    fields = request_class(endpoint.request_message).DESCRIPTOR.fields_by_name
    keys = sorted(endpoint.body_keys, key=lambda k: k == "user_app_id")
    for key in keys:
        value = _wrong_value(fields[key])
        if value is not None:
            return key, value
    raise AssertionError(f"{endpoint.operation_id} has no typed body field")


def _concrete(path: str) -> str:
    return path.replace("{", "").replace("}", "")


WITH_BODY = [e for e in ENDPOINTS.values() if e.has_body]


@pytest.mark.parametrize("endpoint", WITH_BODY, ids=[e.operation_id for e in WITH_BODY])
def test_a_wrong_typed_field_is_a_400_naming_it(emu: Emulator, endpoint: Endpoint) -> None:
    key, value = _wrong_field(endpoint)
    raw = json.dumps({key: value}).encode()
    response = _post(emu, _concrete(endpoint.path), raw, endpoint.method)
    assert response.status_code == 400, (key, value, response.text)
    status = response.json()["status"]
    assert status["code"] == 11102
    assert repr(key) in status["details"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v2/inputs", {"inputs": "x"}, "inputs"),
        ("POST", "/v2/inputs", {"inputs": [1]}, "inputs[0]"),
        ("POST", "/v2/inputs", {"inputs": [None]}, "inputs[0]"),
        ("POST", "/v2/inputs", {"inputs": [{"id": 5}]}, "inputs[0].id"),
        (
            "PATCH",
            "/v2/inputs",
            {"action": "merge", "inputs": [{"id": "in-00", "data": {"concepts": {"a": 1}}}]},
            "inputs[0].data.concepts",
        ),
        (
            "POST",
            "/v2/inputs/searches",
            {"searches": [{"query": {}}], "pagination": {"per_page": "abc"}},
            "pagination.per_page",
        ),
        (
            "POST",
            "/v2/inputs/searches",
            {"searches": [{"query": {}}], "pagination": {"page": 1.5}},
            "pagination.page",
        ),
        (
            "POST",
            "/v2/inputs/searches",
            {
                "searches": [
                    {
                        "query": {
                            "ranks": [{"annotation": {"data": {"concepts": [{"value": "hi"}]}}}]
                        }
                    }
                ]
            },
            "searches[0].query.ranks[0].annotation.data.concepts[0].value",
        ),
        (
            "POST",
            "/v2/evaluations",
            {"eval_metrics": [{"id": "e", "model": []}]},
            "eval_metrics[0].model",
        ),
        (
            "PATCH",
            "/v2/label_orders",
            {"label_orders": [{"id": True}], "action": "overwrite"},
            "label_orders[0].id",
        ),
    ],
)
def test_nested_wrong_types_are_named_by_their_path(
    emu: Emulator, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    response = _post(emu, path, json.dumps(body).encode(), method)
    assert response.status_code == 400, response.text
    assert repr(field) in response.json()["status"]["details"]


def test_camel_case_and_proto3_json_forms_are_accepted(emu: Emulator) -> None:
    body = {
        "searches": [{"query": {}}],
        "pagination": {"perPage": "2", "page": 1.0},
        "userAppId": {"userId": "me"},
    }
    response = _post(emu, "/v2/inputs/searches", json.dumps(body).encode())
    assert response.status_code == 200, response.text
    assert len(response.json()["hits"]) == 2


def test_the_request_field_table_is_current() -> None:
    assert build_requests() == REQUEST_FIELDS


# -- unexpected failures ------------------------------------------------------------------------


def test_an_unexpected_handler_failure_is_a_json_500_logged_once(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from clarinb.emulator import dispatch

    def broken(req: Any) -> Any:
        raise KeyError("secret internals")

    monkeypatch.setitem(dispatch.HANDLERS, "V2_ListInputs2", broken)
    with caplog.at_level(logging.ERROR, logger="clarinb.emulator"):
        response = requests.get(
            f"{emu.url}/v2/inputs", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
        )
    assert response.status_code == 500
    status = response.json()["status"]
    assert status["code"] == 98004
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert len([r for r in caplog.records if r.exc_info]) == 1


def test_a_failure_outside_the_dispatcher_is_a_json_500_too(
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from clarinb.emulator import media

    def broken(store: Any, path: str) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(media, "find_media", broken)
    with caplog.at_level(logging.ERROR, logger="clarinb.emulator"):
        response = requests.get(
            f"{emu.url}/media/in-00.png", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
        )
    assert response.status_code == 500
    assert response.json()["status"]["code"] == 98004
    assert "secret internals" not in response.text
    assert len([r for r in caplog.records if r.exc_info]) == 1
    assert "Traceback" not in capfd.readouterr().err


# -- methods --------------------------------------------------------------------------------------


def _allowed(path: str) -> set[str]:
    return {m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if match_route(m, path)}


def test_options_answers_204_with_allow(emu: Emulator) -> None:
    response, body, _ = _exchange(emu, _head("OPTIONS", "/v2/inputs"), "OPTIONS")
    assert response.status == 204
    assert body == b""
    allow = {m.strip() for m in (response.getheader("Allow") or "").split(",")}
    assert allow == _allowed("/v2/inputs") | {"OPTIONS"}


def test_head_is_a_405_with_allow_and_no_body(emu: Emulator) -> None:
    sock = _connect(emu)
    sock.sendall(_head("HEAD", "/v2/evaluations/e1", _auth(emu)))
    response, body = _read(sock, "HEAD")
    assert response.status == 405
    assert response.getheader("Content-Type") == "application/json"
    assert response.getheader("Allow") == "GET, OPTIONS"
    assert body == b""
    # nothing was written after the headers: the connection serves the next request
    sock.sendall(_head("GET", "/v2/inputs", _auth(emu)))
    again, _ = _read(sock)
    assert again.status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/v2/evaluations/e1"),
        ("POST", "/v2/models/types"),
        ("BREW", "/v2/inputs"),
        ("TRACE", "/v2/inputs"),
        ("DELETE", "/media/in-00.png"),
    ],
)
def test_a_method_the_route_does_not_take_is_a_json_405(
    emu: Emulator, method: str, path: str
) -> None:
    response, body, _ = _exchange(emu, _head(method, path, _auth(emu), "Content-Length: 0"))
    assert response.status == 405
    assert _status(body)["code"] == 11103
    allow = {m.strip() for m in (response.getheader("Allow") or "").split(",")}
    expected = {"GET"} if path.startswith("/media/") else _allowed(path)
    assert allow == expected | {"OPTIONS"}


def test_an_unknown_path_with_any_method_is_a_json_404(emu: Emulator) -> None:
    for method in ("PUT", "BREW", "GET"):
        response, body, _ = _exchange(emu, _head(method, "/v2/nothing", _auth(emu)))
        assert response.status == 404
        assert _status(body)["code"] == 11101


# -- malformed HTTP -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "http_status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /v2/inputs\r\n\r\n", 400),
        (b"GET /v2/inputs FTP/1.0\r\n\r\n", 400),
        (b"GET /v2/inputs HTTP/1.x\r\n\r\n", 400),
        (b"GET /v2/inputs HTTP/9.9\r\n\r\n", 505),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /v2/inputs HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"GET /v2/inputs HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 200 + b"\r\n", 431),
    ],
    ids=["garbage", "http09", "ftp", "bad-version", "http9", "long-uri", "long-header", "many"],
)
def test_malformed_http_gets_a_json_status(emu: Emulator, raw: bytes, http_status: int) -> None:
    response, body, sock = _exchange(emu, raw)
    assert response.status == http_status
    assert response.getheader("Content-Type") == "application/json"
    assert b"<" not in body
    assert _status(body)["code"] in (11100, 40033)
    assert _closed(sock)


# -- exposure beyond loopback -----------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "127.3.4.5", "::1", "localhost"])
def test_loopback_addresses_are_not_warned_about(address: str) -> None:
    from clarinb.emulator.server import exposure_warning

    assert exposure_warning(address) is None


@pytest.mark.parametrize("address", ["0.0.0.0", "", "::", "192.168.1.20", "10.0.0.1"])
def test_addresses_beyond_loopback_are_warned_about(address: str) -> None:
    from clarinb.emulator.server import exposure_warning

    text = exposure_warning(address)
    assert text is not None
    assert "token" in text
    assert "network" in text


def test_serving_beyond_loopback_warns() -> None:
    with pytest.warns(UserWarning, match="network"):
        emulator = serve(data=tiny_workspace(), host="0.0.0.0")
    emulator.stop()


def _workspace_file(tmp_path: Path) -> Path:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(tiny_workspace()))
    return path


def test_serve_cli_prints_the_exposure_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from clarinb.cli import build_parser
    from clarinb.cli.serve import run

    args = build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--data", str(_workspace_file(tmp_path))]
    )
    stop = threading.Event()
    stop.set()  # serve, print, stop at once
    assert run(args, stop=stop) == 0
    err = capsys.readouterr().err
    assert "clarinb serve: warning: the emulator listens on every interface" in err


def test_serve_cli_takes_a_body_limit(tmp_path: Path) -> None:
    data = str(_workspace_file(tmp_path))
    command = ["serve", "--data", data, "--pat", "cli-token", "--max-body-mb", "0.001"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "clarinb.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        url = ""
        for line in proc.stdout:
            if m := re.match(r"\s+export CLARIFAI_API_BASE=(\S+)", line):
                url = m[1]
            if line.startswith("Press Ctrl-C"):
                break
        body = json.dumps({"inputs": [{"id": "x" * 2000}]})
        response = requests.post(
            f"{url}/v2/inputs",
            data=body,
            headers={"Authorization": "Key cli-token"},
            timeout=5,
        )
        assert response.status_code == 413
        assert response.json()["status"]["code"] == 40033
    finally:
        proc.terminate()
        proc.wait(timeout=10)
