"""Curves of every concept from a TestSetMatrix: exact AUC/AP as scikit-learn, decimated points."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix, decimate, matrix_curves

CASES = [
    {"seed": 0},
    {"seed": 1, "decimals": 2, "n_inputs": 300, "n_concepts": 12},
    {"seed": 2, "drop": 0.3},
    {"seed": 3, "n_inputs": 5, "n_concepts": 3, "decimals": 0},
    {"seed": 4, "n_inputs": 1, "n_concepts": 4},
    {"seed": 5, "decimals": 6, "n_inputs": 2_000, "n_concepts": 5},
]


@pytest.fixture(params=CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def matrix(request: pytest.FixtureRequest, random_test_set: Any) -> TestSetMatrix:
    return TestSetMatrix.from_frame(random_test_set(**request.param))


def _sk_scores(m: TestSetMatrix) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's AUC and AP per column, NaN where it is undefined (as metrics.scores)."""
    auc, ap = [], []
    s64 = m.scores.astype(np.float64)
    for j in range(m.n_concepts):
        y, s = m.labels[:, j], s64[:, j]
        both = 0 < y.sum() < len(y)
        auc.append(skm.roc_auc_score(y, s) if both else np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ap.append(skm.average_precision_score(y, s) if y.any() else np.nan)
    return np.array(auc), np.array(ap)


def test_scores_equal_sklearn(matrix: TestSetMatrix) -> None:
    got = matrix_curves(matrix).scores
    auc, ap = _sk_scores(matrix)
    np.testing.assert_allclose(got["roc_auc"], auc, atol=1e-9, rtol=0)
    np.testing.assert_allclose(got["avg_precision"], ap, atol=1e-9, rtol=0)
    assert list(got["concept_id"]) == list(matrix.concepts)
    np.testing.assert_array_equal(got["num_pos"], matrix.labels.sum(axis=0))


def test_scores_equal_the_frame_metric(matrix: TestSetMatrix) -> None:
    expected = metrics.scores(matrix.to_frame())
    pd.testing.assert_frame_equal(matrix_curves(matrix).scores, expected, check_exact=False)


def test_exact_curves_equal_the_frame_curves(matrix: TestSetMatrix) -> None:
    roc, pr = metrics.curves(matrix.to_frame())
    got = matrix_curves(matrix, max_points=None)
    pd.testing.assert_frame_equal(got.roc, roc)
    pd.testing.assert_frame_equal(got.pr, pr)


def test_curves_match_sklearn_point_for_point() -> None:
    rng = np.random.default_rng(7)
    scores = rng.random((400, 3)).round(2)
    labels = rng.random((400, 3)) < 0.3
    got = matrix_curves(TestSetMatrix.from_arrays(scores, labels), max_points=None)
    s32 = scores.astype(np.float32).astype(np.float64)
    for j in range(3):
        fpr, tpr, thr = skm.roc_curve(labels[:, j], s32[:, j], drop_intermediate=False)
        roc = got.roc[got.roc["concept_id"] == j]
        np.testing.assert_allclose(roc["fpr"], fpr, atol=1e-12)
        np.testing.assert_allclose(roc["tpr"], tpr, atol=1e-12)
        np.testing.assert_allclose(roc["threshold"].iloc[1:], thr[1:])
        precision, recall, _ = skm.precision_recall_curve(labels[:, j], s32[:, j])
        pr = got.pr[got.pr["concept_id"] == j]
        np.testing.assert_allclose(pr["precision"], precision, atol=1e-12)
        np.testing.assert_allclose(pr["recall"], recall, atol=1e-12)


def _distance_to_polyline(px: np.ndarray, py: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Largest distance of the points (px, py) to the polyline through (x, y)."""
    if len(x) == 1:
        return float(np.hypot(px - x[0], py - y[0]).max())
    ax, ay, bx, by = x[:-1], y[:-1], x[1:], y[1:]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = ((px[:, None] - ax) * dx + (py[:, None] - ay) * dy) / np.where(length2 > 0, length2, 1)
    t = np.clip(t, 0, 1)
    d = np.hypot(px[:, None] - (ax + t * dx), py[:, None] - (ay + t * dy))
    return float(d.min(axis=1).max())


@pytest.mark.parametrize("max_points", [8, 32, 512])
def test_decimated_curves_keep_shape(matrix: TestSetMatrix, max_points: int) -> None:
    exact = matrix_curves(matrix, max_points=None)
    small = matrix_curves(matrix, max_points=max_points)
    pd.testing.assert_frame_equal(small.scores, exact.scores)
    for curve, x, y in ((small.roc, "fpr", "tpr"), (small.pr, "recall", "precision")):
        full = exact.roc if curve is small.roc else exact.pr
        for concept, part in curve.groupby("concept_id", observed=True):
            whole = full[full["concept_id"] == concept]
            assert len(part) <= max_points
            # A subset of the exact points (thresholds unique per curve), in order, with both ends.
            at = np.searchsorted(-whole["threshold"].to_numpy(), -part["threshold"].to_numpy())
            if curve is small.pr:
                at = np.searchsorted(whole["threshold"].to_numpy(), part["threshold"].to_numpy())
            np.testing.assert_array_equal(whole["threshold"].to_numpy()[at], part["threshold"])
            np.testing.assert_array_equal(whole[[x, y]].to_numpy()[at], part[[x, y]].to_numpy())
            assert (np.diff(at) > 0).all()
            assert at[0] == 0
            assert at[-1] == len(whole) - 1
            wx, wy = np.nan_to_num(whole[x].to_numpy()), np.nan_to_num(whole[y].to_numpy())
            px, py = np.nan_to_num(part[x].to_numpy()), np.nan_to_num(part[y].to_numpy())
            arc = np.hypot(np.diff(wx), np.diff(wy)).sum()
            # Short curves lose only collinear points: the same polyline.
            bound = 1e-12 if len(whole) <= max_points else 3 * arc / max_points + 1e-12
            assert _distance_to_polyline(wx, wy, px, py) <= bound
        if curve is small.roc:  # monotone, as the exact ROC curve
            assert (curve.groupby("concept_id", observed=True)["fpr"].diff().dropna() >= 0).all()
            assert (curve.groupby("concept_id", observed=True)["tpr"].diff().dropna() >= 0).all()
        else:
            assert (curve.groupby("concept_id", observed=True)["recall"].diff().dropna() <= 0).all()


@pytest.mark.parametrize("decimals", [2, 6])
def test_single_label_curves_lose_only_collinear_points(decimals: int) -> None:
    # Few positives per concept: the corner points alone carry each curve's exact shape.
    rng = np.random.default_rng(11)
    n, k = 2_000, 40
    labels = np.zeros((n, k), dtype=bool)
    labels[np.arange(n), rng.integers(0, k - 1, n)] = True  # the last concept has no positive
    scores = (rng.random((n, k)) * 0.6 + labels * rng.random((n, k)) * 0.4).round(decimals)
    m = TestSetMatrix.from_arrays(scores, labels)
    exact = matrix_curves(m, max_points=None)
    fast = matrix_curves(m)
    auc, ap = _sk_scores(m)
    np.testing.assert_allclose(fast.scores["roc_auc"], auc, atol=1e-9, rtol=0)
    np.testing.assert_allclose(fast.scores["avg_precision"], ap, atol=1e-9, rtol=0)
    assert fast.roc.groupby("concept_id", observed=True).size().max() < 512
    for small, whole, x, y in (
        (fast.roc, exact.roc, "fpr", "tpr"),
        (fast.pr, exact.pr, "recall", "precision"),
    ):
        for concept, part in small.groupby("concept_id", observed=True):
            full = whole[whole["concept_id"] == concept]
            wx, wy = np.nan_to_num(full[x].to_numpy()), np.nan_to_num(full[y].to_numpy())
            px, py = np.nan_to_num(part[x].to_numpy()), np.nan_to_num(part[y].to_numpy())
            assert _distance_to_polyline(wx, wy, px, py) <= 1e-12
            assert (px[0], py[0], px[-1], py[-1]) == (wx[0], wy[0], wx[-1], wy[-1])


def test_signed_zeros_tie() -> None:
    scores = np.array([[-0.0], [0.0], [0.0], [-0.0], [0.5], [-1.0]])
    labels = np.array([[True], [False], [True], [False], [False], [True]])
    got = matrix_curves(TestSetMatrix.from_arrays(scores, labels)).scores
    auc, ap = _sk_scores(TestSetMatrix.from_arrays(scores, labels))
    np.testing.assert_allclose(got["roc_auc"], auc, atol=1e-12)
    np.testing.assert_allclose(got["avg_precision"], ap, atol=1e-12)


@pytest.mark.parametrize("shape", [(6, 1), (1, 5), (40, 3)])
def test_the_matrix_is_left_unchanged(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(1)
    scores = rng.random(shape).astype(np.float32)
    labels = rng.random(shape) < 0.5
    m = TestSetMatrix.from_arrays(scores.copy(), labels.copy())
    matrix_curves(m)
    matrix_curves(m, max_points=None, chunk_cells=1)
    np.testing.assert_array_equal(m.scores, scores)
    np.testing.assert_array_equal(m.labels, labels)


def test_default_decimation_bounds_points() -> None:
    rng = np.random.default_rng(3)
    m = TestSetMatrix.from_arrays(rng.random((5_000, 2)), rng.random((5_000, 2)) < 0.5)
    got = matrix_curves(m)
    assert got.roc.groupby("concept_id", observed=True).size().max() <= 512
    assert got.pr.groupby("concept_id", observed=True).size().max() <= 512


def test_chunked_pass_equals_one_pass(random_test_set: Any) -> None:
    m = TestSetMatrix.from_frame(random_test_set(9, n_inputs=50, n_concepts=9))
    one = matrix_curves(m, max_points=16)
    many = matrix_curves(m, max_points=16, chunk_cells=100)
    pd.testing.assert_frame_equal(one.roc, many.roc)
    pd.testing.assert_frame_equal(one.pr, many.pr)
    pd.testing.assert_frame_equal(one.scores, many.scores)


@pytest.mark.parametrize("max_points", [None, 16])
def test_threads_change_nothing(random_test_set: Any, max_points: int | None) -> None:
    m = TestSetMatrix.from_frame(random_test_set(10, n_inputs=40_000, n_concepts=9, decimals=3))
    alone = matrix_curves(m, max_points=max_points, chunk_cells=50_000, micro=True, workers=1)
    for workers in (2, 3):
        many = matrix_curves(
            m, max_points=max_points, chunk_cells=50_000, micro=True, workers=workers
        )
        for name in ("roc", "pr", "scores", "micro"):
            pd.testing.assert_frame_equal(getattr(alone, name), getattr(many, name))


def test_empty_matrices() -> None:
    none = matrix_curves(TestSetMatrix.from_arrays(np.zeros((0, 2)), np.zeros((0, 2), bool)))
    assert none.roc.empty
    assert none.pr.empty
    assert none.scores["roc_auc"].isna().all()
    assert len(none.scores) == 2
    zero = matrix_curves(TestSetMatrix.from_arrays(np.zeros((3, 0)), np.zeros((3, 0), bool)))
    assert zero.roc.empty
    assert zero.scores.empty
    assert list(zero.roc.columns) == ["concept_id", "threshold", "fpr", "tpr"]


@settings(deadline=None, max_examples=60)
@given(
    data=st.data(),
    n=st.integers(1, 30),
    k=st.integers(1, 4),
    levels=st.integers(1, 6),
)
def test_scores_equal_sklearn_on_any_ties(data: st.DataObject, n: int, k: int, levels: int) -> None:
    values = st.integers(0, levels - 1)
    scores = np.array(data.draw(st.lists(values, min_size=n * k, max_size=n * k))) / levels
    labels = np.array(data.draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k)))
    m = TestSetMatrix.from_arrays(scores.reshape(n, k), labels.reshape(n, k))
    got = matrix_curves(m, max_points=4).scores
    auc, ap = _sk_scores(m)
    np.testing.assert_allclose(got["roc_auc"], auc, atol=1e-9, rtol=0)
    np.testing.assert_allclose(got["avg_precision"], ap, atol=1e-9, rtol=0)


def test_decimate_keeps_ends_and_bounds_points() -> None:
    x = np.linspace(0, 1, 1_000)
    y = x**2
    keep = decimate(x, y, max_points=10)
    assert len(keep) <= 10
    assert keep[0] == 0
    assert keep[-1] == 999
    assert (np.diff(keep) > 0).all()
    groups = np.repeat([0, 1, 2], [1_000, 3, 1])
    xs, ys = np.concatenate([x, [0, 0.5, 1], [0]]), np.concatenate([y, [0, 1, 1], [0]])
    keep = decimate(xs, ys, groups=groups, max_points=10)
    np.testing.assert_array_equal(keep[-4:], [1_000, 1_001, 1_002, 1_003])
    assert np.count_nonzero(keep < 1_000) <= 10


def test_decimate_keeps_a_big_jump() -> None:
    # A curve that creeps, jumps, then creeps: both ends of the jump survive.
    x = np.concatenate([np.linspace(0, 0.01, 500), np.linspace(0.99, 1, 500)])
    y = np.concatenate([np.zeros(500), np.ones(500)])
    keep = decimate(x, y, max_points=8)
    assert {499, 500} <= set(keep.tolist())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_points": 1}, "max_points"),
        ({"max_points": 2.5}, "max_points"),
        ({"max_points": True}, "max_points"),
        ({"y": np.zeros(3)}, "same length"),
        ({"groups": np.array([1, 0, 1, 0])}, "groups"),
        ({"groups": np.zeros(2, int)}, "groups"),
    ],
)
def test_decimate_refuses_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {"x": np.zeros(4), "y": np.zeros(4), **kwargs}
    with pytest.raises(InvalidArgumentError, match=match):
        decimate(args.pop("x"), args.pop("y"), **args)


@pytest.mark.parametrize(
    ("arg", "kwargs", "match"),
    [
        ("frame", {}, "TestSetMatrix"),
        ("matrix", {"max_points": 0}, "max_points"),
        ("matrix", {"chunk_cells": 0}, "chunk_cells"),
        ("matrix", {"workers": 0}, "workers"),
    ],
)
def test_matrix_curves_refuses_bad_arguments(
    random_test_set: Any, arg: str, kwargs: dict[str, Any], match: str
) -> None:
    ts = random_test_set(0)
    target = ts if arg == "frame" else TestSetMatrix.from_frame(ts)
    with pytest.raises(InvalidArgumentError, match=match):
        matrix_curves(target, **kwargs)


def test_decimated_curves_do_not_depend_on_the_blocks() -> None:
    # Half the concepts nearly all positive, half with one positive: how a block
    # mixes them must not change which points are drawn.
    rng = np.random.default_rng(11)
    n = 200
    scores = rng.permuted(np.tile(np.arange(n) / n, (10, 1)), axis=1).T
    labels = np.zeros((n, 10), dtype=bool)
    labels[:, :5] = rng.random((n, 5)) < 0.5
    labels[rng.integers(0, n, 5), np.arange(5, 10)] = True
    m = TestSetMatrix.from_arrays(scores, labels)
    one = matrix_curves(m, max_points=16)
    for cells in (n, 3 * n):
        many = matrix_curves(m, max_points=16, chunk_cells=cells)
        pd.testing.assert_frame_equal(one.roc, many.roc)
        pd.testing.assert_frame_equal(one.pr, many.pr)
        pd.testing.assert_frame_equal(one.scores, many.scores)
