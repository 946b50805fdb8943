"""No error reaches the token, and error messages read right.

An error may be logged, pickled to another process or shown in a notebook:
nothing reachable from it (its cause, its context, its arguments, its
attributes) may hold the token or a request object that carries it.
"""

from __future__ import annotations

import contextlib
import pickle
from typing import Any

import pytest

from clarinb.errors import ApiError, ClarinbError, ResponseFormatError

from ._server import Reply
from .conftest import SECRET

POST = ("V2_PostInputs2", {}, {"inputs": [{"id": "a"}]})
GET = ("V2_GetInput2", {"inputId": "i1"}, None)


def call(client, spec):
    op, params, body = spec
    return client.call(op, body=body, **params)


def reachable(root: BaseException) -> list[Any]:
    """Every object reachable from ``root`` through exceptions' links and objects' fields."""
    seen: dict[int, Any] = {}
    todo: list[Any] = [root]
    while todo:
        obj = todo.pop()
        if obj is None or id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool)):
            continue
        seen[id(obj)] = obj
        if isinstance(obj, BaseException):
            todo += [obj.__cause__, obj.__context__, *obj.args]
        if isinstance(obj, dict):
            todo += [*obj.keys(), *obj.values()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            todo += list(obj)
        elif hasattr(obj, "items") and callable(obj.items):
            with contextlib.suppress(TypeError):
                todo += [value for pair in obj.items() for value in pair]
        if hasattr(obj, "__dict__") and not isinstance(obj, type):
            todo += list(vars(obj).values())
    return list(seen.values())


def assert_clean(error: BaseException) -> None:
    for obj in reachable(error):
        module = type(obj).__module__
        assert not module.startswith(("requests", "urllib3", "http.client")), obj
        assert SECRET not in repr(obj)
        assert SECRET not in str(obj)
        if isinstance(obj, BaseException):
            assert SECRET.encode() not in pickle.dumps(obj)
    assert SECRET not in str(error)


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("drop", POST),
        ("drop", GET),
        ("truncate", POST),
        ("truncate", GET),
        ("truncate_close", POST),
        ("503html", GET),
        ("500", POST),
        ("429", GET),
    ],
)
def test_no_error_holds_the_token(server, make_client, kind, spec) -> None:
    server.fault = lambda request: kind
    with pytest.raises(ClarinbError) as caught:
        call(make_client(max_retries=1), spec)
    assert_clean(caught.value)


def test_a_read_timeout_holds_no_token(server, make_client) -> None:
    server.latency = 1.0
    with pytest.raises(ClarinbError) as caught:
        call(make_client(timeout=0.2, max_retries=0), GET)
    assert_clean(caught.value)


@pytest.mark.parametrize("kind", ["drop", "truncate", "503html", "throttle200"])
def test_no_download_error_holds_the_token(server, make_client, kind) -> None:
    server.fault = lambda request: kind
    with pytest.raises(ClarinbError) as caught:
        make_client(max_retries=0).download(server.url + "/a.png")
    assert_clean(caught.value)


def test_a_redirect_error_holds_no_token(server, make_client) -> None:
    server.routes[""] = lambda request: Reply(
        raw=b"", status=302, headers={"Location": "http://[::1"}
    )
    with pytest.raises(ClarinbError) as caught:
        make_client(max_retries=0).download(server.url + "/a.png")
    assert_clean(caught.value)


def test_userinfo_never_shows_in_a_message(server, make_client) -> None:
    host = server.url.removeprefix("http://")
    server.routes[""] = lambda request: Reply(raw=b"no", status=404)
    with pytest.raises(ClarinbError) as caught:
        make_client(max_retries=0).download(f"http://someone:hunter2@{host}/a.png")
    assert "hunter2" not in str(caught.value)
    assert "/a.png" in str(caught.value)


def test_a_success_without_status_names_its_http_status_once(server, make_client) -> None:
    server.routes[GET[0]] = lambda request: Reply({"input": {"id": "i1"}})
    with pytest.raises(ResponseFormatError) as caught:
        call(make_client(max_retries=0), GET)
    assert str(caught.value).count("HTTP 200") == 1


@pytest.mark.parametrize(
    ("content_type", "phrase"),
    [
        ("application/json", "an application/json body"),
        ("image/png", "an image/png body"),
        ("text/html", "a text/html body"),
        (None, "a body of 7 bytes without a content type"),
    ],
)
def test_a_body_is_described_with_the_right_article(
    server, make_client, content_type, phrase
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    reply = Reply(raw=b"[1,2,3]", headers=headers)
    if content_type is None:
        reply.headers["Content-Type"] = ""
    server.routes[GET[0]] = lambda request: reply
    with pytest.raises(ResponseFormatError) as caught:
        call(make_client(max_retries=0), GET)
    assert phrase in str(caught.value)


@pytest.mark.parametrize("status", [404, 429, 503])
def test_a_missing_status_code_is_not_printed_as_zero(server, make_client, status) -> None:
    server.routes[""] = lambda request: Reply(raw=b"<html>x</html>", status=status)
    with pytest.raises(ApiError) as caught:
        make_client(max_retries=0).download(server.url + "/a.png")
    text = str(caught.value)
    assert "ZERO" not in text
    assert not text.startswith("0")
    assert caught.value.code == 0
    assert caught.value.code_name == ""
    assert f"HTTP {status}" in text


def test_userinfo_of_a_malformed_url_never_shows_in_a_message(server, client) -> None:
    with pytest.raises(ClarinbError) as caught:
        client.download("http://someone:hunter2@[::1/a.png")
    assert "hunter2" not in str(caught.value)
    assert server.requests == []
