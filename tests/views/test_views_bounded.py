"""Views at large sizes say what they leave out: compare intervals, multi-label concepts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.metrics import TestSetMatrix, compare_bounded, cooccurrence
from clarinb.views import CompareView, MultiLabelConfusionView
from clarinb.views.multilabel import SHOWN_MAX


def _matrix(seed: int, n_inputs: int, n_concepts: int, rate: float) -> TestSetMatrix:
    rng = np.random.default_rng(seed)
    truth = rng.random((n_inputs, n_concepts)) < rate
    scores = (rng.random(truth.shape) * 0.7 + truth * 0.3).round(3)
    return TestSetMatrix.from_arrays(
        scores, truth, concepts=[f"c{j:02d}" for j in range(n_concepts)]
    )


def test_compare_says_which_concepts_got_intervals(monkeypatch) -> None:
    a, b = _matrix(0, 200, 10, 0.3), _matrix(1, 200, 10, 0.3)
    per = {
        label: pd.DataFrame({"concept_id": [str(c) for c in m.concepts], "roc_auc": 0.5})
        for label, m in (("a", a), ("b", b))
    }
    monkeypatch.setattr(compare_bounded, "BOOTSTRAP_BUDGET", 200 * 4 * 200)
    view = CompareView(per_concept=per, test_sets={"a": a, "b": b}, n_resamples=500)
    assert "4 of 10 concepts that changed most (200 resamples)" in view.verdict_
    assert view.frame_["interval_note"].str.contains("4 of 10 concepts").all()
    assert view.comparison_.concepts.dropna(subset=["delta_lo"])["concept_id"].nunique() == 4


def test_cooccurrence_counts_sparse_and_dense_labels() -> None:
    for rate in (0.02, 0.5):
        m = _matrix(2, 300, 9, rate)
        ints = m.labels.astype(np.int64)
        assert cooccurrence(m).to_numpy().tolist() == (ints.T @ ints).tolist()


def test_multilabel_view_draws_the_concepts_with_most_positives() -> None:
    m = _matrix(3, 150, SHOWN_MAX + 15, 0.3)
    view = MultiLabelConfusionView(test_set=m.to_frame())
    drawn = view.figure_.data[0].y
    assert len(drawn) == SHOWN_MAX
    positives = pd.Series(m.labels.sum(axis=0), index=[str(c) for c in m.concepts])
    top = positives.sort_values(ascending=False, kind="stable").index[:SHOWN_MAX]
    assert list(drawn) == [c for c in positives.index if c in set(top)]
    assert f"the {SHOWN_MAX} of {SHOWN_MAX + 15} concepts with most positives" in (
        view.figure_.layout.title.text
    )
    assert set(view.frame_["concept"]) <= set(top)
