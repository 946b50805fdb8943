"""Bootstrap confidence bands on every concept's ROC and precision-recall curve.

Inputs are resampled with replacement, seeded, each resample held as
integer input weights (:mod:`clarinb.metrics._resample`).  A concept's
scores are sorted once; the weights, gathered in that order and summed
cumulatively, give every resample's true and false positives at each
distinct score (one curve point per distinct score, so ties are one point)
in one pass.  Every resampled curve is then read on a fixed grid with one
``searchsorted`` over all resamples at once (each point keyed by its
resample and its place on the grid), and the band is the percentile
interval of the values at each grid point.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import _resample
from clarinb.metrics._weighted import _at, _prefix
from clarinb.metrics.matrix import as_matrix

__all__ = ["curve_bands"]


def _order(col: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort inputs by decreasing score; return each distinct score's last place, positives to it."""
    order = np.argsort(-col, kind="stable")
    s = col[order]
    last = np.ones(len(s), dtype=bool)
    last[:-1] = s[1:] != s[:-1]
    ends = np.flatnonzero(last)
    return order, ends, np.cumsum(truth[order])[ends]


def _keyed(values: np.ndarray, grid: np.ndarray, side: str) -> np.ndarray:
    """Key each point by its row and its place on the grid: non-decreasing over all rows."""
    m = values.shape[0]
    place = np.searchsorted(grid, values.ravel(), side=side).reshape(values.shape)  # type: ignore[call-overload]
    return (place + (len(grid) + 1) * np.arange(m)[:, None]).ravel()


