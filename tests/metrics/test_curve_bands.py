"""Bootstrap bands on ROC and PR curves: exact against a per-resample scikit-learn loop."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import precision_recall_curve, roc_curve

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix, curve_bands
from clarinb.metrics import _resample as resample_mod


def _synthetic(n: int, seed: int, k: int = 3) -> TestSetMatrix:
    rng = np.random.default_rng(seed)
    labels = rng.random((n, k)) < 0.3
    scores = (rng.normal(0, 1, (n, k)) + 1.2 * labels).round(2)
    return TestSetMatrix.from_arrays(scores, labels, concepts=[f"c{j}" for j in range(k)])


def _lookup(y: np.ndarray, s: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TPR on the FPR grid (linear between points, top of a vertical step) and precision
    at the first point reaching each recall, from scikit-learn's curves."""
    tpr_at = np.full(len(grid), np.nan)
    prec_at = np.full(len(grid), np.nan)
    if y.any() and not y.all():
        fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
        for g, x in enumerate(grid):
            i = int(np.searchsorted(fpr, x, side="right")) - 1
            if i + 1 < len(fpr):
                frac = (x - fpr[i]) / (fpr[i + 1] - fpr[i])
                tpr_at[g] = tpr[i] + (tpr[i + 1] - tpr[i]) * frac
            else:
                tpr_at[g] = tpr[i]
    if y.any():
        precision, recall, _ = precision_recall_curve(y, s)
        precision, recall = precision[::-1], recall[::-1]  # thresholds decreasing
        for g, r in enumerate(grid):
            prec_at[g] = precision[int(np.argmax(recall >= r))]
    return tpr_at, prec_at


def test_equals_a_loop_over_resamples_with_sklearn() -> None:
    rng = np.random.default_rng(4)
    labels = rng.random((40, 3)) < 0.4
    labels[:, 2] = False
    labels[[5, 17], 2] = True  # rare: some resamples draw no positive
    scores = (rng.random((40, 3)) * 0.6 + 0.4 * labels).round(1)  # many ties
    m = TestSetMatrix.from_arrays(scores, labels, concepts=["a", "b", "rare"])
    got = curve_bands(m, n_resamples=60, seed=3, grid=21)
    grid = np.linspace(0, 1, 21)
    idx = resample_mod.resample_indices(40, 60, np.random.default_rng(3))
    for j, concept in enumerate(m.concepts):
        tprs = np.full((21, 60), np.nan)
        precs = np.full((21, 60), np.nan)
        for b in range(60):
            tprs[:, b], precs[:, b] = _lookup(labels[idx[b], j], scores[idx[b], j], grid)
        rows = got[got["concept_id"] == str(concept)]
        np.testing.assert_allclose(rows["fpr"], grid)
        np.testing.assert_allclose(rows["recall"], grid)
        for name, values in (("tpr", tprs), ("precision", precs)):
            lo, hi, _ = resample_mod.percentile_interval(values, 0.95)
            np.testing.assert_allclose(rows[f"{name}_lo"], lo, atol=1e-12)
            np.testing.assert_allclose(rows[f"{name}_hi"], hi, atol=1e-12)


def test_bands_hold_the_whole_sample_curve() -> None:
    m = _synthetic(400, seed=1)
    bands = curve_bands(m, n_resamples=200, seed=0)
    grid = np.linspace(0, 1, 101)
    for j, concept in enumerate(m.concepts):
        tpr, precision = _lookup(m.labels[:, j], m.scores[:, j], grid)
        rows = bands[bands["concept_id"] == str(concept)]
        inside = (rows["tpr_lo"] <= tpr + 1e-12) & (tpr <= rows["tpr_hi"] + 1e-12)
        assert inside.mean() >= 0.9
        inside = (rows["precision_lo"] <= precision + 1e-12) & (
            precision <= rows["precision_hi"] + 1e-12
        )
        assert inside.mean() >= 0.9


def test_bands_narrow_with_more_inputs() -> None:
    small = curve_bands(_synthetic(100, seed=2), n_resamples=300, seed=0)
    large = curve_bands(_synthetic(3000, seed=2), n_resamples=300, seed=0)
    for name in ("tpr", "precision"):
        narrow = (large[f"{name}_hi"] - large[f"{name}_lo"]).mean()
        wide = (small[f"{name}_hi"] - small[f"{name}_lo"]).mean()
        assert narrow < 0.5 * wide


def test_nan_without_positives_or_negatives() -> None:
    m = _synthetic(120, seed=3)
    labels = m.labels.copy()
    labels[:, 0] = False  # no positives
    labels[:, 1] = True  # no negatives
    m = TestSetMatrix.from_arrays(m.scores, labels, concepts=["none", "all", "some"])
    bands = curve_bands(m, n_resamples=50).set_index("concept_id")
    assert (
        bands.loc["none"][["tpr_lo", "tpr_hi", "precision_lo", "precision_hi"]]
        .isna()
        .to_numpy()
        .all()
    )
    assert bands.loc["all"][["tpr_lo", "tpr_hi"]].isna().to_numpy().all()
    assert bands.loc["all"][["precision_lo", "precision_hi"]].notna().to_numpy().all()
    some = bands.loc["some"]
    assert some.notna().to_numpy().all()
    assert (some["tpr_lo"] <= some["tpr_hi"]).all()


def test_frame_from_a_test_set_frame_and_a_concept_subset() -> None:
    m = _synthetic(80, seed=5, k=4)
    bands = curve_bands(m.to_frame(), concepts=["c1", "c3"], n_resamples=20, grid=11)
    assert list(bands.columns) == [
        "concept_id",
        "fpr",
        "tpr_lo",
        "tpr_hi",
        "recall",
        "precision_lo",
        "precision_hi",
    ]
    assert bands["concept_id"].tolist() == ["c1"] * 11 + ["c3"] * 11
    assert bands.attrs["ci"] == 0.95
    full = curve_bands(m, n_resamples=20, grid=11)
    np.testing.assert_array_equal(
        full[full["concept_id"] == "c3"]["tpr_lo"].to_numpy(),
        bands[bands["concept_id"] == "c3"]["tpr_lo"].to_numpy(),
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"ci": 1.5}, {"n_resamples": 0}, {"grid": 1}, {"concepts": ["nope"]}, {"seed": "x"}],
)
def test_bad_arguments_are_refused(kwargs: dict) -> None:
    with pytest.raises(InvalidArgumentError):
        curve_bands(_synthetic(30, seed=0), **kwargs)
