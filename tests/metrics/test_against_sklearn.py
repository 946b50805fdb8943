"""clarinb.metrics equals scikit-learn to 1e-9 on random test sets with ties."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from clarinb import metrics

CASES = [
    {"seed": 0},
    {"seed": 1, "decimals": 2, "n_inputs": 200, "n_concepts": 12},
    {"seed": 2, "drop": 0.3},
    {"seed": 3, "n_inputs": 5, "n_concepts": 3, "decimals": 0},
    {"seed": 4, "n_inputs": 1, "n_concepts": 4},
]
THRESHOLDS = [0.5, 0.0, 0.3, 1.0, -1.0]


@pytest.fixture(params=CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def ts(request: pytest.FixtureRequest, random_test_set: Any) -> pd.DataFrame:
    return random_test_set(**request.param)


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_at_threshold_matches_prfs(dense: Any, ts: pd.DataFrame, threshold: float) -> None:
    scores, truth = dense(ts)
    predicted = scores >= threshold
    p, r, f, s = skm.precision_recall_fscore_support(truth, predicted, zero_division=0)
    got = metrics.at_threshold(ts, threshold)
    np.testing.assert_allclose(got["precision"], p, atol=1e-9, rtol=0)
    np.testing.assert_allclose(got["recall"], r, atol=1e-9, rtol=0)
    np.testing.assert_allclose(got["f1"], f, atol=1e-9, rtol=0)
    np.testing.assert_array_equal(got["support"], s)
    cm = skm.multilabel_confusion_matrix(truth, predicted)  # [[tn, fp], [fn, tp]]
    np.testing.assert_array_equal(got["tn"], cm[:, 0, 0])
    np.testing.assert_array_equal(got["fp"], cm[:, 0, 1])
    np.testing.assert_array_equal(got["fn"], cm[:, 1, 0])
    np.testing.assert_array_equal(got["tp"], cm[:, 1, 1])
    assert list(got["concept_id"]) == list(ts["concept_id"].cat.categories)


def test_per_concept_thresholds(dense: Any, ts: pd.DataFrame) -> None:
    scores, truth = dense(ts)
    concepts = list(ts["concept_id"].cat.categories)
    chosen = {c: 0.1 * (i % 9) for i, c in enumerate(concepts[1:])}  # first uses default
    thr = np.array([0.7] + [chosen[c] for c in concepts[1:]])
    p, r, f, _ = skm.precision_recall_fscore_support(truth, scores >= thr, zero_division=0)
    for mapping in (chosen, pd.Series(chosen)):
        got = metrics.at_threshold(ts, mapping, default=0.7)
        np.testing.assert_allclose(got["threshold"], thr)
        np.testing.assert_allclose(got["precision"], p, atol=1e-9, rtol=0)
        np.testing.assert_allclose(got["recall"], r, atol=1e-9, rtol=0)
        np.testing.assert_allclose(got["f1"], f, atol=1e-9, rtol=0)


@pytest.mark.parametrize("threshold", [0.5, 0.25])
def test_averages_match(dense: Any, ts: pd.DataFrame, threshold: float) -> None:
    scores, truth = dense(ts)
    got = metrics.averages(ts, threshold)
    for average in ("micro", "macro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            truth, scores >= threshold, average=average, zero_division=0
        )
        np.testing.assert_allclose(got.loc[average], [p, r, f], atol=1e-9, rtol=0)


def test_scores_match(dense: Any, ts: pd.DataFrame) -> None:
    scores, truth = dense(ts)
    got = metrics.scores(ts)
    for j in range(scores.shape[1]):
        y, s = truth[:, j], scores[:, j]
        assert got["num_pos"][j] == y.sum()
        assert got["num_neg"][j] == (~y).sum()
        if y.all() or not y.any():
            assert np.isnan(got["roc_auc"][j])
        else:
            assert abs(got["roc_auc"][j] - skm.roc_auc_score(y, s)) < 1e-9
        if not y.any():
            assert np.isnan(got["avg_precision"][j])
        else:
            assert abs(got["avg_precision"][j] - skm.average_precision_score(y, s)) < 1e-9


def test_curves_match(dense: Any, ts: pd.DataFrame) -> None:
    scores, truth = dense(ts)
    roc, pr = metrics.curves(ts)
    concepts = list(ts["concept_id"].cat.categories)
    assert list(roc["concept_id"].unique()) == concepts
    for j, concept in enumerate(concepts):
        y, s = truth[:, j], scores[:, j]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fpr, tpr, thr = skm.roc_curve(y, s, drop_intermediate=False)
            precision, recall, pthr = skm.precision_recall_curve(y, s)
        mine = roc[roc["concept_id"] == concept]
        np.testing.assert_allclose(mine["fpr"], fpr, atol=1e-9, rtol=0)
        np.testing.assert_allclose(mine["tpr"], tpr, atol=1e-9, rtol=0)
        np.testing.assert_array_equal(mine["threshold"], thr)
        mine = pr[pr["concept_id"] == concept]
        np.testing.assert_allclose(mine["precision"], precision, atol=1e-9, rtol=0)
        np.testing.assert_allclose(mine["recall"], recall, atol=1e-9, rtol=0)
        np.testing.assert_array_equal(mine["threshold"], np.r_[pthr, np.inf])


@pytest.mark.parametrize("threshold", [None, 0.5, 0.95])
def test_confusion_matrix_matches(dense: Any, threshold: float | None) -> None:
    rng = np.random.default_rng(7)
    n, k = 300, 6
    concepts = [f"c{j}" for j in range(k)]
    scores = rng.random((n, k)).round(1)  # ties within an input
    actual = rng.integers(0, k, n)
    truth = np.zeros((n, k), dtype=bool)
    truth[np.arange(n), actual] = True
    truth[:10] = False  # unlabelled inputs are left out
    ts = pd.DataFrame(
        {
            "input_id": pd.Categorical(np.repeat([f"i{i}" for i in range(n)], k)),
            "concept_id": pd.Categorical(np.tile(concepts, n), categories=concepts),
            "score": scores.ravel(),
            "ground_truth": truth.ravel(),
        }
    )
    # input categories sort lexicographically; rebuild the dense view from the frame
    scores, truth = dense(ts)
    top = scores.argmax(axis=1)  # first maximum: ties go to the first concept
    labels = [*concepts, "(none)"]
    predicted = np.array(labels)[top]
    if threshold is not None:
        predicted = np.where(scores.max(axis=1) >= threshold, predicted, "(none)")
    rows = truth.any(axis=1)
    y_true = np.array(concepts)[truth.argmax(axis=1)][rows]
    expected = skm.confusion_matrix(y_true, predicted[rows], labels=labels)
    got = metrics.confusion_matrix(ts, threshold)
    if threshold is None:
        expected = expected[:k, :k]
        assert list(got.columns) == concepts
    else:
        expected = expected[:k]
        assert list(got.columns) == labels
    np.testing.assert_array_equal(got.to_numpy(), expected)
    assert got.index.name == "actual"
    assert got.columns.name == "predicted"


@st.composite
def small_test_sets(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 9))
    k = draw(st.integers(2, 4))  # one column would read as binary labels to scikit-learn
    cells = n * k
    scores = draw(
        st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.5, 0.9, 1.0]), min_size=cells, max_size=cells)
    )
    truth = draw(st.lists(st.booleans(), min_size=cells, max_size=cells))
    keep = draw(st.lists(st.booleans(), min_size=cells, max_size=cells))
    inputs = [f"i{i}" for i in range(n)]
    concepts = [f"c{j}" for j in range(k)]
    frame = pd.DataFrame(
        {
            "input_id": pd.Categorical(np.repeat(inputs, k), categories=inputs),
            "concept_id": pd.Categorical(np.tile(concepts, n), categories=concepts),
            "score": scores,
            "ground_truth": truth,
        }
    )
    return frame[np.array(keep) | (np.arange(cells) == 0)].reset_index(drop=True)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the fixture only hands out a pure function
@given(ts=small_test_sets(), threshold=st.sampled_from([0.0, 0.5, 0.7, 1.0]))
def test_random_small_test_sets(dense: Any, ts: pd.DataFrame, threshold: float) -> None:
    scores, truth = dense(ts)
    p, r, f, _ = skm.precision_recall_fscore_support(truth, scores >= threshold, zero_division=0)
    got = metrics.at_threshold(ts, threshold)
    np.testing.assert_allclose(got[["precision", "recall", "f1"]].T, [p, r, f], atol=1e-9)
    ranked = metrics.scores(ts)
    roc, pr = metrics.curves(ts)
    for j, concept in enumerate(ts["concept_id"].cat.categories):
        y, s = truth[:, j], scores[:, j]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fpr, tpr, _ = skm.roc_curve(y, s, drop_intermediate=False)
            precision, recall, _ = skm.precision_recall_curve(y, s)
        mine = roc[roc["concept_id"] == concept]
        np.testing.assert_allclose(mine[["fpr", "tpr"]].T, [fpr, tpr], atol=1e-9)
        mine = pr[pr["concept_id"] == concept]
        np.testing.assert_allclose(mine[["precision", "recall"]].T, [precision, recall], atol=1e-9)
        if y.any() and not y.all():
            assert abs(ranked["roc_auc"][j] - skm.roc_auc_score(y, s)) < 1e-9
        if y.any():
            assert abs(ranked["avg_precision"][j] - skm.average_precision_score(y, s)) < 1e-9
