"""The token goes to one origin: the API base's own, or https hosts under clarifai.com.

Every other URL (another loopback port, another scheme, a lookalike host, a
URL with userinfo, a redirect to another origin) gets an anonymous request.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clarinb.api._http import Transport, sends_token_to
from clarinb.api.client import BaseClient
from clarinb.errors import ClarinbError, InvalidArgumentError

from ._server import FakeApi, Reply
from .conftest import SECRET, SleepRecorder

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
CLOUD = "https://api.clarifai.com"


def media(request) -> Reply:
    return Reply(raw=PNG, headers={"Content-Type": "image/png"})


@pytest.fixture
def other() -> Iterator[FakeApi]:
    """A second loopback server on another port: someone else's, as far as the client knows."""
    with FakeApi() as api:
        api.routes[""] = media
        yield api


def client_on(base_url: str | None, sleeps: SleepRecorder) -> BaseClient:
    client = BaseClient(SECRET, "u1", "a1", base_url, max_retries=1, timeout=5.0)
    client._transport.close()
    client._transport = Transport(client.settings, sleep=sleeps, seed=0)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/a.png",  # loopback, but not the API's origin
        "http://localhost/a.png",
        "http://[::1]:9/a.png",
        "https://127.0.0.1/a.png",
        "https://evil.com\uff0fa.clarifai.com/a.png",  # fullwidth solidus
        "https://evil.com%EF%BC%8Fa.clarifai.com/a.png",
        "https://clarifai.com.evil.com/a.png",
        "https://CLARIFAI.COM.EVIL.COM/a.png",
        "https://evilclarifai.com/a.png",
        "https://EvilClarifai.com/a.png",
        "https://api.clarifai.com@evil.com/a.png",  # userinfo: the host is evil.com
        "https://api.clarifai.com:443@evil.com/a.png",
        "https://api.clarifai.com%2F@evil.com/a.png",
        "https://evil.com\\@api.clarifai.com/a.png",  # the transport reaches evil.com
        "https://evil.com\\.clarifai.com/a.png",
        "https://user:pw@data.clarifai.com/a.png",  # credentials of its own: not ours to add to
        "https://data.clarifai.com./a.png",  # trailing dot
        "https://data.clarifai.com../a.png",
        "https://evil.com#.clarifai.com",
        "https://evil.com?.clarifai.com",
        "https://evil.com/.clarifai.com",
        "http://data.clarifai.com/a.png",  # never in the clear
        "http://api.clarifai.com/v2/x",
        "ftp://api.clarifai.com/a.png",
        "//api.clarifai.com/a.png",
        "https://\uff41\uff50\uff49.clarifai.com/a.png",  # fullwidth letters: not a valid host name
        "https://api.clarifai.com:99999/a.png",
        "http://[::1",
        "",
    ],
)
def test_lookalikes_and_other_origins_get_no_token(url) -> None:
    assert sends_token_to(url, CLOUD) is False


@pytest.mark.parametrize(
    "url",
    [
        "https://api.clarifai.com/v2/x",
        "https://api.clarifai.com:443/v2/x",
        "https://API.Clarifai.COM/v2/x",  # host names do not have a case
        "https://data.clarifai.com/orig/a.jpg",
        "https://a.b.clarifai.com/x.png",
        "https://clarifai.com/x.png",
    ],
)
def test_the_api_and_https_clarifai_hosts_get_the_token(url) -> None:
    assert sends_token_to(url, CLOUD) is True


@pytest.mark.parametrize(
    ("url", "sends"),
    [
        ("http://127.0.0.1:8080/m.png", True),
        ("http://127.0.0.1:8080", True),
        ("http://127.0.0.1:8081/m.png", False),  # another port: another owner
        ("http://127.0.0.1/m.png", False),
        ("https://127.0.0.1:8080/m.png", False),  # another scheme
        ("http://localhost:8080/m.png", False),  # another name may be another socket
        ("http://[::1]:8080/m.png", False),
        ("http://127.0.0.2:8080/m.png", False),
        ("https://data.clarifai.com/m.png", True),
    ],
)
def test_a_loopback_base_trusts_its_exact_origin_only(url, sends) -> None:
    assert sends_token_to(url, "http://127.0.0.1:8080") is sends


