"""Average curves over concepts: micro (every decision pooled) and macro (concepts averaged).

The micro average pools every (input, concept) decision into one curve: from a
test set exactly (as scikit-learn's ``roc_curve(Y.ravel(), S.ravel())``), or
from per-concept curves and counts when all concepts share one threshold grid
(as the service's). The macro average is the mean of the concepts' curves on a
fixed grid of 101 rates, each concept weighing the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import read_test_set
from clarinb.metrics.curve_points import _grouped, check_curve_frame
from clarinb.metrics.ranking import ranked_points

__all__ = [
    "GRID",
    "POOLED_EXACT_MAX",
    "macro_curves",
    "mean_of_known",
    "micro_curve",
    "micro_curve_from_counts",
]

#: The rates at which macro averages are taken: 0, 0.01, ..., 1.
GRID = np.linspace(0.0, 1.0, 101)
#: Above this many pooled (input, concept) rows the micro curve is taken at a grid of thresholds.
POOLED_EXACT_MAX = 200_000
_POOLED_GRID = 4001
_MICRO_COLUMNS = ["threshold", "fpr", "tpr", "precision"]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, NaN where ``den`` is 0 (not applicable)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den != 0)


def _pooled_exact(score: np.ndarray, truth: np.ndarray, weight: np.ndarray | None) -> pd.DataFrame:
    """One exact point per distinct score, through the ranking core of the per-concept curves."""
    order = np.argsort(-score, kind="stable")
    w = None if weight is None else weight[order]
    group = np.zeros(len(score), dtype=np.intp)
    p = ranked_points(group, score[order], truth[order], w, pd.Index(["micro"]))
    return pd.DataFrame(
        {
            "threshold": p.threshold.astype(float),
            "fpr": _ratio(p.fps, p.neg[0]),
            "tpr": _ratio(p.tps, p.pos[0]),
            "precision": _ratio(p.tps, p.tps + p.fps),
        }
    )


def _pooled_on_grid(
    score: np.ndarray, truth: np.ndarray, weight: np.ndarray | None
) -> pd.DataFrame:
    """Points at evenly spaced thresholds: each exact, found without a sort."""
    low, high = float(score.min()), float(score.max())
    edges = np.linspace(low, high, _POOLED_GRID) if high > low else np.array([low, low + 1e-12])
    positive_weight = truth.astype(float) if weight is None else weight * truth
    positives, _ = np.histogram(score, bins=edges, weights=positive_weight)
    everything, _ = np.histogram(score, bins=edges, weights=weight)
    return grid_frame(edges, positives, everything)


def grid_frame(edges: np.ndarray, positives: np.ndarray, everything: np.ndarray) -> pd.DataFrame:
    """Turn per-bin counts (positives, all) over a threshold grid into the micro curve's points."""
    tp = np.cumsum(positives[::-1])[::-1].astype(float)  # scores >= each left edge
    predicted = np.cumsum(everything[::-1])[::-1].astype(float)
    fp = predicted - tp
    keep = np.r_[True, np.diff(predicted) != 0]  # one point per distinct count
    frame = pd.DataFrame(
        {
            "threshold": edges[:-1],
            "fpr": _ratio(fp, fp[0]),
            "tpr": _ratio(tp, tp[0]),
            "precision": _ratio(tp, predicted),
        }
    )
    return frame[keep].iloc[::-1].reset_index(drop=True)


