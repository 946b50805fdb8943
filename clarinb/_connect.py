"""``clarinb.connect()``: the real API when a token is set, else the local emulator.

The product decides when to start an emulator: the emulator only serves the
API, and a client on it is an ordinary :class:`clarinb.Client` built here from
the emulator's address, token and scope.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from clarinb.client import Client
from clarinb.config import ENV_PAT
from clarinb.emulator.server import Emulator, serve
from clarinb.errors import InvalidArgumentError

__all__ = ["connect"]

_lock = threading.Lock()
_running: dict[str, Emulator] = {}


def _shared(snapshot: str | Path | None) -> Emulator:
    key = "demo" if snapshot is None else str(Path(snapshot).resolve())
    with _lock:
        emulator = _running.get(key)
        if emulator is None:
            emulator = serve(data="demo" if snapshot is None else Path(snapshot))
            _running[key] = emulator
        return emulator


def _on(emulator: Emulator, client_kwargs: dict[str, Any]) -> Client:
    settings = {
        "pat": emulator.pat,
        "user_id": emulator.user_id,
        "app_id": emulator.app_id,
        "base_url": emulator.url,
    }
    return Client(**{**settings, **client_kwargs})


def connect(
    *,
    snapshot: str | Path | None = None,
    emulator: Emulator | None = None,
    **client_kwargs: Any,
) -> Client:
    """Return a client on the Clarifai API, or on a local emulator when there is no token.

    With ``CLARIFAI_PAT`` set and neither ``snapshot`` nor ``emulator``, this
    is ``clarinb.Client()`` on the real service (user and app from
    ``CLARIFAI_USER_ID`` and ``CLARIFAI_APP_ID`` or the keyword arguments).
    Otherwise one emulator per process is started (on the demo workspace, or
    on the snapshot file) and a client on it is returned; one line says so.

    Parameters
    ----------
    snapshot : str or Path, optional
        A workspace file written by ``clarinb snapshot`` to serve instead of
        the demo.
    emulator : Emulator, optional
        A running emulator (from :func:`clarinb.emulator.serve`) to connect
        to, with its token and scope; nothing is started or printed.
    **client_kwargs
        Passed to :class:`clarinb.Client` (``timeout``, ``max_retries``, ...);
        with ``emulator``, they may also override its ``pat``, ``user_id``,
        ``app_id`` or ``base_url``.

    Returns
    -------
    Client

    Raises
    ------
    InvalidArgumentError
        When both ``snapshot`` and ``emulator`` are given, or ``emulator`` is
        not an :class:`~clarinb.emulator.Emulator`.
    SnapshotError
        When the snapshot file is missing, unreadable or breaks the format; the
        message names the file and the JSON path at fault.
    """
    if emulator is not None:
        if snapshot is not None:
            raise InvalidArgumentError(
                "give connect() a snapshot or a running emulator, not both; an emulator "
                "already serves its own workspace."
            )
        if not isinstance(emulator, Emulator):
            raise InvalidArgumentError(
                f"emulator must be an Emulator from clarinb.emulator.serve(), not "
                f"{type(emulator).__name__}."
            )
        return _on(emulator, client_kwargs)
    if snapshot is None and os.environ.get(ENV_PAT):
        return Client(**client_kwargs)
    running = _shared(snapshot)
    if snapshot is None:
        print(f"clarinb: {ENV_PAT} is not set; using the local demo emulator at {running.url}")
    else:
        print(f"clarinb: using the local emulator at {running.url} on snapshot {snapshot}")
    return _on(running, client_kwargs)
