"""What a failed exchange means: was it sent, was the body cut off, may a write have applied.

:mod:`clarinb.api._http` turns every exception of an attempt into a plain
value here, inside its ``except`` block, and raises the error built from it
outside: so no error clarinb raises has a context or cause holding the
request and its ``Authorization`` header.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass

import requests
import urllib3
from requests.exceptions import ContentDecodingError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from clarinb.errors import (
    ApiError,
    ClarinbError,
    InvalidArgumentError,
    ResponseFormatError,
    ServerError,
    TransportError,
)

__all__ = [
    "LOWER_ERRORS",
    "BadRedirectError",
    "Dropped",
    "bad_redirect",
    "classify",
    "may_have_applied",
    "no_response",
]

#: What a request can fail with below clarinb: requests' errors and the few it lets through.
LOWER_ERRORS = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


def reached_server(exc: requests.RequestException) -> bool:
    """Whether a failed request may have been received (so repeating it may repeat its effect).

    Only failures to open the connection (refused, unresolvable host, connect
    timeout) prove that nothing was sent.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the cause
        return not isinstance(reason, (NewConnectionError, ConnectTimeoutError))
    return True


def cut_off(exc: Exception) -> bool:
    """Whether the response started but its body stopped short."""
    return isinstance(exc, (requests.exceptions.ChunkedEncodingError, ContentDecodingError))


class BadRedirectError(Exception):
    """A redirect that cannot be followed (its message says why)."""


def bad_redirect(status: int) -> str:
    return (
        f"the server answered with a redirect (HTTP {status}) "
        "to a URL that is not a valid http(s) URL"
    )


@dataclass(frozen=True)
class Dropped:
    """A request that got no complete response: only what the error message needs.

    No exception object is kept, so nothing raised later can reach the
    request (and its ``Authorization`` header) through a context or cause.
    """

    reason: str
    sent: bool
    cut_off: bool


def may_have_applied(error: ClarinbError, *, reached: bool, retry_safe: bool) -> ClarinbError:
    """Mark the failure of a write that may have been received, so its message says so.

    Explicit refusals (an error status other than a server failure) are not
    marked: the service said what happened.
    """
    refused = isinstance(error, ApiError) and not isinstance(error, ServerError)
    if reached and not retry_safe and not refused:
        error.may_have_applied = True
    return error


def no_response(what: str, dropped: Dropped, attempts: int) -> ClarinbError:
    """Build the error for a request that got no complete response."""
    if dropped.cut_off:
        return ResponseFormatError(
            f"{what} got a response whose body was cut off ({dropped.reason}) after "
            f"{attempts} attempt(s)."
        )
    return TransportError(f"{what} got no response after {attempts} attempt(s): {dropped.reason}.")


def classify(what: str, exc: Exception) -> Dropped | ClarinbError:
    """Turn what an attempt raised into a plain value: a drop to retry, or an error to raise.

    Parameters
    ----------
    what : str
        ``"METHOD url"``, for messages.
    exc : Exception
        A :class:`BadRedirectError` or one of :data:`LOWER_ERRORS`.

    Returns
    -------
    Dropped or ClarinbError
        The error holds only text: never the exception, its request or its response.
    """
    if isinstance(exc, BadRedirectError):
        return ResponseFormatError(f"{what}: {exc}; the redirect was not followed.")
    reason = type(exc).__name__
    if isinstance(exc, ValueError) and not isinstance(exc, requests.ConnectionError):
        # InvalidURL, MissingSchema, InvalidSchema, LocationParseError, IDNA...:
        # raised while preparing the request, before anything was sent.
        return InvalidArgumentError(
            f"{what} cannot be sent: the URL is not usable ({reason}); "
            "check its scheme, host and port."
        )
    sent = not isinstance(exc, requests.RequestException) or reached_server(exc)
    return Dropped(reason, sent, cut_off(exc))