def _read(tp: np.ndarray, fp: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TPR on the FPR grid and precision on the recall grid of each resample: ``(m, G)``."""
    m, q = tp.shape
    p, n = tp[:, -1:], fp[:, -1:]
    zero = np.zeros((m, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        fpr = np.hstack([zero, fp / n])  # the curve starts at (0, 0)
        tpr = np.hstack([zero, tp / p])
        recall = np.hstack([zero, tp / p])
        precision = np.hstack([np.ones((m, 1)), tp / (tp + fp)])  # and at (recall 0, precision 1)
    rows = np.arange(m)[:, None]
    width, base = len(grid) + 1, rows * (q + 1)
    cells = rows * width + np.arange(len(grid))[None, :]
    # ROC: the last point with FPR <= x (the top of a vertical step), joined linearly to the next.
    last = np.searchsorted(_keyed(fpr, grid, "left"), cells, side="right") - base - 1
    nxt = np.minimum(last + 1, q)
    f0, f1 = fpr[rows, last], fpr[rows, nxt]
    t0, t1 = tpr[rows, last], tpr[rows, nxt]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(f1 > f0, (grid[None, :] - f0) / np.where(f1 > f0, f1 - f0, 1.0), 0.0)
    roc = t0 + (t1 - t0) * frac
    # PR: the first point whose recall reaches r.
    first = np.searchsorted(_keyed(recall, grid, "right"), cells + 1, side="left") - base
    pr = precision[rows, np.minimum(first, q)]
    defined = p[:, 0] > 0
    roc[~(defined & (n[:, 0] > 0))] = np.nan
    pr[~defined] = np.nan
    return roc, pr


def _band(values: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile band of one concept's ``(grid, n_resamples)`` values.

    A resample leaves a whole curve undefined or none of it, so the defined
    columns are the same at every grid value: one vectorised quantile over
    them equals :func:`clarinb.metrics._resample.percentile_interval` (whose
    NaN-aware quantile works row by row).
    """
    defined = ~np.isnan(values[0])
    count = int(np.count_nonzero(defined))
    if count < max(1, math.ceil(_resample.MIN_DEFINED_FRACTION * values.shape[1])):
        return np.full(len(values), np.nan), np.full(len(values), np.nan)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(values[:, defined], [alpha, 1.0 - alpha], axis=1)
    return lo, hi


def curve_bands(
    test_set: Any,
    *,
    concepts: Any = None,
    ci: float = 0.95,
    n_resamples: int = 200,
    seed: int | np.random.Generator | None = 0,
    grid: int = 101,
) -> pd.DataFrame:
    """Percentile bootstrap bands of every concept's ROC and precision-recall curve.

    Each resample draws the test set's inputs with replacement.  On a grid
    of ``grid`` evenly spaced values in [0, 1], used as false positive rate
    and as recall, it reads:

    - ROC: the true positive rate of the curve joined linearly point to
      point (one point per distinct score, as scikit-learn's
      ``roc_curve(drop_intermediate=False)``); where the curve rises
      straight up at a grid value, the top of the rise;
    - PR: the precision at the first point (highest threshold) whose
      recall reaches the grid value; at recall 0, the curve's start
      (precision 1), as scikit-learn's ``precision_recall_curve``.  This is
      the precision of the curve as drawn, not the interpolated (best
      reachable) precision.

    The band at a grid value is the ``(1 - ci) / 2`` and ``(1 + ci) / 2``
    quantiles of the resampled values, leaving out resamples that draw no
    positive (and, for ROC, no negative); NaN when fewer than half define it.

    Parameters
    ----------
    test_set : TestSetMatrix or pandas.DataFrame
        The test set; a frame (as :func:`clarinb.frames.test_set` returns)
        is converted with :meth:`TestSetMatrix.from_frame`.
    concepts : sequence of str, optional
        The concepts to draw bands for, in this order; all when ``None``.
    ci : float
        Confidence level, strictly between 0 and 1.
    n_resamples : int
        Number of bootstrap resamples (at least 1).
    seed : int, numpy.random.Generator or None
        Seed of the draws: the same seed gives the same bands.
    grid : int
        Number of grid values, at least 2.

    Returns
    -------
    pandas.DataFrame
        ``grid`` rows per concept: ``concept_id``, ``fpr`` and ``recall``
        (both the grid value), ``tpr_lo``, ``tpr_hi``, ``precision_lo``,
        ``precision_hi``.  NaN for a concept without positives (ROC also
        without negatives).  ``attrs`` holds ``ci`` and ``n_resamples``.

    Raises
    ------
    InvalidArgumentError
        For a bad ``ci``, ``n_resamples``, seed or ``grid``, an unknown
        concept, or a malformed or empty test set.

    Examples
    --------
    >>> import numpy as np
    >>> from clarinb.metrics import TestSetMatrix, curve_bands
    >>> rng = np.random.default_rng(0)
    >>> labels = rng.random((200, 2)) < 0.3
    >>> m = TestSetMatrix.from_arrays(labels + rng.normal(0, 1, labels.shape), labels)
    >>> bands = curve_bands(m, n_resamples=100, grid=11)
    >>> bool((bands["tpr_lo"] <= bands["tpr_hi"]).all())
    True
    """
    level, count, rng = _resample.check_args(ci, n_resamples, seed)
    size = _validate.positive_int(grid, "grid", hint="101 gives a point every 0.01")
    if size < 2:
        raise InvalidArgumentError(f"grid must be at least 2, not {grid!r}.")
    m = as_matrix(test_set)
    if not m.n_inputs:
        raise InvalidArgumentError("the test set has no inputs to resample.")
    wanted = m.concepts if concepts is None else pd.Index(_validate.strings(concepts, "concepts"))
    codes = m.concepts.get_indexer(wanted)
    if (codes < 0).any():
        unknown = [str(c) for c, i in zip(wanted, codes, strict=True) if i < 0]
        raise InvalidArgumentError(f"concepts not in the test set: {unknown[:5]}.")
    xs = np.linspace(0.0, 1.0, size)
    orders = [_order(m.scores[:, j], m.labels[:, j]) for j in codes]
    roc = np.empty((len(codes), size, count))
    pr = np.empty((len(codes), size, count))
    for start, weights in _resample.weight_chunks(m.n_inputs, count, rng):
        part = slice(start, start + weights.shape[0])
        for i, (order, ends, pos_through) in enumerate(orders):
            total = _prefix(weights, order)[:, ends].astype(np.float64)
            tp = _at(_prefix(weights, order[m.labels[order, codes[i]]]), pos_through)
            r, p = _read(tp, total - tp, xs)
            roc[i, :, part], pr[i, :, part] = r.T, p.T
    tpr_lo, tpr_hi = np.concatenate([_band(v, level) for v in roc], axis=1)
    pr_lo, pr_hi = np.concatenate([_band(v, level) for v in pr], axis=1)
    at = np.tile(xs, len(codes))
    frame = pd.DataFrame(
        {
            "concept_id": np.repeat(np.asarray(wanted.astype(str)), size),
            "fpr": at,
            "tpr_lo": tpr_lo,
            "tpr_hi": tpr_hi,
            "recall": at,
            "precision_lo": pr_lo,
            "precision_hi": pr_hi,
        }
    )
    frame.attrs.update(ci=level, n_resamples=count)
    return frame