def micro_curve(ts: pd.DataFrame) -> pd.DataFrame:
    """Compute the micro-average curve of a test set: every (input, concept) decision pooled.

    An (input, concept) pair with no row is a negative scored 0, as in every
    clarinb metric. Up to :data:`POOLED_EXACT_MAX` rows, one exact point per
    distinct score (scikit-learn's ``roc_curve(Y.ravel(), S.ravel(),
    drop_intermediate=False)`` without its first point); above, exact points
    at 4,001 evenly spaced thresholds (no sort of millions of scores).

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.

    Returns
    -------
    pandas.DataFrame
        ``threshold`` (descending), ``fpr``, ``tpr``, ``precision``; a rate is
        NaN when it does not apply (no negatives, no positives).

    Raises
    ------
    InvalidArgumentError
        For a malformed test set or duplicate (input, concept) rows.
    """
    a = read_test_set(ts)
    rows = np.bincount(a.concept_codes, minlength=a.n_concepts)
    absent = a.inputs_given_rows(rows) - rows
    if (absent < 0).any():
        bad = a.concepts[int(np.argmax(absent < 0))]
        raise InvalidArgumentError(
            f"concept {bad!r} has more rows than the test set has inputs; "
            "drop duplicate (input, concept) rows first."
        )
    score, truth, weight = a.score, a.truth, None
    missing = int(absent.sum())
    if missing:  # absent pairs: negatives scored 0, one weighted row for all of them
        score = np.r_[score, 0.0]
        truth = np.r_[truth, False]
        weight = np.r_[np.ones(len(a.score), dtype=np.int64), missing]
    if not len(score):
        return pd.DataFrame({c: pd.Series(dtype=float) for c in _MICRO_COLUMNS})
    if len(score) > POOLED_EXACT_MAX:
        return _pooled_on_grid(score, truth, weight)
    return _pooled_exact(score, truth, weight)


