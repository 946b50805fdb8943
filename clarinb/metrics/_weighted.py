"""ROC AUC, average precision and threshold counts under integer input weights, many at once.

Everything here works on plain ``scores`` / ``labels`` matrices (inputs x
concepts) and weights of shape ``(n_weightings, n_inputs)``: row ``b``
says how often each input counts (a bootstrap resample; all ones for the
test set itself).  A metric under weights equals the metric of the test set
with each input repeated that many times, as scikit-learn computes it.

Ranking metrics sort each concept's scores once.  Inputs are split into
positives and negatives, each in decreasing score order, and positives are
grouped by distinct score.  Per concept and chunk of weightings, the
weights (int8 when the counts allow: less memory to move) are gathered in
that order and summed cumulatively along the contiguous axis.  Read at each
positive group's end, and where its score falls among the negatives, the
sums give every weighting's true positives and the false positives above and
tied with the group, hence AUC and AP with exact tie handling.
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
    pos_ends : numpy.ndarray
        Index in ``pos`` of the last input of each group of equal scores
        (``Q`` groups).
    neg : numpy.ndarray
        Negative inputs, scores decreasing.
    above, through : numpy.ndarray
        Per positive group: how many negatives score above it, and at or above it.
    """

    pos: np.ndarray
    pos_ends: np.ndarray
    neg: np.ndarray
    above: np.ndarray
    through: np.ndarray


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
        last = np.ones(len(pos), dtype=bool)
        last[:-1] = pos_s[1:] != pos_s[:-1]
        ends = np.flatnonzero(last)
        neg_up = -col[neg]  # increasing
        levels = -pos_s[ends]
        above = np.searchsorted(neg_up, levels, side="left")
        through = np.searchsorted(neg_up, levels, side="right")
        out.append(RankOrder(pos, ends, neg, above, through))
    return out


def _prefix(weights: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """Cumulative sums of ``weights[:, inputs]`` along each row, as int32."""
    sums = np.take(weights, inputs, axis=1).astype(np.int32, copy=False)
    return np.cumsum(sums, axis=1, out=sums)


def _at(prefix: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum of the first ``counts[q]`` gathered rows, per weighting: shape ``(m, Q)``, float64."""
    if not prefix.shape[1]:
        return np.zeros((prefix.shape[0], len(counts)))
    out = prefix[:, np.maximum(counts - 1, 0)].astype(np.float64)
    out[:, counts == 0] = 0.0
    return out


def ranking(order: RankOrder, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ROC AUC and average precision of one concept under each row of ``weights``.

    Parameters
    ----------
    order : RankOrder
        The concept's order, from :func:`rank_orders`.
    weights : numpy.ndarray
        Integer weights, shape ``(m, n_inputs)``.

    Returns
    -------
    roc_auc, avg_precision : numpy.ndarray
        float64, shape ``(m,)``.  AUC is NaN where the weighted positives or
        negatives are 0, AP where the weighted positives are 0.
    """
    m = weights.shape[0]
    if not len(order.pos):
        return np.full(m, np.nan), np.full(m, np.nan)
    tps = _prefix(weights, order.pos)[:, order.pos_ends].astype(np.float64)  # (m, Q)
    group = np.diff(tps, axis=1, prepend=0.0)  # weighted positives of each group
    p = tps[:, -1]
    neg = _prefix(weights, order.neg)
    n = neg[:, -1].astype(np.float64) if neg.shape[1] else np.zeros(m)
    above, through = _at(neg, order.above), _at(neg, order.through)
    # Twice the (positive, negative) pairs ranked right: negatives below count 2, tied 1.
    twice = (group * (2.0 * n[:, None] - above - through)).sum(axis=1)
    den = 2.0 * p * n
    with np.errstate(divide="ignore", invalid="ignore"):
        roc_auc = np.where(den > 0, twice / np.where(den > 0, den, 1.0), np.nan)
        at = tps + through
        precision = np.where(at > 0, tps / np.where(at > 0, at, 1.0), 0.0)
        ap = np.where(p > 0, (group * precision).sum(axis=1) / np.where(p > 0, p, 1.0), np.nan)
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

    float32 holds every count exactly while the weights of a row sum to
    less than 2**24; float64 is used past that.
    """
    dtype = np.float32 if labels.shape[0] < 2**24 else np.float64
    return np.concatenate([labels & predicted, predicted, labels], axis=1).astype(dtype)


def threshold_counts(marks: np.ndarray, weights: np.ndarray) -> Counts:
    """Weighted TP/FP/FN of every concept under each row of ``weights``: one matrix product.

    Parameters
    ----------
    marks : numpy.ndarray
        From :func:`indicators`.
    weights : numpy.ndarray
        Integer weights, shape ``(m, n_inputs)``.

    Returns
    -------
    Counts
    """
    k = marks.shape[1] // 3
    sums = np.rint(weights.astype(marks.dtype) @ marks).astype(np.int64).T
    tp, predicted, positives = sums[:k], sums[k : 2 * k], sums[2 * k :]
    return Counts(tp, predicted - tp, positives - tp)
