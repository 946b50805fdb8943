"""One error tree: each class, what it carries, how it prints and that it pickles."""

from __future__ import annotations

import pickle

import pytest

import clarinb
from clarinb.errors import (
    ApiError,
    AuthError,
    ClarinbError,
    NotFoundError,
    ResponseFormatError,
    ServerError,
    ThrottledError,
    TransportError,
    error_for,
)

from ._server import Reply

GET = {"inputId": "i1"}


def answer(server, op: str, body, status: int = 200, **headers: str) -> None:
    server.routes[op] = lambda request: Reply(body, status=status, headers=dict(headers))


@pytest.mark.parametrize(
    ("http", "code", "cls"),
    [
        (401, 11008, AuthError),
        (401, 0, AuthError),
        (403, 11007, AuthError),
        (200, 11002, AuthError),
        (404, 11101, NotFoundError),
        (404, 0, NotFoundError),
        (400, 11101, NotFoundError),
        (429, 11005, ThrottledError),
        (200, 11003, ThrottledError),
        (500, 98004, ServerError),
        (200, 99009, ServerError),
        (400, 11102, ApiError),
        (200, 21317, ApiError),
    ],
)
def test_error_for_picks_the_class(http, code, cls) -> None:
    assert error_for(http, code) is cls


def test_api_error_carries_everything(server, make_client) -> None:
    body = {
        "status": {
            "code": 11102,
            "description": "Invalid request",
            "details": "per_page too large",
            "req_id": "abc123",
        }
    }
    answer(server, "V2_GetInput2", body, status=400)
    with pytest.raises(ApiError) as caught:
        make_client().call("V2_GetInput2", **GET)
    err = caught.value
    assert type(err) is ApiError
    assert (err.http_status, err.code, err.code_name) == (400, 11102, "CONN_INVALID_REQUEST")
    assert err.description == "Invalid request"
    assert err.details == "per_page too large"
    assert err.req_id == "abc123"
    assert err.response == body
    text = str(err)
    for part in ("11102", "CONN_INVALID_REQUEST", "Invalid request", "per_page too large"):
        assert part in text
    assert "req_id=abc123" in text
    assert "HTTP 400" in text


@pytest.mark.parametrize(
    ("http", "code", "cls"),
    [
        (401, 11008, AuthError),
        (404, 11101, NotFoundError),
        (429, 11005, ThrottledError),
        (500, 98004, ServerError),
        (400, 11100, ApiError),
    ],
)
def test_every_api_error_prints_code_description_and_request_id(
    server, make_client, http, code, cls
) -> None:
    answer(server, "V2_GetInput2", {"status": {"code": code, "description": "what"}}, http)
    with pytest.raises(cls) as caught:
        make_client(max_retries=0).call("V2_GetInput2", **GET)
    err = caught.value
    assert str(code) in str(err)
    assert "what" in str(err)
    assert err.req_id == "req-1"  # from the X-Clarifai-Request-ID header
    assert "req_id=req-1" in str(err)
    assert isinstance(err, ClarinbError)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is cls
    assert str(copy) == str(err)
    assert (copy.code, copy.http_status, copy.req_id, copy.response) == (
        err.code,
        err.http_status,
        err.req_id,
        err.response,
    )
    assert repr(copy) == repr(err)


def test_other_errors_pickle() -> None:
    fmt = ResponseFormatError("bad body", http_status=503, req_id="r9")
    copy = pickle.loads(pickle.dumps(fmt))
    assert (copy.http_status, copy.req_id, str(copy)) == (503, "r9", str(fmt))
    assert "HTTP 503" in str(fmt)
    assert "r9" in str(fmt)
    transport = pickle.loads(pickle.dumps(TransportError("no answer")))
    assert str(transport) == "no answer"


def test_status_code_given_as_a_name(server, client) -> None:
    answer(server, "V2_GetInput2", {"status": {"code": "CONN_DOES_NOT_EXIST"}}, 404)
    with pytest.raises(NotFoundError) as caught:
        client.call("V2_GetInput2", **GET)
    assert caught.value.code == 11101
    assert caught.value.code_name == "CONN_DOES_NOT_EXIST"


