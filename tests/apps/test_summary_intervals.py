"""The explorer's Summary with intervals: error bars per concept, macro values with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb import metrics
from clarinb.apps import EvaluationExplorer
from clarinb.apps._summary import per_concept_metrics, summary_figure, summary_html
from tests.views.conftest import synthetic_test_set


def _test_set() -> pd.DataFrame:
    ts = synthetic_test_set(n_concepts=5, n_inputs=200, seed=4)
    ts["ground_truth"] = ts["ground_truth"] & (ts["concept_id"] != "c001")  # no positives
    rare = ts.index[(ts["concept_id"] == "c003") & ts["ground_truth"]][3:]
    ts.loc[rare, "ground_truth"] = False  # 3 positives
    return ts


def test_per_concept_table_carries_the_intervals() -> None:
    ts = _test_set()
    iv = metrics.metric_intervals(ts, 0.4, n_resamples=100, seed=7)
    table = per_concept_metrics(None, ts, 0.4, iv).set_index("concept_id")
    rows = iv[iv["level"] == "concept"].set_index("concept_id")
    for column in ("roc_auc", "roc_auc_lo", "avg_precision_hi", "f1", "f1_lo", "f1_hi"):
        np.testing.assert_allclose(table[column], rows.loc[table.index, column], err_msg=column)
    assert table.loc["c003", "too_few_positives"]
    assert "only 3 positives" in table.loc["c003", "note"]
    plain = per_concept_metrics(None, ts, 0.4)
    assert "roc_auc_lo" not in plain


def test_bars_have_error_bars_and_hovers_with_intervals() -> None:
    ts = _test_set()
    iv = metrics.metric_intervals(ts, 0.5, n_resamples=100, seed=1)
    table = per_concept_metrics(None, ts, 0.5, iv)
    fig = summary_figure(table, {}, color="#123456")
    (bar,) = fig.data
    ranked = table.sort_values("roc_auc", kind="stable", na_position="first")
    value = ranked["roc_auc"].to_numpy(float)
    np.testing.assert_allclose(bar.error_y.array, ranked["roc_auc_hi"] - value)
    np.testing.assert_allclose(bar.error_y.arrayminus, value - ranked["roc_auc_lo"])
    hovers = dict(zip(bar.x, bar.hovertext, strict=True))
    row = ranked.set_index("concept_id").loc["c000"]
    assert f"[{row['roc_auc_lo']:.3f}, {row['roc_auc_hi']:.3f}]" in hovers["c000"]
    assert "n/a" in hovers["c001"]
    assert "only 3 positives" in hovers["c003"]
    assert "95% intervals" in fig.layout.title.text


def test_summary_table_gives_macro_values_with_intervals() -> None:
    ts = _test_set()
    iv = metrics.metric_intervals(ts, 0.5, n_resamples=100, seed=1)
    table = per_concept_metrics(None, ts, 0.5, iv)
    html = str(summary_html({"model": "m"}, table, 0.5, iv))
    macro = iv[iv["level"] == "macro"].iloc[0]
    for metric in ("roc_auc", "avg_precision", "f1"):
        lo, hi = macro[metric + "_lo"], macro[metric + "_hi"]
        assert f"[{lo:.3f}, {hi:.3f}]" in html
    assert "2 concepts" in html  # c001 (none) and c003 (3 positives)
    assert "too few positives" in html
    plain = str(summary_html({"model": "m"}, table, 0.5))
    assert "[" not in plain


def test_the_explorers_summary_shows_intervals_and_follows_the_threshold(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    (bar,) = view.figure_.data
    assert bar.error_y.array is not None
    ev = view.evaluation_
    view.set(threshold=0.7)
    macro = ev.metric_intervals(0.7, n_resamples=500).iloc[-1]
    assert "macro F1 at 0.70" in view._summary.value
    assert f"[{macro['f1_lo']:.3f}, {macro['f1_hi']:.3f}]" in view._summary.value
    assert "f1_lo" in view.frame_


def test_a_large_test_sets_summary_says_why_it_has_no_intervals(demo_client, monkeypatch) -> None:
    from clarinb.views import _intervals

    monkeypatch.setattr(_intervals, "AUTO_CELLS", 10)
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    assert view.figure_.data[0].error_y.array is None
    assert "not drawn" in view._summary.value
    assert "metric_intervals" in view._summary.value


def test_the_summary_figure_is_drawn_by_plotlys_renderer_not_a_figure_widget(demo_client) -> None:
    import ipywidgets as widgets
    import plotly.graph_objects as go

    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    (summary,) = [w for w in view.tab_contents_["Summary"] if isinstance(w, widgets.Output)]
    assert not any(isinstance(w, go.FigureWidget) for w in view.tab_contents_["Summary"])
    (output,) = summary.outputs
    drawn = output["data"]["application/vnd.plotly.v1+json"]
    assert list(drawn["data"][0]["x"]) == list(view.figure_.data[0].x)
    assert drawn["data"][0]["type"] == "bar"
    # the page gets the figure, never plotly's widget bundle nor a script from a CDN
    assert "_esm" not in summary.get_state()
    assert set(output["data"]) == {"application/vnd.plotly.v1+json", "text/plain"}
    assert "clarinb-saved-figure" in summary._dom_classes
    before = summary.outputs[0]
    view.set(threshold=0.9)  # redrawn with the threshold (the bars are F1 without ROC AUC)
    (output,) = summary.outputs
    assert output is not before
    assert output["data"]["application/vnd.plotly.v1+json"]["data"][0]["type"] == "bar"


def test_bars_zoom_to_the_values_and_say_so() -> None:
    table = pd.DataFrame({"concept_id": ["a", "b", "c"], "roc_auc": [0.87, 0.93, 0.99]})
    fig = summary_figure(table, {}, color="#123456")
    low, high = fig.layout.yaxis.range
    assert 0.8 <= low < 0.87  # 0.87 and 0.99 look different
    assert high == 1.0
    assert f"axis starts at {low:.2f}, not 0" in fig.layout.yaxis.title.text
    # values reaching 0 keep the axis from 0, and say nothing
    low_table = table.assign(roc_auc=[0.02, 0.5, 0.99])
    axis = summary_figure(low_table, {}, color="#123456").layout.yaxis
    assert axis.range[0] == 0.0
    assert "axis starts" not in axis.title.text


def test_too_few_positives_are_named_by_concept_name() -> None:
    ts = _test_set()
    iv = metrics.metric_intervals(ts, 0.5, n_resamples=50, seed=1)
    table = per_concept_metrics(None, ts, 0.5, iv)
    text = str(summary_html({}, table, 0.5, iv, names={"c003": "rare one"}))
    assert "rare one" in text