@given(st.text(max_size=60))
@example("https://evil.com\uff0fa.clarifai.com/")
@example("http://[::1")
@example("https://[")
def test_the_decision_never_raises(tail) -> None:
    for url in (tail, "https://" + tail, "http://127.0.0.1:8080" + tail):
        assert sends_token_to(url, CLOUD) in (True, False)
    assert sends_token_to("https://" + tail + ".evil.com/", CLOUD) is False


def test_the_default_cloud_base_sends_no_token_to_a_loopback_port(other, sleeps) -> None:
    client = client_on(None, sleeps)
    assert client.settings.base_url == CLOUD
    assert client.download(other.url + "/a.png") == PNG
    assert "Authorization" not in other.requests[0].headers
    client.close()


def test_a_loopback_base_sends_no_token_to_another_loopback_port(server, other, sleeps) -> None:
    client = client_on(server.url, sleeps)
    assert client.download(other.url + "/a.png") == PNG
    assert "Authorization" not in other.requests[0].headers
    server.routes[""] = media
    assert client.download(server.url + "/a.png") == PNG
    assert server.requests[0].headers["Authorization"] == f"Key {SECRET}"
    client.close()


def test_redirect_to_another_port_drops_the_token(server, other, client) -> None:
    target = other.url + "/elsewhere.png"
    server.routes[""] = lambda request: Reply(raw=b"", status=302, headers={"Location": target})
    assert client.download(server.url + "/a.png") == PNG
    assert server.requests[0].headers["Authorization"] == f"Key {SECRET}"
    assert "Authorization" not in other.requests[0].headers


def test_redirect_back_to_the_api_does_not_bring_the_token_back(server, other, client) -> None:
    def route(request):
        if request.path == "/a.png":
            return Reply(raw=b"", status=302, headers={"Location": other.url + "/hop"})
        return media(request)

    server.routes[""] = route
    other.routes[""] = lambda request: Reply(
        raw=b"", status=307, headers={"Location": server.url + "/b.png"}
    )
    assert client.download(server.url + "/a.png") == PNG
    assert [r.path for r in server.requests] == ["/a.png", "/b.png"]
    assert "Authorization" not in other.requests[0].headers
    assert "Authorization" not in server.requests[1].headers


def test_redirect_within_the_origin_keeps_the_token(server, client) -> None:
    def route(request):
        if request.path == "/a.png":
            return Reply(raw=b"", status=301, headers={"Location": "/b.png"})
        return media(request)

    server.routes[""] = route
    assert client.download(server.url + "/a.png") == PNG
    assert [r.headers.get("Authorization") for r in server.requests] == [f"Key {SECRET}"] * 2


@pytest.mark.parametrize(
    "location", ["http://[::1", "ftp://127.0.0.1/a.png", "http://127.0.0.1:99999/a.png"]
)
def test_redirect_to_an_unusable_url_is_a_typed_error(server, client, location) -> None:
    server.routes[""] = lambda request: Reply(raw=b"", status=302, headers={"Location": location})
    with pytest.raises(ClarinbError) as caught:
        client.download(server.url + "/a.png")
    assert "redirect" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_endless_redirects_stop_with_a_typed_error(server, make_client) -> None:
    server.routes[""] = lambda request: Reply(raw=b"", status=302, headers={"Location": "/loop"})
    with pytest.raises(ClarinbError, match="redirect"):
        make_client(max_retries=0).download(server.url + "/a.png")
    assert 2 <= len(server.requests) <= 31


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "http://[::1]:99999/a.png",
        "https://evil.com\uff0fa.clarifai.com/a.png",
        "https://\uff41\uff50\uff49.clarifai.com/a.png",
        "http://a b/c.png",
        "http:///a.png",
        "http://:80/a.png",
        "https://[zz::1]/a.png",
    ],
)
def test_malformed_urls_are_invalid_arguments(server, client, url) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        client.download(url)
    assert type(caught.value) is InvalidArgumentError
    assert server.requests == []


def test_loopback_requests_never_go_through_a_proxy(server, monkeypatch) -> None:
    # A proxy would get the token in the clear, and cannot reach this machine's loopback anyway.
    with FakeApi() as proxy:
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        server.routes[""] = media
        client = client_on(server.url, SleepRecorder())
        assert client.download(server.url + "/a.png") == PNG
        client.call("V2_GetInput2", inputId="i1")
        client.close()
        assert proxy.requests == []
        assert len(server.requests) == 2
