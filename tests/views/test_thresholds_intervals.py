"""ThresholdView with intervals: precision, recall and F1 with theirs, at every threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import ThresholdView
from tests.views.conftest import synthetic_test_set

RATES = ("precision", "recall", "f1")
ENDS = [f"{m}{end}" for m in RATES for end in ("_lo", "_hi")]


def _text(row: pd.Series, metric: str) -> str:
    return f"{row[metric]:.3f} [{row[metric + '_lo']:.3f}, {row[metric + '_hi']:.3f}]"


def _column(view: ThresholdView, heading: str) -> list[str]:
    table = view.figure_.data[0]
    return list(table.cells.values[list(table.header.values).index(heading)])


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["level"] == "concept"].set_index("concept_id")


def test_table_summary_and_frame_show_the_intervals(test_set: pd.DataFrame) -> None:
    iv = metrics.metric_intervals(test_set, 0.4, n_resamples=100, seed=2)
    view = ThresholdView.from_frames(
        test_set=test_set, threshold=0.4, intervals=iv, sort="concept", ascending=True
    )
    want = _rows(iv)
    got = view.table_.set_index("concept_id")
    np.testing.assert_array_equal(got[ENDS].to_numpy(float), want.loc[got.index, ENDS])
    assert list(got["note"]) == list(want.loc[got.index, "note"])
    assert _column(view, "F1") == [_text(want.loc[c], "f1") for c in got.index]
    assert _column(view, "recall") == [_text(want.loc[c], "recall") for c in got.index]
    macro = iv[iv["level"] == "macro"].iloc[0]
    assert f"macro P {_text(macro, 'precision')}" in view.summary_
    assert f"F1 {_text(macro, 'f1')}" in view.summary_
    html = str(view.widget_.children[4].value)
    assert _text(want.loc["c000"], "f1") in html
    assert 'title="95% interval' in html  # the hover of each cell


def test_intervals_follow_the_threshold_and_the_overrides(test_set: pd.DataFrame) -> None:
    iv = metrics.metric_intervals(test_set, 0.5, n_resamples=80, seed=4)
    view = ThresholdView(test_set=test_set, threshold=0.5, intervals=iv)
    view.set(threshold=0.3, overrides={"c002": 0.7})
    chosen = view.thresholds_
    want = _rows(metrics.metric_intervals(test_set, chosen, n_resamples=80, seed=4))
    got = view.table_.set_index("concept_id")
    np.testing.assert_array_equal(got[ENDS].to_numpy(float), want.loc[got.index, ENDS])
    moved = metrics.metric_intervals(test_set, chosen, n_resamples=80, seed=4)
    assert f"F1 {_text(moved.iloc[-1], 'f1')}" in view.summary_


def test_undefined_intervals_are_na_and_few_positives_noted() -> None:
    ts = synthetic_test_set(n_concepts=3, n_inputs=150, seed=6)
    ts["ground_truth"] = ts["ground_truth"] & (ts["concept_id"] != "c001")
    iv = metrics.metric_intervals(ts, 0.5, n_resamples=60, seed=1)
    view = ThresholdView(test_set=ts, intervals=iv, sort="concept", ascending=True)
    recall = dict(zip(view.table_["concept_id"], _column(view, "recall"), strict=True))
    assert recall["c001"] == "0.000 [n/a]"
    notes = dict(zip(view.table_["concept_id"], _column(view, "note"), strict=True))
    assert "no positives" in notes["c001"]


def test_without_intervals_the_table_is_unchanged(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set)
    assert "note" not in list(view.figure_.data[0].header.values)
    assert not set(ENDS) & set(view.table_.columns)


def test_from_evaluation_draws_intervals(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = ThresholdView.from_evaluation(ev, threshold=0.4)
    pd.testing.assert_frame_equal(view.intervals, ev.metric_intervals(0.4, n_resamples=500))
    assert "[" in _column(view, "F1")[0]
    assert ThresholdView.from_evaluation(ev, intervals=False).intervals is None


def test_intervals_of_other_concepts_are_refused(test_set: pd.DataFrame) -> None:
    other = metrics.metric_intervals(synthetic_test_set(n_concepts=3), n_resamples=10)
    with pytest.raises(InvalidArgumentError, match="intervals"):
        ThresholdView(test_set=test_set, intervals=other)
    with pytest.raises(InvalidArgumentError, match="intervals"):
        ThresholdView(test_set=test_set, intervals=pd.DataFrame({"level": ["concept"]}))
