"""Widget state is JSON: a NaN in a figure becomes a gap, never a kernel warning.

Jupyter serialises widget state with ``allow_nan=False`` first and prints
"Out of range float values are not JSON compliant" when that fails.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go

from clarinb.views import DetectionMetricsView
from clarinb.views._base import figure_widget, sync_figure


def _strict(widget: go.FigureWidget) -> str:
    state = widget.get_state()
    return json.dumps(
        [state["_widget_data"], state["_widget_layout"]], allow_nan=False, default=str
    )


def _figure(values: list[float]) -> go.Figure:
    return go.Figure(
        go.Bar(x=["a", "b", "c"], y=values, customdata=[[v, "x"] for v in values]),
        layout={"title": {"text": "t"}, "yaxis": {"range": [0, math.inf]}},
    )


def test_figure_widget_turns_nan_into_gaps() -> None:
    widget = figure_widget(_figure([0.5, math.nan, 0.25]))
    _strict(widget)
    assert list(widget.data[0].y) == [0.5, None, 0.25]
    sync_figure(widget, _figure([math.nan, 0.1, -math.inf]))
    _strict(widget)
    assert list(widget.data[0].y) == [None, 0.1, None]


def test_detection_metrics_widget_state_is_json(eval_demo) -> None:
    ev = eval_demo.evaluation("animals-detector-on-v2")
    view = DetectionMetricsView.from_evaluation(ev, iou=0.5)
    figures = []

    def walk(widget) -> None:
        if isinstance(widget, go.FigureWidget):
            figures.append(widget)
        for child in getattr(widget, "children", ()) or ():
            walk(child)

    walk(view.widget_)
    assert figures
    for widget in figures:
        _strict(widget)
