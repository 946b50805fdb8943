"""``clarinb.connect()``: the real API when a token is set, else the local emulator."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from clarinb.client import Client
from clarinb.config import ENV_PAT
from clarinb.emulator.server import Emulator, serve

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


def connect(*, snapshot: str | Path | None = None, **client_kwargs: Any) -> Client:
    """Return a client on the Clarifai API, or on a local emulator when there is no token.

    With ``CLARIFAI_PAT`` set and no ``snapshot``, this is ``clarinb.Client()``
    on the real service (user and app from ``CLARIFAI_USER_ID`` and
    ``CLARIFAI_APP_ID`` or the keyword arguments).  Otherwise one emulator
    per process is started (on the demo workspace, or on the snapshot file)
    and a client on it is returned; one line says so.

    Parameters
    ----------
    snapshot : str or Path, optional
        A workspace file written by ``clarinb snapshot`` to serve instead of
        the demo.
    **client_kwargs
        Passed to :class:`clarinb.Client` (``timeout``, ``max_retries``, ...).

    Returns
    -------
    Client

    Raises
    ------
    SnapshotError
        When the snapshot file is missing, unreadable or breaks the format; the
        message names the file and the JSON path at fault.
    """
    if snapshot is None and os.environ.get(ENV_PAT):
        return Client(**client_kwargs)
    emulator = _shared(snapshot)
    if snapshot is None:
        print(f"clarinb: {ENV_PAT} is not set; using the local demo emulator at {emulator.url}")
    else:
        print(f"clarinb: using the local emulator at {emulator.url} on snapshot {snapshot}")
    return emulator.client(**client_kwargs)
