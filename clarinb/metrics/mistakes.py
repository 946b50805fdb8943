"""The mistakes to look at first: per concept, the surest false positives and the faintest misses.

At a threshold, a *false positive* of concept ``c`` is an input scored at or
above it for ``c`` without ``c`` in its ground truth; a *missed positive* is
an input with ``c`` in its ground truth scored below it.  The first are
ranked by score, highest first (the model was surest and wrong), the second
by score, lowest first (the model saw least of the concept).  Either is where
a wrong label or a blind spot of the model shows first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["FALSE_POSITIVE", "MISSED", "NO_PREDICTION", "input_outcomes", "mistakes"]

#: The ``predicted`` of an input whose top score is under the threshold.
NO_PREDICTION = "(none)"

#: The ``kind`` of a row of :func:`mistakes`.
FALSE_POSITIVE = "false positive"
MISSED = "missed positive"

_COLUMNS = ["concept_id", "kind", "rank", "input_id", "score", "top_concept", "top_score", "truth"]


#: Matrix cells compared at a time (a block of rows, in cache with its masks).
_BLOCK_CELLS = 1 << 22


class _Best:
    """Per column, the ``k`` best ``(value, row)`` cells so far: highest value, then lowest row.

    ``cutoff`` is each full column's ``k``-th value: a later cell enters only
    above it (at equal value the earlier row already wins).  A merge sorts
    only the columns that received cells; :meth:`result` sorts once at the end.
    """

    def __init__(self, width: int, k: int) -> None:
        self.k = k
        self.rows = np.empty(0, dtype=np.intp)
        self.cols = np.empty(0, dtype=np.intp)
        self.values = np.empty(0, dtype=np.float32)
        self.full = np.zeros(width, dtype=bool)
        self.cutoff = np.full(width, -np.inf, dtype=np.float32)
        self._touched = np.zeros(width, dtype=bool)

    def add(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Merge new cells (rows after every row seen) and keep each column's ``k`` best."""
        if not len(rows):
            return
        self._touched[cols] = True
        mine = self._touched[self.cols]
        rows = np.concatenate([self.rows[mine], rows])
        cols = np.concatenate([self.cols[mine], cols])
        values = np.concatenate([self.values[mine], values])
        order = np.lexsort((rows, -values, cols))
        ranks = _ranks_within(cols[order])
        keep = order[ranks <= self.k]
        kth = order[ranks == self.k]  # the k-th cell of each column that has k
        self.full[cols[kth]] = True
        self.cutoff[cols[kth]] = values[kth]
        self._touched[cols] = False
        self.rows = np.concatenate([self.rows[~mine], rows[keep]])
        self.cols = np.concatenate([self.cols[~mine], cols[keep]])
        self.values = np.concatenate([self.values[~mine], values[keep]])

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the (rows, columns) kept, column by column, best first."""
        order = np.lexsort((self.rows, -self.values, self.cols))
        return self.rows[order], self.cols[order]


def _surest(
    matrix: TestSetMatrix, threshold: float, k: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Per concept, the ``k`` surest false positives and the ``k`` faintest misses.

    One pass over the matrix, a block of rows at a time (the first blocks
    small, then doubling).  Each concept keeps its best cells so far, and a
    cell is a candidate only if it would enter them: once a concept has
    ``k``, the bar is its ``k``-th score, so after the first rows almost no
    cell passes and the work is the comparisons alone.  Ties go to the lower
    input row, as in a stable sort.

    Returns the (rows, columns) of each kind, column by column, best first.
    """
    n, width = matrix.scores.shape
    false_pos, missed = _Best(width, k), _Best(width, k)
    if not n or not width:
        return false_pos.result(), missed.result()
    thr = np.float32(threshold)
    step = max(1, _BLOCK_CELLS // width)
    buffers = [np.empty((step, width), dtype=bool) for _ in range(3)]
    r0, size = 0, 1
    while r0 < n:
        r1 = min(n, r0 + size)
        scores, labels = matrix.scores[r0:r1], matrix.labels[r0:r1]
        wrong, passed, negative = (b[: r1 - r0] for b in buffers)
        # false positive: score >= threshold, not labelled, above the concept's bar
        low = np.where(false_pos.full, np.nextafter(false_pos.cutoff, np.float32(np.inf)), thr)
        np.greater_equal(scores, low, out=passed)
        np.logical_not(labels, out=negative)
        np.logical_and(passed, negative, out=wrong)
        rows, cols = np.divmod(np.flatnonzero(wrong), width)
        false_pos.add(rows + r0, cols, scores[rows, cols])
        # missed: score < threshold, labelled, below the concept's bar (values are -score)
        high = np.where(missed.full, -missed.cutoff, thr)
        np.less(scores, high, out=passed)
        np.logical_and(passed, labels, out=wrong)
        rows, cols = np.divmod(np.flatnonzero(wrong), width)
        missed.add(rows + r0, cols, -scores[rows, cols])
        r0, size = r1, min(step, 2 * size)
    return false_pos.result(), missed.result()


def mistakes(test_set: Any, *, threshold: float = 0.5, k: int = 10) -> pd.DataFrame:
    """Per concept, the ``k`` surest false positives and the ``k`` lowest-scored missed positives.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        The test set (:func:`clarinb.frames.test_set`, or its matrix).
    threshold : float
        A concept is predicted at or above this score.
    k : int
        At most this many inputs of each kind per concept.

    Returns
    -------
    pandas.DataFrame
        One row per mistake: ``concept_id``, ``kind`` (``"false positive"`` or
        ``"missed positive"``), ``rank`` (1 = look first, within the concept
        and kind), ``input_id``, ``score`` (of the concept), ``top_concept``
        and ``top_score`` (the input's highest-scoring concept), ``truth``
        (the input's true concepts, comma-separated).  Sorted by concept,
        kind and rank.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, a threshold outside [0, 1] or a bad ``k``.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"], "concept_id": ["x", "y"] * 2,
    ...                    "score": [0.9, 0.1, 0.8, 0.3], "ground_truth": [True, False] * 2})
    >>> mistakes(ts, threshold=0.5)[["concept_id", "kind", "input_id"]].to_dict("records")
    []
    """
    threshold = validate.probability(threshold, "threshold")
    k = validate.positive_int(k, "k")
    matrix = as_matrix(test_set)
    scores = matrix.scores
    (fp_rows, fp_cols), (miss_rows, miss_cols) = _surest(matrix, threshold, k)
    top_codes, top_scores = matrix.top1()
    shown = np.unique(np.concatenate([fp_rows, miss_rows]))
    truth = np.full(matrix.n_inputs, "", dtype=object)
    truth[shown] = _truth_text(matrix, shown)
    parts = []
    for kind, rows, cols in ((FALSE_POSITIVE, fp_rows, fp_cols), (MISSED, miss_rows, miss_cols)):
        ranks = _ranks_within(cols)
        parts.append(
            pd.DataFrame(
                {
                    "concept_id": matrix.concepts[cols].astype(str),
                    "kind": kind,
                    "rank": ranks,
                    "input_id": matrix.inputs[rows].astype(str),
                    "score": _shown(scores[rows, cols]),
                    "top_concept": matrix.concepts[top_codes[rows]].astype(str)
                    if matrix.n_concepts
                    else "",
                    "top_score": _shown(top_scores[rows]),
                    "truth": truth[rows],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_COLUMNS)
    out = out.sort_values(["concept_id", "kind", "rank"], kind="stable", ignore_index=True)
    return out[_COLUMNS]


def input_outcomes(test_set: Any, *, threshold: float = 0.5) -> pd.DataFrame:
    """Each input's true concepts, top prediction and whether it is right, surest wrong first.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        The test set.
    threshold : float
        The top concept counts as predicted at or above this score; under
        it the input has no prediction (``"(none)"``), which counts as wrong.

    Returns
    -------
    pandas.DataFrame
        One row per input: ``input_id``, ``truth`` (comma-separated),
        ``predicted``, ``top_score``, ``correct``. Wrong inputs come first,
        highest top score first ("most confident wrong"), then right ones,
        lowest top score first.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"], "concept_id": ["x", "y"] * 2,
    ...                    "score": [0.9, 0.1, 0.2, 0.7], "ground_truth": [True, False] * 2})
    >>> input_outcomes(ts)[["input_id", "predicted", "correct"]].values.tolist()
    [['b', 'y', False], ['a', 'x', True]]
    """
    threshold = validate.probability(threshold, "threshold")
    matrix = as_matrix(test_set)
    codes, best = matrix.top1()
    rows = np.arange(matrix.n_inputs)
    predicted_at = best >= np.float32(threshold)
    hit = np.zeros(matrix.n_inputs, dtype=bool)
    if matrix.n_concepts:
        hit = matrix.labels[rows, np.maximum(codes, 0)] & predicted_at
    names = matrix.concepts.astype(str).to_numpy()
    predicted = (
        np.where(predicted_at, names[np.maximum(codes, 0)], NO_PREDICTION)
        if len(names)
        else np.full(matrix.n_inputs, NO_PREDICTION)
    )
    out = pd.DataFrame(
        {
            "input_id": matrix.inputs.astype(str),
            "truth": _truth_text(matrix),
            "predicted": predicted,
            "top_score": _shown(best),
            "correct": hit,
        }
    )
    key = np.where(hit, out["top_score"], -out["top_score"])
    order = np.lexsort((key, hit))
    return out.iloc[order].reset_index(drop=True)


def _shown(values: np.ndarray) -> np.ndarray:
    """float32 scores as the float64 they were given as (float32 keeps about 7 digits)."""
    return np.round(values.astype(np.float64), 6)


def _ranks_within(cols: np.ndarray) -> np.ndarray:
    """1, 2, ... within each run of equal column codes (the picks come column by column)."""
    if not len(cols):
        return np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(cols)) + 1]
    lengths = np.diff(np.r_[starts, len(cols)])
    return np.arange(len(cols)) - np.repeat(starts, lengths) + 1


def _truth_text(matrix: TestSetMatrix, rows: np.ndarray | None = None) -> np.ndarray:
    """Join the true concepts of each input (of ``rows``: increasing) with commas, as objects.

    The labels are read a block of rows at a time, in place: no copy of the
    rows asked for, which may be most of a large matrix.
    """
    n, width = matrix.labels.shape
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.intp)
    wanted = np.zeros(n, dtype=bool)
    wanted[rows] = True
    found_parts, col_parts = [], []
    step = max(1, _BLOCK_CELLS // max(width, 1))
    for r0 in range(0, n, step):
        found, cols = np.divmod(np.flatnonzero(matrix.labels[r0 : r0 + step]), max(width, 1))
        found += r0
        keep = wanted[found]
        found_parts.append(found[keep])
        col_parts.append(cols[keep])
    found = np.searchsorted(rows, np.concatenate(found_parts or [np.empty(0, np.intp)]))
    cols = np.concatenate(col_parts or [np.empty(0, np.intp)])
    names = matrix.concepts.astype(str).to_numpy(dtype=object)
    counts = np.bincount(found, minlength=len(rows))
    starts = np.cumsum(counts) - counts
    out = np.full(len(rows), "", dtype=object)
    one = np.flatnonzero(counts == 1)  # single-label inputs: no join
    out[one] = names[cols[starts[one]]]
    for i in np.flatnonzero(counts > 1):
        out[i] = ", ".join(names[cols[starts[i] : starts[i] + counts[i]]])
    return out
