"""clarinb: Jupyter widgets for exploring Clarifai dataset versions and model evaluations.

Importing the package is cheap: the client, :func:`connect`, and the heavier
parts (frames, metrics, views, the emulator) load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from clarinb._deferred import defer_slow_imports
from clarinb._version import __version__
from clarinb.errors import (
    ApiError,
    AuthError,
    ClarinbError,
    ConfigError,
    InvalidArgumentError,
    NotFoundError,
    ResponseFormatError,
    ServerError,
    SnapshotError,
    ThrottledError,
    TransportError,
)

# jsonschema, under plotly and nbformat, would build a grammar on import: wait until it is used
defer_slow_imports()

if TYPE_CHECKING:  # what the lazy names below are, for type checkers
    from clarinb._connect import connect
    from clarinb.apps.dataset_explorer import DatasetVersionExplorer
    from clarinb.apps.evaluation_explorer import EvaluationExplorer
    from clarinb.client import Client
    from clarinb.dataset_version import DatasetVersion
    from clarinb.evaluation import Evaluation

# name -> "module" (a submodule) or "module:attribute" (an object in it)
_LAZY = {
    "Client": "clarinb.client:Client",
    "apps": "clarinb.apps",
    "DatasetVersionExplorer": "clarinb.apps.dataset_explorer:DatasetVersionExplorer",
    "EvaluationExplorer": "clarinb.apps.evaluation_explorer:EvaluationExplorer",
    "connect": "clarinb._connect:connect",
    "DatasetVersion": "clarinb.dataset_version:DatasetVersion",
    "Evaluation": "clarinb.evaluation:Evaluation",
    "emulator": "clarinb.emulator",
    "frames": "clarinb.frames",
    "metrics": "clarinb.metrics",
    "views": "clarinb.views",
}

__all__ = [
    "ApiError",
    "AuthError",
    "ClarinbError",
    "Client",
    "ConfigError",
    "DatasetVersion",
    "DatasetVersionExplorer",
    "Evaluation",
    "EvaluationExplorer",
    "InvalidArgumentError",
    "NotFoundError",
    "ResponseFormatError",
    "ServerError",
    "SnapshotError",
    "ThrottledError",
    "TransportError",
    "__version__",
    "apps",
    "connect",
    "emulator",
    "frames",
    "metrics",
    "views",
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'clarinb' has no attribute {name!r}")
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attribute) if attribute else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
