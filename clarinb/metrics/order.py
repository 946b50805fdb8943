"""Orderings and subsets of the concepts of a confusion matrix.

All functions work on a square count matrix (actual rows, predicted columns,
in the same concept order) as a numpy array and return integer positions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError

__all__ = ["ORDERS", "cluster_order", "concept_order", "most_errors", "top_confused"]

#: The concept orders a confusion matrix can be shown in.
ORDERS = ("body", "name", "error", "cluster")


def _similarity(counts: np.ndarray) -> np.ndarray:
    """Symmetric confusion similarity: off-diagonal counts, row-normalised, both ways."""
    rows = counts.sum(axis=1, keepdims=True).astype(float)
    rates = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    sim = rates + rates.T
    np.fill_diagonal(sim, 0.0)
    return sim


def cluster_order(counts: np.ndarray) -> np.ndarray:
    """Order concepts so that concepts confused with each other sit together.

    Average-linkage hierarchical clustering on the symmetric confusion rate
    (scipy's, with optimal leaf ordering, when scipy is installed); without
    scipy a greedy chain that always steps to the most confusable concept left.

    Parameters
    ----------
    counts : numpy.ndarray
        Square matrix of counts, actual rows by predicted columns.

    Returns
    -------
    numpy.ndarray
        A permutation of ``range(len(counts))``.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([[5, 0, 4], [0, 5, 0], [4, 0, 5]])
    >>> order = cluster_order(m).tolist()
    >>> abs(order.index(0) - order.index(2))
    1
    """
    n = counts.shape[0]
    if n <= 2:
        return np.arange(n)
    sim = _similarity(counts)
    try:
        from scipy.cluster.hierarchy import (  # noqa: PLC0415 - optional
            leaves_list,
            linkage,
            optimal_leaf_ordering,
        )
        from scipy.spatial.distance import squareform  # noqa: PLC0415
    except ImportError:  # pragma: no cover - scipy is optional
        return _greedy_chain(sim)
    dist = sim.max() - sim
    np.fill_diagonal(dist, 0.0)
    condensed = squareform(dist, checks=False)
    tree = linkage(condensed, method="average")
    if n <= 300:
        tree = optimal_leaf_ordering(tree, condensed)
    return np.asarray(leaves_list(tree), dtype=int)


def _greedy_chain(sim: np.ndarray) -> np.ndarray:
    """Nearest-neighbour chain over a similarity matrix, from the most confused concept."""
    n = sim.shape[0]
    left = np.ones(n, dtype=bool)
    current = int(sim.sum(axis=1).argmax())
    order = [current]
    left[current] = False
    for _ in range(n - 1):
        candidates = np.where(left, sim[current], -np.inf)
        current = int(candidates.argmax())
        order.append(current)
        left[current] = False
    return np.asarray(order, dtype=int)


def concept_order(counts: np.ndarray, names: Sequence[str], how: str) -> np.ndarray:
    """Positions of the concepts in the requested order.

    Parameters
    ----------
    counts : numpy.ndarray
        Square matrix of counts, actual rows by predicted columns.
    names : sequence of str
        Display name of each concept (used by ``"name"``).
    how : {"body", "name", "error", "cluster"}
        ``"body"`` keeps the given order, ``"name"`` sorts by name,
        ``"error"`` puts the highest error rate (off-diagonal share of the
        row) first, ``"cluster"`` groups confusable concepts.

    Returns
    -------
    numpy.ndarray
        A permutation of ``range(len(names))``.

    Raises
    ------
    InvalidArgumentError
        For an unknown order.

    Examples
    --------
    >>> import numpy as np
    >>> concept_order(np.eye(2), ["b", "a"], "name").tolist()
    [1, 0]
    """
    n = len(names)
    if how == "body":
        return np.arange(n)
    if how == "name":
        return np.asarray(sorted(range(n), key=lambda i: (names[i].casefold(), i)), dtype=int)
    if how == "error":
        rows = counts.sum(axis=1).astype(float)
        diag = np.diag(counts).astype(float)
        error = np.divide(rows - diag, rows, out=np.zeros(n), where=rows > 0)
        return np.argsort(-error, kind="stable")
    if how == "cluster":
        return cluster_order(counts)
    raise InvalidArgumentError(f"order must be one of {list(ORDERS)}, not {how!r}.")


def top_confused(counts: np.ndarray, n_cells: int) -> np.ndarray:
    """Positions of the concepts involved in the ``n_cells`` largest confusions.

    A confusion is an off-diagonal cell with a count above zero; a concept is
    kept when it is the actual or the predicted concept of one of them.  The
    positions are returned in their original order.

    Parameters
    ----------
    counts : numpy.ndarray
        Square matrix of counts, actual rows by predicted columns.
    n_cells : int
        How many of the largest off-diagonal cells to keep.

    Returns
    -------
    numpy.ndarray
        Sorted positions; every concept when no cell is off-diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([[9, 3, 0], [0, 9, 0], [0, 1, 9]])
    >>> top_confused(m, 1).tolist()
    [0, 1]
    """
    n_cells = validate.positive_int(n_cells, "top_n")
    n = counts.shape[0]
    positive = np.flatnonzero(counts > 0)  # one pass; no float copy of the matrix
    rows, cols = np.divmod(positive, max(counts.shape[1], 1))
    off = rows != cols
    rows, cols = rows[off], cols[off]
    if rows.size == 0:
        return np.arange(n)
    values = counts[rows, cols]
    keep = np.argsort(-values, kind="stable")[:n_cells]
    return np.unique(np.concatenate([rows[keep], cols[keep]]))


def most_errors(counts: np.ndarray, n: int, extra: np.ndarray | None = None) -> np.ndarray:
    """Positions of the ``n`` concepts with the most errors, as actual or as predicted.

    A concept's errors are its row's off-diagonal counts (inputs of it taken
    for another concept, or for none) plus its column's (inputs of others
    taken for it); ties go to the earlier concept.

    Parameters
    ----------
    counts : numpy.ndarray
        ``(k, m)`` counts with ``m >= k``: a square block of actual x predicted
        concepts, then any further columns (such as ``"(none)"``), which count
        as errors of the row.
    n : int
        How many concepts to keep.
    extra : numpy.ndarray, optional
        Further errors per row (such as the ``"(none)"`` counts kept apart).

    Returns
    -------
    numpy.ndarray
        Sorted positions (every concept when there are at most ``n``).  No
        copy of ``counts`` is made.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([[9, 3, 0], [0, 9, 0], [0, 0, 9]])
    >>> most_errors(m, 2).tolist()
    [0, 1]
    """
    n = validate.positive_int(n, "n")
    k = counts.shape[0]
    if k <= n:
        return np.arange(k)
    diagonal = np.diagonal(counts[:, :k]).astype(np.float64)
    errors = counts.sum(axis=1, dtype=np.float64) + counts[:, :k].sum(axis=0, dtype=np.float64)
    errors -= 2 * diagonal
    if extra is not None:
        errors += extra
    keep = np.argsort(-errors, kind="stable")[:n]
    return np.sort(keep)