def micro_curve_from_counts(roc: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame | None:
    """Compute the micro-average curve from per-concept ROC curves and positive/negative counts.

    Exact when every concept has a point at every threshold of one shared
    grid (as the service's 0.01 grid): at each threshold the true and false
    positives of all concepts are summed.

    Parameters
    ----------
    roc : pandas.DataFrame
        ``concept_id``, ``threshold``, ``fpr``, ``tpr``.
    counts : pandas.DataFrame
        ``concept_id``, ``num_pos``, ``num_neg`` (as
        :func:`clarinb.frames.binary_metrics`).

    Returns
    -------
    pandas.DataFrame or None
        ``threshold`` (descending), ``fpr``, ``tpr``, ``precision`` (1 where
        nothing is predicted, the PR curve's convention); ``None`` when the
        counts are missing or the concepts do not share their thresholds.
    """
    roc = check_curve_frame(roc, "ROC")
    if not isinstance(counts, pd.DataFrame) or not {"concept_id", "num_pos", "num_neg"} <= set(
        counts.columns
    ):
        return None
    base = pd.DataFrame(
        {
            "concept_id": counts["concept_id"].astype(str),
            "num_pos": pd.to_numeric(counts["num_pos"], errors="coerce"),
            "num_neg": pd.to_numeric(counts["num_neg"], errors="coerce"),
        }
    ).drop_duplicates("concept_id")
    points = roc[["concept_id", "threshold", "fpr", "tpr"]].astype({"concept_id": str})
    merged = points.merge(base, on="concept_id", how="inner")
    if merged.empty or merged[["fpr", "tpr", "num_pos", "num_neg"]].isna().to_numpy().any():
        return None
    per_threshold = merged.groupby("threshold")["concept_id"].nunique()
    if (per_threshold != merged["concept_id"].nunique()).any():
        return None
    merged["tp"] = merged["tpr"] * merged["num_pos"]
    merged["fp"] = merged["fpr"] * merged["num_neg"]
    sums = merged.groupby("threshold")[["tp", "fp", "num_pos", "num_neg"]].sum()
    sums = sums.sort_index(ascending=False)
    tp, fp = sums["tp"].to_numpy(), sums["fp"].to_numpy()
    precision = _ratio(tp, tp + fp)
    return pd.DataFrame(
        {
            "threshold": sums.index.to_numpy(dtype=float),
            "fpr": _ratio(fp, sums["num_neg"].to_numpy()),
            "tpr": _ratio(tp, sums["num_pos"].to_numpy()),
            "precision": np.where(tp + fp > 0, precision, 1.0),
        }
    )


def _ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Exact ranks of the values ``x`` and of :data:`GRID` among them (for integer keys)."""
    values, inverse = np.unique(np.r_[x, GRID], return_inverse=True)
    return inverse[: len(x)], inverse[len(x) :], len(values)


def _macro_roc(roc: pd.DataFrame) -> np.ndarray:
    """Mean over concepts of TPR at each FPR of the grid, linearly interpolated as ``np.interp``."""
    g, fpr, tpr, _ = _grouped(roc, "fpr", "tpr", y_first=False)
    if not len(g):
        return np.full(GRID.size, np.nan)
    sizes = np.bincount(g)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    rx, rg, width = _ranks(fpr)
    key = g.astype(np.int64) * width + rx
    queries = np.arange(len(sizes), dtype=np.int64)[:, None] * width + rg[None, :]
    left = np.searchsorted(key, queries, side="right") - 1  # last point at or before the rate
    first, last = starts[:, None], (starts + sizes - 1)[:, None]
    j = np.clip(left, first, last)
    k = np.minimum(j + 1, last)
    span = fpr[k] - fpr[j]
    slope = np.divide(tpr[k] - tpr[j], span, out=np.zeros(span.shape), where=span > 0)
    value = tpr[j] + slope * (GRID[None, :] - fpr[j])
    value = np.where(left < first, tpr[j], value)  # before the first point: its TPR
    curves = value[sizes >= 2]
    return curves.mean(axis=0) if len(curves) else np.full(GRID.size, np.nan)


def _macro_pr(pr: pd.DataFrame) -> np.ndarray:
    """Mean over concepts of the interpolated precision (best at that recall or above)."""
    # the order of points of equal recall does not matter here: the PR curve's own order is kept
    g, recall, precision, _ = _grouped(pr, "recall", "precision", y_first=True)
    if not len(g):
        return np.full(GRID.size, np.nan)
    sizes = np.bincount(g)
    ends = np.cumsum(sizes)
    best = pd.Series(precision[::-1]).groupby(g[::-1]).cummax().to_numpy()[::-1]
    rx, rg, width = _ranks(recall)
    key = g.astype(np.int64) * width + rx
    queries = np.arange(len(sizes), dtype=np.int64)[:, None] * width + rg[None, :]
    at = np.searchsorted(key, queries, side="left")  # first point at or above the recall
    inside = at < ends[:, None]
    curves = np.where(inside, best[np.minimum(at, len(best) - 1)], 0.0)
    return curves[sizes > 0].mean(axis=0)  # concepts whose points are all unknown are left out


def macro_curves(roc: pd.DataFrame, pr: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Macro-average curves: the mean over concepts on a fixed grid.

    ROC: mean TPR at FPR 0, 0.01, ..., 1 (linear interpolation, as
    scikit-learn's documented macro average; concepts with fewer than two
    known points are left out). PR: mean interpolated precision (the best
    precision at that recall or above, 0 above the concept's highest recall)
    at recall 0, 0.01, ..., 1.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``fpr``, ``tpr`` and ``recall``, ``precision``; NaN where no concept
        has a curve.

    Raises
    ------
    InvalidArgumentError
        For malformed frames.
    """
    roc = check_curve_frame(roc, "ROC")
    pr = check_curve_frame(pr, "PR")
    return (
        pd.DataFrame({"fpr": GRID, "tpr": _macro_roc(roc)}),
        pd.DataFrame({"recall": GRID, "precision": _macro_pr(pr)}),
    )


def mean_of_known(values: pd.Series) -> float:
    """Mean of the values that are known numbers; NaN ("n/a") when none is, without a warning.

    Examples
    --------
    >>> mean_of_known(pd.Series([0.5, None, 1.0]))
    0.75
    """
    known = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    known = known[np.isfinite(known)]
    return float(known.mean()) if known.size else float("nan")
