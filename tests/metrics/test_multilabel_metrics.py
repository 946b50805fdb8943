"""Multi-label metrics: co-occurrence and the inputs of a binary confusion cell; confused pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.metrics import multilabel_confusion_matrix

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from tests.metrics.conftest import random_test_set


@pytest.mark.parametrize(("seed", "threshold"), [(0, 0.5), (1, 0.3), (2, 0.0), (3, 0.95)])
def test_binary_cells_partition_the_inputs_as_scikit_learn(seed: int, threshold: float) -> None:
    ts = random_test_set(seed)
    m = metrics.TestSetMatrix.from_frame(ts)
    expected = multilabel_confusion_matrix(m.labels, m.scores >= np.float32(threshold))
    cells = {"TN": (0, 0), "FP": (0, 1), "FN": (1, 0), "TP": (1, 1)}
    for j, concept in enumerate(str(c) for c in m.concepts):
        seen: set[str] = set()
        for outcome, (r, c) in cells.items():
            inputs = metrics.binary_cell_inputs(ts, concept, outcome, threshold)
            assert len(inputs) == expected[j, r, c], (concept, outcome)
            seen |= set(inputs["input_id"])
        assert len(seen) == m.n_inputs


def test_binary_cell_inputs_match_at_threshold_with_absent_pairs() -> None:
    ts = random_test_set(4, drop=0.2)
    for threshold in (0.0, 0.4):
        counts = metrics.at_threshold(ts, threshold).set_index("concept_id")
        for concept in counts.index:
            for outcome in ("TP", "FN", "FP", "TN"):
                got = metrics.binary_cell_inputs(ts, str(concept), outcome, threshold)
                assert len(got) == counts.loc[concept, outcome.lower()]
    fp = metrics.binary_cell_inputs(ts, "c3", "FP", 0.4)
    assert fp["score"].is_monotonic_decreasing
    fn = metrics.binary_cell_inputs(ts, "c3", "FN", 0.4)
    assert fn["score"].is_monotonic_increasing
    with pytest.raises(InvalidArgumentError, match="outcome"):
        metrics.binary_cell_inputs(ts, "c3", "fp")
    with pytest.raises(InvalidArgumentError, match="concept"):
        metrics.binary_cell_inputs(ts, "zebra", "FP")


def test_binary_cell_inputs_read_the_matrix_as_its_frame() -> None:
    """From the matrix: the same inputs, order and scores as from ``m.to_frame()``."""
    ts = random_test_set(6, drop=0.2)
    m = metrics.TestSetMatrix.from_frame(ts)
    frame = m.to_frame()
    for threshold in (0.0, 0.4, 1.0):
        for concept in (str(c) for c in m.concepts):
            for outcome in ("TP", "FN", "FP", "TN"):
                pd.testing.assert_frame_equal(
                    metrics.binary_cell_inputs(m, concept, outcome, threshold),
                    metrics.binary_cell_inputs(frame, concept, outcome, threshold),
                )
    with pytest.raises(InvalidArgumentError, match="concept"):
        metrics.binary_cell_inputs(m, "zebra", "FP")


def test_cooccurrence_is_labels_t_labels() -> None:
    ts = random_test_set(5, drop=0.1)
    labels = metrics.TestSetMatrix.from_frame(ts).labels.astype(np.int64)
    both = metrics.cooccurrence(ts)
    assert both.to_numpy().tolist() == (labels.T @ labels).tolist()
    assert (np.diag(both) == labels.sum(axis=0)).all()


def test_confused_pairs_rank_scikit_learns_off_diagonal() -> None:
    rng = np.random.default_rng(6)
    actual = rng.integers(0, 6, 400)
    predicted = np.where(rng.random(400) < 0.7, actual, rng.integers(0, 6, 400))
    labels = list(range(6))
    counts = sk_confusion_matrix(actual, predicted, labels=labels)
    names = [f"k{i}" for i in labels]
    pairs = metrics.confused_pairs(pd.DataFrame(counts, index=names, columns=names))
    off = [(counts[i, j], names[i], names[j]) for i in labels for j in labels
           if i != j and counts[i, j] > 0]  # fmt: skip
    assert sorted(pairs["count"].tolist(), reverse=True) == pairs["count"].tolist()
    assert sorted(zip(pairs["count"], pairs["actual"], pairs["predicted"], strict=True)) == sorted(
        (float(c), a, p) for c, a, p in off
    )
    rows = counts.sum(axis=1)
    for rec in pairs.itertuples():
        assert rec.rate == pytest.approx(rec.count / rows[names.index(rec.actual)])


def test_confused_pairs_leave_misses_out_but_count_them_in_the_rate() -> None:
    m = pd.DataFrame([[6, 2, 2], [0, 5, 5]], index=["a", "b"], columns=["a", "b", "(none)"])
    pairs = metrics.confused_pairs(m)
    assert pairs.to_dict("records") == [
        {"actual": "a", "predicted": "b", "count": 2.0, "rate": 0.2}
    ]
