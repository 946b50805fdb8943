"""Per-concept counts, precision, recall and F1 at any threshold, from sorted columns.

Built once from a :class:`TestSetMatrix`: every concept's scores sorted, and
the scores of its positives sorted.  At a threshold, a concept's predicted
count and true positives are two binary searches, run for all concepts at
once (one vectorised bisection over the rows of the sorted block), so an
update costs about ``2 * log2(n_inputs)`` array steps over the concepts and
nothing over the test set.  The sorted scores take 4 bytes per cell, as
much as the score matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.metrics._arrays import thresholds_per_concept
from clarinb.metrics._sorted import WORKERS, count_below, in_threads, positives, sorted_block
from clarinb.metrics.matrix import TestSetMatrix, check_matrix, float32_at_least
from clarinb.metrics.threshold import _ratio

__all__ = ["PASSES", "ThresholdCounts", "matrix_at_threshold"]

#: Matrix cells transposed and sorted at a time while building.
_CHUNK_CELLS = 1 << 22
#: Thresholds the views count in one pass over the matrix each, before they
#: sort the scores once for the updates that follow (``ThresholdCounts(m, passes=PASSES)``).
PASSES = 2


class ThresholdCounts:
    """Per-concept TP/FP/FN/TN, precision, recall and F1 of a test set at any threshold.

    Equal to :func:`clarinb.metrics.at_threshold` on ``m.to_frame()`` and
    to scikit-learn's ``precision_recall_fscore_support(labels, scores >=
    threshold, average=None, zero_division=0)``.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.
    passes : int
        Count the first ``passes`` thresholds asked for in one pass over the
        matrix each (:func:`matrix_at_threshold`), and sort the scores only
        when a later one is asked for.  A view whose first figure needs one
        threshold, and which may never be moved, then costs one pass, not a
        sort of every score.  ``0`` (the default) sorts at once.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix` or ``passes`` is not a
        non-negative integer.

    Examples
    --------
    >>> import numpy as np
    >>> m = TestSetMatrix.from_arrays(np.array([[0.9, 0.2], [0.4, 0.7]]),
    ...                               np.array([[True, False], [True, False]]))
    >>> ThresholdCounts(m).frame(0.5)[["tp", "fp", "fn", "recall"]].values.tolist()
    [[1.0, 0.0, 1.0, 0.5], [0.0, 1.0, 0.0, 0.0]]
    """

    def __init__(self, m: TestSetMatrix, *, passes: int = 0) -> None:
        self._m = check_matrix(m)
        self._passes_left = _validate.integer(passes, "passes", hint="give 0 to sort at once")
        self._sorted: np.ndarray | None = None
        if not passes:
            self._sort()

    @property
    def is_sorted(self) -> bool:
        """Whether the scores are sorted (every later threshold costs a few binary searches)."""
        return self._sorted is not None

    def _sort(self) -> None:
        m = self._m
        n, k = m.scores.shape
        out = np.empty((k, n), dtype=np.float32)  # row c: concept c's scores, ascending
        step = max(1, _CHUNK_CELLS // max(n * WORKERS, 1))

        def sort_into(c0: int) -> None:  # each block its own rows of the result
            c1 = min(k, c0 + step)
            sorted_block(m.scores, c0, c1, out=out[c0:c1])

        in_threads(sort_into, range(0, k, step))
        pos = positives(m)
        order = np.lexsort((pos.score, pos.concept))
        self._positive = pos.score[order]  # per concept, ascending
        self._pos_starts, self._pos_ends = pos.bounds[:-1], pos.bounds[1:]
        self._row_starts = np.arange(k, dtype=np.intp) * n
        self._sorted = out

    @property
    def matrix(self) -> TestSetMatrix:
        """The test set."""
        return self._m

    def counts(
        self, threshold: float | Mapping[Any, float] | pd.Series = 0.5, *, default: float = 0.5
    ) -> dict[str, np.ndarray]:
        """TP, FP, FN and TN per concept at a threshold.

        Parameters
        ----------
        threshold : float, mapping or Series
            One threshold for every concept, or concept id -> threshold; a
            concept is predicted when its score is at or above it.
        default : float
            Threshold of the concepts a mapping leaves out.

        Returns
        -------
        dict of str to numpy.ndarray
            ``threshold`` (float64), ``tp``, ``fp``, ``fn``, ``tn`` (int64),
            one entry per concept in column order.

        Raises
        ------
        InvalidArgumentError
            For a value that is not a number or a concept the test set lacks.
        """
        n, k = self._m.scores.shape
        given = thresholds_per_concept(threshold, self._m.concepts, default)
        thr = np.full(k, given) if isinstance(given, float) else given
        low = float32_at_least(thr)
        if self._sorted is None and self._passes_left:
            self._passes_left -= 1
            return _pass_counts(self._m, thr, low)
        if self._sorted is None:
            self._sort()
            assert self._sorted is not None
        flat = self._sorted.reshape(-1)
        predicted = n - count_below(flat, self._row_starts, self._row_starts + n, low)
        support = (self._pos_ends - self._pos_starts).astype(np.int64)
        tp = support - count_below(self._positive, self._pos_starts, self._pos_ends, low)
        fp = predicted - tp
        fn = support - tp
        return {
            "threshold": thr.astype(np.float64),
            "tp": tp.astype(np.int64),
            "fp": fp.astype(np.int64),
            "fn": fn.astype(np.int64),
            "tn": (n - tp - fp - fn).astype(np.int64),
        }

    def frame(
        self, threshold: float | Mapping[Any, float] | pd.Series = 0.5, *, default: float = 0.5
    ) -> pd.DataFrame:
        """Return the table :func:`clarinb.metrics.at_threshold` gives, at a threshold.

        Parameters
        ----------
        threshold, default
            As for :meth:`counts`.

        Returns
        -------
        pandas.DataFrame
            ``concept_id``, ``threshold``, ``tp``, ``fp``, ``fn``, ``tn``,
            ``precision``, ``recall``, ``f1`` (0.0 on zero division) and
            ``support``, one row per concept.

        Raises
        ------
        InvalidArgumentError
            As for :meth:`counts`.
        """
        return _table(self._m.concepts, self.counts(threshold, default=default))

    def __repr__(self) -> str:
        return f"ThresholdCounts({self._m!r})"


def _table(concepts: pd.Index, c: dict[str, np.ndarray]) -> pd.DataFrame:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return pd.DataFrame(
        {
            "concept_id": concepts.array,
            **c,
            "precision": _ratio(tp, tp + fp),
            "recall": _ratio(tp, tp + fn),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "support": tp + fn,
        }
    )


def matrix_at_threshold(
    m: TestSetMatrix,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
) -> pd.DataFrame:
    """Per-concept counts and rates at one threshold, in one pass over the matrix.

    The same table as :meth:`ThresholdCounts.frame`, without its sorted
    copy of the scores: for one threshold, a pass over the matrix (a block
    of rows at a time) costs less than building the structure that makes
    every later threshold cheap.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.
    threshold, default
        As for :meth:`ThresholdCounts.counts`.

    Returns
    -------
    pandas.DataFrame
        As :meth:`ThresholdCounts.frame`.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix`, or as for
        :meth:`ThresholdCounts.counts`.

    Examples
    --------
    >>> import numpy as np
    >>> m = TestSetMatrix.from_arrays(np.array([[0.9, 0.2], [0.4, 0.7]]),
    ...                               np.array([[True, False], [True, False]]))
    >>> matrix_at_threshold(m, 0.5)[["tp", "fp", "fn"]].values.tolist()
    [[1, 0, 1], [0, 1, 0]]
    """
    m = check_matrix(m)
    given = thresholds_per_concept(threshold, m.concepts, default)
    thr = np.full(m.n_concepts, given) if isinstance(given, float) else given
    return _table(m.concepts, _pass_counts(m, thr, float32_at_least(thr)))


def _pass_counts(m: TestSetMatrix, thr: np.ndarray, low: np.ndarray) -> dict[str, np.ndarray]:
    """Count TP/FP/FN/TN per concept at ``low`` (float32 bars) in one pass over the matrix."""
    n, k = m.scores.shape
    predicted = np.zeros(k, dtype=np.int64)
    tp = np.zeros(k, dtype=np.int64)
    support = np.zeros(k, dtype=np.int64)
    step = max(1, _CHUNK_CELLS // max(k, 1))
    for r0 in range(0, n, step):  # a block of rows at a time: bounded temporaries
        hit = m.scores[r0 : r0 + step] >= low
        predicted += hit.view(np.uint8).sum(axis=0, dtype=np.int64)
        labels = m.labels[r0 : r0 + step]
        support += labels.view(np.uint8).sum(axis=0, dtype=np.int64)
        hit &= labels
        tp += hit.view(np.uint8).sum(axis=0, dtype=np.int64)
    fp = predicted - tp
    fn = support - tp
    return {
        "threshold": thr.astype(np.float64),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": n - tp - fp - fn,
    }
