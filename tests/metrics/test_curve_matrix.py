"""The curve views' matrix path: micro curve and operating points equal the frame functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb.metrics import TestSetMatrix, matrix_curves
from clarinb.metrics.curve_averages import POOLED_EXACT_MAX, micro_curve
from clarinb.metrics.curve_matrix import matrix_micro_curve, matrix_operating_points
from clarinb.metrics.curve_points import exact_operating_points


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_micro_curve_of_the_matrix_is_the_frames(random_test_set, seed: int) -> None:
    ts = random_test_set(seed, decimals=1)  # many ties
    m = TestSetMatrix.from_frame(ts)
    got = matrix_micro_curve(m)
    want = micro_curve(m.to_frame())
    pd.testing.assert_frame_equal(got, want, atol=1e-7, rtol=0)


def test_micro_curve_on_the_grid_above_the_exact_size(random_test_set) -> None:
    n_concepts = 8
    n_inputs = POOLED_EXACT_MAX // n_concepts + 50
    ts = random_test_set(3, n_inputs=n_inputs, n_concepts=n_concepts, decimals=3)
    m = TestSetMatrix.from_frame(ts)
    got = matrix_micro_curve(m)
    want = micro_curve(m.to_frame())  # also on 4,001 thresholds, binned by np.histogram
    pd.testing.assert_frame_equal(got, want, atol=1e-9, rtol=0)


@pytest.mark.parametrize("chunk_cells", [1, 7_000, 1 << 21])
@pytest.mark.parametrize("decimals", [2, 3, 7])
def test_micro_curve_counted_from_the_sorted_columns(
    random_test_set, chunk_cells, decimals
) -> None:
    # Above the exact size, matrix_curves counts the grid from its sorted columns: the same
    # curve as the row pass, also for scores on the grid's edges (2 decimals: many).
    n_concepts = 6
    ts = random_test_set(
        decimals, n_inputs=POOLED_EXACT_MAX // n_concepts + 90, n_concepts=n_concepts,
        decimals=decimals,
    )  # fmt: skip
    m = TestSetMatrix.from_frame(ts)
    got = matrix_curves(m, chunk_cells=chunk_cells, micro=True).micro
    pd.testing.assert_frame_equal(got, matrix_micro_curve(m), atol=0, rtol=0)


def test_micro_curve_only_when_asked_and_exact_when_small(random_test_set) -> None:
    m = TestSetMatrix.from_frame(random_test_set(8, decimals=2))
    assert matrix_curves(m).micro is None
    pd.testing.assert_frame_equal(matrix_curves(m, micro=True).micro, matrix_micro_curve(m))


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 1.0])
def test_operating_points_of_the_matrix_are_the_frames(random_test_set, threshold) -> None:
    ts = random_test_set(4, decimals=1)
    m = TestSetMatrix.from_frame(ts)
    want = exact_operating_points(m.to_frame(), threshold)
    pd.testing.assert_frame_equal(matrix_operating_points(m, threshold), want)
    some = ["c5", "c2", "nope"]  # unknown ids left out, matrix order kept
    got = matrix_operating_points(m, threshold, some)
    expected = want[want["concept_id"].isin(some)].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_decimated_curves_keep_their_ends_and_exact_areas() -> None:
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(5)
    truth = rng.random((3000, 3)) < 0.4
    scores = (rng.random((3000, 3)) + truth * 0.3).round(3)  # ties
    m = TestSetMatrix.from_arrays(scores, truth)
    found = matrix_curves(m, max_points=50)
    for c in range(3):
        roc = found.roc[found.roc["concept_id"] == c]
        assert len(roc) <= 50
        assert (roc["fpr"].iloc[[0, -1]].tolist(), roc["tpr"].iloc[-1]) == ([0.0, 1.0], 1.0)
        row = found.scores.iloc[c]
        y, s = truth[:, c], scores[:, c].astype(np.float32)
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        assert row["avg_precision"] == pytest.approx(average_precision_score(y, s), abs=1e-12)
