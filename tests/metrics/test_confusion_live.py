"""Threshold updates on a TestSetMatrix: confusion matrix and per-concept counts at a threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.metrics import precision_recall_fscore_support

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import LiveConfusion, TestSetMatrix, ThresholdCounts
from clarinb.metrics.order import most_errors


def _matrix(seed: int, n: int, k: int, *, decimals: int, positives: float) -> TestSetMatrix:
    rng = np.random.default_rng(seed)
    scores = rng.random((n, k)).round(decimals)  # ties within and across inputs
    labels = rng.random((n, k)) < positives
    return TestSetMatrix.from_arrays(scores, labels)


def _sklearn_confusion(m: TestSetMatrix, threshold: float | None) -> np.ndarray:
    """scikit-learn's matrix over (actual, predicted) pairs, one per positive label."""
    k = m.n_concepts
    rows, actual = np.nonzero(m.labels)
    top = np.argmax(m.scores, axis=1)[rows]
    best = m.scores.max(axis=1).astype(np.float64)[rows]  # compared exactly, not in float32
    predicted = top if threshold is None else np.where(best >= threshold, top, k)
    if not len(actual):  # scikit-learn refuses empty inputs
        return np.zeros((k, k if threshold is None else k + 1), dtype=np.int64)
    full = sk_confusion_matrix(actual, predicted, labels=np.arange(k + 1))
    return full[:k, :k] if threshold is None else full[:k, :]


def _thresholds() -> Any:
    return st.one_of(
        st.none(),
        st.floats(-0.5, 1.5, allow_nan=False),
        st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]),  # exactly on tied scores
    )


@settings(max_examples=80)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(0, 40),
    k=st.integers(1, 6),
    decimals=st.integers(1, 3),
    positives=st.sampled_from([0.0, 0.2, 0.6]),
    path=st.lists(_thresholds(), min_size=1, max_size=8),
)
def test_confusion_at_any_threshold_equals_sklearn(  # noqa: PLR0917 - hypothesis arguments
    seed: int, n: int, k: int, decimals: int, positives: float, path: list[float | None]
) -> None:
    m = _matrix(seed, n, k, decimals=decimals, positives=positives)
    live = LiveConfusion(m)
    for threshold in path:  # each update moves from the previous threshold
        got = live.counts(threshold)
        np.testing.assert_array_equal(got, _sklearn_confusion(m, threshold))


def test_confusion_frame_equals_the_frame_metric(random_test_set: Any) -> None:
    ts = random_test_set(5, n_inputs=50, n_concepts=6, decimals=2)
    m = TestSetMatrix.from_frame(ts)
    live = LiveConfusion(m)
    for threshold in (None, 0.3, 0.8, None, 0.0, 2.0):
        pd.testing.assert_frame_equal(
            live.frame(threshold), metrics.confusion_matrix(ts, threshold)
        )


def test_counts_returned_are_copies_the_update_does_not_change() -> None:
    m = _matrix(1, 30, 4, decimals=1, positives=0.4)
    live = LiveConfusion(m)
    first = live.counts(0.5)
    kept = first.copy()
    live.counts(0.9)
    np.testing.assert_array_equal(first, kept)


def test_float32_scores_compared_exactly_with_a_float64_threshold() -> None:
    m = TestSetMatrix.from_arrays(np.array([[0.3, 0.1]]), np.array([[True, False]]))
    just_above = float(np.nextafter(np.float64(np.float32(0.3)), 1.0))
    live = LiveConfusion(m)
    assert live.counts(float(np.float32(0.3)))[0].tolist() == [1, 0, 0]
    assert live.counts(just_above)[0].tolist() == [0, 0, 1]


@pytest.mark.parametrize("bad", [float("nan"), "0.5", True, [0.5]])
def test_bad_thresholds_are_refused(bad: Any) -> None:
    m = _matrix(2, 5, 3, decimals=1, positives=0.5)
    with pytest.raises(InvalidArgumentError, match="threshold"):
        LiveConfusion(m).counts(bad)
    with pytest.raises(InvalidArgumentError, match="threshold"):
        ThresholdCounts(m).frame(bad)


def test_only_a_test_set_matrix_is_taken() -> None:
    with pytest.raises(InvalidArgumentError, match="TestSetMatrix"):
        LiveConfusion(pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="TestSetMatrix"):
        ThresholdCounts(np.zeros((2, 2)))  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_passes_must_be_a_count(bad: Any) -> None:
    m = _matrix(2, 5, 3, decimals=1, positives=0.5)
    with pytest.raises(InvalidArgumentError, match="passes"):
        ThresholdCounts(m, passes=bad)


def test_passes_count_the_first_thresholds_then_the_scores_are_sorted() -> None:
    m = _matrix(3, 30, 4, decimals=2, positives=0.3)
    counts = ThresholdCounts(m, passes=2)
    assert not counts.is_sorted
    sorted_now = ThresholdCounts(m)
    assert sorted_now.is_sorted
    for step, threshold in enumerate([0.3, {m.concepts[1]: 0.9}, 0.5, 0.7]):
        pd.testing.assert_frame_equal(counts.frame(threshold), sorted_now.frame(threshold))
        assert counts.is_sorted == (step >= 2)


