"""Bootstrap intervals: exact against a per-resample scikit-learn loop, and covering the truth."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, precision_recall_fscore_support, roc_auc_score

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix, bootstrap_intervals
from clarinb.metrics import _resample as resample_mod
from clarinb.metrics._weighted import rank_orders, ranking

METRICS = ("roc_auc", "avg_precision", "precision", "recall", "f1")


def _tiny(seed: int = 4, n: int = 40) -> TestSetMatrix:
    """Tied scores, a rare concept (2 positives: some resamples draw none) and common ones."""
    rng = np.random.default_rng(seed)
    labels = rng.random((n, 4)) < 0.4
    labels[:, 3] = False
    labels[[5, 17], 3] = True
    scores = (rng.random((n, 4)) * 0.6 + 0.4 * labels).round(1)
    return TestSetMatrix.from_arrays(scores, labels, concepts=["a", "b", "c", "rare"])


def _reference(m: TestSetMatrix, idx: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """Each metric of each resample, with scikit-learn; NaN where undefined."""
    k, b = m.n_concepts, len(idx)
    out = {name: np.full((k, b), np.nan) for name in METRICS}
    for r in range(b):
        y_all, s_all = m.labels[idx[r]], m.scores[idx[r]]
        for j in range(k):
            y, s = y_all[:, j], s_all[:, j]
            if y.any() and not y.all():
                out["roc_auc"][j, r] = roc_auc_score(y, s)
            if y.any():
                out["avg_precision"][j, r] = average_precision_score(y, s)
            pred = s >= np.float32(threshold)
            tp, fp, fn = (y & pred).sum(), (~y & pred).sum(), (y & ~pred).sum()
            if tp + fp:
                out["precision"][j, r] = tp / (tp + fp)
            if tp + fn:
                out["recall"][j, r] = tp / (tp + fn)
            if tp + fp + fn:
                out["f1"][j, r] = 2 * tp / (2 * tp + fp + fn)
    return out


def _quantiles(values: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile interval of each row over its defined values, NaN under half defined."""
    lo, hi, undefined = [], [], []
    for row in values:
        ok = row[~np.isnan(row)]
        undefined.append(len(row) - len(ok))
        if len(ok) < math.ceil(len(row) / 2):
            lo.append(np.nan)
            hi.append(np.nan)
        else:
            alpha = (1 - ci) / 2
            lo.append(np.quantile(ok, alpha))
            hi.append(np.quantile(ok, 1 - alpha))
    return np.array(lo), np.array(hi), np.array(undefined)


