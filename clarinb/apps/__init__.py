"""Apps over the views: explorers that take a client, list, pick and compose views.

The views (:mod:`clarinb.views`) draw data and never hold a client; the
explorers here do the fetching through the read models
(:class:`clarinb.Evaluation`, :class:`clarinb.DatasetVersion`) and put views
side by side in tabs.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "EvaluationExplorer": "clarinb.apps.evaluation_explorer",
    "DatasetVersionExplorer": "clarinb.apps.dataset_explorer",
}

__all__ = ["DatasetVersionExplorer", "EvaluationExplorer"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'clarinb.apps' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
