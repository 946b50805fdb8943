"""Which failures are retried, how patiently, and which never are."""

from __future__ import annotations

import email.utils
import socket
import time

import pytest

from clarinb.api.client import BaseClient
from clarinb.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    ResponseFormatError,
    ServerError,
    ThrottledError,
    TransportError,
)

from ._server import FAULTS, Reply
from .conftest import SECRET

# One call of each kind: (operation, path params, body)
GET = ("V2_GetInput2", {"inputId": "i1"}, None)
SEARCH = ("V2_PostInputsSearches2", {}, {"searches": []})
UNSAFE = {
    "POST": ("V2_PostInputs2", {}, {"inputs": [{"id": "a"}]}),
    "PATCH": ("V2_PatchInputs2", {}, {"action": "merge", "inputs": [{"id": "a"}]}),
    "PUT": ("V2_PutDatasetVersionExports2", {"datasetId": "d", "datasetVersionId": "v"}, {}),
    "DELETE": ("V2_DeleteInputs2", {}, {"ids": ["a"]}),
    "DELETE-no-body": ("V2_DeleteInput2", {"inputId": "a"}, None),
}
#: What an unsafe request gets when the fault is not retried.
UNRETRIED_ERROR = {
    "503html": ResponseFormatError,
    "drop": TransportError,
    "truncate": ResponseFormatError,
    "500": ServerError,
}


def call(client, spec):
    op, params, body = spec
    return client.call(op, body=body, **params)


def fail_first(kind: str, times: int = 1):
    return lambda request: kind if request.attempt < times else None


@pytest.mark.parametrize("kind", FAULTS)
@pytest.mark.parametrize("spec", [GET, SEARCH], ids=["GET", "search"])
def test_safe_requests_are_retried_after_every_fault(server, client, sleeps, kind, spec) -> None:
    server.fault = fail_first(kind, times=2)
    assert call(client, spec)["status"]["code"] == 10000
    assert len(server.requests) == 3
    assert len(sleeps.calls) == 2


@pytest.mark.parametrize("kind", ["429", "throttle200"])
@pytest.mark.parametrize("method", list(UNSAFE))
def test_throttling_is_retried_for_every_method(server, client, kind, method) -> None:
    server.fault = fail_first(kind)
    assert call(client, UNSAFE[method])["status"]["code"] == 10000
    assert len(server.requests) == 2


@pytest.mark.parametrize("kind", list(UNRETRIED_ERROR))
@pytest.mark.parametrize("method", list(UNSAFE))
def test_unsafe_requests_that_reached_the_server_are_not_repeated(
    server, client, sleeps, kind, method
) -> None:
    server.fault = fail_first(kind)
    with pytest.raises(UNRETRIED_ERROR[kind]):
        call(client, UNSAFE[method])
    assert len(server.requests) == 1
    assert sleeps.calls == []


def test_transport_error_for_unsafe_request_says_it_may_have_happened(server, client) -> None:
    server.fault = fail_first("drop")
    with pytest.raises(TransportError, match="may have reached the server"):
        call(client, UNSAFE["POST"])


@pytest.mark.parametrize("status", [502, 503, 504, 500])
def test_gateway_statuses_are_retried_for_gets(server, client, status) -> None:
    def flaky(request):
        if request.attempt == 0:
            return Reply({"status": {"code": 98004, "description": "down"}}, status=status)
        return Reply({"status": {"code": 10000}})

    server.routes["V2_GetInput2"] = flaky
    assert call(client, GET)["status"]["code"] == 10000
    assert len(server.requests) == 2


def test_hourly_limit_code_inside_200_is_retried(server, client) -> None:
    def flaky(request):
        code = 11003 if request.attempt == 0 else 10000
        return Reply({"status": {"code": code}})

    server.routes["V2_PostInputs2"] = flaky
    assert call(client, UNSAFE["POST"])["status"]["code"] == 10000
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "case",
    [
        (401, 11008, AuthError),
        (403, 11007, AuthError),
        (200, 11009, AuthError),
        (404, 11101, NotFoundError),
        (404, 21200, NotFoundError),
        (400, 11102, ApiError),
    ],
)
@pytest.mark.parametrize("spec", [GET, SEARCH, UNSAFE["POST"]], ids=["GET", "search", "POST"])
def test_auth_not_found_and_bad_requests_are_never_retried(
    server, client, sleeps, case, spec
) -> None:
    http, code, error = case
    reply = Reply({"status": {"code": code, "description": "no"}}, status=http)
    server.routes[spec[0]] = lambda request: reply
    with pytest.raises(error) as caught:
        call(client, spec)
    assert type(caught.value) is error
    assert len(server.requests) == 1
    assert sleeps.calls == []


def test_retry_after_seconds_is_honoured(server, client, sleeps) -> None:
    server.retry_after = "7"
    server.fault = fail_first("429")
    call(client, GET)
    assert sleeps.calls == [pytest.approx(7.0)]