def test_success_code_given_as_a_name_or_string(server, client) -> None:
    answer(server, "V2_GetInput2", {"status": {"code": "SUCCESS"}, "input": {"id": "i1"}})
    assert client.call("V2_GetInput2", **GET)["status"]["code"] == 10000
    answer(server, "V2_GetInput2", {"status": {"code": "10000"}})
    assert client.call("V2_GetInput2", **GET)["status"]["code"] == 10000


def test_mixed_status_returns_the_body(server, client) -> None:
    body = {
        "status": {"code": 10010, "description": "Mixed"},
        "inputs": [
            {"id": "a", "status": {"code": 30000}},
            {"id": "b", "status": {"code": 30002}},
        ],
    }
    answer(server, "V2_PostInputs2", body, status=207)
    got = client.call("V2_PostInputs2", body={"inputs": [{"id": "a"}, {"id": "b"}]})
    assert got["status"]["code"] == 10010
    assert [i["status"]["code"] for i in got["inputs"]] == [30000, 30002]


def test_accepted_is_a_success(server, client) -> None:
    answer(server, "V2_PostInputs2", {"status": {"code": 10070}}, status=202)
    assert client.call("V2_PostInputs2", body={"inputs": []})["status"]["code"] == 10070


def test_camelcase_response_comes_back_snake_case(server, client) -> None:
    body = {
        "status": {"code": "SUCCESS", "reqId": "r1"},
        "evalMetrics": {
            "id": "e1",
            "summary": {"macroAvgRocAuc": 0.9},
            "evalInfo": {"params": {"useKfold": False}},
            "extendedMetrics": {"userMetrics": {"myScore": 1}},
        },
    }
    answer(server, "V2_GetEvaluation2", body)
    got = client.call("V2_GetEvaluation2", evaluationId="e1")
    assert got["status"] == {"code": 10000, "req_id": "r1"}
    assert got["eval_metrics"]["summary"] == {"macro_avg_roc_auc": 0.9}
    # Free-form JSON belongs to the user: its keys are kept as they were.
    assert got["eval_metrics"]["eval_info"]["params"] == {"useKfold": False}
    assert got["eval_metrics"]["extended_metrics"]["user_metrics"] == {"myScore": 1}


def test_gateway_error_shape(server, client) -> None:
    answer(server, "V2_GetInput2", {"code": 5, "message": "Not Found", "details": []}, 404)
    with pytest.raises(NotFoundError, match="Not Found"):
        client.call("V2_GetInput2", **GET)


def test_html_error_page_is_a_format_error_naming_type_and_status(server, make_client) -> None:
    server.fault = lambda request: "503html"
    with pytest.raises(ResponseFormatError) as caught:
        make_client(max_retries=0).call("V2_GetInput2", **GET)
    text = str(caught.value)
    assert "text/html" in text
    assert "HTTP 503" in text
    assert "<html>" not in text
    assert caught.value.http_status == 503


def test_json_that_is_not_an_object_is_a_format_error(server, make_client) -> None:
    answer(server, "V2_GetInput2", [1, 2, 3])
    with pytest.raises(ResponseFormatError):
        make_client(max_retries=0).call("V2_GetInput2", **GET)


def test_success_without_status_is_a_format_error(server, make_client) -> None:
    answer(server, "V2_GetInput2", {"input": {"id": "i1"}})
    with pytest.raises(ResponseFormatError, match="without a status"):
        make_client(max_retries=0).call("V2_GetInput2", **GET)


def test_429_with_a_non_json_body_is_throttled(server, make_client) -> None:
    server.routes["V2_GetInput2"] = lambda request: Reply(
        raw=b"slow down", status=429, headers={"Content-Type": "text/plain"}
    )
    with pytest.raises(ThrottledError):
        make_client(max_retries=1).call("V2_GetInput2", **GET)
    assert len(server.requests) == 2


def test_errors_are_exported_from_the_package() -> None:
    for name in (
        "ClarinbError",
        "ApiError",
        "AuthError",
        "NotFoundError",
        "ThrottledError",
        "ServerError",
        "TransportError",
        "ResponseFormatError",
        "ConfigError",
        "InvalidArgumentError",
    ):
        cls = getattr(clarinb, name)
        assert issubclass(cls, clarinb.ClarinbError)
    assert issubclass(clarinb.AuthError, clarinb.ApiError)
    assert issubclass(clarinb.InvalidArgumentError, ValueError)
