"""Reading an HTTP response: the checked body, or the error with whether to retry it.

The transport's retry loop asks these functions what a response means; they
never send anything themselves.
"""

from __future__ import annotations

import email.utils
import json
import time
from dataclasses import dataclass
from typing import Any

import requests

from clarinb._wire import has_camel_keys, snake_keys, status_code
from clarinb.errors import (
    ApiError,
    ClarinbError,
    ResponseFormatError,
    ServerError,
    ThrottledError,
    error_for,
)

__all__ = ["Failure", "interpret_bytes", "interpret_json", "retry_after"]

#: Status codes that mean the request succeeded.
SUCCESS_CODES = frozenset({10000, 10070})
MIXED_STATUS = 10010
#: Throttle codes the service sends, even inside an HTTP 200, when it refused a request.
RETRY_THROTTLE_CODES = frozenset({11003, 11005})
#: HTTP statuses retried for requests that are safe to repeat.
RETRY_HTTP = frozenset({500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
#: Media bodies larger than this are never read as a status (statuses are small).
MAX_STATUS_BODY = 64 * 1024
REQ_ID_HEADER = "X-Clarifai-Request-ID"


@dataclass(frozen=True)
class Failure:
    """A response that is an error.

    Attributes
    ----------
    error : ClarinbError
        What to raise if the request is not retried.
    retryable : bool
        Whether sending the request again may succeed and is safe.
    retry_after : float or None
        Seconds the server asked to wait (``Retry-After``), if any.
    """

    error: ClarinbError
    retryable: bool
    retry_after: float | None


def retry_after(response: requests.Response) -> float | None:
    """Read ``Retry-After`` (seconds or an HTTP date), capped at two minutes."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _content_type(response: requests.Response) -> str:
    """Return the media type of a response, shortened: it is the server's text, not ours."""
    value = response.headers.get("Content-Type", "").split(";")[0].strip()
    return value[:60] if value.isprintable() else ""


def _not_json(what: str, response: requests.Response, *, retry_safe: bool) -> Failure:
    http = response.status_code
    req_id = response.headers.get(REQ_ID_HEADER)
    wait = retry_after(response)
    if http == 429:
        error: ClarinbError = ThrottledError(
            http_status=http, code=0, description="Too Many Requests", req_id=req_id
        )
        return Failure(error, True, wait)
    error = ResponseFormatError(
        f"{what} returned {what_body(response)} instead of a JSON object",
        http_status=http,
        req_id=req_id,
    )
    return Failure(error, retry_safe, wait)


def what_body(response: requests.Response) -> str:
    """Describe a body in a few words: its type and size, never its content."""
    size = len(response.content)
    kind = _content_type(response)
    if not kind:
        return f"a body of {size} bytes without a content type"
    article = "an" if kind[0].lower() in "aeiou" else "a"
    return f"{article} {kind} body of {size} bytes"


def interpret_json(
    what: str, response: requests.Response, *, retry_safe: bool
) -> dict[str, Any] | Failure:
    """Check an API response.

    Parameters
    ----------
    what : str
        ``"METHOD /path"``, for messages.
    response : requests.Response
        The response, body already read.
    retry_safe : bool
        Whether the request may be repeated after reaching the server.

    Returns
    -------
    dict or Failure
        The body with snake_case keys and a numeric ``status.code`` (success,
        ``ACCEPTED`` or ``MIXED_STATUS``), or the failure it stands for.
    """
    http = response.status_code
    header_req_id = response.headers.get(REQ_ID_HEADER)
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return _not_json(what, response, retry_safe=retry_safe)
    if not isinstance(body, dict):
        return _not_json(what, response, retry_safe=retry_safe)
    if has_camel_keys(body):
        body = snake_keys(body)
    raw_status = body.get("status")
    status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
    code = status_code(status.get("code"))
    if status:
        status["code"] = code
    if 200 <= http < 300:
        if code in SUCCESS_CODES or code == MIXED_STATUS:
            return body
        if not status:
            error = ResponseFormatError(
                f"{what} returned a JSON body without a status object",
                http_status=http,
                req_id=header_req_id,
            )
            return Failure(error, retry_safe, None)
    if not status and "code" in body and "message" in body:
        # A gateway error in the google.rpc.Status shape.
        status = {"description": str(body.get("message"))}
    return _status_failure(response, body, status, code, retry_safe=retry_safe)


def _status_failure(
    response: requests.Response,
    body: dict[str, Any],
    status: dict[str, Any],
    code: int,
    *,
    description: str = "",
    retry_safe: bool,
) -> Failure:
    """Build the typed error of a status that is not a success, and whether to retry it."""
    http = response.status_code
    header_req_id = response.headers.get(REQ_ID_HEADER)
    cls = error_for(http, code)
    api_error: ApiError = cls(
        http_status=http,
        code=code,
        description=description or str(status.get("description", "") or ""),
        details=str(status.get("details", "") or ""),
        req_id=status.get("req_id") or header_req_id,
        response=body,
    )
    throttled = http == 429 or code in RETRY_THROTTLE_CODES
    server = http in RETRY_HTTP or (cls is ServerError and http < 500)
    return Failure(api_error, throttled or (server and retry_safe), retry_after(response))


def _status_of_media(body: bytes) -> tuple[dict[str, Any], dict[str, Any], int] | None:
    """Find the Clarifai error status a media body is, if any: ``(body, status, code)``.

    Only a JSON object whose ``status.code`` is a known code other than a
    success counts; any other body, JSON or not, is media.
    """
    if len(body) > MAX_STATUS_BODY or body.lstrip()[:1] != b"{":
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(parsed, dict):
        return None
    if has_camel_keys(parsed):
        parsed = snake_keys(parsed)
    status = parsed.get("status")
    if not isinstance(status, dict):
        return None
    code = status_code(status.get("code"))
    if not code or code in SUCCESS_CODES or code == MIXED_STATUS:
        return None
    status["code"] = code
    return parsed, status, code


def interpret_bytes(what: str, response: requests.Response) -> bytes | Failure:
    """Check a media download: the body on a 2xx, else the failure it stands for.

    A body that is a Clarifai error status, even inside a 2xx (a throttle
    inside a 200), is that status: retried when it is a throttle or a server
    failure, else its typed error with its code and request id.
    """
    http = response.status_code
    found = _status_of_media(response.content)
    if found is None and 200 <= http < 300:
        return response.content
    if found is not None:
        body, status, code = found
        description = str(status.get("description", "") or "") or "error status"
        return _status_failure(
            response, body, status, code, description=f"{what}: {description}", retry_safe=True
        )
    req_id = response.headers.get(REQ_ID_HEADER)
    cls = error_for(http, 0)
    error = cls(
        http_status=http,
        code=0,
        description=f"{what} failed: {response.reason or 'HTTP error'}",
        details=what_body(response),
        req_id=req_id,
    )
    retryable = http == 429 or http in RETRY_HTTP
    return Failure(error, retryable, retry_after(response))
