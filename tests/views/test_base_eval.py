"""Checks every evaluation view shares: themes, standalone HTML, display, bad themes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import (
    CompareView,
    ConfusionMatrixView,
    CurvesView,
    MistakesView,
    ThresholdView,
)
from clarinb.views._base import figure_widget, sync_figure
from tests.views.conftest import synthetic_test_set


def _build(name: str, theme: str):
    ts = synthetic_test_set(seed=7)
    if name == "confusion":
        return ConfusionMatrixView.from_frames(test_set=ts, theme=theme)
    if name == "curves":
        return CurvesView.from_frames(test_set=ts, theme=theme)
    if name == "thresholds":
        return ThresholdView.from_frames(test_set=ts, theme=theme)
    if name == "mistakes":
        return MistakesView.from_frames(test_set=ts, theme=theme)
    other = synthetic_test_set(seed=8)
    return CompareView.from_frames(
        per_concept={"a": metrics.scores(ts), "b": metrics.scores(other)},
        matrices={"a": metrics.confusion_matrix(ts), "b": metrics.confusion_matrix(other)},
        theme=theme,
    )


VIEWS = ["confusion", "curves", "thresholds", "mistakes", "compare"]


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_themes_html_and_display(name: str, tmp_path) -> None:
    light, dark = _build(name, "light"), _build(name, "dark")
    assert isinstance(light.figure_, go.Figure)
    assert light.figure_.layout.template.layout.paper_bgcolor != (
        dark.figure_.layout.template.layout.paper_bgcolor
    )
    text = dark.to_html(tmp_path / f"{name}.html").read_text()
    assert '<body class="dark">' in text
    assert "<script src=" not in text
    assert "Plotly.newPlot" in text or "<table" in text
    bundle = light._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_unknown_theme_is_a_clear_error() -> None:
    with pytest.raises(InvalidArgumentError, match="theme"):
        ConfusionMatrixView(matrix=pd.DataFrame([[1]], index=["a"], columns=["a"]), theme="blue")


def test_sync_figure_keeps_traces_and_callbacks_when_types_match() -> None:
    live = figure_widget(go.Figure(go.Heatmap(z=[[1, 2]])))
    clicks: list[object] = []
    trace = live.data[0]
    trace.on_click(lambda *a: clicks.append(a))
    sync_figure(live, go.Figure(go.Heatmap(z=[[5, 6]]), layout={"title": {"text": "new"}}))
    assert live.data[0] is trace
    assert list(live.data[0].z[0]) == [5, 6]
    assert live.layout.title.text == "new"
    sync_figure(live, go.Figure([go.Scatter(y=[1]), go.Scatter(y=[2])]))
    assert [t.type for t in live.data] == ["scatter", "scatter"]
