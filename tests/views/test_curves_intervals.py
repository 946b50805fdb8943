"""CurvesView with intervals: AUC and AP with their intervals in legends, hovers and scores_."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import CurvesView
from tests.views.conftest import synthetic_test_set


def _text(value: float, lo: float, hi: float) -> str:
    return f"{value:.3f} [{lo:.3f}, {hi:.3f}]"


def _concept_trace(fig, name: str):
    (trace,) = [t for t in fig.data if (t.name or "").startswith(f"{name} (")]
    return trace


def test_legends_and_hovers_show_each_concepts_interval(test_set: pd.DataFrame) -> None:
    iv = metrics.metric_intervals(test_set, n_resamples=100, seed=1)
    view = CurvesView.from_frames(test_set=test_set, intervals=iv, selection="all")
    rows = iv[iv["level"] == "concept"].set_index("concept_id")
    for concept, row in rows.iterrows():
        auc = _text(row["roc_auc"], row["roc_auc_lo"], row["roc_auc_hi"])
        ap = _text(row["avg_precision"], row["avg_precision_lo"], row["avg_precision_hi"])
        roc, pr = (
            _concept_trace(view.roc_figure_, concept),
            _concept_trace(view.pr_figure_, concept),
        )
        assert roc.name == f"{concept} (AUC {auc})"
        assert pr.name == f"{concept} (AP {ap})"
        assert f"AUC {auc}" in roc.hovertemplate
        assert f"AP {ap}" in pr.hovertemplate
    macro = iv[iv["level"] == "macro"].iloc[0]
    (average,) = [t for t in view.roc_figure_.data if t.name.startswith("macro average")]
    assert f"[{macro['roc_auc_lo']:.3f}, {macro['roc_auc_hi']:.3f}]" in average.name
    scores = view.scores_.set_index("concept_id")
    for column in ("roc_auc_lo", "roc_auc_hi", "avg_precision_lo", "avg_precision_hi"):
        np.testing.assert_array_equal(scores[column], rows.loc[scores.index, column])
    assert {"note", "too_few_positives"} <= set(scores.columns)


def test_na_and_few_positives_are_said() -> None:
    ts = synthetic_test_set(n_concepts=4, n_inputs=200, seed=5)
    ts["ground_truth"] = ts["ground_truth"] & (ts["concept_id"] != "c001")  # no positives
    few = ts.index[(ts["concept_id"] == "c002") & ts["ground_truth"]][4:]
    ts.loc[few, "ground_truth"] = False  # 4 positives left
    iv = metrics.metric_intervals(ts, n_resamples=80, seed=0)
    view = CurvesView.from_frames(test_set=ts, intervals=iv, selection="all")
    none, rare = _concept_trace(view.roc_figure_, "c001"), _concept_trace(view.roc_figure_, "c002")
    assert none.name == "c001 (AUC n/a)"
    assert "no positives" in none.hovertemplate
    assert "only 4 positives" in rare.hovertemplate
    assert "[" in rare.name


def test_many_concepts_carry_intervals_in_their_hover_text() -> None:
    ts = synthetic_test_set(n_concepts=50, n_inputs=150, seed=2)
    iv = metrics.metric_intervals(ts, n_resamples=40, seed=0)
    view = CurvesView.from_frames(test_set=ts, intervals=iv, selection="all")
    (joined,) = [t for t in view.roc_figure_.data if t.name.startswith("50 concepts")]
    row = iv.set_index("concept_id").loc["c007"]
    want = f"AUC {_text(row['roc_auc'], row['roc_auc_lo'], row['roc_auc_hi'])}"
    texts = [h for h, t in zip(joined.hovertext, joined.text, strict=True) if t == "c007"]
    assert texts
    assert all(want in h for h in texts)
    assert "%{hovertext}" in joined.hovertemplate


def test_without_intervals_nothing_changes(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection="all")
    assert "[" not in _concept_trace(view.roc_figure_, "c000").name
    assert "roc_auc_lo" not in view.scores_


def test_from_evaluation_draws_intervals_from_the_read_model(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = CurvesView.from_evaluation(ev, selection="all", threshold=0.4)
    want = ev.metric_intervals(0.4, n_resamples=500)
    pd.testing.assert_frame_equal(view.intervals, want)
    curves = [t for t in view.roc_figure_.data if "(AUC" in (t.name or "")]
    assert "[" in curves[0].name
    assert CurvesView.from_evaluation(ev, intervals=False).intervals is None
    given = want.iloc[:0]
    with pytest.raises(InvalidArgumentError, match="intervals"):
        CurvesView.from_evaluation(ev, intervals="yes")
    assert CurvesView.from_evaluation(ev, intervals=given).intervals is given


def test_bad_intervals_are_refused(test_set: pd.DataFrame) -> None:
    with pytest.raises(InvalidArgumentError, match="intervals"):
        CurvesView(test_set=test_set, intervals=pd.DataFrame({"x": [1]}))
    with pytest.raises(InvalidArgumentError, match="intervals"):
        CurvesView(test_set=test_set, intervals=[1, 2])  # type: ignore[arg-type]


def test_auto_draws_intervals_only_for_a_test_set_of_modest_size(
    demo_classifiers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clarinb.views import _intervals

    ev = next(iter(demo_classifiers.values()))
    assert CurvesView.from_evaluation(ev, intervals="auto").intervals is not None
    monkeypatch.setattr(_intervals, "AUTO_CELLS", len(ev.test_set()) - 1)
    assert CurvesView.from_evaluation(ev).intervals is None
    assert CurvesView.from_evaluation(ev, intervals=True).intervals is not None
