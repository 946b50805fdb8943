"""CurvesView on a TestSetMatrix: the same numbers as from the long frame, curves bounded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from clarinb.metrics import TestSetMatrix
from clarinb.views import CurvesView
from clarinb.views.curves import POINTS_PER_CURVE


def _tied(seed: int, n_inputs: int = 900, n_concepts: int = 6) -> TestSetMatrix:
    rng = np.random.default_rng(seed)
    truth = rng.random((n_inputs, n_concepts)) < 0.3
    scores = (rng.random((n_inputs, n_concepts)) * 0.8 + truth * 0.2).round(2)  # ties
    return TestSetMatrix.from_arrays(scores, truth, concepts=[f"c{j}" for j in range(n_concepts)])


@pytest.mark.parametrize("seed", [0, 1])
def test_matrix_and_frame_views_agree(seed: int) -> None:
    m = _tied(seed)
    from_matrix = CurvesView(test_set_matrix=m, selection="all", threshold=0.4)
    from_frame = CurvesView(test_set=m.to_frame(), selection="all", threshold=0.4)
    pd.testing.assert_frame_equal(from_matrix.scores_, from_frame.scores_)
    pd.testing.assert_frame_equal(from_matrix.frame_, from_frame.frame_)
    for c in range(m.n_concepts):
        y, s = m.labels[:, c], m.scores[:, c]
        row = from_matrix.scores_.iloc[c]
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        assert row["avg_precision"] == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_drawn_curves_are_bounded_and_keep_their_ends() -> None:
    m = _tied(2, n_inputs=5000, n_concepts=3)
    m = TestSetMatrix.from_arrays(  # distinct scores: thousands of corners per curve
        m.scores + np.random.default_rng(0).random(m.scores.shape) * 1e-3,
        m.labels,
        concepts=m.concepts,
    )
    view = CurvesView(test_set_matrix=m, selection="all", averages=False, threshold=None)
    drawn = view.frame_
    concept = drawn[drawn["line"] == "concept"]
    for _, curve in concept.groupby("concept_id"):
        assert len(curve) <= POINTS_PER_CURVE
        assert curve["fpr"].min() == 0.0
        assert (curve["fpr"].max(), curve["tpr"].max()) == (1.0, 1.0)
    # exact AUC in the legend although the curve is decimated
    auc = roc_auc_score(m.labels[:, 0], m.scores[:, 0])
    legend = next(t.name for t in view.roc_figure_.data if (t.name or "").startswith("c0 "))
    assert legend == f"c0 (AUC {auc:.3f})"


def test_one_trace_per_concept_and_one_colour_each() -> None:
    view = CurvesView(test_set_matrix=_tied(3), selection="all")
    names = [
        t.name for t in view.roc_figure_.data if (t.name or "").startswith("c") and "AUC" in t.name
    ]
    assert len(names) == len(set(names)) == 6
    colours = [
        t.line.color
        for t in view.roc_figure_.data
        if (t.name or "").startswith("c") and "AUC" in t.name
    ]
    assert len(set(colours)) == 6


def test_from_evaluation_reads_the_matrix_not_the_frame(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = CurvesView.from_evaluation(ev, intervals=False, bands=False)
    assert view.test_set is None
    assert view.test_set_matrix is ev.test_set_matrix()
    by_frame = CurvesView(
        roc=ev.roc_curves(),
        pr=ev.pr_curves(),
        binary_metrics=ev.binary_metrics(),
        test_set=ev.test_set(),
        concept_names=ev.concepts,
    )
    pd.testing.assert_frame_equal(view.scores_, by_frame.scores_)
    pd.testing.assert_frame_equal(view.frame_, by_frame.frame_, atol=1e-6)


def test_many_concepts_share_one_trace_of_bounded_size() -> None:
    rng = np.random.default_rng(7)
    truth = rng.random((400, 2500)) < 0.3
    scores = (rng.random(truth.shape) * 0.7 + truth * 0.3).round(3)
    view = CurvesView(test_set_matrix=TestSetMatrix.from_arrays(scores, truth), selection="all")
    (cloud,) = [t for t in view.roc_figure_.data if (t.name or "").startswith("2500 concepts")]
    assert cloud.name == "2500 concepts (at most 16 points each)"
    assert len(cloud.x) <= 2500 * (16 + 1)  # a gap after each curve
    for title in (view.figure_.layout.title.text, view.roc_figure_.layout.title.text):
        assert "2,500 concepts, at most 16 points each" in title  # the heading says it too


def test_from_evaluation_builds_no_long_frame(eval_demo, demo_classifiers) -> None:
    ev = eval_demo.evaluation(next(iter(demo_classifiers.values())).id)  # a fresh read model
    view = CurvesView.from_evaluation(ev, intervals=False, bands=False)
    assert view.test_set_matrix is not None
    assert "test_set" not in ev._frames  # the matrix was read from the body directly
