"""Bootstrap intervals (``metrics.bootstrap_intervals``) against a per-resample scikit-learn loop.

The work timed: per-concept ROC AUC, average precision, and precision /
recall / F1 at threshold 0.5, for every bootstrap resample of the inputs,
then their 95% percentile intervals (clarinb also gives the macro rows).
The baseline is the loop a user would write: for each resample, index the
inputs x concepts matrices with the resample's rows and call scikit-learn's
``roc_auc_score`` and ``average_precision_score`` per concept and
``precision_recall_fscore_support`` once, then take the quantiles.

Sizes: 20 concepts x 640 inputs with 1,000 resamples (target under 1 s);
200 concepts x 20,000 inputs with 200 and 1,000 resamples (target at least
50x the loop).

Label-error search (``metrics.label_issues``) at 200 concepts x 20,000
inputs, single-label (softmax scores, 3% of the given labels flipped) and
multi-label, timed against cleanlab's own calls on the same arrays
(``get_label_quality_scores`` and ``find_label_issues``): clarinb adds the
conversion from the test set, the tidy frame and the ranking, and the
ratio shows what that costs.  Each concept has about 5% positives; scores are rounded to
4 decimals, so there are ties.  The loop is timed on a few resamples and
scaled linearly to the full count (its cost per resample is constant); the
line says how many were timed.

Run: ``python benchmarks/bench_intervals.py`` (``... labels`` for the
label-error search alone).
"""

from __future__ import annotations

import numpy as np
from _util import best_of, format_seconds, report, timed  # also puts the repository on sys.path

SMALL = (20, 640, 1000)  # concepts, inputs, resamples
LARGE = (200, 20_000)
LARGE_RESAMPLES = (200, 1000)
TARGET_SMALL_SECONDS = 1.0


def make_matrix(n_concepts: int, n_inputs: int, seed: int) -> object:
    from clarinb.metrics import TestSetMatrix

    rng = np.random.default_rng(seed)
    labels = rng.random((n_inputs, n_concepts)) < 0.05
    scores = (rng.random((n_inputs, n_concepts)) * 0.7 + 0.3 * labels).round(4)
    return TestSetMatrix.from_arrays(scores, labels)


