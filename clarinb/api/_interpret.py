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
    return response.headers.get("Content-Type", "no content type").split(";")[0].strip()


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
    return f"a {_content_type(response)} body of {len(response.content)} bytes"


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
    except ValueError:
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
                f"{what} returned a JSON body without a status object (HTTP {http})",
                http_status=http,
                req_id=header_req_id,
            )
            return Failure(error, retry_safe, None)
    if not status and "code" in body and "message" in body:
        # A gateway error in the google.rpc.Status shape.
        status = {"description": str(body.get("message"))}
    cls = error_for(http, code)
    api_error: ApiError = cls(
        http_status=http,
        code=code,
        description=str(status.get("description", "") or ""),
        details=str(status.get("details", "") or ""),
        req_id=status.get("req_id") or header_req_id,
        response=body,
    )
    throttled = http == 429 or code in RETRY_THROTTLE_CODES
    server = http in RETRY_HTTP or (cls is ServerError and http < 500)
    return Failure(api_error, throttled or (server and retry_safe), retry_after(response))


def interpret_bytes(what: str, response: requests.Response) -> bytes | Failure:
    """Check a media download: the body on a 2xx, else the failure it stands for."""
    http = response.status_code
    if 200 <= http < 300:
        return response.content
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
