"""The one module that talks HTTP.

Auth, timeouts, pacing, redirects and retries happen here, for API calls and
media downloads alike; :mod:`clarinb.api._interpret` says what each response
means, :mod:`clarinb.api._failures` what each failure to get one means, and
:mod:`clarinb.api._origin` where the token may go.
Nothing else in clarinb imports ``requests`` to reach the API.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter

from clarinb._version import __version__
from clarinb.api._failures import (
    LOWER_ERRORS,
    BadRedirectError,
    Dropped,
    bad_redirect,
    classify,
    may_have_applied,
    no_response,
)
from clarinb.api._interpret import Failure, interpret_bytes, interpret_json
from clarinb.api._origin import TRUSTED_DOMAIN, parse_target, same_origin, sends_token_to
from clarinb.config import Settings, hide_userinfo, is_loopback
from clarinb.errors import ClarinbError, InvalidArgumentError

__all__ = ["TRUSTED_DOMAIN", "Transport", "sends_token_to"]

log = logging.getLogger("clarinb.http")

MAX_DELAY = 30.0
#: Redirects followed for one GET before giving up.
MAX_REDIRECTS = 10
#: Proxy settings that send a request directly (``None`` removes what the environment sets):
#: loopback requests never go through a proxy, which would see the token in the clear and
#: cannot reach this machine's loopback anyway.
_DIRECT: dict[str, str | None] = {"http": None, "https": None, "all": None}
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
            the base URL.  The token is sent only to the API base's own origin
            (scheme, host and port) and to https hosts under ``clarifai.com``;
            other URLs get an anonymous request, and a redirect to another
            origin drops the token.

        Returns
        -------
        bytes
            The body of the response.

        Raises
        ------
        InvalidArgumentError
            For anything that is not a usable absolute http(s) URL.
        ApiError
            Or a subclass (``NotFoundError``, ``AuthError``, ``ThrottledError``,
            ...) for an HTTP error, or a 2xx whose body is a Clarifai error status.
        TransportError
            When no response came back after the retries.
        ResponseFormatError
            When every response's body was cut off, or a redirect could not be followed.
        """
        if not isinstance(url, str) or not url:
            raise InvalidArgumentError(f"url must be a non-empty string, not {url!r:.200}.")
        if url.startswith("/") and not url.startswith("//"):
            url = self.settings.base_url + url
        target = parse_target(url)
        if target is None:
            raise InvalidArgumentError(
                f"cannot download {hide_userinfo(url)[:200]!r}: it is not a valid absolute "
                "http(s) URL (or a path below the API base URL); check the URL's host and port."
            )
        what = f"GET {target.shown}"
        headers = self._headers(token=sends_token_to(target.url, self.settings.base_url))
        headers["Accept"] = "*/*"
        return self._send(
            what,
            "GET",
            target.url,
            params=None,
            data=None,
            headers=headers,
            retry_safe=True,
            interpret=lambda r: interpret_bytes(what, r),
        )

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None,
        data: bytes | None,
        headers: dict[str, str],
    ) -> requests.Response:
        """Send one request and read its body, following the redirects of a GET.

        A redirect to another origin drops the token, for this hop and every
        later one.  Raises what ``requests`` raises, or :class:`BadRedirectError`.
        """
        answered: list[int] = []  # statuses of responses, seen by a hook
        for _ in range(MAX_REDIRECTS + 1):
            target = parse_target(url)
            direct = target is not None and is_loopback(target.origin.host)
            answered.clear()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=self.settings.timeout,
                    allow_redirects=False,
                    # A fresh dict each time: requests adds the environment's proxies to it.
                    proxies=cast("dict[str, str]", dict(_DIRECT)) if direct else None,
                    hooks={"response": lambda r, **_: answered.append(r.status_code)},
                )
            except ValueError:
                if not answered:
                    raise
                # requests reads the next hop of a redirect even when not following it.
                raise BadRedirectError(bad_redirect(answered[0])) from None
            response.content  # noqa: B018 - read the body here: it may be cut off
            location = self._session.get_redirect_target(response) if method == "GET" else None
            if location is None:
                return response
            try:
                following = urljoin(response.url, location)
            except ValueError:
                following = ""
            if parse_target(following) is None:
                raise BadRedirectError(bad_redirect(response.status_code))
            if "Authorization" in headers and not same_origin(response.url, following):
                headers = {k: v for k, v in headers.items() if k != "Authorization"}
            url, params = following, None
        raise BadRedirectError(f"the server answered with more than {MAX_REDIRECTS} redirects")

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None,
        data: bytes | None,
        headers: dict[str, str],
        what: str,
    ) -> requests.Response | Dropped | ClarinbError:
        """One attempt: the response, what kept it from coming, or an error not worth retrying.

        Nothing here raises: failures come back as plain values, so that the
        error raised for them has no exception context holding the request.
        """
        try:
            return self._exchange(method, url, params=params, data=data, headers=headers)
        except (BadRedirectError, *LOWER_ERRORS) as exc:
            return classify(what, exc)

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
        """Send until a usable response, retrying what is worth retrying.

        Every error raised here is marked when the request was a write that
        may have been received (see :func:`clarinb.api._failures.may_have_applied`).
        """
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._pacer.wait()
            started = time.monotonic()
            got = self._attempt(method, url, params=params, data=data, headers=headers, what=what)
            if isinstance(got, ClarinbError):
                sent = not isinstance(got, InvalidArgumentError)  # a bad URL is never sent
                raise may_have_applied(got, reached=sent, retry_safe=retry_safe)
            if isinstance(got, Dropped):
                if (retry_safe or not got.sent) and not last:
                    delay = self.delay(attempt, None)
                    log.info(
                        "%s failed (%s); retry %d in %.2f s", what, got.reason, attempt + 1, delay
                    )
                    self._sleep(delay)
                    continue
                error = no_response(what, got, attempt + 1)
                raise may_have_applied(error, reached=got.sent, retry_safe=retry_safe)
            response = got
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
            raise may_have_applied(outcome.error, reached=True, retry_safe=retry_safe)
        raise AssertionError("unreachable")  # pragma: no cover
