"""ROC AUC, average precision and threshold counts under integer input weights, many at once.

Everything here works on plain ``scores`` / ``labels`` matrices (inputs x
concepts) and weights of shape ``(n_inputs, n_weightings)``: column ``b``
says how often each input counts (a bootstrap resample; all ones for the
test set itself).  A metric under weights equals the metric of the test set
with each input repeated that many times, as scikit-learn computes it.

Ranking metrics sort each concept's scores once.  Inputs are split into
positives and negatives; positives are grouped by distinct score, and the
negatives into the runs between and tied with those groups.  Weighted sums
of the groups and runs (one gather and one ``add.reduceat`` per concept and
chunk of weightings) then give every weighting's AUC and AP through
cumulative sums over the groups, with exact tie handling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Counts", "RankOrder", "indicators", "rank_orders", "ranking", "threshold_counts"]


@dataclass(frozen=True)
class RankOrder:
    """One concept's inputs in decreasing score order, split into positives and negatives.

    Attributes
    ----------
    pos : numpy.ndarray
        Positive inputs, scores decreasing.
    pos_starts : numpy.ndarray
        Start in ``pos`` of each group of equal scores (``Q`` groups).
    neg : numpy.ndarray
        Negative inputs, scores decreasing.
    neg_bounds : numpy.ndarray
        ``2Q + 2`` bounds into ``neg``: run ``2q`` holds the negatives scored
        above positive group ``q`` (and below group ``q - 1``), run ``2q + 1``
        those tied with it, run ``2Q`` those below every positive.
    """

    pos: np.ndarray
    pos_starts: np.ndarray
    neg: np.ndarray
    neg_bounds: np.ndarray


def rank_orders(scores: np.ndarray, labels: np.ndarray) -> list[RankOrder]:
    """Sort every concept's scores once, for :func:`ranking`.

    Parameters
    ----------
    scores : numpy.ndarray
        Shape ``(n_inputs, n_concepts)``.
    labels : numpy.ndarray
        bool, the same shape.

    Returns
    -------
    list of RankOrder
        One per concept.
    """
    out = []
    for j in range(scores.shape[1]):
        col = scores[:, j]
        order = np.argsort(-col, kind="stable")
        truth = labels[order, j]
        pos, neg = order[truth], order[~truth]
        pos_s = col[pos]
        first = np.ones(len(pos), dtype=bool)
        first[1:] = pos_s[1:] != pos_s[:-1]
        starts = np.flatnonzero(first)
        neg_desc = -col[neg]  # increasing
        levels = -pos_s[starts]
        above = np.searchsorted(neg_desc, levels, side="left")
        through = np.searchsorted(neg_desc, levels, side="right")
        bounds = np.empty(2 * len(starts) + 2, dtype=np.intp)
        bounds[0], bounds[-1] = 0, len(neg)
        bounds[1:-1:2], bounds[2:-1:2] = above, through
        out.append(RankOrder(pos.astype(np.intp), starts, neg.astype(np.intp), bounds))
    return out


def _segment_sums(rows: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sum ``rows[bounds[i]:bounds[i + 1]]`` for every ``i`` (zero rows for empty runs)."""
    starts = bounds[:-1]
    nonempty = starts < bounds[1:]
    out = np.zeros((len(starts), rows.shape[1]), dtype=np.int64)
    if nonempty.any():
        out[nonempty] = np.add.reduceat(rows, starts[nonempty], axis=0)
    return out


def ranking(order: RankOrder, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ROC AUC and average precision of one concept under each column of ``weights``.

    Parameters
    ----------
    order : RankOrder
        The concept's order, from :func:`rank_orders`.
    weights : numpy.ndarray
        Integer weights, shape ``(n_inputs, m)``.

    Returns
    -------
    roc_auc, avg_precision : numpy.ndarray
        float64, shape ``(m,)``.  AUC is NaN where the weighted positives or
        negatives are 0, AP where the weighted positives are 0.
    """
    m = weights.shape[1]
    if not len(order.pos):
        return np.full(m, np.nan), np.full(m, np.nan)
    pos_w = _segment_sums(weights[order.pos], np.append(order.pos_starts, len(order.pos)))
    neg_w = _segment_sums(weights[order.neg], order.neg_bounds)
    cum_p = np.cumsum(pos_w, axis=0)
    prev_p = cum_p - pos_w
    p = cum_p[-1]
    n = neg_w.sum(axis=0)
    before, tied = neg_w[0::2], neg_w[1::2]
    # Twice the number of (positive, negative) pairs ranked right, a tie counting half.
    twice = 2 * (before[:-1] * prev_p).sum(axis=0) + 2 * before[-1] * p
    twice += (tied * (2 * prev_p + pos_w)).sum(axis=0)
    den = 2.0 * p * n
    fps = np.cumsum(neg_w, axis=0)[1::2]  # negatives scored at or above each group
    with np.errstate(divide="ignore", invalid="ignore"):
        roc_auc = np.where(den > 0, twice / np.where(den > 0, den, 1.0), np.nan)
        at = cum_p + fps
        precision = np.where(at > 0, cum_p / np.where(at > 0, at, 1), 0.0)
        ap = np.where(p > 0, (pos_w * precision).sum(axis=0) / np.where(p > 0, p, 1), np.nan)
    return roc_auc, ap


@dataclass(frozen=True)
class Counts:
    """Weighted TP/FP/FN per concept and weighting, shape ``(n_concepts, m)`` each."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray

    def rates(self) -> dict[str, np.ndarray]:
        """Precision, recall and F1, NaN where their denominator is 0."""
        tp, fp, fn = self.tp, self.fp, self.fn
        with np.errstate(divide="ignore", invalid="ignore"):
            return {
                "precision": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
                "recall": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
                "f1": np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan),
            }


def indicators(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Stack [labels & predicted, predicted, labels] into one ``(n_inputs, 3k)`` matrix.

    float32 holds every count exactly while the weights of a column sum to
    less than 2**24; float64 is used past that.
    """
    dtype = np.float32 if labels.shape[0] < 2**24 else np.float64
    return np.concatenate([labels & predicted, predicted, labels], axis=1).astype(dtype)


def threshold_counts(marks: np.ndarray, weights: np.ndarray) -> Counts:
    """Weighted TP/FP/FN of every concept under each column of ``weights``: one matrix product.

    Parameters
    ----------
    marks : numpy.ndarray
        From :func:`indicators`.
    weights : numpy.ndarray
        Integer weights, shape ``(n_inputs, m)``.

    Returns
    -------
    Counts
    """
    k = marks.shape[1] // 3
    sums = np.rint(marks.T @ weights.astype(marks.dtype)).astype(np.int64)
    tp, predicted, positives = sums[:k], sums[k : 2 * k], sums[2 * k :]
    return Counts(tp, predicted - tp, positives - tp)
