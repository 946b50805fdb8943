"""What the curve views read from a :class:`TestSetMatrix` beside the curves themselves.

The micro-average curve (every (input, concept) decision pooled) and each
concept's exact operating point at a threshold, both straight from the
score and label matrices: no long frame, no sort of the pooled scores.
Equal to :func:`clarinb.metrics.micro_curve` and
:func:`clarinb.metrics.exact_operating_points` on ``m.to_frame()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb.metrics.curve_averages import (
    _POOLED_GRID,
    POOLED_EXACT_MAX,
    _pooled_exact,
    _ratio,
    grid_frame,
)
from clarinb.metrics.matrix import TestSetMatrix, check_matrix, float32_at_least

__all__ = ["MicroGrid", "matrix_micro_curve", "matrix_operating_points"]

#: Matrix cells binned at a time by :func:`matrix_micro_curve` (bounds its temporaries).
_CHUNK_CELLS = 1 << 21


def matrix_micro_curve(m: TestSetMatrix) -> pd.DataFrame:
    """Compute the micro-average curve of a test set matrix.

    Up to :data:`~clarinb.metrics.curve_averages.POOLED_EXACT_MAX` cells,
    one exact point per distinct score; above, exact points at 4,001 evenly
    spaced thresholds between the lowest and highest score, counted by one
    pass over the matrix in row blocks (no sort).

    Parameters
    ----------
    m : TestSetMatrix
        The test set.

    Returns
    -------
    pandas.DataFrame
        ``threshold`` (descending), ``fpr``, ``tpr``, ``precision``, as
        :func:`clarinb.metrics.micro_curve`.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix`.

    Examples
    --------
    >>> import numpy as np
    >>> m = TestSetMatrix.from_arrays(np.array([[0.9, 0.1], [0.4, 0.7]]),
    ...                               np.array([[True, False], [False, True]]))
    >>> matrix_micro_curve(m)["tpr"].tolist()
    [0.5, 1.0, 1.0, 1.0]
    """
    check_matrix(m)
    score = m.scores.reshape(-1)
    if not score.size:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in _COLUMNS})
    if score.size <= POOLED_EXACT_MAX:
        return _pooled_exact(score.astype(np.float64), m.labels.reshape(-1), None)
    grid = MicroGrid(m)
    # A float32 score s is >= an edge e exactly when s >= the smallest float32 >= e: each
    # score's bin is guessed in float32 and checked against those edges, as np.histogram
    # bins (a score on an edge opens its bin; the top edge closes the last one).
    opens, bins = grid.opens, grid.bins
    rows = max(1, _CHUNK_CELLS // max(m.n_concepts, 1))
    low32 = np.float32(grid.edges[0])
    scale32 = np.float32(bins / (grid.edges[-1] - grid.edges[0]))
    for r0 in range(0, m.n_inputs, rows):
        s = m.scores[r0 : r0 + rows].reshape(-1)
        guess = s - low32
        guess *= scale32
        idx = guess.astype(np.intp)  # off by at most one bin, corrected below
        np.clip(idx, 0, bins - 1, out=idx)
        idx -= s < opens[idx]
        idx += (idx < bins - 1) & (s >= opens[idx + 1])
        grid.everything += np.bincount(idx, minlength=bins)
        grid.positives += np.bincount(idx[m.labels[r0 : r0 + rows].reshape(-1)], minlength=bins)
    return grid.frame()


class MicroGrid:
    """The counts behind a large matrix's micro-average curve, on its threshold grid.

    4,001 evenly spaced thresholds between the matrix's lowest and highest
    score; per bin, how many cells and how many positive cells score in it
    (a score on an edge opens its bin; the top edge closes the last one).
    :func:`matrix_micro_curve` fills it by one pass over the rows;
    :func:`clarinb.metrics.matrix_curves` fills it from the columns it has
    sorted anyway (:meth:`add_sorted`), so the curve then costs no pass of
    its own.

    Parameters
    ----------
    m : TestSetMatrix
        A matrix with at least one cell.
    """

    def __init__(self, m: TestSetMatrix) -> None:
        low, high = float(m.scores.min()), float(m.scores.max())
        self.edges = (
            np.linspace(low, high, _POOLED_GRID) if high > low else np.array([low, low + 1e-12])
        )
        self.bins = len(self.edges) - 1
        self.opens = float32_at_least(self.edges)
        self.everything = np.zeros(self.bins, dtype=np.int64)
        self.positives = np.zeros(self.bins, dtype=np.int64)
        self._at_least = np.zeros(self.bins, dtype=np.int64)

    def add_sorted(self, block: np.ndarray, positive_scores: np.ndarray) -> None:
        """Count a block of columns, each row sorted ascending, and the scores of its positives."""
        left = self.opens[: self.bins]
        n = block.shape[1]
        for row in block:  # a row: n - (cells below each edge) = cells at or above it
            self._at_least += n - np.searchsorted(row, left, side="left")
        idx = np.searchsorted(left, positive_scores, side="right") - 1
        self.positives += np.bincount(idx, minlength=self.bins)

    def frame(self) -> pd.DataFrame:
        """Return the micro-average curve of the counts, as :func:`matrix_micro_curve`."""
        self.everything += self._at_least - np.r_[self._at_least[1:], 0]
        self._at_least[:] = 0
        return grid_frame(self.edges, self.positives, self.everything)


_COLUMNS = ["threshold", "fpr", "tpr", "precision"]


def matrix_operating_points(
    m: TestSetMatrix, threshold: float, concepts: Any = None
) -> pd.DataFrame:
    """Each concept's exact ROC and PR point at a threshold, from a test set matrix.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.
    threshold : float
        A score at or above it is a positive prediction.
    concepts : sequence of str, optional
        The concepts wanted (ids of ``m.concepts``; unknown ids are left
        out); all when ``None``.  Only their columns are read; rows come in
        the matrix's concept order.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (str), ``threshold``, ``fpr`` (NaN for a concept
        without negatives), ``tpr`` (= recall; 0 without positives) and
        ``precision`` (0 where nothing is predicted), as
        :func:`clarinb.metrics.exact_operating_points`.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix`.
    """
    check_matrix(m)
    if concepts is None:
        cols = np.arange(m.n_concepts)
    else:
        found = m.concepts.astype(str).get_indexer(pd.Index([str(c) for c in concepts]))
        cols = np.unique(found[found >= 0])
    at = float32_at_least(threshold)
    tp = np.zeros(len(cols), dtype=np.int64)
    predicted = np.zeros(len(cols), dtype=np.int64)
    pos = np.zeros(len(cols), dtype=np.int64)
    rows = max(1, _CHUNK_CELLS // max(len(cols), 1))
    whole = len(cols) == m.n_concepts
    for r0 in range(0, m.n_inputs, rows):
        block = m.scores[r0 : r0 + rows]
        labels = m.labels[r0 : r0 + rows]
        if not whole:
            block, labels = block[:, cols], labels[:, cols]
        hit = block >= at
        predicted += hit.sum(axis=0)
        pos += labels.sum(axis=0)
        hit &= labels
        tp += hit.sum(axis=0)
    fp = predicted - tp
    neg = m.n_inputs - pos
    return pd.DataFrame(
        {
            "concept_id": m.concepts[cols].astype(str).to_numpy(),
            "threshold": np.full(len(cols), float(threshold)),
            "fpr": _ratio(fp, neg),
            "tpr": np.divide(tp, pos, out=np.zeros(len(cols)), where=pos > 0),
            "precision": np.divide(tp, predicted, out=np.zeros(len(cols)), where=predicted > 0),
        }
    )
