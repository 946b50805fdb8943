"""Paired bootstrap deltas between two models, the verdict line, and McNemar's test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, chi2
from sklearn.metrics import roc_auc_score

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import (
    TestSetMatrix,
    mcnemar,
    paired_bootstrap,
    verdict,
)
from clarinb.metrics import _resample as resample_mod
from clarinb.metrics.compare import align
from clarinb.metrics.significance import mcnemar_counts


def _model(seed: int, labels: np.ndarray, separation: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 1, labels.shape) + separation * labels).astype(np.float32)


def _pair(n: int = 400, k: int = 12) -> tuple[TestSetMatrix, TestSetMatrix]:
    """B equals A except: much better on concepts 0-2, much worse on concept 3."""
    rng = np.random.default_rng(0)
    labels = rng.random((n, k)) < 0.25
    sep_a = np.full(k, 1.0)
    scores_a = _model(1, labels, sep_a)
    scores_b = scores_a.copy()
    planted = min(k, 4)
    sep_b = np.array([3.0, 3.0, 3.0, 0.0])[:planted]
    scores_b[:, :planted] = _model(2, labels[:, :planted], sep_b)
    concepts = [f"c{j}" for j in range(k)]
    inputs = [f"in-{i}" for i in range(n)]
    return (
        TestSetMatrix.from_arrays(scores_a, labels, inputs=inputs, concepts=concepts),
        TestSetMatrix.from_arrays(scores_b, labels, inputs=inputs, concepts=concepts),
    )


def test_identical_models_are_indistinguishable_everywhere() -> None:
    a, _ = _pair()
    res = paired_bootstrap(a, a, n_resamples=200, seed=1)
    assert (res.concepts["delta"] == 0).all()
    assert (res.concepts["delta_lo"] == 0).all()
    assert (res.concepts["delta_hi"] == 0).all()
    assert set(res.concepts["verdict"]) == {"indistinguishable"}
    assert set(res.macro["verdict"]) == {"indistinguishable"}
    assert verdict(res) == (
        "B beats A on 0 concepts, is worse on 0, indistinguishable on 12 "
        "(avg_precision, 95% paired bootstrap intervals)"
    )


def test_a_planted_difference_is_found() -> None:
    a, b = _pair()
    res = paired_bootstrap(a, b, n_resamples=300, seed=2, names=("base", "new"))
    for metric in ("roc_auc", "avg_precision"):
        marks = res.concepts.loc[res.concepts["metric"] == metric, "verdict"].tolist()
        assert marks[:4] == ["better", "better", "better", "worse"], metric
        assert set(marks[4:]) == {"indistinguishable"}, metric
    assert verdict(res, "roc_auc") == (
        "new beats base on 3 concepts, is worse on 1, indistinguishable on 8 "
        "(roc_auc, 95% paired bootstrap intervals)"
    )
    auc = res.concepts[res.concepts["metric"] == "roc_auc"].reset_index(drop=True)
    for j in range(12):
        want = roc_auc_score(b.labels[:, j], b.scores[:, j]) - roc_auc_score(
            a.labels[:, j], a.scores[:, j]
        )
        assert auc.loc[j, "delta"] == pytest.approx(want, abs=1e-12)


def test_paired_deltas_equal_a_per_resample_loop() -> None:
    a, b = _pair(n=60, k=3)
    res = paired_bootstrap(a, b, n_resamples=80, seed=9)
    idx = resample_mod.resample_indices(60, 80, np.random.default_rng(9))
    auc = res.concepts[res.concepts["metric"] == "roc_auc"].reset_index(drop=True)
    for j in range(3):
        deltas = []
        for row in idx:
            y = a.labels[row, j]
            if y.any() and not y.all():
                deltas.append(
                    roc_auc_score(y, b.scores[row, j]) - roc_auc_score(y, a.scores[row, j])
                )
        lo, hi = np.quantile(deltas, [0.025, 0.975])
        assert auc.loc[j, "delta_lo"] == pytest.approx(lo, abs=1e-12)
        assert auc.loc[j, "delta_hi"] == pytest.approx(hi, abs=1e-12)
        assert auc.loc[j, "undefined"] == 80 - len(deltas)


def test_alignment_uses_the_shared_inputs_and_concepts() -> None:
    a, b = _pair(n=120, k=5)
    rng = np.random.default_rng(4)
    rows, cols = rng.permutation(120), rng.permutation(5)
    shuffled = b.subset(rows, cols)
    extra = TestSetMatrix.from_arrays(
        np.vstack([shuffled.scores, np.ones((1, 5))]),
        np.vstack([shuffled.labels, np.ones((1, 5), dtype=bool)]),
        inputs=[*shuffled.inputs, "only-in-b"],
        concepts=shuffled.concepts,
    )
    straight = paired_bootstrap(a, b, n_resamples=50, seed=3)
    aligned = paired_bootstrap(a, extra, n_resamples=50, seed=3)
    pd.testing.assert_frame_equal(straight.concepts, aligned.concepts)
    assert aligned.n_inputs == 120
    ma, mb = align(a.to_frame(), extra)
    assert list(ma.inputs) == list(mb.inputs) == list(a.inputs)


def test_test_sets_sharing_nothing_raise() -> None:
    a, b = _pair(n=30, k=3)
    other_inputs = TestSetMatrix.from_arrays(b.scores, b.labels, concepts=b.concepts)
    with pytest.raises(InvalidArgumentError, match="share no input"):
        paired_bootstrap(a, other_inputs)
    other_concepts = TestSetMatrix.from_arrays(b.scores, b.labels, inputs=b.inputs)
    with pytest.raises(InvalidArgumentError, match="share no concept"):
        mcnemar(a, other_concepts)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ci": -0.1}, "ci"),
        ({"n_resamples": 0}, "n_resamples"),
        ({"names": ("only one",)}, "names"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], match: str) -> None:
    a, b = _pair(n=30, k=3)
    with pytest.raises(InvalidArgumentError, match=match):
        paired_bootstrap(a, b, **kwargs)  # type: ignore[arg-type]


def test_verdict_refuses_unknown_metric_and_objects() -> None:
    a, b = _pair(n=30, k=3)
    res = paired_bootstrap(a, b, n_resamples=20)
    with pytest.raises(InvalidArgumentError, match="metric"):
        verdict(res, "accuracy")
    with pytest.raises(InvalidArgumentError, match="PairedComparison"):
        verdict(res.concepts)  # type: ignore[arg-type]


@pytest.mark.parametrize(("a_only", "b_only"), [(0, 0), (0, 1), (3, 9), (12, 12), (2, 20)])
def test_exact_mcnemar_matches_scipy_binomtest(a_only: int, b_only: int) -> None:
    stat, p, method = mcnemar_counts(a_only, b_only, exact=True)
    n = a_only + b_only
    want = binomtest(min(a_only, b_only), n, 0.5).pvalue if n else 1.0
    assert method == "exact"
    assert stat == min(a_only, b_only)
    assert p == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(("a_only", "b_only"), [(10, 30), (40, 41), (100, 60), (25, 0)])
def test_chi_square_mcnemar_matches_scipy(a_only: int, b_only: int) -> None:
    stat, p, method = mcnemar_counts(a_only, b_only)
    want_stat = (abs(a_only - b_only) - 1) ** 2 / (a_only + b_only)
    assert method == "chi2"
    assert stat == pytest.approx(want_stat, rel=1e-12)
    assert p == pytest.approx(chi2.sf(want_stat, 1), rel=1e-9)


def test_mcnemar_counts_top1_correctness() -> None:
    # Four concepts, single label; A right on inputs 0-9, B right on 0-4 and 10-29.
    n, k = 40, 4
    truth = np.arange(n) % k
    labels = np.zeros((n, k), dtype=bool)
    labels[np.arange(n), truth] = True
    wrong = (truth + 1) % k
    a_pick = np.where(np.arange(n) < 10, truth, wrong)
    b_pick = np.where(
        (np.arange(n) < 5) | ((np.arange(n) >= 10) & (np.arange(n) < 30)), truth, wrong
    )
    a_scores = np.full((n, k), 0.1, dtype=np.float32)
    b_scores = a_scores.copy()
    a_scores[np.arange(n), a_pick] = 0.9
    b_scores[np.arange(n), b_pick] = 0.9
    labels[39] = False  # an input without a positive is left out
    res = mcnemar(
        TestSetMatrix.from_arrays(a_scores, labels), TestSetMatrix.from_arrays(b_scores, labels)
    )
    assert (res.n_inputs, res.both_right, res.a_only, res.b_only, res.both_wrong) == (
        39,
        5,
        5,
        20,
        9,
    )
    assert res.method == "chi2"
    assert res.p_value == pytest.approx(chi2.sf((15 - 1) ** 2 / 25, 1), rel=1e-9)
    exact = mcnemar(
        TestSetMatrix.from_arrays(a_scores, labels),
        TestSetMatrix.from_arrays(b_scores, labels),
        exact=True,
    )
    assert exact.p_value == pytest.approx(binomtest(5, 25, 0.5).pvalue, rel=1e-12)
    assert not math.isnan(exact.statistic)
    with pytest.raises(InvalidArgumentError, match="exact"):
        mcnemar(
            TestSetMatrix.from_arrays(a_scores, labels),
            TestSetMatrix.from_arrays(b_scores, labels),
            exact="yes",  # type: ignore[arg-type]
        )


def test_same_seed_same_comparison() -> None:
    a, b = _pair(n=100, k=4)
    one = paired_bootstrap(a, b, n_resamples=100, seed=7)
    two = paired_bootstrap(a.to_frame(), b.to_frame(), n_resamples=100, seed=7)
    pd.testing.assert_frame_equal(one.concepts, two.concepts)
    pd.testing.assert_frame_equal(one.macro, two.macro)
