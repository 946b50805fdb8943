"""Areas, joins and operating points of given curve frames, checked against scikit-learn."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.curve_points import (
    curve_areas,
    exact_operating_points,
    join_points,
    operating_points,
)

CASES = [{"seed": 0}, {"seed": 1, "decimals": 2, "n_inputs": 150, "n_concepts": 9}]


@pytest.mark.parametrize("case", CASES)
def test_areas_of_exact_curves_equal_scikit_learn(case: dict, random_test_set: Any, dense: Any):
    ts = random_test_set(**case)
    scores, truth = dense(ts)
    roc, pr = metrics.curves(ts)
    got = curve_areas(roc, pr).set_index("concept_id")
    for j, concept in enumerate(ts["concept_id"].cat.categories):
        y, s = truth[:, j], scores[:, j]
        if y.all() or not y.any():
            assert np.isnan(got.loc[concept, "roc_auc"])
            continue
        assert got.loc[concept, "roc_auc"] == pytest.approx(skm.roc_auc_score(y, s), abs=1e-9)
        ap = skm.average_precision_score(y, s)
        assert got.loc[concept, "avg_precision"] == pytest.approx(ap, abs=1e-9)


def test_areas_keep_concept_order_and_nan_for_too_few_points() -> None:
    roc = pd.DataFrame(
        {"concept_id": ["b", "b", "a"], "threshold": [1.0, 0.0, 0.5],
         "fpr": [0.0, 1.0, 0.2], "tpr": [0.0, 1.0, 0.7]}
    )  # fmt: skip
    pr = pd.DataFrame(
        {"concept_id": ["b", "b"], "threshold": [0.0, 1.0], "precision": [0.5, 1.0],
         "recall": [1.0, 0.0]}
    )  # fmt: skip
    got = curve_areas(roc, pr)
    assert got["concept_id"].tolist() == ["b", "a"]
    assert got["roc_auc"].tolist()[0] == pytest.approx(0.5)
    assert np.isnan(got["roc_auc"].tolist()[1])  # one point: no area
    assert got["avg_precision"].tolist()[0] == pytest.approx(0.5)
    assert np.isnan(got["avg_precision"].tolist()[1])  # no PR curve


def test_join_matches_points_on_their_threshold() -> None:
    roc = pd.DataFrame({"concept_id": ["a", "a"], "threshold": [0.9, 0.5], "fpr": [0.0, 0.1],
                        "tpr": [0.4, 0.8]})  # fmt: skip
    pr = pd.DataFrame({"concept_id": ["a", "a"], "threshold": [0.5, 0.7], "precision": [0.9, 1.0],
                       "recall": [0.8, 0.6]})  # fmt: skip
    joined = join_points(roc, pr)
    assert joined.columns.tolist() == ["concept_id", "threshold", "fpr", "tpr", "precision"]
    assert joined["threshold"].tolist() == [0.9, 0.7, 0.5]
    assert joined["tpr"].tolist() == [0.4, 0.6, 0.8]  # recall fills the ROC's gap
    assert np.isnan(joined["fpr"].iloc[1])


def test_operating_point_is_the_lowest_curve_threshold_at_or_above() -> None:
    roc = pd.DataFrame(
        {"concept_id": ["a"] * 3 + ["b"], "threshold": [0.9, 0.5, 0.1, 0.2],
         "fpr": [0.0, 0.2, 1.0, 0.5], "tpr": [0.3, 0.8, 1.0, 0.9]}
    )  # fmt: skip
    pr = pd.DataFrame(
        {"concept_id": ["a"] * 3, "threshold": [0.1, 0.5, 0.9], "precision": [0.5, 0.8, 1.0],
         "recall": [1.0, 0.8, 0.3]}
    )  # fmt: skip
    op = operating_points(roc, pr, 0.4)
    assert op["concept_id"].tolist() == ["a"]  # b has no point at or above 0.4
    assert op[["threshold", "fpr", "tpr", "precision"]].iloc[0].tolist() == [0.5, 0.2, 0.8, 0.8]


def test_exact_operating_points_from_a_test_set(random_test_set: Any, dense: Any) -> None:
    ts = random_test_set(seed=2, drop=0.3)
    scores, truth = dense(ts)
    op = exact_operating_points(ts, 0.5).set_index("concept_id")
    for j, concept in enumerate(ts["concept_id"].cat.categories):
        y, chosen = truth[:, j], scores[:, j] >= 0.5
        negatives = (~y).sum()
        fpr = (chosen & ~y).sum() / negatives if negatives else np.nan
        np.testing.assert_allclose(op.loc[concept, "fpr"], fpr, atol=1e-12)
        rec = skm.recall_score(y, chosen, zero_division=0)
        assert op.loc[concept, "tpr"] == pytest.approx(rec)
        prec = skm.precision_score(y, chosen, zero_division=0)
        assert op.loc[concept, "precision"] == pytest.approx(prec)


def test_curve_frames_are_checked() -> None:
    with pytest.raises(InvalidArgumentError, match="the ROC frame"):
        join_points(pd.DataFrame({"concept_id": ["a"]}), pd.DataFrame())
    bad = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "fpr": [np.inf], "tpr": [1.0]})
    pr = pd.DataFrame({"concept_id": ["a"], "threshold": [0.5], "precision": [1.0],
                       "recall": [1.0]})  # fmt: skip
    with pytest.raises(InvalidArgumentError, match="infinite"):
        curve_areas(bad, pr)


@pytest.mark.parametrize("shuffle", [False, True])
def test_areas_do_not_depend_on_the_order_of_the_points(shuffle: bool, random_test_set: Any):
    ts = random_test_set(seed=5, decimals=2, n_inputs=80)
    roc, pr = metrics.curves(ts)
    want = curve_areas(roc, pr)
    rng = np.random.default_rng(0)
    if shuffle:
        roc, pr = (f.iloc[rng.permutation(len(f))] for f in (roc, pr))
    else:  # every concept's points backwards
        roc, pr = (f.iloc[::-1].sort_values("concept_id", kind="stable") for f in (roc, pr))
    got = curve_areas(roc, pr).set_index("concept_id").loc[want["concept_id"]]
    np.testing.assert_allclose(got["roc_auc"], want["roc_auc"], atol=1e-12)
    np.testing.assert_allclose(got["avg_precision"], want["avg_precision"], atol=1e-12)