def sklearn_loop(m: object, idx: np.ndarray) -> np.ndarray:
    """Run the baseline (scikit-learn per resample and concept); return the 2.5/97.5% quantiles."""
    import warnings

    from sklearn.metrics import (
        average_precision_score,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    scores, labels = m.scores, m.labels  # type: ignore[attr-defined]
    k = scores.shape[1]
    values = np.full((5, k, len(idx)), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b, rows in enumerate(idx):
            s, y = scores[rows], labels[rows]
            for j in range(k):
                if y[:, j].any() and not y[:, j].all():
                    values[0, j, b] = roc_auc_score(y[:, j], s[:, j])
                if y[:, j].any():
                    values[1, j, b] = average_precision_score(y[:, j], s[:, j])
            p, r, f, _ = precision_recall_fscore_support(y, s >= 0.5, zero_division=np.nan)
            values[2:, :, b] = p, r, f
        return np.nanquantile(values, [0.025, 0.975], axis=2)


def baseline_per_resample(m: object, n_timed: int) -> float:
    """Seconds per resample of :func:`sklearn_loop`, timed on ``n_timed`` resamples."""
    n = m.n_inputs  # type: ignore[attr-defined]
    idx = np.random.default_rng(0).integers(0, n, size=(n_timed, n))
    seconds, _ = timed(lambda: sklearn_loop(m, idx))
    return seconds / n_timed


def check_same_numbers(m: object) -> None:
    """Check, before timing, that clarinb's intervals equal the loop's on the same resamples."""
    from clarinb.metrics import bootstrap_intervals
    from clarinb.metrics._resample import resample_indices

    res = bootstrap_intervals(m, n_resamples=64, seed=3).concepts
    idx = resample_indices(m.n_inputs, 64, np.random.default_rng(3))  # type: ignore[attr-defined]
    want = sklearn_loop(m, idx)
    for i, name in enumerate(("roc_auc", "avg_precision", "precision", "recall", "f1")):
        np.testing.assert_allclose(res[f"{name}_lo"], want[0, i], rtol=1e-9, err_msg=name)
        np.testing.assert_allclose(res[f"{name}_hi"], want[1, i], rtol=1e-9, err_msg=name)


def main() -> None:
    from clarinb.metrics import bootstrap_intervals, paired_bootstrap

    k, n, b = SMALL
    small = make_matrix(k, n, seed=0)
    check_same_numbers(small)
    sizes = f"{k} concepts x {n} inputs, {b:,} resamples"
    fast = best_of(lambda: bootstrap_intervals(small, n_resamples=b), repeat=3, warmup=1)
    n_timed = 50
    base = baseline_per_resample(small, n_timed) * b
    report(
        "bootstrap_intervals vs per-resample scikit-learn loop",
        fast,
        base,
        sizes=f"{sizes}; loop timed on {n_timed} resamples, scaled to {b:,}",
    )
    verdict = "met" if fast < TARGET_SMALL_SECONDS else "NOT met"
    print(f"bootstrap_intervals: {format_seconds(fast)} (target < 1 s: {verdict}) [{sizes}]")
    other = make_matrix(k, n, seed=1)
    paired = best_of(lambda: paired_bootstrap(small, other, n_resamples=b), repeat=3)
    report(
        "paired_bootstrap (two models) vs the loop run for both models",
        paired,
        2 * base,
        sizes=f"{sizes}; loop scaled as above",
    )

    k, n = LARGE
    large = make_matrix(k, n, seed=2)
    n_timed = 3
    per = baseline_per_resample(large, n_timed)
    for b in LARGE_RESAMPLES:
        seconds, _ = timed(lambda b=b: bootstrap_intervals(large, n_resamples=b))
        report(
            f"bootstrap_intervals, {b:,} resamples, vs per-resample scikit-learn loop",
            seconds,
            per * b,
            sizes=f"{k} concepts x {n:,} inputs; loop timed on {n_timed} resamples, "
            f"scaled to {b:,}",
            target=50,
        )


def make_labelled(n_concepts: int, n_inputs: int, seed: int, *, multi: bool) -> object:
    """Make a classifier test set with 3% of given labels flipped (softmax unless ``multi``)."""
    from clarinb.metrics import TestSetMatrix

    rng = np.random.default_rng(seed)
    rows = np.arange(n_inputs)
    if multi:
        truth = rng.random((n_inputs, n_concepts)) < 0.02
        scores = np.clip(np.where(truth, 0.8, 0.05) + rng.normal(0, 0.1, truth.shape), 0, 1)
        labels = truth.copy()
        flip = rng.choice(n_inputs, n_inputs * 3 // 100, replace=False)
        cols = rng.integers(0, n_concepts, len(flip))
        labels[flip, cols] = ~labels[flip, cols]
    else:
        truth = rng.integers(0, n_concepts, n_inputs)
        logits = rng.normal(0, 1, (n_inputs, n_concepts)).astype(np.float32)
        logits[rows, truth] += 6.0
        scores = np.exp(logits)
        scores /= scores.sum(axis=1, keepdims=True)
        given = truth.copy()
        flip = rng.choice(n_inputs, n_inputs * 3 // 100, replace=False)
        given[flip] = (truth[flip] + rng.integers(1, n_concepts, len(flip))) % n_concepts
        labels = np.zeros((n_inputs, n_concepts), dtype=bool)
        labels[rows, given] = True
    return TestSetMatrix.from_arrays(scores, labels)


def cleanlab_direct(m: object, *, multi: bool) -> np.ndarray:
    """Run cleanlab itself on the arrays clarinb gives it; return the issue mask."""
    from cleanlab import filter as cl_filter
    from cleanlab import rank as cl_rank
    from cleanlab.multilabel_classification import filter as ml_filter
    from cleanlab.multilabel_classification import rank as ml_rank

    if multi:
        scores = m.scores.astype(np.float64)  # type: ignore[attr-defined]
        given = [list(np.flatnonzero(row)) for row in m.labels]  # type: ignore[attr-defined]
        ml_rank.get_label_quality_scores(given, scores)
        return ml_filter.find_label_issues(given, scores, n_jobs=1)
    probs = m.scores.astype(np.float64)  # type: ignore[attr-defined]
    probs /= probs.sum(axis=1, keepdims=True)
    given = m.labels.argmax(axis=1)  # type: ignore[attr-defined]
    cl_rank.get_label_quality_scores(given, probs)
    return cl_filter.find_label_issues(given, probs, n_jobs=1)


def label_error_search() -> None:
    """Time ``label_issues`` at 200 concepts x 20,000 inputs against cleanlab called directly."""
    from clarinb.metrics import label_issues

    k, n = LARGE
    for multi in (False, True):
        kind = "multi-label" if multi else "single-label"
        m = make_labelled(k, n, seed=5, multi=multi)
        cleanlab_direct(make_labelled(5, 200, seed=6, multi=multi), multi=multi)  # imports
        base, mask = timed(lambda m=m, multi=multi: cleanlab_direct(m, multi=multi))
        ours, found = timed(lambda m=m, multi=multi: label_issues(m, multi_label=multi))
        assert len(found) == int(mask.sum()), "label_issues flags what cleanlab flags"
        report(
            f"label_issues ({kind}) vs cleanlab's own calls on the same arrays",
            ours,
            base,
            sizes=f"{k} concepts x {n:,} inputs, {len(found):,} inputs flagged; "
            "a ratio under 1 is clarinb's overhead",
        )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["labels"]:
        label_error_search()
    else:
        main()
        label_error_search()
