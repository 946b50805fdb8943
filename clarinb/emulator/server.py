"""`serve()` and the running :class:`Emulator`: a threaded server in a daemon thread."""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import secrets
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clarinb.emulator._httpd import Handler, HTTPServer
from clarinb.emulator.dispatch import Seen
from clarinb.emulator.faults import FaultPlan, Faults, parse_faults
from clarinb.emulator.store import Store, read_workspace
from clarinb.errors import InvalidArgumentError

__all__ = ["Emulator", "exposure_warning", "serve"]

log = logging.getLogger("clarinb.emulator")

#: Default limit of a request body, in megabytes (2**20 bytes).
MAX_BODY_MB = 64.0
#: Default seconds a connection may stay silent before it is dropped.
TIMEOUT = 30.0
#: Default number of connections served at once; more get a 503.
MAX_CONNECTIONS = 256


@functools.lru_cache(maxsize=1)
def demo_workspace() -> dict[str, Any]:
    """Return the demo workspace, built once per process (stores copy it)."""
    from clarinb.emulator.demo import build_workspace  # noqa: PLC0415 - heavy, built on demand

    return build_workspace()


def load_data(data: str | Path | dict[str, Any]) -> dict[str, Any]:
    """Return a workspace dict from ``"demo"``, a JSON file path or a dict."""
    if isinstance(data, dict):
        return data
    if isinstance(data, str) and data == "demo":
        return demo_workspace()
    if isinstance(data, (str, Path)):
        return read_workspace(data)
    raise TypeError(
        f"data must be 'demo', a file path or a workspace dict, not {type(data).__name__}"
    )


def exposure_warning(address: str) -> str | None:
    """Return the warning due when the emulator listens on ``address`` (``None`` on loopback).

    Parameters
    ----------
    address : str
        The host it binds to or is bound to (``""`` and ``0.0.0.0`` are every interface).

    Returns
    -------
    str or None
        The text of the warning, or ``None`` for a loopback address.
    """
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None and ip.is_loopback:
        return None
    where = "every interface" if not host or (ip is not None and ip.is_unspecified) else host
    return (
        f"the emulator listens on {where}, beyond this machine's loopback: anyone on the "
        "network who has its token can read and change the workspace it serves; use "
        "host 127.0.0.1 unless that is what you want"
    )


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InvalidArgumentError(f"{name} must be a positive number, not {value!r}")
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be finite, not {value!r}")
    return float(value)


class Emulator:
    """A running emulator; stop it with :meth:`stop` or by leaving a ``with`` block.

    Attributes
    ----------
    url : str
        Base URL of the API (``http://127.0.0.1:PORT``).
    pat : str
        The token requests must carry (never shown in the repr).
    user_id, app_id : str
        The workspace's scope, the default of requests that name none.
    faults : Faults or None
        The faults it injects.
    max_body : int
        Largest request body it reads, in bytes; larger ones get HTTP 413.
    timeout : float
        Seconds a connection may stay silent before it is dropped.
    max_connections : int
        Connections served at once; more get HTTP 503.
    on_request : callable or None
        Called with a :class:`~clarinb.emulator.dispatch.Seen` (operation,
        path parameters, query, body) for each routed API request, as
        received; tests use it to see what clients send.
    """

    def __init__(
        self,
        store: Store,
        *,
        host: str,
        port: int,
        pat: str,
        faults: Faults | None,
        max_body_mb: float = MAX_BODY_MB,
        timeout: float = TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.max_body = int(_positive("max_body_mb", max_body_mb) * 2**20)
        self.timeout = _positive("timeout", timeout)
        self.max_connections = int(_positive("max_connections", max_connections))
        self._store = store
        self.pat = pat
        self.user_id = store.user_id
        self.app_id = store.app_id
        self.faults = faults
        self._plan = (
            FaultPlan(faults) if faults is not None and (faults.rate or faults.latency) else None
        )
        self.on_request: Callable[[Seen], None] | None = None
        self._server = HTTPServer((host, port), Handler)
        self._server.emulator = self
        bound_host, bound_port = self._server.server_address[:2]
        if (warning := exposure_warning(str(bound_host))) is not None:
            log.warning("%s", warning)
            warnings.warn(warning, UserWarning, stacklevel=3)
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "") else str(bound_host)
        self.url = f"http://{shown}:{bound_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="clarinb-emulator",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return (
            f"Emulator(url={self.url!r}, user_id={self.user_id!r}, app_id={self.app_id!r}, {state})"
        )

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def fault_counts(self) -> dict[str, int]:
        """How many requests got each kind of fault so far (empty without faults)."""
        return dict(self._plan.counts) if self._plan is not None else {}

    @property
    def store(self) -> Store:
        """The in-memory state (for tests and tools in the same process)."""
        return self._store

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    data: str | Path | dict[str, Any] = "demo",
    pat: str | None = None,
    faults: str | Faults | None = None,
    max_body_mb: float = MAX_BODY_MB,
    timeout: float = TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> Emulator:
    """Start an emulator of the Clarifai API in a background thread.

    Parameters
    ----------
    host : str
        Address to listen on; loopback by default.  Any other address warns:
        whoever can reach it and has the token can read and change the workspace.
    port : int
        Port; 0 picks a free one.
    data : "demo", path or dict
        The workspace to serve: the generated demo, a workspace JSON file
        (such as a snapshot) or a workspace dict.
    pat : str, optional
        The token clients must send; a random one by default.
    faults : str or Faults, optional
        Faults to inject, e.g. ``"rate=0.3,seed=7,kinds=429+503+drop"``.
    max_body_mb : float
        Largest request body, in megabytes (2**20 bytes); larger ones get HTTP
        413 before they are read.
    timeout : float
        Seconds a connection may stay silent (mid-request or idle between
        requests) before it is dropped.
    max_connections : int
        Connections served at once; more get HTTP 503 at once.

    Returns
    -------
    Emulator
        The running emulator; use it as a context manager to stop it.

    Raises
    ------
    ValueError
        For a bad workspace or fault spec, or a limit that is not a positive number
        (:class:`~clarinb.errors.InvalidArgumentError`).
    OSError
        When the address cannot be bound.
    """
    store = Store(load_data(data))
    token = pat or secrets.token_hex(16)
    return Emulator(
        store,
        host=host,
        port=port,
        pat=token,
        faults=parse_faults(faults),
        max_body_mb=max_body_mb,
        timeout=timeout,
        max_connections=max_connections,
    )
