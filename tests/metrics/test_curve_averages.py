"""Micro and macro average curves, checked against scikit-learn and a per-concept reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from clarinb import metrics
from clarinb.metrics import curve_averages
from clarinb.metrics.curve_averages import (
    GRID,
    macro_curves,
    mean_of_known,
    micro_curve,
    micro_curve_from_counts,
)


@pytest.mark.parametrize("drop", [0.0, 0.3])
def test_micro_curve_pools_every_pair_as_scikit_learn(
    drop: float, random_test_set: Any, dense: Any
) -> None:
    ts = random_test_set(seed=4, decimals=2, n_inputs=80, drop=drop)
    scores, truth = dense(ts)
    fpr, tpr, thr = skm.roc_curve(truth.ravel(), scores.ravel(), drop_intermediate=False)
    got = micro_curve(ts)
    assert got.columns.tolist() == ["threshold", "fpr", "tpr", "precision"]
    np.testing.assert_allclose(got["threshold"], thr[1:], atol=1e-12)
    np.testing.assert_allclose(got["fpr"], fpr[1:], atol=1e-12)
    np.testing.assert_allclose(got["tpr"], tpr[1:], atol=1e-12)
    auc = np.trapezoid(np.r_[0, got["tpr"]], np.r_[0, got["fpr"]])
    assert auc == pytest.approx(skm.roc_auc_score(truth.ravel(), scores.ravel()), abs=1e-9)
    chosen = scores.ravel() >= got["threshold"].iloc[3]
    assert got["precision"].iloc[3] == pytest.approx(truth.ravel()[chosen].mean())


def test_micro_curve_of_a_large_test_set_has_exact_points_on_a_grid(monkeypatch) -> None:
    rng = np.random.default_rng(5)
    n = 5000
    scores = rng.random(n).round(3)
    truth = rng.random(n) < scores
    ts = pd.DataFrame(
        {"input_id": [f"i{i}" for i in range(n)], "concept_id": "a", "score": scores,
         "ground_truth": truth}
    )  # fmt: skip
    exact = micro_curve(ts)
    monkeypatch.setattr(curve_averages, "POOLED_EXACT_MAX", 100)
    grid = micro_curve(ts)
    assert len(grid) < len(exact) + 1
    for _, row in grid.sample(20, random_state=1).iterrows():
        chosen = scores >= row["threshold"]
        tp = (chosen & truth).sum()
        assert row["tpr"] == pytest.approx(tp / truth.sum())
        assert row["fpr"] == pytest.approx((chosen & ~truth).sum() / (~truth).sum())
        assert row["precision"] == pytest.approx(tp / chosen.sum())
    auc_exact = np.trapezoid(exact["tpr"][::-1], exact["fpr"][::-1])
    auc_grid = np.trapezoid(grid["tpr"][::-1], grid["fpr"][::-1])
    assert auc_grid == pytest.approx(auc_exact, abs=1e-3)


def test_micro_curve_from_counts_on_a_shared_grid(random_test_set: Any, dense: Any) -> None:
    ts = random_test_set(seed=1, decimals=2, n_inputs=120, n_concepts=6)
    scores, truth = dense(ts)
    grid = [0.9, 0.6, 0.3, 0.1]
    rows = []
    for t in grid:
        at = metrics.at_threshold(ts, t)
        neg = (at["fp"] + at["tn"]).to_numpy(float)
        rows.append(at.assign(threshold=t, fpr=at["fp"] / np.where(neg > 0, neg, 1),
                              tpr=at["recall"]))  # fmt: skip
    roc = pd.concat(rows)[["concept_id", "threshold", "fpr", "tpr"]]
    counts = metrics.scores(ts)[["concept_id", "num_pos", "num_neg"]]
    micro = micro_curve_from_counts(roc, counts)
    assert micro["threshold"].tolist() == grid
    for t, row in zip(grid, micro.itertuples(), strict=True):
        chosen = scores.ravel() >= t
        y = truth.ravel()
        assert row.tpr == pytest.approx((chosen & y).sum() / y.sum())
        assert row.fpr == pytest.approx((chosen & ~y).sum() / (~y).sum())
        assert row.precision == pytest.approx((chosen & y).sum() / chosen.sum())
    # concepts on different threshold grids: no micro average
    assert micro_curve_from_counts(roc.iloc[1:], counts) is None
    assert micro_curve_from_counts(roc, counts.drop(columns="num_neg")) is None


def _reference_macro(roc: pd.DataFrame, pr: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One concept at a time, as scikit-learn's documentation averages ROC curves."""
    tprs, precs = [], []
    for _, g in roc.dropna(subset=["fpr", "tpr"]).groupby("concept_id", observed=True):
        if len(g) >= 2:
            order = np.lexsort((g["tpr"].to_numpy(), g["fpr"].to_numpy()))
            tprs.append(np.interp(GRID, g["fpr"].to_numpy()[order], g["tpr"].to_numpy()[order]))
    for _, g in pr.dropna(subset=["recall", "precision"]).groupby("concept_id", observed=True):
        r, p = g["recall"].to_numpy(), g["precision"].to_numpy()
        precs.append([p[r >= x].max() if (r >= x).any() else 0.0 for x in GRID])
    return np.mean(tprs, axis=0), np.mean(precs, axis=0)


