"""A failed write that may have reached the server says so, whatever the failure kind.

A user who reads "failed" and sends the write again may create a duplicate,
so every failure after a request that is not safe to repeat, and that may
have been received, carries one sentence saying it may have been applied.
Explicit refusals (a 4xx status, a throttle) and failures to connect do not.
"""

from __future__ import annotations

import pickle
import socket

import pytest

from clarinb.api._http import Transport
from clarinb.api.client import BaseClient
from clarinb.errors import (
    ApiError,
    AuthError,
    ClarinbError,
    NotFoundError,
    ResponseFormatError,
    ServerError,
    ThrottledError,
    TransportError,
)

from ._server import Reply
from .conftest import SECRET, SleepRecorder

APPLIED = "may have reached the server and been applied"
UNSAFE = {
    "POST": ("V2_PostInputs2", {}, {"inputs": [{"id": "a"}]}),
    "PATCH": ("V2_PatchInputs2", {}, {"action": "merge", "inputs": [{"id": "a"}]}),
    "PUT": ("V2_PutDatasetVersionExports2", {"datasetId": "d", "datasetVersionId": "v"}, {}),
    "DELETE": ("V2_DeleteInput2", {"inputId": "a"}, None),
}
SEARCH = ("V2_PostInputsSearches2", {}, {"searches": []})


def call(client, spec):
    op, params, body = spec
    return client.call(op, body=body, **params)


def raw(body: bytes, status: int = 200, content_type: str = "application/json"):
    return lambda request: Reply(raw=body, status=status, headers={"Content-Type": content_type})


#: (name, how the server fails, the error it becomes)
UNCERTAIN = [
    ("drop", "drop", TransportError),
    ("truncate", "truncate", ResponseFormatError),
    ("truncate_close", "truncate_close", ResponseFormatError),
    ("503html", "503html", ResponseFormatError),
    ("500", "500", ServerError),
    ("invalid-json", raw(b'{"status": {"code": 100'), ResponseFormatError),
    ("not-an-object", raw(b"[1, 2, 3]"), ResponseFormatError),
    ("no-status", raw(b'{"inputs": []}'), ResponseFormatError),
    ("502-json", raw(b'{"status": {"code": 98004}}', 502), ServerError),
    ("internal-code-200", raw(b'{"status": {"code": 99009}}'), ServerError),
    ("html-200", raw(b"<html>oops</html>", 200, "text/html"), ResponseFormatError),
]


@pytest.mark.parametrize(
    ("failure", "error"), [u[1:] for u in UNCERTAIN], ids=[u[0] for u in UNCERTAIN]
)
@pytest.mark.parametrize("method", list(UNSAFE))
def test_every_uncertain_failure_of_a_write_says_it_may_have_been_applied(
    server, client, method, failure, error
) -> None:
    spec = UNSAFE[method]
    if isinstance(failure, str):
        server.fault = lambda request: failure
    else:
        server.routes[spec[0]] = failure
    with pytest.raises(error) as caught:
        call(client, spec)
    assert type(caught.value) is error
    assert str(caught.value).count(APPLIED) == 1
    assert caught.value.may_have_applied is True
    assert APPLIED in str(pickle.loads(pickle.dumps(caught.value)))
    assert len(server.requests) == 1


def test_a_read_timeout_of_a_write_says_it_may_have_been_applied(server, make_client) -> None:
    server.latency = 1.0
    with pytest.raises(TransportError, match="ReadTimeout") as caught:
        call(make_client(timeout=0.2), UNSAFE["POST"])
    assert APPLIED in str(caught.value)


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, 11102, ApiError),
        (401, 11008, AuthError),
        (404, 11101, NotFoundError),
        (429, 11005, ThrottledError),
        (200, 11004, ThrottledError),
    ],
)
def test_an_explicit_refusal_does_not(server, make_client, status, code, error) -> None:
    body = {"status": {"code": code, "description": "refused"}}
    server.routes[UNSAFE["POST"][0]] = lambda request: Reply(body, status=status)
    with pytest.raises(error) as caught:
        call(make_client(max_retries=1), UNSAFE["POST"])
    assert APPLIED not in str(caught.value)
    assert caught.value.may_have_applied is False


@pytest.mark.parametrize("kind", ["500", "truncate_close", "drop"])
@pytest.mark.parametrize("spec", [SEARCH, ("V2_GetInput2", {"inputId": "i1"}, None)])
def test_reads_and_searches_do_not(server, make_client, kind, spec) -> None:
    server.fault = lambda request: kind
    with pytest.raises(ClarinbError) as caught:
        call(make_client(max_retries=1), spec)
    assert APPLIED not in str(caught.value)


def test_a_write_that_never_connected_does_not() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = BaseClient(SECRET, "u", "a", f"http://127.0.0.1:{port}", max_retries=0)
    client._transport = Transport(client.settings, sleep=SleepRecorder(), seed=0)
    with pytest.raises(TransportError) as caught:
        call(client, UNSAFE["POST"])
    assert APPLIED not in str(caught.value)
    client.close()
