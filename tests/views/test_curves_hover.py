"""Curve hovers say the threshold and the TP / FP / FN counts at each point."""

from __future__ import annotations

import pandas as pd

from clarinb import metrics
from clarinb.views import CurvesView
from tests.views.conftest import synthetic_test_set


def _counts(text: str) -> tuple[int, int, int]:
    tp, fp, fn = (int(part.split()[1]) for part in text.split(" · "))
    return tp, fp, fn


def test_operating_points_hover_the_counts_at_the_threshold() -> None:
    ts = synthetic_test_set()
    view = CurvesView.from_frames(test_set=ts, threshold=0.5, selection="all")
    marker = next(t for t in view.figure_.data if str(t.name).startswith("threshold"))
    assert "threshold: %{customdata[0]" in marker.hovertemplate
    assert "%{customdata[4]}" in marker.hovertemplate
    expected = metrics.at_threshold(ts, 0.5).set_index("concept_id")
    shown = [_counts(row[4]) for row in marker.customdata]
    assert len(shown) == len(expected)
    for concept, (tp, fp, fn) in zip(marker.text, shown, strict=True):
        row = expected.loc[concept]
        assert (tp, fp, fn) == (row["tp"], row["fp"], row["fn"])


def test_every_curve_point_knows_its_counts() -> None:
    ts = synthetic_test_set(n_concepts=3)
    view = CurvesView.from_frames(test_set=ts, selection="all")
    positives = metrics.scores(ts).set_index("concept_id")["num_pos"]
    for trace in view.figure_.data:
        if trace.customdata is None or not str(trace.name).startswith("c00"):
            continue
        concept = str(trace.name).split()[0]
        for row in trace.customdata:
            tp, _, fn = _counts(row[4])
            assert tp + fn == positives[concept]


def test_counts_are_left_out_when_unknown() -> None:
    ts = synthetic_test_set(n_concepts=3)
    roc, pr = metrics.curves(ts)
    scores = metrics.scores(ts).drop(columns=["num_pos", "num_neg"])
    view = CurvesView.from_frames(roc=roc, pr=pr, binary_metrics=scores)
    traces = [t for t in view.figure_.data if t.customdata is not None]
    assert traces
    assert all(str(row[4]) == "" for t in traces for row in t.customdata)
    assert isinstance(view.frame_, pd.DataFrame)