@settings(max_examples=80)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(0, 40),
    k=st.integers(2, 6),  # one column would read as a binary target, not an indicator matrix
    decimals=st.integers(1, 3),
    positives=st.sampled_from([0.0, 0.3, 0.9]),
    path=st.lists(
        st.floats(-0.5, 1.5, allow_nan=False) | st.sampled_from([0.0, 0.5, 1.0]),
        min_size=1,
        max_size=6,
    ),
)
def test_per_concept_counts_equal_sklearn(  # noqa: PLR0917 - hypothesis arguments
    seed: int, n: int, k: int, decimals: int, positives: float, path: list[float]
) -> None:
    m = _matrix(seed, n, k, decimals=decimals, positives=positives)
    counts = ThresholdCounts(m, passes=seed % 3)  # the first thresholds counted by passes
    for threshold in path:
        got = counts.frame(threshold)
        predicted = m.scores.astype(np.float64) >= threshold  # exactly, not in float32
        p, r, f, s = (
            precision_recall_fscore_support(
                m.labels, predicted, average=None, zero_division=0, labels=np.arange(k)
            )
            if n
            else (np.zeros(k), np.zeros(k), np.zeros(k), np.zeros(k, int))
        )
        tp = (predicted & m.labels).sum(axis=0)
        fp = (predicted & ~m.labels).sum(axis=0)
        np.testing.assert_array_equal(got["tp"], tp)
        np.testing.assert_array_equal(got["fp"], fp)
        np.testing.assert_array_equal(got["fn"], s - tp)
        np.testing.assert_array_equal(got["tn"], n - tp - fp - (s - tp))
        np.testing.assert_allclose(got["precision"], p, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got["recall"], r, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got["f1"], f, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(got["support"], s)


@pytest.mark.parametrize("chunk_cells", [1 << 22, 60])  # one block; a block per concept
def test_per_concept_frame_equals_at_threshold(
    random_test_set: Any, monkeypatch: pytest.MonkeyPatch, chunk_cells: int
) -> None:
    from clarinb.metrics import threshold_live

    monkeypatch.setattr(threshold_live, "_CHUNK_CELLS", chunk_cells)  # blocks sorted in threads
    ts = random_test_set(6, n_inputs=45, n_concepts=5, decimals=2, drop=0.2)
    m = TestSetMatrix.from_frame(ts)
    counts = ThresholdCounts(m)
    exact = m.to_frame()  # float32 scores, absent pairs as explicit 0 rows
    for threshold in (0.5, 0.0, 0.25, {"c2": 0.1, "c3": 0.9}, 1.0):
        pd.testing.assert_frame_equal(
            counts.frame(threshold), metrics.at_threshold(exact, threshold)
        )


def test_per_concept_thresholds_for_an_unknown_concept_are_refused() -> None:
    m = _matrix(3, 10, 3, decimals=1, positives=0.5)
    with pytest.raises(InvalidArgumentError):
        ThresholdCounts(m).frame({"nope": 0.5})


def test_counts_without_a_copy_are_a_read_only_view_kept_current() -> None:
    m = _matrix(4, 30, 4, decimals=1, positives=0.4)
    live = LiveConfusion(m)
    view = live.counts(0.5, copy=False)
    assert not view.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        view[0, 0] = 7
    np.testing.assert_array_equal(view, _sklearn_confusion(m, 0.5))
    live.counts(0.9, copy=False)
    np.testing.assert_array_equal(view, _sklearn_confusion(m, 0.9))  # the same cells, moved


def test_cell_inputs_equal_the_frame_metric(random_test_set: Any) -> None:
    ts = random_test_set(7, n_inputs=60, n_concepts=5, decimals=1)  # many tied top scores
    exact = TestSetMatrix.from_frame(ts).to_frame()  # float32 scores, as the matrix holds them
    live = LiveConfusion(TestSetMatrix.from_frame(ts))
    for threshold in (None, 0.5, 0.0, 0.9, None):
        counts = live.frame(threshold)
        for actual in counts.index:
            for predicted in counts.columns:
                got = live.cell_inputs(str(actual), str(predicted), threshold)
                want = metrics.cell_inputs(exact, str(actual), str(predicted), threshold)
                pd.testing.assert_frame_equal(got, want)
                assert len(got) == counts.loc[actual, predicted]
    with pytest.raises(InvalidArgumentError, match="zebra"):
        live.cell_inputs("zebra", "c1")


def test_one_pass_table_equals_threshold_counts(random_test_set: Any) -> None:
    ts = random_test_set(8, n_inputs=40, n_concepts=6, decimals=2, drop=0.2)
    m = TestSetMatrix.from_frame(ts)
    counts = ThresholdCounts(m)
    for threshold in (0.5, 0.0, 0.25, {"c2": 0.1, "c3": 0.9}, 1.0):
        pd.testing.assert_frame_equal(
            metrics.matrix_at_threshold(m, threshold), counts.frame(threshold)
        )
    with pytest.raises(InvalidArgumentError, match="TestSetMatrix"):
        metrics.matrix_at_threshold(ts, 0.5)


def test_most_errors_keeps_the_concepts_most_often_wrong() -> None:
    counts = np.array([[9, 0, 0, 1], [4, 9, 0, 0], [0, 0, 9, 0]])  # last column: none
    assert most_errors(counts, 2).tolist() == [0, 1]  # 0: 4 + 1, 1: 4
    assert most_errors(counts, 5).tolist() == [0, 1, 2]
    with pytest.raises(InvalidArgumentError):
        most_errors(counts, 0)
