"""clarinb.metrics: bad test sets and thresholds give clear typed errors; plain-string ids work."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from clarinb import metrics
from clarinb.errors import InvalidArgumentError

FUNCTIONS = [
    metrics.at_threshold,
    metrics.averages,
    metrics.scores,
    lambda ts: metrics.curves(ts)[0],
    metrics.confusion_matrix,
]


def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "input_id": ["b", "b", "a", "a"],
            "concept_id": ["dog", "cat", "dog", "cat"],
            "score": [0.2, 0.9, 0.6, 0.1],
            "ground_truth": [False, True, True, False],
        }
    )


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not a frame", "DataFrame"),
        (small().drop(columns="score"), "lacks the column"),
        (small().assign(score=[0.1, np.nan, 0.2, 0.3]), "NaN"),
        (small().assign(score=["a", "b", "c", "d"]), "numeric"),
        (small().assign(ground_truth=[1, 0, 1, 0]), "bool"),
        (small().assign(ground_truth=pd.array([True, None, False, True], dtype="boolean")), "bool"),
        (small().assign(concept_id=["dog", None, "dog", "cat"]), "missing"),
        (small().assign(input_id=["b", None, "a", "a"]), "missing"),
        (small().assign(input_id=pd.Categorical(["b", None, "a", "a"])), "missing"),
        (small().assign(concept_id=pd.Categorical(["dog", "cat", None, "cat"])), "missing"),
    ],
)
def test_malformed_test_sets(function: Any, bad: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        function(bad)


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("0.5", "number"),
        (True, "number"),
        (float("nan"), "NaN"),
        ({"bird": 0.3}, "bird"),
        ({"cat": "high"}, "cat"),
    ],
)
def test_bad_thresholds(threshold: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        metrics.at_threshold(small(), threshold)


def test_duplicate_rows_are_reported() -> None:
    doubled = pd.concat([small(), small()], ignore_index=True)
    for function in (metrics.at_threshold, metrics.scores):
        with pytest.raises(InvalidArgumentError, match="duplicate"):
            function(doubled)


def test_plain_string_ids_sorted_and_equal_to_sklearn() -> None:
    ts = small()
    got = metrics.at_threshold(ts, 0.5)
    assert list(got["concept_id"]) == ["cat", "dog"]
    truth = np.array([[False, True], [True, False]])  # rows a, b; columns cat, dog
    scores = np.array([[0.1, 0.6], [0.9, 0.2]])
    p, _r, f, _s = skm.precision_recall_fscore_support(truth, scores >= 0.5, zero_division=0)
    np.testing.assert_allclose(got["precision"], p)
    np.testing.assert_allclose(got["f1"], f)
    cm = metrics.confusion_matrix(ts)
    assert cm.loc["cat", "cat"] == 1
    assert cm.loc["dog", "dog"] == 1
    assert cm.to_numpy().sum() == 2


def test_threshold_mapping_accepts_numpy_numbers_and_defaults() -> None:
    got = metrics.at_threshold(small(), {"cat": np.float32(0.95)}, default=0.05)
    assert got["threshold"].tolist() == [pytest.approx(0.95), 0.05]
    assert got.set_index("concept_id").loc["cat", "tp"] == 0
    assert got.set_index("concept_id").loc["dog", "fp"] == 1


def test_averages_of_an_empty_test_set() -> None:
    empty = small().iloc[:0]
    with pytest.raises(InvalidArgumentError, match="no concepts"):
        metrics.averages(empty)
    assert metrics.at_threshold(empty).empty
    roc, pr = metrics.curves(empty)
    assert roc.empty
    assert pr.empty


def test_unused_input_categories_do_not_count(random_test_set: Any, dense: Any) -> None:
    ts = random_test_set(seed=5, n_inputs=30, n_concepts=4)
    subset = ts[ts["input_id"].isin(ts["input_id"].cat.categories[:10])]
    assert len(subset["input_id"].cat.categories) == 30  # filtering keeps every category
    scores, truth = dense(subset)
    assert scores.shape[0] == 10  # the ten inputs that remain
    got = metrics.at_threshold(subset, 0.5)
    cm = skm.multilabel_confusion_matrix(truth, scores >= 0.5)
    np.testing.assert_array_equal(got["tn"], cm[:, 0, 0])
    ranked = metrics.scores(subset)
    for j in range(2, 4):
        y = truth[:, j]
        if y.any() and not y.all():
            assert abs(ranked["roc_auc"][j] - skm.roc_auc_score(y, scores[:, j])) < 1e-9