def test_intervals_equal_a_per_resample_scikit_learn_loop() -> None:
    m = _tiny()
    res = bootstrap_intervals(m, 0.5, ci=0.9, n_resamples=150, seed=11)
    idx = resample_mod.resample_indices(m.n_inputs, 150, np.random.default_rng(11))
    ref = _reference(m, idx, 0.5)
    got = res.concepts
    for name in METRICS:
        lo, hi, undefined = _quantiles(ref[name], 0.9)
        np.testing.assert_allclose(got[f"{name}_lo"], lo, rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(got[f"{name}_hi"], hi, rtol=1e-12, err_msg=name)
        np.testing.assert_array_equal(got[f"{name}_undefined"], undefined, err_msg=name)
    # The rare concept: some resamples draw no positive.
    assert int(got["roc_auc_undefined"].iloc[3]) > 0
    # Macro: AUC/AP averaged over the concepts each resample defines; P/R/F1 with 0 for undefined.
    for name in METRICS:
        vals = ref[name]
        if name in ("roc_auc", "avg_precision"):
            per = np.nanmean(vals, axis=0)
        else:
            per = np.nan_to_num(vals, nan=0.0).mean(axis=0)
        lo, hi, _ = _quantiles(per[None, :], 0.9)
        np.testing.assert_allclose(res.macro.loc[name, ["lo", "hi"]], [lo[0], hi[0]], rtol=1e-12)


def test_per_concept_thresholds_match_the_reference_loop() -> None:
    m = _tiny(seed=9)
    thresholds = {"a": 0.3, "c": 0.7}
    res = bootstrap_intervals(m, thresholds, default=0.5, n_resamples=60, seed=2)
    idx = resample_mod.resample_indices(m.n_inputs, 60, np.random.default_rng(2))
    for j, concept in enumerate(m.concepts):
        sub = TestSetMatrix.from_arrays(m.scores[:, [j]], m.labels[:, [j]])
        ref = _reference(sub, idx, thresholds.get(concept, 0.5))
        lo, hi, _ = _quantiles(ref["f1"], 0.95)
        np.testing.assert_allclose(res.concepts.loc[j, ["f1_lo", "f1_hi"]], [lo[0], hi[0]])
    assert list(res.concepts["threshold"]) == [0.3, 0.5, 0.7, 0.5]


@pytest.mark.parametrize("drop", [0.0, 0.15])
def test_point_estimates_equal_the_frame_metrics(random_test_set, drop: float) -> None:
    ts = random_test_set(5, n_inputs=80, n_concepts=7, drop=drop)
    thresholds = {"c2": 0.3, "c4": 0.8}
    res = bootstrap_intervals(ts, thresholds, n_resamples=30, seed=0)
    got = res.concepts
    want = metrics.scores(ts)
    np.testing.assert_allclose(got["roc_auc"], want["roc_auc"], rtol=1e-12)
    np.testing.assert_allclose(got["avg_precision"], want["avg_precision"], rtol=1e-12)
    np.testing.assert_array_equal(got["n_positives"], want["num_pos"])
    at = metrics.at_threshold(ts, thresholds)
    for name in ("precision", "recall", "f1"):
        np.testing.assert_allclose(got[name], at[name], rtol=1e-12)
    avg = metrics.averages(ts, thresholds)
    for name in ("precision", "recall", "f1"):
        assert res.macro.loc[name, "value"] == pytest.approx(avg.loc["macro", name], rel=1e-12)
    assert res.macro.loc["roc_auc", "value"] == pytest.approx(np.nanmean(want["roc_auc"]))
    # The concept without positives: no AUC, AP or interval for them; flagged.
    assert np.isnan(got.loc[0, ["roc_auc", "roc_auc_lo", "avg_precision_hi"]].astype(float)).all()
    assert got.loc[0, "too_few_positives"]


def test_point_estimates_equal_scikit_learn_on_arrays() -> None:
    rng = np.random.default_rng(3)
    labels = rng.random((500, 5)) < 0.3
    scores = rng.random((500, 5)).astype(np.float32)
    res = bootstrap_intervals(TestSetMatrix.from_arrays(scores, labels), 0.4, n_resamples=10)
    for j in range(5):
        assert res.concepts.loc[j, "roc_auc"] == pytest.approx(
            roc_auc_score(labels[:, j], scores[:, j]), rel=1e-12
        )
        assert res.concepts.loc[j, "avg_precision"] == pytest.approx(
            average_precision_score(labels[:, j], scores[:, j]), rel=1e-12
        )
    _, _, f1, _ = precision_recall_fscore_support(labels, scores >= np.float32(0.4))
    np.testing.assert_allclose(res.concepts["f1"], f1, rtol=1e-12)
    assert (
        res.concepts[[f"{x}_lo" for x in METRICS]].to_numpy()
        <= res.concepts[list(METRICS)].to_numpy() + 1e-12
    ).all()


def test_chunking_does_not_change_the_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    m = _tiny(seed=8, n=300)
    whole = bootstrap_intervals(m, n_resamples=300, seed=5)
    monkeypatch.setattr(resample_mod, "_CHUNK_ELEMENTS", 1)  # one block of resamples per chunk
    chunked = bootstrap_intervals(m, n_resamples=300, seed=5)
    pd.testing.assert_frame_equal(whole.concepts, chunked.concepts)
    pd.testing.assert_frame_equal(whole.macro, chunked.macro)


def test_same_seed_same_intervals_other_seed_others() -> None:
    m = _tiny()
    one = bootstrap_intervals(m, n_resamples=100, seed=3)
    again = bootstrap_intervals(m, n_resamples=100, seed=3)
    other = bootstrap_intervals(m, n_resamples=100, seed=4)
    generator = bootstrap_intervals(m, n_resamples=100, seed=np.random.default_rng(3))
    pd.testing.assert_frame_equal(one.concepts, again.concepts)
    pd.testing.assert_frame_equal(one.concepts, generator.concepts)
    assert not one.concepts["roc_auc_lo"].equals(other.concepts["roc_auc_lo"])
    assert (one.ci, one.n_resamples, one.method) == (0.95, 100, "percentile")


def test_too_few_positives_is_flagged() -> None:
    m = _tiny(n=200)
    res = bootstrap_intervals(m, n_resamples=50, min_positives=10)
    assert list(res.concepts["too_few_positives"]) == [False, False, False, True]
    assert (
        not bootstrap_intervals(m, n_resamples=50, min_positives=0)
        .concepts.loc[:2, "too_few_positives"]
        .any()
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ci": 0.0}, "ci"),
        ({"ci": 1.0}, "ci"),
        ({"ci": 1.5}, "ci"),
        ({"ci": "95%"}, "ci"),
        ({"n_resamples": 0}, "n_resamples"),
        ({"n_resamples": 2.5}, "n_resamples"),
        ({"seed": "abc"}, "seed"),
        ({"seed": -1}, "seed"),
        ({"min_positives": -1}, "min_positives"),
        ({"threshold": {"nope": 0.5}}, "nope"),
    ],
)
def test_bad_arguments_raise_typed_errors(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        bootstrap_intervals(_tiny(), **kwargs)  # type: ignore[arg-type]


def test_not_a_test_set_raises() -> None:
    with pytest.raises(InvalidArgumentError, match="TestSetMatrix or a test-set DataFrame"):
        bootstrap_intervals([[0.1, 0.2]])


def test_intervals_cover_a_known_auc_and_ap() -> None:
    """Binormal scores: positives N(d, 1), negatives N(0, 1); true AUC = Phi(d / sqrt 2).

    The true AP is estimated once from two million seeded draws.  200 seeded
    repetitions of 600 inputs, 200 resamples each.
    """
    d, prevalence, n = 1.5, 0.2, 600
    auc_true = 0.5 * (1 + math.erf(d / math.sqrt(2) / math.sqrt(2)))
    big = np.random.default_rng(12345)
    y = big.random(2_000_000) < prevalence
    s = big.normal(0, 1, len(y)) + d * y
    ap_true = ranking(rank_orders(s[:, None], y[:, None])[0], np.ones((1, len(y)), np.int8))[1][0]
    covered = {"roc_auc": 0, "avg_precision": 0}
    for rep in range(200):
        rng = np.random.default_rng([7, rep])
        y = rng.random(n) < prevalence
        s = rng.normal(0, 1, n) + d * y
        row = bootstrap_intervals(
            TestSetMatrix.from_arrays(s[:, None], y[:, None]), n_resamples=200, seed=rep
        ).concepts.iloc[0]
        covered["roc_auc"] += row["roc_auc_lo"] <= auc_true <= row["roc_auc_hi"]
        covered["avg_precision"] += row["avg_precision_lo"] <= ap_true <= row["avg_precision_hi"]
    assert covered["roc_auc"] / 200 >= 0.90, covered
    assert covered["avg_precision"] / 200 >= 0.90, covered


def test_large_weights_equal_scikit_learn_sample_weight() -> None:
    """Counts past int8 (kept as int32) weigh exactly as scikit-learn's sample_weight."""
    rng = np.random.default_rng(6)
    labels = rng.random((50, 2)) < 0.4
    scores = rng.random((50, 2)).round(1).astype(np.float32)
    weights = rng.integers(0, 300, size=(3, 50)).astype(np.int32)
    orders = rank_orders(scores, labels)
    for j in range(2):
        auc, ap = ranking(orders[j], weights)
        for b in range(3):
            y, s, w = labels[:, j], scores[:, j], weights[b]
            assert auc[b] == pytest.approx(roc_auc_score(y, s, sample_weight=w), rel=1e-12)
            assert ap[b] == pytest.approx(average_precision_score(y, s, sample_weight=w), rel=1e-12)


def test_an_empty_test_set_raises() -> None:
    empty = TestSetMatrix.from_arrays(np.zeros((0, 2)), np.zeros((0, 2), dtype=bool))
    with pytest.raises(InvalidArgumentError, match="no inputs"):
        bootstrap_intervals(empty)
    no_concepts = TestSetMatrix.from_arrays(np.zeros((3, 0)), np.zeros((3, 0), dtype=bool))
    with pytest.raises(InvalidArgumentError, match="no concepts"):
        bootstrap_intervals(no_concepts)
