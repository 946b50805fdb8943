"""Interactive views of evaluations and dataset versions (ipywidgets + plotly).

Every view has ``from_*`` constructors, a static ``figure_``, an interactive
``widget_``, ``to_html(path)`` and light/dark themes; see :class:`View`.
"""

from __future__ import annotations

import importlib
from typing import Any

from clarinb.views._base import View

# public name -> module that defines it (loaded on first use)
_LAZY = {
    "ConfusionMatrixView": "clarinb.views.confusion",
    "CurvesView": "clarinb.views.curves",
    "ThresholdView": "clarinb.views.thresholds",
    "EvaluationExplorer": "clarinb.views.explorer",
    "CompareView": "clarinb.views.compare",
    "MetricsGroupsView": "clarinb.views.metrics_groups",
    "DatasetVersionExplorer": "clarinb.views.dataset_explorer",
    "VersionDiffView": "clarinb.views.version_diff",
    "DetectionMetricsView": "clarinb.views.detection",
    "DetectionBrowser": "clarinb.views.detection_browser",
}

__all__ = [
    "CompareView",
    "ConfusionMatrixView",
    "CurvesView",
    "DatasetVersionExplorer",
    "DetectionBrowser",
    "DetectionMetricsView",
    "EvaluationExplorer",
    "MetricsGroupsView",
    "ThresholdView",
    "VersionDiffView",
    "View",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'clarinb.views' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
