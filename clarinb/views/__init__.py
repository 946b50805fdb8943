"""Interactive views of evaluations and dataset versions (ipywidgets + plotly).

Every view is built from data (``from_frames``) or from a read model
(``from_evaluation``, ``from_evaluations``, ``from_dataset_version(s)``), changes
state through ``set(...)``, and has a static ``figure_``, an interactive
``widget_``, the data behind its figure as ``frame_``, ``to_html(path)`` and
light/dark themes; see :class:`View`. The explorers, which take a client and
compose views, are apps: :mod:`clarinb.apps`.
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
    "CompareView": "clarinb.views.compare",
    "MetricsGroupsView": "clarinb.views.metrics_groups",
    "VersionDiffView": "clarinb.views.version_diff",
    "DetectionMetricsView": "clarinb.views.detection",
    "DetectionBrowser": "clarinb.views.detection_browser",
    "MistakesView": "clarinb.views.mistakes",
    "SlicesView": "clarinb.views.slices",
    "MultiLabelConfusionView": "clarinb.views.multilabel",
}

__all__ = [
    "CompareView",
    "ConfusionMatrixView",
    "CurvesView",
    "DetectionBrowser",
    "DetectionMetricsView",
    "MetricsGroupsView",
    "MistakesView",
    "MultiLabelConfusionView",
    "SlicesView",
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
