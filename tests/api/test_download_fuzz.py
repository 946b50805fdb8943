"""``download`` returns bytes or raises a ``ClarinbError``, whatever the URL or the redirect.

A test set's image URLs come from whoever uploaded the inputs, so any text
may reach ``download``; a view shows a message for a bad one, which it can
only do if the error is typed.  Only URLs leading to the test server are
sent (the rest are skipped), so no example leaves this process's server.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from clarinb.api._origin import parse_target
from clarinb.errors import ClarinbError

from ._server import Reply
from .conftest import SECRET

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
#: Characters that matter to URL parsers, and a few that should not be there at all.
URL_CHARS = [*"htps:/?#[]@%\\.-_~ 0189aZ", "\uff0f", "\u00e9", "\x00", "\n", "\t", "\u3002"]
URLISH = st.text(st.sampled_from(URL_CHARS), max_size=30) | st.text(max_size=30)
#: What a server may put in a Location header: printable ASCII.
LOCATION = st.text(st.sampled_from([chr(c) for c in range(0x21, 0x7F)]), max_size=30)
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def media(request) -> Reply:
    return Reply(raw=PNG, headers={"Content-Type": "image/png"})


def stays_on(server_url: str, url: str) -> bool:
    """Whether ``url`` is unusable (never sent) or leads to the test server."""
    target, here = parse_target(url), parse_target(server_url)
    assert here is not None
    return target is None or target.origin == here.origin


@FUZZ
@given(prefix=st.sampled_from(["", "http://", "https://", "//", "/", "SERVER"]), rest=URLISH)
@example(prefix="http://", rest="[::1")
@example(prefix="SERVER", rest=":99999/a.png")
@example(prefix="SERVER", rest="\\@evil.com/a.png")
@example(prefix="https://", rest="evil.com\uff0fa.clarifai.com/")
def test_any_url_gives_bytes_or_a_typed_error(server, client, prefix, rest) -> None:
    server.routes[""] = media
    url = (server.url if prefix == "SERVER" else prefix) + rest
    full = server.url + url if url.startswith("/") and not url.startswith("//") else url
    assume(stays_on(server.url, full))
    try:
        got: object = client.download(url)
    except ClarinbError as err:
        got = str(err)
    assert isinstance(got, bytes) or SECRET not in got


@FUZZ
@given(location=LOCATION)
@example(location="http://[::1")
@example(location="http://127.0.0.1:99999/")
@example(location="ftp://127.0.0.1/a.png")
@example(location="//[")
@example(location="/start.png")
def test_any_redirect_gives_bytes_or_a_typed_error(server, client, location) -> None:
    def route(request):
        if request.path == "/start.png":
            return Reply(raw=b"", status=302, headers={"Location": location})
        return media(request)

    server.routes[""] = route
    start = server.url + "/start.png"
    try:
        following = urljoin(start, location)
    except ValueError:
        following = ""
    assume(stays_on(server.url, following))
    try:
        got: object = client.download(start)
    except ClarinbError as err:
        got = str(err)
    assert isinstance(got, bytes) or SECRET not in got


@pytest.mark.parametrize(
    "url", [None, 5, b"http://x/", ["http://x/"], "", "   ", "http://", "https://:0/"]
)
def test_not_a_url_at_all(server, client, url) -> None:
    with pytest.raises(ClarinbError):
        client.download(url)
    assert server.requests == []
