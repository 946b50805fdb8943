"""``client.download``: media bytes, the token only where it belongs, retries and errors."""

from __future__ import annotations

import pytest

from clarinb.api._http import sends_token_to
from clarinb.errors import AuthError, InvalidArgumentError, NotFoundError, ServerError

from ._server import FakeApi, Reply
from .conftest import SECRET

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def media(request) -> Reply:
    return Reply(raw=PNG, headers={"Content-Type": "image/png"})


@pytest.mark.parametrize(
    ("url", "sends"),
    [
        ("https://api.clarifai.com/v2/x", True),
        ("https://data.clarifai.com/orig/a.jpg", True),
        ("https://s3.amazonaws.com/clarifai-data/a.jpg", False),
        ("https://clarifai.com.evil.example/a.jpg", False),
        ("https://evilclarifai.com/a.jpg", False),
        ("http://data.clarifai.com/a.jpg", False),  # never in the clear
        ("http://127.0.0.1:9/a.jpg", False),  # loopback, but not the API's origin
        ("http://localhost/a.jpg", False),
        ("https://my-gateway.internal/a.jpg", False),
    ],
)
def test_token_goes_only_to_trusted_hosts(url, sends) -> None:
    assert sends_token_to(url, "https://api.clarifai.com") is sends


def test_the_api_own_host_is_trusted_whatever_it_is() -> None:
    assert sends_token_to("https://gw.example.org/m.png", "https://gw.example.org")
    assert not sends_token_to("https://other.example.org/m.png", "https://gw.example.org")


def test_download_returns_bytes_with_the_token_on_loopback(server, client) -> None:
    server.routes[""] = media
    got = client.download(server.url + "/media/a.png?size=small")
    assert got == PNG
    (request,) = server.requests
    assert request.path == "/media/a.png"
    assert request.query == [("size", "small")]
    assert request.headers["Authorization"] == f"Key {SECRET}"


def test_download_of_a_path_uses_the_base_url(server, client) -> None:
    server.routes[""] = media
    assert client.download("/thumbs/t.png") == PNG
    assert server.requests[0].path == "/thumbs/t.png"


def test_redirect_to_another_host_drops_the_token(server, client) -> None:
    with FakeApi(host="localhost") as other:
        other.routes[""] = media
        target = other.url + "/elsewhere.png"
        server.routes[""] = lambda request: Reply(raw=b"", status=302, headers={"Location": target})
        assert client.download(server.url + "/a.png") == PNG
        assert "Authorization" in server.requests[0].headers
        assert "Authorization" not in other.requests[0].headers


@pytest.mark.parametrize(("status", "error"), [(404, NotFoundError), (403, AuthError)])
def test_http_errors_are_typed_and_not_retried(server, client, status, error) -> None:
    server.routes[""] = lambda request: Reply(raw=b"<html>no</html>", status=status)
    with pytest.raises(error) as caught:
        client.download(server.url + "/gone.png")
    assert caught.value.http_status == status
    assert "/gone.png" in str(caught.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("kind", ["503html", "drop", "truncate", "429", "500"])
def test_downloads_are_retried(server, client, kind) -> None:
    server.routes[""] = media
    server.fault = lambda request: kind if request.attempt == 0 else None
    assert client.download(server.url + "/a.png") == PNG
    assert len(server.requests) == 2


def test_download_retries_run_out_into_server_error(server, make_client) -> None:
    server.fault = lambda request: "503html"
    with pytest.raises(ServerError, match="HTTP 503"):
        make_client(max_retries=2).download(server.url + "/a.png")
    assert len(server.requests) == 3


@pytest.mark.parametrize("url", ["", "ftp://x/y", "data:image/png;base64,AAAA", "a.png", 5])
def test_bad_urls_are_rejected(server, client, url) -> None:
    with pytest.raises(InvalidArgumentError):
        client.download(url)
    assert server.requests == []
