"""Client settings: explicit arguments first, the environment second, no globals.

The environment variables are the ones Clarifai's own tools read:
``CLARIFAI_PAT``, ``CLARIFAI_USER_ID``, ``CLARIFAI_APP_ID`` and
``CLARIFAI_API_BASE``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from clarinb.errors import ConfigError

__all__ = ["DEFAULT_BASE_URL", "Settings", "hide_userinfo", "is_loopback"]

DEFAULT_BASE_URL = "https://api.clarifai.com"
#: The service's published limit for every plan, in requests per second.
DEFAULT_RATE_LIMIT = 15.0

ENV_PAT = "CLARIFAI_PAT"
ENV_USER_ID = "CLARIFAI_USER_ID"
ENV_APP_ID = "CLARIFAI_APP_ID"
ENV_API_BASE = "CLARIFAI_API_BASE"


def is_loopback(host: str | None) -> bool:
    """Tell whether a host name or address is on this machine's loopback."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: The only hosts a base URL may name: a plain name or IP literal and a port, nothing a
#: parser could read two ways (user info, backslashes, non-ASCII look-alikes).
_PLAIN_NETLOC = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?")
#: User info in a URL, hidden in messages: it may be a password.
_USERINFO = re.compile(r"//[^/?#]*@")


def hide_userinfo(url: str) -> str:
    """Return ``url`` with any ``user:password@`` part replaced by ``***@``, for messages."""
    return _USERINFO.sub("//***@", url)


def _check_base_url(url: str) -> str:
    if not isinstance(url, str):
        raise ConfigError(f"base_url must be a string, not {type(url).__name__}.")
    url = url.strip()
    if "://" not in url and url and not url.startswith("/"):
        url = "https://" + url  # a bare host name, as some tools write CLARIFAI_API_BASE
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port out of range or not a number
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not _PLAIN_NETLOC.fullmatch(parts.netloc):
        raise ConfigError(
            f"base_url {hide_userinfo(url)!r} is not an http(s) URL with a plain "
            "host[:port] (no user info, no unusual characters); pass "
            f"base_url='https://api.clarifai.com' or set {ENV_API_BASE}."
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"base_url {url!r} uses plain http, which would send the token unencrypted; "
            "use https (plain http is allowed only for loopback hosts such as the emulator)."
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"base_url {url!r} must not carry a query or fragment.")
    return url.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything a :class:`clarinb.Client` needs to reach the API.

    Parameters
    ----------
    pat : str
        Personal access token; never shown in ``repr``.
    user_id, app_id : str
        The default user and app scope of requests.
    base_url : str
        API root, ``https://api.clarifai.com`` by default.
    timeout : float
        Seconds to wait for a response.
    max_retries : int
        Retries of a failed request that is safe to repeat.
    max_workers : int
        Pages fetched at once by :meth:`clarinb.Client.paginate`.
    progress : bool
        Show a progress bar while paging.
    rate_limit : float or None
        Requests per second the client keeps to; ``None`` turns pacing off.
    retry_backoff : float
        First back-off delay in seconds (doubled per retry, with jitter).
    """

    pat: str = field(repr=False)
    user_id: str
    app_id: str
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 60.0
    max_retries: int = 5
    max_workers: int = 8
    progress: bool = False
    rate_limit: float | None = DEFAULT_RATE_LIMIT
    retry_backoff: float = 0.5

    @property
    def is_loopback(self) -> bool:
        """Whether the base URL points at this machine (the emulator)."""
        return is_loopback(urlsplit(self.base_url).hostname)

    @classmethod
    def resolve(
        cls,
        pat: str | None = None,
        user_id: str | None = None,
        app_id: str | None = None,
        base_url: str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        rate_limit: float | str | None = "auto",
        **options: object,
    ) -> Settings:
        """Build settings from explicit values, then the environment.

        Parameters
        ----------
        pat, user_id, app_id, base_url : str, optional
            Explicit values; each missing one is read from its environment variable.
        env : mapping, optional
            The environment to read (``os.environ`` by default).
        rate_limit : float, None or "auto"
            ``"auto"`` keeps to 15 requests per second, except on loopback hosts.
        **options
            ``timeout``, ``max_retries``, ``max_workers``, ``progress``, ``retry_backoff``.

        Returns
        -------
        Settings

        Raises
        ------
        ConfigError
            When the token, user id or app id is missing, naming the variable to set.
        """
        env = os.environ if env is None else env
        pat = pat or env.get(ENV_PAT)
        user_id = user_id or env.get(ENV_USER_ID)
        app_id = app_id or env.get(ENV_APP_ID)
        base = _check_base_url(base_url or env.get(ENV_API_BASE) or DEFAULT_BASE_URL)
        missing = [
            f"{what} (pass {arg}= or set {var})"
            for what, arg, var, value in (
                ("a personal access token", "pat", ENV_PAT, pat),
                ("a user id", "user_id", ENV_USER_ID, user_id),
                ("an app id", "app_id", ENV_APP_ID, app_id),
            )
            if not value
        ]
        if missing:
            raise ConfigError("clarinb.Client needs " + "; ".join(missing) + ".")
        assert pat is not None  # for the type checker; checked above
        assert user_id is not None
        assert app_id is not None
        if rate_limit == "auto":
            rate_limit = None if is_loopback(urlsplit(base).hostname) else DEFAULT_RATE_LIMIT
        if rate_limit is not None and (isinstance(rate_limit, str) or float(rate_limit) <= 0):
            raise ConfigError(f"rate_limit must be a positive number or None, not {rate_limit!r}.")
        settings = cls(
            pat=pat,
            user_id=user_id,
            app_id=app_id,
            base_url=base,
            rate_limit=None if rate_limit is None else float(rate_limit),
            **options,  # type: ignore[arg-type]
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Check the numeric options, raising :class:`ConfigError` naming the bad one."""
        if isinstance(self.timeout, bool) or not (
            isinstance(self.timeout, (int, float)) and self.timeout > 0
        ):
            raise ConfigError(
                f"timeout must be a positive number of seconds, not {self.timeout!r}."
            )
        if isinstance(self.max_retries, bool) or not (
            isinstance(self.max_retries, int) and self.max_retries >= 0
        ):
            raise ConfigError(f"max_retries must be an int >= 0, not {self.max_retries!r}.")
        if isinstance(self.max_workers, bool) or not (
            isinstance(self.max_workers, int) and self.max_workers >= 1
        ):
            raise ConfigError(f"max_workers must be an int >= 1, not {self.max_workers!r}.")
        if not (isinstance(self.retry_backoff, (int, float)) and self.retry_backoff >= 0):
            raise ConfigError(f"retry_backoff must be >= 0 seconds, not {self.retry_backoff!r}.")
