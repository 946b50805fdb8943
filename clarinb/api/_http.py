"""The one module that talks HTTP.

Auth, timeouts, pacing and retries happen here, for API calls and media
downloads alike; :mod:`clarinb.api._interpret` says what each response means.
Nothing else in clarinb imports ``requests`` to reach the API.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.exceptions import ContentDecodingError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from clarinb._version import __version__
from clarinb.api._interpret import Failure, interpret_bytes, interpret_json
from clarinb.config import Settings, is_loopback
from clarinb.errors import ClarinbError, InvalidArgumentError, ResponseFormatError, TransportError

__all__ = ["Transport", "sends_token_to"]

log = logging.getLogger("clarinb.http")

MAX_DELAY = 30.0
#: Hosts (besides the API's own and loopback) that serve Clarifai media.
TRUSTED_DOMAIN = "clarifai.com"

Query = Sequence[tuple[str, str]]
T = TypeVar("T")


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


def _reached_server(exc: requests.RequestException) -> bool:
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


def _cut_off(exc: requests.RequestException) -> bool:
    """Whether the response started but its body stopped short."""
    return isinstance(exc, (requests.exceptions.ChunkedEncodingError, ContentDecodingError))


def sends_token_to(url: str, base_url: str) -> bool:
    """Tell whether a request to ``url`` may carry the token.

    Only the API's own host, hosts under ``clarifai.com`` (over https) and
    loopback hosts receive the ``Authorization`` header.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if is_loopback(host):
        return True
    if parts.scheme != "https":
        return False
    api_host = (urlsplit(base_url).hostname or "").lower()
    return host in {api_host, TRUSTED_DOMAIN} or host.endswith("." + TRUSTED_DOMAIN)


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
        self._base_headers = {
            "Accept": "application/json",
            "User-Agent": f"clarinb/{__version__}",
        }

    def __repr__(self) -> str:
        return f"Transport(base_url={self.settings.base_url!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _headers(self, *, token: bool) -> dict[str, str]:
        headers = dict(self._base_headers)
        if token:
            headers["Authorization"] = f"Key {self.settings.pat}"
        return headers

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Back-off before retry ``attempt + 1``: exponential with jitter, >= ``Retry-After``."""
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
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = self._headers(token=True)
        if data is not None:
            headers["Content-Type"] = "application/json"
        what = f"{method} {path}"
        return self._send(
            what,
            method,
            self.settings.base_url + path,
            params=list(query or ()),
            data=data,
            headers=headers,
            retry_safe=retry_safe,
            interpret=lambda r: interpret_json(what, r, retry_safe=retry_safe),
        )

    def download(self, url: str) -> bytes:
        """Fetch a media file or export archive and return its bytes.

        Parameters
        ----------
        url : str
            An absolute ``http(s)`` URL, or a path starting with ``/`` below
            the base URL.  The token is sent only to the API's host, hosts
            under ``clarifai.com`` and loopback hosts.

        Returns
        -------
        bytes
            The body of the response.

        Raises
        ------
        InvalidArgumentError
            For a URL that is not http(s).
        ApiError
            Or a subclass (``NotFoundError``, ``AuthError``, ...) for an HTTP error.
        TransportError
            When no response came back after the retries.
        """
        if not isinstance(url, str) or not url:
            raise InvalidArgumentError(f"url must be a non-empty string, not {url!r}.")
        if url.startswith("/") and not url.startswith("//"):
            url = self.settings.base_url + url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidArgumentError(
                f"cannot download {url[:200]!r}: only absolute http(s) URLs (or paths below "
                "the API base URL) can be fetched."
            )
        what = f"GET {parts.scheme}://{parts.netloc}{parts.path}"
        headers = self._headers(token=sends_token_to(url, self.settings.base_url))
        headers["Accept"] = "*/*"
        return self._send(
            what,
            "GET",
            url,
            params=None,
            data=None,
            headers=headers,
            retry_safe=True,
            interpret=lambda r: interpret_bytes(what, r),
        )

    @staticmethod
    def _no_response(
        what: str, exc: requests.RequestException, attempts: int, *, sent: bool, retry_safe: bool
    ) -> ClarinbError:
        """Build the error for a request that got no complete response."""
        hint = (
            " The request may have reached the server, so it was not repeated:"
            " check the resource's state before sending it again."
            if sent and not retry_safe
            else ""
        )
        reason = type(exc).__name__
        if _cut_off(exc):
            return ResponseFormatError(
                f"{what} got a response whose body was cut off ({reason}) after "
                f"{attempts} attempt(s).{hint}"
            )
        return TransportError(
            f"{what} got no response after {attempts} attempt(s): {reason}.{hint}"
        )

    def _send(
        self,
        what: str,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None,
        data: bytes | None,
        headers: dict[str, str],
        retry_safe: bool,
        interpret: Callable[[requests.Response], T | Failure],
    ) -> T:
        """Send until a usable response, retrying what is worth retrying."""
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._pacer.wait()
            started = time.monotonic()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=self.settings.timeout,
                )
                response.content  # noqa: B018 - read the body inside the try: it may be cut off
            except requests.RequestException as exc:
                sent = _reached_server(exc)
                reason = type(exc).__name__
                if (retry_safe or not sent) and not last:
                    delay = self.delay(attempt, None)
                    log.info("%s failed (%s); retry %d in %.2f s", what, reason, attempt + 1, delay)
                    self._sleep(delay)
                    continue
                error = self._no_response(what, exc, attempt + 1, sent=sent, retry_safe=retry_safe)
                raise error from None
            elapsed = (time.monotonic() - started) * 1000
            req_id = response.headers.get("X-Clarifai-Request-ID")
            outcome = interpret(response)
            if not isinstance(outcome, Failure):
                log.debug(
                    "%s -> HTTP %d in %.0f ms req_id=%s",
                    what,
                    response.status_code,
                    elapsed,
                    req_id,
                )
                return outcome
            if outcome.retryable and not last:
                delay = self.delay(attempt, outcome.retry_after)
                log.info(
                    "%s -> HTTP %d (%s); retry %d in %.2f s",
                    what,
                    response.status_code,
                    type(outcome.error).__name__,
                    attempt + 1,
                    delay,
                )
                self._sleep(delay)
                continue
            log.debug("%s -> HTTP %d: %s", what, response.status_code, outcome.error)
            raise outcome.error
        raise AssertionError("unreachable")  # pragma: no cover