@pytest.mark.parametrize("seed", [0, 3])
def test_macro_curves_average_the_concepts_on_a_grid(seed: int, random_test_set: Any) -> None:
    ts = random_test_set(seed=seed, decimals=2, n_inputs=90, n_concepts=8)
    roc, pr = metrics.curves(ts)
    macro_roc, macro_pr = macro_curves(roc, pr)
    want_roc, want_pr = _reference_macro(roc, pr)
    np.testing.assert_allclose(macro_roc["fpr"], GRID)
    np.testing.assert_allclose(macro_roc["tpr"], want_roc, atol=1e-12)
    np.testing.assert_allclose(macro_pr["recall"], GRID)
    np.testing.assert_allclose(macro_pr["precision"], want_pr, atol=1e-12)
    # the macro ROC of one concept's exact curve has its AUC
    one = roc[roc["concept_id"] == "c3"]
    auc = metrics.scores(ts).set_index("concept_id").loc["c3", "roc_auc"]
    m_roc, _ = macro_curves(one, pr.iloc[:0])
    assert np.trapezoid(m_roc["tpr"], m_roc["fpr"]) == pytest.approx(auc, abs=0.02)


def test_macro_curves_without_points_are_nan() -> None:
    empty_roc = pd.DataFrame({"concept_id": [], "threshold": [], "fpr": [], "tpr": []})
    empty_pr = pd.DataFrame({"concept_id": [], "threshold": [], "precision": [], "recall": []})
    roc, pr = macro_curves(empty_roc, empty_pr)
    assert len(roc) == len(pr) == len(GRID)
    assert roc["tpr"].isna().all()
    assert pr["precision"].isna().all()


def test_mean_of_known_skips_unknown_values_silently() -> None:
    assert mean_of_known(pd.Series([0.5, np.nan, "n/a", 1.0])) == pytest.approx(0.75)
    assert np.isnan(mean_of_known(pd.Series([np.nan, None])))


def test_micro_and_macro_of_two_concepts_by_hand() -> None:
    grid = [1.0, 0.5, 0.0]
    roc = pd.DataFrame(
        {
            "concept_id": ["a"] * 3 + ["b"] * 3,
            "threshold": grid * 2,
            "fpr": [0.0, 0.5, 1.0, 0.0, 0.25, 1.0],
            "tpr": [0.0, 1.0, 1.0, 0.0, 0.5, 1.0],
        }
    )
    pr = roc.rename(columns={"tpr": "recall"}).drop(columns="fpr")
    pr["precision"] = [1.0, 0.5, 0.25, 1.0, 0.5, 0.5]
    counts = pd.DataFrame({"concept_id": ["a", "b"], "num_pos": [2, 4], "num_neg": [2, 4]})
    micro = micro_curve_from_counts(roc, counts)
    mid = micro[micro["threshold"] == 0.5].iloc[0]
    assert mid["tpr"] == pytest.approx((2 * 1.0 + 4 * 0.5) / 6)
    assert mid["fpr"] == pytest.approx((2 * 0.5 + 4 * 0.25) / 6)
    macro_roc, macro_pr = macro_curves(roc, pr)
    assert macro_roc.loc[macro_roc["fpr"] == 0.5, "tpr"].item() == pytest.approx(
        (1.0 + 0.5 + 1 / 6) / 2
    )
    assert len(macro_pr) == 101


def test_concepts_without_known_points_are_left_out_of_the_macro_average() -> None:
    roc = pd.DataFrame(
        {"concept_id": ["a", "a", "b", "b", "c", "c"], "threshold": [1.0, 0.0] * 3,
         "fpr": [0.0, 1.0, np.nan, np.nan, 0.0, 1.0], "tpr": [0.0, 1.0, np.nan, np.nan, 1.0, 1.0]}
    )  # fmt: skip
    pr = pd.DataFrame(
        {"concept_id": ["a", "a", "b", "b", "c", "c"], "threshold": [0.0, 1.0] * 3,
         "precision": [0.5, 1.0, np.nan, np.nan, 1.0, 1.0], "recall": [1.0, 0.0, np.nan, 0.5,
         1.0, 0.0]}
    )  # fmt: skip
    macro_roc, macro_pr = macro_curves(roc, pr)
    assert macro_roc["tpr"].iloc[50] == pytest.approx((0.5 + 1.0) / 2)
    assert macro_pr["precision"].iloc[50] == pytest.approx((0.5 + 1.0) / 2)
