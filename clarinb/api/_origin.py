"""Where a URL really leads, and whether the token may go there.

The token goes to one origin, the API base's own scheme, host and port, and
to https hosts under ``clarifai.com``; every other URL gets an anonymous
request.  A URL is read the way the transport will reach it: after
``requests`` has prepared it (IDNA encoding, lower-case host, quoting), so a
fullwidth solidus, a backslash or a userinfo part cannot make the host seen
here differ from the host connected to.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from clarinb.config import is_loopback

__all__ = ["TRUSTED_DOMAIN", "Origin", "Target", "parse_target", "same_origin", "sends_token_to"]

#: Hosts (besides the API's own origin) that serve Clarifai media, over https only.
TRUSTED_DOMAIN = "clarifai.com"
DEFAULT_PORTS = {"http": 80, "https": 443}
#: A host name as it stands after IDNA encoding: letters, digits, ``-``, ``_`` and dots.
_NAME = re.compile(r"[a-z0-9_.-]+")
_SHOWN_PATH = 200


@dataclass(frozen=True)
class Origin:
    """A URL's scheme, host (lower case, ASCII, IPv6 without brackets) and port."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{host}" + ("" if default else f":{self.port}")


@dataclass(frozen=True)
class Target:
    """An http(s) URL as the transport will send it.

    Attributes
    ----------
    url : str
        The prepared URL.
    origin : Origin
        Where it leads.
    userinfo : bool
        Whether the URL carries a ``user[:password]@`` part.
    path : str
        Its path, without the query.
    """

    url: str
    origin: Origin
    userinfo: bool
    path: str

    @property
    def shown(self) -> str:
        """The URL for messages: origin and path, without userinfo or query."""
        path = self.path if len(self.path) <= _SHOWN_PATH else self.path[:_SHOWN_PATH] + "..."
        return f"{self.origin}{path}"


def _valid_host(host: str) -> bool:
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return bool(_NAME.fullmatch(host)) and ".." not in host and not host.startswith(".")


def parse_target(url: object) -> Target | None:
    """Read an absolute http(s) URL as the transport will reach it.

    Parameters
    ----------
    url : object
        The URL.

    Returns
    -------
    Target or None
        ``None`` for anything that is not a usable absolute http(s) URL
        (malformed, another scheme, no host, a bad port, an invalid host name).
    """
    if not isinstance(url, str) or not url:
        return None
    try:
        prepared = requests.Request("GET", url).prepare().url
        if prepared is None:
            return None
        parts = urlsplit(prepared)
        port = parts.port
    except (requests.RequestException, ValueError):  # InvalidURL, LocationParseError, IDNA, ports
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in DEFAULT_PORTS or not _valid_host(host):
        return None
    origin = Origin(scheme, host, DEFAULT_PORTS[scheme] if port is None else port)
    userinfo = "@" in parts.netloc
    return Target(prepared, origin, userinfo, parts.path or "/")


def same_origin(url: str, other: str) -> bool:
    """Tell whether two URLs lead to the same scheme, host and port."""
    a, b = parse_target(url), parse_target(other)
    return a is not None and b is not None and a.origin == b.origin


def sends_token_to(url: str, base_url: str) -> bool:
    """Tell whether a request to ``url`` may carry the token.

    Parameters
    ----------
    url : str
        Where the request goes.
    base_url : str
        The configured API base.

    Returns
    -------
    bool
        True for the base's exact origin (scheme, host and port) and for
        https hosts under ``clarifai.com``; False for everything else,
        including URLs with a userinfo part and any plain http origin other
        than a loopback base's own.
    """
    target, base = parse_target(url), parse_target(base_url)
    if target is None or target.userinfo:
        return False
    origin = target.origin
    if base is not None and origin == base.origin:
        return origin.scheme == "https" or is_loopback(origin.host)
    host = origin.host
    return origin.scheme == "https" and (
        host == TRUSTED_DOMAIN or host.endswith("." + TRUSTED_DOMAIN)
    )
