"""Column-sorted views of a :class:`TestSetMatrix`: blocks of sorted columns and the positives.

The shared pieces of the all-concept curves and the threshold counts: a
block of concepts' scores transposed (tile by tile, which keeps the reads
in cache) and sorted, each concept's positives with their scores, and a
bisection run on many sorted segments at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["WORKERS", "Positives", "count_below", "in_threads", "positives", "sorted_block"]

#: Threads sorting blocks of columns at once by default: the cores, at most 4.
WORKERS = max(1, min(4, os.cpu_count() or 1))

_T = TypeVar("_T")
_R = TypeVar("_R")

#: Input rows transposed at a time: a tile of this many rows stays in cache.
_TILE_ROWS = 256


def sorted_block(scores: np.ndarray, c0: int, c1: int, out: np.ndarray | None = None) -> np.ndarray:
    """Columns ``c0:c1`` of ``scores``, one row per concept, each sorted ascending.

    Parameters
    ----------
    scores : numpy.ndarray
        ``(n_inputs, n_concepts)`` float32 scores (left unchanged).
    c0, c1 : int
        The block of columns.
    out : numpy.ndarray, optional
        A C-contiguous ``(c1 - c0, n_inputs)`` float32 array to fill.

    Returns
    -------
    numpy.ndarray
        ``out``, or a new array.
    """
    n = scores.shape[0]
    block = np.empty((c1 - c0, n), dtype=np.float32) if out is None else out
    for r0 in range(0, n, _TILE_ROWS):  # tile by tile: several times faster than one .T copy
        block[:, r0 : r0 + _TILE_ROWS] = scores[r0 : r0 + _TILE_ROWS, c0:c1].T
    block.sort(axis=1)
    return block


def in_threads(fn: Callable[[_T], _R], items: Iterable[_T], workers: int = WORKERS) -> list[_R]:
    """Apply ``fn`` to each item on up to ``workers`` threads; results in the items' order.

    numpy's sorts, searches and copies run outside the GIL, so blocks of
    columns sorted by ``fn`` overlap on several cores.  One thread (or one
    item) runs in the calling thread.
    """
    todo = list(items)
    if workers > 1 and len(todo) > 1:
        with ThreadPoolExecutor(min(workers, len(todo))) as pool:
            return list(pool.map(fn, todo))
    return [fn(item) for item in todo]


@dataclass(frozen=True)
class Positives:
    """The positive labels of a matrix, concept by concept (inputs in row order within one).

    Attributes
    ----------
    concept : numpy.ndarray
        intp concept code of each positive, non-decreasing.
    row : numpy.ndarray
        intp input row of each positive.
    score : numpy.ndarray
        float32 score of each positive.
    bounds : numpy.ndarray
        ``n_concepts + 1`` offsets: concept ``c``'s positives are
        ``bounds[c]:bounds[c + 1]``.
    """

    concept: np.ndarray
    row: np.ndarray
    score: np.ndarray
    bounds: np.ndarray


def positives(m: TestSetMatrix, c0: int = 0, c1: int | None = None) -> Positives:
    """Find the positive labels of ``m`` (of columns ``c0:c1``) in one pass over the labels.

    Concept codes stay those of the whole matrix; ``bounds`` has one offset
    per concept of the range, plus one.
    """
    c1 = m.n_concepts if c1 is None else c1
    labels = m.labels if (c0, c1) == (0, m.n_concepts) else m.labels[:, c0:c1]
    width = max(c1 - c0, 1)
    flat = np.flatnonzero(labels.reshape(-1))  # far faster than a 2-D nonzero
    rows, cols = np.divmod(flat, width)
    del flat
    # Stable order by concept; 16-bit codes sort by radix, several times faster.
    key = cols.astype(np.uint16) if width <= 1 << 16 else cols
    order = np.argsort(key, kind="stable")
    del key
    rows, cols = rows[order], cols[order] + c0
    del order
    bounds = np.searchsorted(cols, np.arange(c0, c1 + 1))
    return Positives(cols, rows, m.scores[rows, cols], bounds)


def count_below(
    values: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    t: np.ndarray,
    *,
    inclusive: bool = False,
) -> np.ndarray:
    """For each sorted segment ``values[starts[i]:ends[i]]``, how many are below ``t[i]``.

    One bisection run on every segment at once (about ``log2`` of the
    longest segment array steps).  With ``inclusive``, values equal to
    ``t[i]`` count too.

    Returns
    -------
    numpy.ndarray
        intp counts, one per segment.
    """
    lo = np.array(starts, dtype=np.intp)
    hi = np.array(ends, dtype=np.intp)
    active = np.flatnonzero(lo < hi)
    while len(active):
        a_lo, a_hi = lo[active], hi[active]
        mid = (a_lo + a_hi) // 2
        v, target = values[mid], t[active]
        right = v <= target if inclusive else v < target
        lo[active] = np.where(right, mid + 1, a_lo)
        hi[active] = np.where(right, a_hi, mid)
        active = active[lo[active] < hi[active]]
    return lo - starts
