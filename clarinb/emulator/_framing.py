"""How much body a request carries, and reading it within a limit.

A body comes with a ``Content-Length`` or with ``Transfer-Encoding: chunked``;
anything else, or both at once, is refused.  A declared length over the limit
is refused before any of the body is read; a chunked body is refused as soon
as its chunks pass the limit.  Each refusal is a :class:`ServiceError` the
HTTP layer sends as the API's JSON status body.
"""

from __future__ import annotations

import re
from email.message import Message
from typing import Protocol

from clarinb.emulator.errors import ServiceError

__all__ = ["CHUNKED", "bad_format", "declared_length", "read_body", "too_large"]

#: :func:`declared_length`'s answer for a chunked body (its length is not known yet).
CHUNKED = -1
_DIGITS = re.compile(rb"^[0-9]+$")
_HEX = re.compile(rb"^[0-9A-Fa-f]{1,15}$")
_MAX_LINE = 4096
_MAX_TRAILERS = 100


class Reader(Protocol):
    """What the body is read from: the connection's buffered reader."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readline(self, size: int = ..., /) -> bytes: ...


def bad_format(details: str) -> ServiceError:
    """HTTP 400 for a request whose framing or syntax cannot be read."""
    return ServiceError(400, 11100, "Bad request format", details)


def too_large(limit: int) -> ServiceError:
    """HTTP 413 for a body over ``limit`` bytes."""
    return ServiceError(
        413,
        40033,
        "Request too large",
        f"the request body is over the emulator's limit of {limit / 2**20:g} MB",
    )


def declared_length(headers: Message, limit: int) -> int:
    """Return the body's length from the headers, or :data:`CHUNKED`.

    Raises
    ------
    ServiceError
        HTTP 400 for a bad or ambiguous framing, 413 for a length over ``limit``.
    """
    lengths = headers.get_all("Content-Length") or []
    codings = headers.get_all("Transfer-Encoding") or []
    if codings:
        if lengths:
            raise bad_format("send either Content-Length or Transfer-Encoding, not both")
        if [c.strip().lower() for c in codings] != ["chunked"]:
            raise bad_format(
                f"Transfer-Encoding {', '.join(codings)[:60]!r} is not supported; "
                "send Content-Length or chunked"
            )
        return CHUNKED
    if not lengths:
        return 0
    text = lengths[0].strip().encode("latin-1", "replace")
    if len(lengths) > 1 or not _DIGITS.match(text):
        raise bad_format("Content-Length must be one non-negative integer")
    length = int(text)
    if length > limit:
        raise too_large(limit)
    return length


def read_body(rfile: Reader, length: int, limit: int) -> bytes:
    """Read a body of ``length`` bytes, or a chunked one (``length`` is :data:`CHUNKED`).

    Raises
    ------
    ServiceError
        HTTP 400 for a body that ends early or bad chunk framing, 413 when
        the chunks pass ``limit``.
    TimeoutError
        When the client stops sending.
    """
    if length == CHUNKED:
        return _read_chunked(rfile, limit)
    data = rfile.read(length) if length else b""
    if len(data) < length:
        raise bad_format(f"the body ended after {len(data)} of {length} bytes")
    return data


def _read_chunked(rfile: Reader, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_text = _line(rfile).split(b";", 1)[0].strip()
        if not _HEX.match(size_text):
            raise bad_format("a chunk size is not a hexadecimal number")
        size = int(size_text, 16)
        if size == 0:
            break
        total += size
        if total > limit:
            raise too_large(limit)
        chunk = rfile.read(size)
        if len(chunk) < size or rfile.read(2) != b"\r\n":
            raise bad_format("a chunk ended early or without CRLF")
        parts.append(chunk)
    for _ in range(_MAX_TRAILERS):
        if _line(rfile) in (b"\r\n", b"\n"):
            return b"".join(parts)
    raise bad_format(f"more than {_MAX_TRAILERS} trailer lines")


def _line(rfile: Reader) -> bytes:
    line = rfile.readline(_MAX_LINE + 1)
    if not line.endswith(b"\n") or len(line) > _MAX_LINE:
        raise bad_format("a chunk line is too long or the body ended early")
    return line
