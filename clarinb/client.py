"""The public :class:`Client`: the API client plus DataFrame helpers."""

from __future__ import annotations

from clarinb.api.client import BaseClient

__all__ = ["Client"]


class Client(BaseClient):
    """A connection to the Clarifai API v2 (or the local emulator).

    See :class:`clarinb.api.client.BaseClient` for the parameters.  Besides
    :meth:`call` and :meth:`paginate`, ``Client`` offers helpers that return
    pandas DataFrames.
    """
