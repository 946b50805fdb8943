"""Media are checked: a 2xx whose body is a Clarifai status is that status, not an image."""

from __future__ import annotations

import json

import pytest

from clarinb.errors import (
    ApiError,
    AuthError,
    ClarinbError,
    NotFoundError,
    ServerError,
    ThrottledError,
)

from ._server import Reply, camelize

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def media(request) -> Reply:
    return Reply(raw=PNG, headers={"Content-Type": "image/png"})


def status_body(code: int | str, description: str = "no") -> bytes:
    return json.dumps({"status": {"code": code, "description": description}}).encode()


@pytest.mark.parametrize("kind", ["throttle200"])
def test_a_throttle_inside_a_200_is_retried_then_the_image_comes(
    server, client, sleeps, kind
) -> None:
    server.routes[""] = media
    server.fault = lambda request: kind if request.attempt < 2 else None
    assert client.download(server.url + "/a.png") == PNG
    assert len(server.requests) == 3
    assert len(sleeps.calls) == 2


@pytest.mark.parametrize("code", [11003, 11005, "CONN_THROTTLED"])
@pytest.mark.parametrize("content_type", ["application/json", "image/png", "text/plain"])
def test_a_throttle_body_of_any_type_is_never_returned_as_bytes(
    server, make_client, code, content_type
) -> None:
    body = status_body(code, "Too Many Requests")
    server.routes[""] = lambda request: Reply(raw=body, headers={"Content-Type": content_type})
    with pytest.raises(ThrottledError) as caught:
        make_client(max_retries=2).download(server.url + "/a.png")
    assert caught.value.http_status == 200
    assert "Too Many Requests" in str(caught.value)
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("code", "error", "tries"),
    [
        (11101, NotFoundError, 1),
        (11007, AuthError, 1),
        (11102, ApiError, 1),
        (98004, ServerError, 3),  # a server failure is worth another GET
    ],
)
def test_another_status_inside_a_200_is_its_typed_error(
    server, make_client, code, error, tries
) -> None:
    server.routes[""] = lambda request: Reply(raw=status_body(code, "nope"))
    with pytest.raises(error) as caught:
        make_client(max_retries=2).download(server.url + "/a.png")
    assert type(caught.value) is error
    assert caught.value.code == code
    assert "/a.png" in str(caught.value)
    assert len(server.requests) == tries


def test_a_camel_case_status_is_read_too(server, client) -> None:
    body = json.dumps(camelize({"status": {"code": 11101, "description": "gone", "req_id": "r7"}}))
    server.routes[""] = lambda request: Reply(raw=body.encode())
    with pytest.raises(NotFoundError) as caught:
        client.download(server.url + "/a.png")
    assert caught.value.req_id == "r7"


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "a JSON file that is really the media"}',
        b'  {"status": "fine", "rows": [1, 2]}',
        b'{"status": {"code": 10000, "description": "Ok"}}',  # a success is no error
        b'{"status": {"description": "no code at all"}}',
        b'{"status": {"code": 0}}',
        b'[{"status": {"code": 11005}}]',
        b"{not json",
        b"",
    ],
)
def test_json_looking_media_without_an_error_status_are_returned(server, client, body) -> None:
    server.routes[""] = lambda request: Reply(
        raw=body, headers={"Content-Type": "application/json"}
    )
    assert client.download(server.url + "/data.json") == body
    assert len(server.requests) == 1


def test_download_raises_only_clarinb_errors_for_a_status_body(server, make_client) -> None:
    server.routes[""] = lambda request: Reply(raw=status_body(99999, "odd"))
    with pytest.raises(ClarinbError):
        make_client(max_retries=0).download(server.url + "/a.png")


def test_an_error_status_with_a_json_body_keeps_its_code_and_request_id(server, client) -> None:
    body = {"status": {"code": 11101, "description": "gone", "req_id": "r9"}}
    server.routes[""] = lambda request: Reply(body, status=404)
    with pytest.raises(NotFoundError) as caught:
        client.download(server.url + "/a.png")
    assert (caught.value.code, caught.value.req_id) == (11101, "r9")
    assert "gone" in str(caught.value)
    assert "/a.png" in str(caught.value)
