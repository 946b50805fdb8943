"""The one error tree of clarinb.

Every error clarinb raises derives from :class:`ClarinbError`.  Errors that
come from the API carry the HTTP status, the Clarifai status code and name,
the description and details, and the request id, and ``str(err)`` shows them
so that a logged error can be traced on Clarifai's side.
"""

from __future__ import annotations

from typing import Any

from clarinb._wire import code_name

__all__ = [
    "MAY_HAVE_APPLIED",
    "ApiError",
    "AuthError",
    "ClarinbError",
    "ConfigError",
    "InvalidArgumentError",
    "NotFoundError",
    "ResponseFormatError",
    "ServerError",
    "SnapshotError",
    "ThrottledError",
    "TransportError",
    "error_for",
]

AUTH_CODES = frozenset({11000, 11001, 11002, 11007, 11008, 11009, 11200})
NOT_FOUND_CODES = frozenset({11101, 21200})
THROTTLE_CODES = frozenset({11003, 11004, 11005, 11006})


#: Added to the message of a failure after a write that may have been received.
MAY_HAVE_APPLIED = (
    "The request may have reached the server and been applied there; "
    "check the resource's state before sending it again."
)


class ClarinbError(Exception):
    """Base class of every error clarinb raises.

    Attributes
    ----------
    may_have_applied : bool
        Whether the failed request was a write that may have been received
        (so sending it again may repeat its effect); the message then says so.
    """

    may_have_applied: bool = False

    def __str__(self) -> str:
        text = self._text()
        return f"{text} {MAY_HAVE_APPLIED}" if self.may_have_applied else text

    def _text(self) -> str:
        """Return the message without the write warning."""
        return super().__str__()


class ConfigError(ClarinbError):
    """A setting is missing or invalid (a token, an id, a base URL)."""


class InvalidArgumentError(ClarinbError, ValueError):
    """An argument given to a clarinb function is invalid; the message says how to fix it."""


class SnapshotError(ClarinbError, ValueError):
    """A snapshot (workspace) file cannot be read or does not follow its format.

    The message names the file and the JSON path at fault, such as
    ``inputs[3].id: missing``, and says how to fix it.
    """


class TransportError(ClarinbError):
    """The request did not get an HTTP response: refused, dropped or timed out."""


class ResponseFormatError(ClarinbError):
    """The response is not the expected JSON: an HTML error page, a truncated body, a wrong shape.

    Parameters
    ----------
    message : str
        What was wrong.
    http_status : int or None
        The HTTP status of the response, when there was one.
    req_id : str or None
        The request id, when the response named one.
    """

    def __init__(
        self, message: str, *, http_status: int | None = None, req_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.req_id = req_id

    def _text(self) -> str:
        text = super()._text()
        if self.http_status is not None:
            text = f"{text} (HTTP {self.http_status})"
        return f"{text} [req_id={self.req_id}]" if self.req_id else text


class ApiError(ClarinbError):
    """The API answered with a status that is not a success.

    Parameters
    ----------
    http_status : int
        HTTP status of the response.
    code : int
        Clarifai status code (``status.code``), 0 when the body had none
        (the message then shows only the HTTP status).
    description : str
        ``status.description``.
    details : str
        ``status.details``.
    req_id : str or None
        Request id from ``status.req_id`` or the ``X-Clarifai-Request-ID`` header.
    response : dict or None
        The parsed response body.

    Attributes
    ----------
    code_name : str
        The name of ``code`` (``"CONN_KEY_INVALID"``), or ``""`` if unknown or 0.
    """

    def __init__(
        self,
        *,
        http_status: int,
        code: int,
        description: str = "",
        details: str = "",
        req_id: str | None = None,
        response: dict[str, Any] | None = None,
    ) -> None:
        self.http_status = http_status
        self.code = code
        self.code_name = code_name(code) if code else ""
        self.description = description
        self.details = details
        self.req_id = req_id
        self.response = response
        super().__init__(str(self))

    def _text(self) -> str:
        name = f" {self.code_name}" if self.code_name else ""
        text = f"{self.code}{name}: " if self.code else ""
        text += self.description or "no description"
        if self.details:
            text += f" ({self.details})"
        text += f" [HTTP {self.http_status}"
        text += f", req_id={self.req_id}]" if self.req_id else ", no req_id]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(http_status={self.http_status}, code={self.code}, "
            f"description={self.description!r}, req_id={self.req_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructor: rebuild from attributes so errors survive pickling.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[ApiError], state: dict[str, Any]) -> ApiError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, str(err))
    return err


class AuthError(ApiError):
    """The token is missing, invalid or lacks the scopes (HTTP 401/403, codes 11002/11007-11009)."""


class NotFoundError(ApiError):
    """The resource does not exist (HTTP 404, code 11101)."""


class ThrottledError(ApiError):
    """Still rate limited after every retry (HTTP 429, codes 11003/11005)."""


class ServerError(ApiError):
    """The service failed (HTTP 5xx or an internal 98xxx/99xxx code) after every retry."""


def error_for(http_status: int, code: int) -> type[ApiError]:
    """Pick the error class for an HTTP status and a Clarifai status code.

    Parameters
    ----------
    http_status : int
        HTTP status of the response.
    code : int
        Clarifai status code of the body (0 if none).

    Returns
    -------
    type[ApiError]
        The most specific subclass that fits.
    """
    if code in AUTH_CODES or http_status in (401, 403):
        return AuthError
    if code in NOT_FOUND_CODES or http_status == 404:
        return NotFoundError
    if code in THROTTLE_CODES or http_status == 429:
        return ThrottledError
    if http_status >= 500 or 98000 <= code < 100000:
        return ServerError
    return ApiError
