"""The public :class:`Client`: the API client plus DataFrame helpers."""

from __future__ import annotations

from clarinb._client_frames import FramesMixin
from clarinb.api.client import BaseClient

__all__ = ["Client"]


class Client(FramesMixin, BaseClient):
    """A connection to the Clarifai API v2 (or the local emulator).

    See :class:`clarinb.api.client.BaseClient` for the parameters.  Besides
    :meth:`call` and :meth:`paginate`, ``Client`` offers helpers that return
    pandas DataFrames: :meth:`evaluations`, :meth:`dataset_versions`,
    :meth:`dataset_version_metrics`, :meth:`inputs`, :meth:`models`,
    :meth:`model_types`, :meth:`label_orders`, :meth:`input_add_jobs`, and
    :meth:`evaluation`, which returns a lazy :class:`clarinb.Evaluation`.
    """
