"""The largest changes of confusion rates between two models, read from the nonzero cells only.

At thousands of concepts a confusion matrix has millions of cells, almost all
0: a test set of 50,000 inputs fills at most 50,000 of 25 million.  The
change of a cell's rate (:func:`clarinb.metrics.deltas.confusion_rate_change`)
is 0 wherever both counts are, so the largest changes are found among the
nonzero cells, and only the block of the concepts they involve is computed
in full.  The result equals the dense change restricted to those concepts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.metrics.deltas import beyond_noise, check_level, squared

__all__ = ["largest_confusion_changes"]


def _rates(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Divide counts by their rows' totals; 0 in an empty row."""
    return np.where(totals != 0, counts / np.where(totals != 0, totals, 1.0), 0.0)


def _nonzero(counts: np.ndarray) -> np.ndarray:
    """Row-major positions of the nonzero cells, read in the array's own memory order.

    A frame's values are often column-major: flattening them would copy the matrix.
    """
    if counts.flags.f_contiguous and not counts.flags.c_contiguous:
        cols, rows = np.divmod(np.flatnonzero(counts.T), max(counts.shape[0], 1))
        return np.sort(rows * counts.shape[1] + cols)
    return np.flatnonzero(counts)


def largest_confusion_changes(
    first: pd.DataFrame, second: pd.DataFrame, top_n: int, *, ci: float | None = None
) -> tuple[pd.DataFrame, int]:
    """Compute the change of confusion rates on the concepts of the ``top_n`` largest changes.

    Parameters
    ----------
    first, second : pandas.DataFrame
        Count matrices (index actual, columns predicted), as
        :func:`clarinb.metrics.confusion_matrix` returns.
    top_n : int
        How many of the largest off-diagonal changes (by absolute value)
        choose the concepts; ties go to the earlier cell, row by row.
    ci : float, optional
        Keep only changes beyond noise at this level
        (:func:`clarinb.metrics.deltas.confusion_change_beyond_noise`): the
        others are NaN and choose no concept.

    Returns
    -------
    (pandas.DataFrame, int)
        The change, ``second`` minus ``first``, over the chosen concepts
        (actual and predicted of each chosen cell) in the matrices' order,
        and how many concepts the matrices have.  Without any off-diagonal
        change, the first ``top_n`` concepts.

    Raises
    ------
    InvalidArgumentError
        For a ``top_n`` below 1 or a level outside (0, 1).

    Examples
    --------
    >>> ids = ["a", "b", "c"]
    >>> m = pd.DataFrame([[8, 2, 0], [0, 9, 1], [0, 0, 5]], index=ids, columns=ids)
    >>> later = pd.DataFrame([[10, 0, 0], [0, 9, 1], [0, 0, 5]], index=ids, columns=ids)
    >>> change, total = largest_confusion_changes(m, later, 1)
    >>> change.round(2).to_dict("index"), total
    ({'a': {'a': 0.2, 'b': -0.2}, 'b': {'a': 0.0, 'b': 0.0}}, 3)
    """
    top_n = validate.positive_int(top_n, "top_n")
    level = None if ci is None else check_level(ci)
    a, b = squared(first, second)
    c1, c2 = a.to_numpy(), b.to_numpy()
    n = c1.shape[0]
    n1, n2 = c1.sum(axis=1), c2.sum(axis=1)
    cells = np.union1d(_nonzero(c1), _nonzero(c2))  # row by row, as the dense order
    rows, cols = np.divmod(cells, max(n, 1))
    off = rows != cols
    rows, cols = rows[off], cols[off]
    x1, x2 = c1[rows, cols].astype(np.float64), c2[rows, cols].astype(np.float64)
    size = np.abs(_rates(x2, n2[rows]) - _rates(x1, n1[rows]))
    if level is not None:
        size[~beyond_noise(x1, n1[rows], x2, n2[rows], level)] = 0.0
    changed = np.flatnonzero(size > 0)
    if len(changed):
        top = changed[np.argsort(-size[changed], kind="stable")[:top_n]]
        keep = np.unique(np.concatenate([rows[top], cols[top]]))
    else:
        keep = np.arange(min(n, top_n))
    block = np.ix_(keep, keep)
    k1, k2 = c1[block].astype(np.float64), c2[block].astype(np.float64)
    t1, t2 = n1[keep, None], n2[keep, None]
    change = _rates(k2, t2) - _rates(k1, t1)
    if level is not None:
        change = np.where(beyond_noise(k1, t1, k2, t2, level), change, np.nan)
    labels = a.index[keep]
    return pd.DataFrame(change, index=labels, columns=labels), n