def test_retry_after_http_date_is_honoured(server, client, sleeps) -> None:
    server.retry_after = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.fault = fail_first("429")
    call(client, GET)
    (waited,) = sleeps.calls
    assert 25 <= waited <= 31


def test_retry_after_is_capped(server, client, sleeps) -> None:
    server.retry_after = "86400"
    server.fault = fail_first("429")
    call(client, GET)
    assert sleeps.calls == [120.0]


def test_backoff_doubles_with_jitter(server, make_client, sleeps) -> None:
    client = make_client(retry_backoff=1.0, max_retries=4)
    server.fault = fail_first("503html", times=4)
    call(client, GET)
    assert len(sleeps.calls) == 4
    for attempt, waited in enumerate(sleeps.calls):
        assert 2**attempt * 0.5 <= waited <= 2**attempt


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("429", ThrottledError),
        ("throttle200", ThrottledError),
        ("503html", ResponseFormatError),
        ("drop", TransportError),
        ("truncate", ResponseFormatError),
        ("truncate_close", ResponseFormatError),
        ("500", ServerError),
    ],
)
def test_retries_run_out_into_the_right_error(server, make_client, sleeps, kind, error) -> None:
    client = make_client(max_retries=3)
    server.fault = lambda request: kind
    with pytest.raises(error):
        call(client, GET)
    assert len(server.requests) == 4
    assert len(sleeps.calls) == 3


def test_max_retries_zero_sends_once(server, make_client) -> None:
    client = make_client(max_retries=0)
    server.fault = lambda request: "429"
    with pytest.raises(ThrottledError):
        call(client, GET)
    assert len(server.requests) == 1


def test_read_timeout_retried_for_get_not_for_post(server, make_client) -> None:
    client = make_client(timeout=0.2, max_retries=3)
    server.latency = lambda request: 1.0 if request.attempt == 0 else 0.0
    assert call(client, GET)["status"]["code"] == 10000
    server.reset()
    with pytest.raises(TransportError, match="ReadTimeout"):
        call(client, UNSAFE["POST"])
    assert len(server.requests) == 1


def test_refused_connection_is_retried_even_for_post(sleeps) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nothing listens there
    from clarinb.api._http import Transport

    client = BaseClient(SECRET, "u", "a", f"http://127.0.0.1:{port}", max_retries=2)
    client._transport = Transport(client.settings, sleep=sleeps, seed=0)
    with pytest.raises(TransportError, match="3 attempt") as caught:
        call(client, UNSAFE["POST"])
    assert "may have reached" not in str(caught.value)
    assert len(sleeps.calls) == 2
    client.close()


def test_pacing_spaces_requests_by_the_rate(server, make_client, sleeps) -> None:
    client = make_client(rate_limit=10)
    started = time.monotonic()
    for _ in range(5):
        call(client, GET)
    spent = time.monotonic() - started
    # The recorder does not sleep, so each wait reaches to the next free slot,
    # n * 0.1 s after the first start, less the time the calls themselves took.
    assert len(sleeps.calls) == 4
    for n, waited in enumerate(sleeps.calls, start=1):
        assert 0.1 * n - spent <= waited <= 0.1 * n


def test_pacing_is_off_on_loopback_and_on_by_default_elsewhere() -> None:
    local = BaseClient(SECRET, "u", "a", "http://127.0.0.1:9")
    remote = BaseClient(SECRET, "u", "a")
    assert local.settings.rate_limit is None
    assert remote.settings.rate_limit == 15.0


def test_cut_off_body_says_so(server, make_client) -> None:
    server.fault = lambda request: "truncate"
    with pytest.raises(ResponseFormatError, match="cut off"):
        call(make_client(max_retries=1), GET)
    assert len(server.requests) == 2


def test_close_delimited_cut_json_is_retried_for_gets(server, client) -> None:
    server.fault = fail_first("truncate_close")
    assert call(client, GET)["status"]["code"] == 10000
    assert len(server.requests) == 2


def test_retry_after_on_a_503_is_honoured(server, client, sleeps) -> None:
    def busy(request):
        if request.attempt == 0:
            body = {"status": {"code": 98004, "description": "busy"}}
            return Reply(body, status=503, headers={"Retry-After": "5"})
        return Reply({"status": {"code": 10000}})

    server.routes["V2_GetInput2"] = busy
    call(client, GET)
    assert sleeps.calls == [pytest.approx(5.0)]


def test_monthly_quota_is_throttled_but_not_retried(server, client, sleeps) -> None:
    # Waiting cannot help with a monthly limit (11004), unlike 11003/11005.
    body = {"status": {"code": 11004, "description": "monthly limit"}}
    server.routes["V2_GetInput2"] = lambda request: Reply(body, status=200)
    with pytest.raises(ThrottledError) as caught:
        call(client, GET)
    assert caught.value.code_name == "CONN_EXCEED_MONTHLY_LIMIT"
    assert len(server.requests) == 1
    assert sleeps.calls == []
