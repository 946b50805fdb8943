"""clarinb.metrics.top_k_accuracy: scikit-learn's top_k_accuracy_score for single-label test sets,
the documented rule for multi-label ones, ties and absent pairs."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from clarinb import metrics
from clarinb.errors import InvalidArgumentError


def _frame(scores: np.ndarray, truth: np.ndarray, *, plain: bool = False) -> pd.DataFrame:
    n, k = scores.shape
    inputs = [f"in-{i:03d}" for i in range(n)]
    concepts = [f"c{j:02d}" for j in range(k)]
    frame = pd.DataFrame(
        {
            "input_id": np.repeat(inputs, k),
            "concept_id": np.tile(concepts, n),
            "score": scores.ravel(),
            "ground_truth": truth.ravel(),
        }
    )
    if not plain:
        frame["input_id"] = pd.Categorical(frame["input_id"], categories=inputs)
        frame["concept_id"] = pd.Categorical(frame["concept_id"], categories=concepts)
    return frame


def _sklearn(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # k >= classes warns "meaningless"
        return float(
            skm.top_k_accuracy_score(labels, scores, k=k, labels=np.arange(scores.shape[1]))
        )


@settings(deadline=None, max_examples=60)
@given(
    n=st.integers(1, 40),
    n_concepts=st.integers(3, 12),
    k=st.integers(1, 14),
    seed=st.integers(0, 2**32 - 1),
    plain=st.booleans(),
)
def test_single_label_equals_scikit_learn(
    n: int, n_concepts: int, k: int, seed: int, plain: bool
) -> None:
    rng = np.random.default_rng(seed)
    # Distinct scores: scikit-learn breaks ties by label order, clarinb against the input.
    scores = rng.permutation(n * n_concepts).reshape(n, n_concepts) / (n * n_concepts)
    labels = rng.integers(0, n_concepts, n)
    truth = np.zeros((n, n_concepts), dtype=bool)
    truth[np.arange(n), labels] = True
    got = metrics.top_k_accuracy(_frame(scores, truth, plain=plain), k)
    assert got == pytest.approx(_sklearn(scores, labels, k), abs=1e-12)


def _plain_loop(scores: np.ndarray, truth: np.ndarray, k: int) -> float:
    """The definition, one input at a time: rank = negatives scored at least as high."""
    hits, ranked = 0, 0
    for row, true in zip(scores, truth, strict=True):
        if not true.any():
            continue
        ranked += 1
        ranks = [(row[~true] >= row[j]).sum() for j in np.flatnonzero(true)]
        hits += min(ranks) < k
    return hits / ranked if ranked else float("nan")


@pytest.mark.parametrize(("seed", "k"), list(itertools.product(range(4), (1, 2, 5))))
def test_multi_label_and_ties_follow_the_definition(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.random((50, 6)).round(1)  # many ties
    truth = rng.random((50, 6)) < 0.3
    got = metrics.top_k_accuracy(_frame(scores, truth), k)
    expected = _plain_loop(scores, truth, k)
    assert got == pytest.approx(expected, abs=1e-12)


def test_top1_of_a_multi_label_input_is_right_when_the_best_score_is_a_true_concept() -> None:
    scores = np.array([[0.9, 0.8, 0.1], [0.2, 0.9, 0.95]])
    truth = np.array([[False, True, True], [True, True, False]])
    ts = _frame(scores, truth)
    assert metrics.top_k_accuracy(ts, 1) == 0.0  # both inputs' best concept is false
    assert metrics.top_k_accuracy(ts, 2) == 1.0


def test_a_negative_tied_at_the_kth_place_counts_against_the_input() -> None:
    scores = np.array([[0.5, 0.5, 0.1]])
    for truth_col in (0, 1):  # the same whichever concept comes first
        truth = np.zeros((1, 3), dtype=bool)
        truth[0, truth_col] = True
        ts = _frame(scores, truth)
        assert metrics.top_k_accuracy(ts, 1) == 0.0
        assert metrics.top_k_accuracy(ts, 2) == 1.0
    both = _frame(scores, np.array([[True, True, False]]))
    assert metrics.top_k_accuracy(both, 1) == 1.0  # tied positives: either is right


def test_absent_pairs_are_negatives_scored_zero() -> None:
    scores = np.array([[0.0, 0.3, 0.2, 0.1], [0.0, 0.3, 0.2, 0.1]])
    truth = np.array([[True, False, False, False], [False, False, False, True]])
    full = _frame(scores, truth)
    dropped = full[(full["score"] > 0) | full["ground_truth"]].reset_index(drop=True)
    dropped = dropped[~((dropped["input_id"] == "in-001") & (dropped["concept_id"] == "c00"))]
    for k in (1, 3, 4):
        assert metrics.top_k_accuracy(dropped, k) == metrics.top_k_accuracy(full, k)
    assert metrics.top_k_accuracy(full, 3) == 0.5  # the 0-scored truth ranks last
    assert metrics.top_k_accuracy(full, 4) == 1.0


def test_inputs_without_a_positive_are_left_out_and_none_gives_nan() -> None:
    scores = np.array([[0.9, 0.1], [0.8, 0.2]])
    truth = np.array([[True, False], [False, False]])
    assert metrics.top_k_accuracy(_frame(scores, truth), 1) == 1.0
    assert np.isnan(metrics.top_k_accuracy(_frame(scores, np.zeros_like(truth)), 1))


def test_k_at_least_the_number_of_concepts_gives_one() -> None:
    rng = np.random.default_rng(7)
    scores = rng.random((20, 4))
    truth = np.eye(4, dtype=bool)[rng.integers(0, 4, 20)]
    assert metrics.top_k_accuracy(_frame(scores, truth), 4) == 1.0
    assert metrics.top_k_accuracy(_frame(scores, truth), 9) == 1.0


@pytest.mark.parametrize("k", [0, -1, 1.0, "1", True, None])
def test_bad_k_is_refused(k: object) -> None:
    ts = _frame(np.array([[0.9, 0.1]]), np.array([[True, False]]))
    with pytest.raises(InvalidArgumentError, match="k must be a positive integer"):
        metrics.top_k_accuracy(ts, k)  # type: ignore[arg-type]


def test_duplicate_rows_are_refused() -> None:
    ts = _frame(np.array([[0.9, 0.1]]), np.array([[True, False]]))
    with pytest.raises(InvalidArgumentError, match="duplicate"):
        metrics.top_k_accuracy(pd.concat([ts, ts.iloc[:1]], ignore_index=True), 1)
