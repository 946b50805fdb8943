"""CompareView's mean bars zoom to their values, as the explorer's Summary does, and say so."""

from __future__ import annotations

import pandas as pd

from clarinb.views._compare_figures import summary_figure


def test_mean_bars_start_near_the_values_and_the_axis_says_where() -> None:
    means = pd.DataFrame({"a": [0.87, 0.80], "b": [0.99, 0.91]}, index=["roc_auc", "f1"])
    fig = summary_figure(means, {"a": "#111111", "b": "#222222"})
    low, high = fig.layout.yaxis.range
    assert 0.7 <= low < 0.8
    assert high == 1.05
    assert f"axis starts at {low:.2f}, not 0" in fig.layout.yaxis.title.text
    assert list(fig.data[0].x) == ["ROC AUC", "F1"]


def test_values_near_zero_keep_the_axis_from_zero() -> None:
    means = pd.DataFrame({"a": [0.02], "b": [0.5]}, index=["f1"])
    axis = summary_figure(means, {}).layout.yaxis
    assert axis.range[0] == 0.0
    assert "axis starts" not in axis.title.text
