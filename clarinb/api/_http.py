"""The one module that talks HTTP.

Auth, timeouts, pacing, retries and turning error envelopes into exceptions
all happen here; nothing else in clarinb imports ``requests`` for API calls.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from clarinb._version import __version__
from clarinb._wire import has_camel_keys, snake_keys, status_code
from clarinb.config import Settings
from clarinb.errors import (
    ResponseFormatError,
    ServerError,
    ThrottledError,
    TransportError,
    error_for,
)

__all__ = ["Transport"]

log = logging.getLogger("clarinb.http")

#: Status codes that mean the request succeeded.
SUCCESS_CODES = frozenset({10000, 10070})
MIXED_STATUS = 10010
#: Throttle codes the service sends, even inside an HTTP 200, when a request was refused.
RETRY_THROTTLE_CODES = frozenset({11003, 11005})
#: HTTP statuses retried for requests that are safe to repeat.
RETRY_HTTP = frozenset({500, 502, 503, 504})
MAX_DELAY = 30.0
MAX_RETRY_AFTER = 120.0

Query = Sequence[tuple[str, str]]


class _Pacer:
    """Spaces request starts so that at most ``rate`` begin per second, across threads."""

    def __init__(self, rate: float | None, sleep: Callable[[float], None]) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


def _retry_after(response: requests.Response) -> float | None:
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


def _reached_server(exc: requests.RequestException) -> bool:
    """Whether a failed request may have been received (so repeating it may repeat its effect)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        text = repr(exc)
        return not ("NewConnectionError" in text or "Connection refused" in text)
    return True


class Transport:
    """Sends requests for a :class:`clarinb.Client`.

    Parameters
    ----------
    settings : Settings
        Where to send requests and how patiently.
    session : requests.Session, optional
        The session to use; one is made by default.
    sleep : callable, optional
        Used for back-off and pacing waits (tests pass a recorder).
    seed : int, optional
        Seed of the back-off jitter.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._rng = random.Random(seed)
        self._pacer = _Pacer(settings.rate_limit, sleep)
        self._session = session or requests.Session()
        adapter = HTTPAdapter(
            pool_connections=4, pool_maxsize=max(10, settings.max_workers), max_retries=0
        )
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._headers = {
            "Authorization": f"Key {settings.pat}",
            "Accept": "application/json",
            "User-Agent": f"clarinb/{__version__}",
        }

    def __repr__(self) -> str:
        return f"Transport(base_url={self.settings.base_url!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        base = min(MAX_DELAY, self.settings.retry_backoff * (2**attempt))
        delay = base * (0.5 + self._rng.random() / 2)
        return max(delay, retry_after) if retry_after is not None else delay

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Query | None = None,
        body: dict[str, Any] | None = None,
        retry_safe: bool = False,
    ) -> dict[str, Any]:
        """Send one API request and return its parsed, checked body.

        Parameters
        ----------
        method : str
            HTTP method.
        path : str
            Path below the base URL, starting with ``/v2``.
        query : sequence of (str, str), optional
            Encoded query parameters (repeated names allowed).
        body : dict, optional
            JSON body.
        retry_safe : bool
            Whether the request may be repeated after it reached the server
            (GETs and searches).  Requests that are not are retried only when
            the service says it refused them (throttling) or when they never
            left this machine.

        Returns
        -------
        dict
            The response body with snake_case keys and a numeric ``status.code``.
            A ``MIXED_STATUS`` body is returned, not raised, so per-item
            statuses can be read.

        Raises
        ------
        ApiError
            Or a subclass, for an error status.
        TransportError
            When no response came back.
        ResponseFormatError
            When the response is not the expected JSON.
        """
        url = self.settings.base_url + path
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = dict(self._headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._pacer.wait()
            started = time.monotonic()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=list(query or ()),
                    data=data,
                    headers=headers,
                    timeout=self.settings.timeout,
                )
            except requests.RequestException as exc:
                sent = _reached_server(exc)
                reason = type(exc).__name__
                if (retry_safe or not sent) and not last:
                    log.info("%s %s failed (%s); retry %d", method, path, reason, attempt + 1)
                    self._sleep(self._delay(attempt, None))
                    continue
                hint = (
                    " The request may have reached the server, so it was not repeated:"
                    " check the resource's state before sending it again."
                    if sent and not retry_safe
                    else ""
                )
                raise TransportError(
                    f"{method} {path} got no response after {attempt + 1} attempt(s): "
                    f"{reason}.{hint}"
                ) from None
            elapsed = (time.monotonic() - started) * 1000
            outcome = self._interpret(method, path, response, retry_safe=retry_safe)
            req_id = response.headers.get("X-Clarifai-Request-ID")
            if isinstance(outcome, dict):
                log.debug(
                    "%s %s -> %d in %.0f ms req_id=%s",
                    method,
                    path,
                    response.status_code,
                    elapsed,
                    req_id,
                )
                return outcome
            error, retryable, retry_after = outcome
            if retryable and not last:
                delay = self._delay(attempt, retry_after)
                log.info(
                    "%s %s -> HTTP %d (%s); retry %d in %.2f s",
                    method,
                    path,
                    response.status_code,
                    type(error).__name__,
                    attempt + 1,
                    delay,
                )
                self._sleep(delay)
                continue
            log.debug("%s %s -> HTTP %d: %s", method, path, response.status_code, error)
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _interpret(
        self, method: str, path: str, response: requests.Response, *, retry_safe: bool
    ) -> dict[str, Any] | tuple[Exception, bool, float | None]:
        """Return the checked body, or ``(error, retryable, retry_after)``."""
        http = response.status_code
        header_req_id = response.headers.get("X-Clarifai-Request-ID")
        retry_after = _retry_after(response)
        try:
            body = json.loads(response.content)
            if not isinstance(body, dict):
                raise ValueError("not a JSON object")
        except ValueError:
            kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
            error: Exception = ResponseFormatError(
                f"{method} {path} returned a body that is not a JSON object ({kind}, "
                f"{len(response.content)} bytes)",
                http_status=http,
                req_id=header_req_id,
            )
            if http == 429:
                error = ThrottledError(
                    http_status=http, code=0, description="Too Many Requests", req_id=header_req_id
                )
            throttled = http == 429
            return error, throttled or retry_safe, retry_after
        if has_camel_keys(body):
            body = snake_keys(body)
        status = body.get("status")
        status = status if isinstance(status, dict) else {}
        code = status_code(status.get("code"))
        if "status" in body and isinstance(body["status"], dict):
            body["status"]["code"] = code
        if 200 <= http < 300 and (code in SUCCESS_CODES or code == MIXED_STATUS):
            return body
        if code == 0 and "code" in body and "message" in body:
            # A gateway error in google.rpc.Status shape.
            status = {"description": str(body.get("message"))}
        req_id = status.get("req_id") or header_req_id
        cls = error_for(http, code)
        error = cls(
            http_status=http,
            code=code,
            description=str(status.get("description", "")),
            details=str(status.get("details", "")),
            req_id=req_id,
            response=body,
        )
        throttled = http == 429 or code in RETRY_THROTTLE_CODES
        server = http in RETRY_HTTP or (cls is ServerError and http < 500)
        return error, throttled or (server and retry_safe), retry_after

