"""Every concept's ROC and PR curve from a :class:`TestSetMatrix`, decimated for drawing.

Each concept's column is sorted once (a block of concepts transposed tile
by tile, then sorted in place).  With few positives (fewer than a quarter of
the cells, as in single-label test sets) the curves' corner points are then
found by binary searches of the positives' scores, so nothing but the sort
passes over every cell; otherwise every run end is read off the ranked block
by the cumulative sums of :func:`clarinb.metrics.scores` and
:func:`clarinb.metrics.curves` (one core, :func:`ranking.points_at`).
Concepts are taken in blocks of about ``chunk_cells`` matrix cells, so the
exact points (up to one per cell) never exist for the whole matrix at
once: each block's curves are decimated before the next block is sorted.

The AUC and AP are exact: computed on all points before decimation.  On a
matrix built from float64 scores they equal scikit-learn's on the float32
scores to 1e-9; against the original float64 scores they differ only where
distinct scores round to the same float32 (a tie then), which moves an AUC
by at most the share of positive x negative pairs so tied.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import ranking
from clarinb.metrics._sorted import WORKERS, count_below, in_threads, positives, sorted_block
from clarinb.metrics.curve_averages import POOLED_EXACT_MAX
from clarinb.metrics.curve_matrix import MicroGrid, matrix_micro_curve
from clarinb.metrics.matrix import TestSetMatrix, check_matrix

__all__ = ["DEFAULT_MAX_POINTS", "MatrixCurves", "decimate", "matrix_curves"]

#: Points per curve kept by default: about what a plot's width can show.
DEFAULT_MAX_POINTS = 512

#: Matrix cells sorted at a time by default (2M: some 60 MB of temporaries, which
#: also stay in reach of the caches: faster than larger blocks).
DEFAULT_CHUNK_CELLS = 1 << 21

#: One block's areas and counts, ROC points and PR points.
_Block = tuple[tuple[np.ndarray, ...], dict[str, np.ndarray], dict[str, np.ndarray]]

_ROC = ("threshold", "fpr", "tpr")
_PR = ("threshold", "precision", "recall")


@dataclass(frozen=True, eq=False)
class MatrixCurves:
    """The curves and exact areas of every concept of a test set.

    Attributes
    ----------
    roc : pandas.DataFrame
        ``concept_id`` (categorical), ``threshold``, ``fpr``, ``tpr``, as
        :func:`clarinb.metrics.curves` returns, at most :attr:`max_points`
        points per concept.
    pr : pandas.DataFrame
        ``concept_id``, ``threshold``, ``precision``, ``recall``, likewise.
    scores : pandas.DataFrame
        Exact ``roc_auc``, ``avg_precision``, ``num_pos``, ``num_neg`` per
        concept, as :func:`clarinb.metrics.scores` returns.
    max_points : int or None
        The decimation bound; ``None`` when the curves are exact.
    micro : pandas.DataFrame or None
        The micro-average curve, as :func:`clarinb.metrics.matrix_micro_curve`
        (when asked for with ``micro=True``).
    """

    roc: pd.DataFrame
    pr: pd.DataFrame
    scores: pd.DataFrame
    max_points: int | None
    micro: pd.DataFrame | None = None


def _check_count(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise InvalidArgumentError(f"{what} must be an int of at least {low}, not {value!r}.")
    return int(value)


def matrix_curves(
    m: TestSetMatrix,
    *,
    max_points: int | None = DEFAULT_MAX_POINTS,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    micro: bool = False,
    workers: int | None = None,
) -> MatrixCurves:
    """Compute every concept's ROC and PR curve and exact ROC AUC and AP in one pass.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.
    max_points : int or None
        Keep at most this many points per curve (2 or more), chosen by
        :func:`decimate`; ``None`` keeps every point, equal to
        :func:`clarinb.metrics.curves` on ``m.to_frame()``.
    chunk_cells : int
        Matrix cells sorted at a time, over all threads (whole concepts, at
        least one per block); bounds the temporaries to some 30 bytes per
        cell.
    micro : bool
        Also compute the micro-average curve, equal to
        :func:`clarinb.metrics.matrix_micro_curve`; above its exact size it is
        counted from the columns sorted here, with no pass of its own.
    workers : int, optional
        Threads sorting blocks at once (numpy's sorts run outside the GIL);
        by default the machine's cores, at most 4.  The result is the same
        for any number.

    Returns
    -------
    MatrixCurves
        The (decimated) curves and the exact areas.

    Raises
    ------
    InvalidArgumentError
        When ``m`` is not a :class:`TestSetMatrix` or a bound is not a
        valid int.

    Examples
    --------
    >>> import numpy as np
    >>> m = TestSetMatrix.from_arrays(np.array([[0.9], [0.4], [0.2]]),
    ...                               np.array([[True], [False], [True]]))
    >>> matrix_curves(m).scores[["roc_auc", "avg_precision"]].round(3).values.tolist()
    [[0.5, 0.833]]
    """
    check_matrix(m)
    if max_points is not None:
        max_points = _check_count(max_points, "max_points", 2)
    cells = _check_count(chunk_cells, "chunk_cells", 1)
    n, k = m.scores.shape
    threads = _check_count(workers, "workers", 1) if workers is not None else WORKERS
    # Each thread sorts its own block: together they hold about chunk_cells cells.
    step = max(1, cells // max(n * threads, 1))
    # Few positives (single-label test sets): each block's points come from binary
    # searches of its positives, never a pass over its cells.  The choice is made
    # once for the whole matrix, so the drawn points do not depend on the blocks.
    sparse = max_points is not None and 4 * int(np.count_nonzero(m.labels)) < n * k
    grid = MicroGrid(m) if micro and n * k > POOLED_EXACT_MAX else None
    lock = threading.Lock()

    def one_block(c0: int) -> _Block:
        """Sort one block of concepts and read its areas and (decimated) ROC and PR points."""
        c1 = min(k, c0 + step)
        labelled = positives(m, c0, c1)  # the block's alone: few temporaries at a time
        block = sorted_block(m.scores, c0, c1)  # ascending, one row per concept
        p = (_sparse_points if sparse else _dense_points)(
            block, labelled.concept - c0, labelled.score, m.concepts[c0:c1]
        )
        if grid is not None:
            with lock:  # integer counts: the same sums in any order
                grid.add_sorted(block, labelled.score)
        del block, labelled
        curves = []
        for points, x_name, y_name in (
            (ranking.roc_arrays(p), "fpr", "tpr"),
            (ranking.pr_arrays(p), "recall", "precision"),
        ):
            if max_points is not None:
                keep = decimate(
                    points[x_name], points[y_name], groups=points["code"], max_points=max_points
                )
                points = {name: column[keep] for name, column in points.items()}  # noqa: PLW2901
            points["code"] += c0
            curves.append(points)
        return (*ranking.areas(p), p.pos, p.neg), curves[0], curves[1]

    results = in_threads(one_block, range(0, k, step), threads)  # a block per thread at a time
    found = [r[0] for r in results]
    rocs = [r[1] for r in results]
    prs = [r[2] for r in results]
    auc, ap, pos, neg = (
        (np.concatenate(parts) for parts in zip(*found, strict=True))
        if found
        else (np.zeros(0), np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64))
    )
    scores = pd.DataFrame(
        {
            "concept_id": m.concepts.array,
            "roc_auc": auc,
            "avg_precision": ap,
            "num_pos": pos,
            "num_neg": neg,
        }
    )
    return MatrixCurves(
        ranking.curve_frame(_join(rocs, _ROC), m.concepts),
        ranking.curve_frame(_join(prs, _PR), m.concepts),
        scores,
        max_points,
        None if not micro else grid.frame() if grid is not None else matrix_micro_curve(m),
    )


def _ranks(
    block: np.ndarray, concept: np.ndarray, score: np.ndarray, side: Literal["left", "right"]
) -> np.ndarray:
    """Per positive, how many scores of its concept lie below it (``side="right"``: or at it).

    ``block`` holds each concept's scores ascending; ``concept`` (non-
    decreasing) and ``score`` are the positives.  In descending order the
    run of a positive's score spans ranks ``n - ranks(right)`` to
    ``n - 1 - ranks(left)``.  One binary search per concept with positives.
    """
    bounds = np.searchsorted(concept, np.arange(block.shape[0] + 1))
    out = np.empty(len(concept), dtype=np.intp)
    for c in np.flatnonzero(np.diff(bounds)):
        part = slice(bounds[c], bounds[c + 1])
        out[part] = np.searchsorted(block[c], score[part], side=side)
    return out


def _dense_points(
    block: np.ndarray, concept: np.ndarray, score: np.ndarray, concepts: pd.Index
) -> ranking._Points:
    """Every run end of every concept of the block: one pass over its ranked cells."""
    kc, n = block.shape
    below = _ranks(block, concept, score, "left")
    # Each positive counted at the last rank of its score's run; the core reads only run ends.
    counts = np.bincount(concept * n + (n - 1 - below), minlength=kc * n).astype(np.int32)
    ranked = np.ascontiguousarray(block[:, ::-1]).reshape(-1)
    g = np.repeat(np.arange(kc, dtype=np.int32), n)
    return ranking.ranked_points(g, ranked, counts, None, concepts)


def _sparse_points(
    block: np.ndarray, concept: np.ndarray, score: np.ndarray, concepts: pd.Index
) -> ranking._Points:
    """Find the corner points of the block's curves from its positives alone.

    Kept: the run of each positive, the run before it, and each concept's
    first and last run.  A point dropped has no positive in its run nor in
    the next one, so it lies on the straight segment between its neighbours
    on both curves (ROC: horizontal, PR: vertical): the shapes stay exact,
    and so do the areas (each area's terms over such a stretch add up to
    the one term left).  Each point is a binary search in its concept's
    sorted scores, so the work grows with the positives, not the cells.
    """
    kc, n = block.shape
    if n == 0 or kc == 0:
        return _dense_points(block, concept, score, concepts)
    below = _ranks(block, concept, score, "left")
    at_or_below = _ranks(block, concept, score, "right")
    ends = concept * n + (n - 1 - below)  # rank of each positive's run end, over the block
    before = at_or_below < n  # a run ranks above the positive's run
    rows = np.arange(kc, dtype=np.intp) * n
    top = block[:, -1]
    top_below = count_below(block.reshape(-1), rows, rows + n, top)
    idx = np.concatenate(
        [
            ends,
            (concept * n + (n - 1 - at_or_below))[before],
            rows + (n - 1 - top_below),  # each concept's first run
            rows + (n - 1),  # and its last
        ]
    )
    idx.sort()  # then drop repeats: np.unique hashes first, several times slower here
    idx = idx[np.r_[True, idx[1:] != idx[:-1]]]
    at_tp = np.searchsorted(np.sort(ends), idx, side="right")
    group = idx // n
    threshold = block[group, n - 1 - (idx - group * n)]
    return ranking.points_at(group, threshold, at_tp, idx + 1, concepts)


def _join(parts: list[dict[str, np.ndarray]], names: tuple[str, ...]) -> dict[str, np.ndarray]:
    if not parts:
        return {"code": np.zeros(0, np.intp), **{name: np.zeros(0) for name in names}}
    if len(parts) == 1:
        return parts[0]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def decimate(
    x: Any,
    y: Any,
    *,
    groups: Any = None,
    max_points: int = DEFAULT_MAX_POINTS,
) -> np.ndarray:
    """Choose at most ``max_points`` points of each curve that keep its shape.

    Each curve keeps its two end points, points spread evenly along its arc
    length (about half the budget), and both ends of every segment longer
    than twice that spacing (its big jumps).  Between two kept points the
    exact curve then runs for at most about three times the spacing, so it
    stays within ``3 * arc_length / max_points`` of the polyline through the
    kept points.  Curves with ``max_points`` points or fewer are kept whole.
    A subset in order, so the kept points are monotone wherever the curve is.
    NaN coordinates count as 0 for the geometry.

    Parameters
    ----------
    x, y : array_like
        The points' coordinates, curve after curve.
    groups : array_like, optional
        Curve label of each point; each curve's points are contiguous.
        ``None``: one curve.
    max_points : int
        Points kept per curve, at least 2.

    Returns
    -------
    numpy.ndarray
        Increasing positions (intp) of the kept points.

    Raises
    ------
    InvalidArgumentError
        For arrays of different lengths, non-contiguous groups, or a
        ``max_points`` that is not an int of at least 2.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0, 1, 101)
    >>> keep = decimate(x, x**2, max_points=5)
    >>> int(keep[0]), int(keep[-1]), len(keep) <= 5
    (0, 100, True)
    """
    budget = _check_count(max_points, "max_points", 2)
    xs = _finite(x)
    ys = _finite(y)
    n = len(xs)
    if len(ys) != n:
        raise InvalidArgumentError(f"x and y must have the same length, not {n} and {len(ys)}.")
    start = np.zeros(n, dtype=bool)  # first point of each curve
    if n:
        start[0] = True
    if groups is not None:
        g = np.asarray(groups).ravel()
        if len(g) != n:
            raise InvalidArgumentError(f"groups must have one label per point ({n}), not {len(g)}.")
        start[1:] = g[1:] != g[:-1]
        increasing = g.dtype.kind in "iuf" and bool((g[1:] >= g[:-1]).all())
        if not increasing and len(pd.unique(g)) != int(np.count_nonzero(start)):
            raise InvalidArgumentError(
                "groups must keep each curve's points together (one run per label)."
            )
    starts = np.flatnonzero(start)
    ends = np.append(starts[1:], n)[: len(starts)] - 1
    sizes = ends - starts + 1
    big = sizes > budget
    if not big.any():
        return np.arange(n)
    keep = np.repeat(~big, sizes)  # short curves stay whole
    keep[starts] = True
    keep[ends] = True
    # Arc length along all curves at once: no segment into a curve's first point.
    seg = np.hypot(np.diff(xs, prepend=xs[0]), np.diff(ys, prepend=ys[0]))
    seg[starts] = 0.0
    cum = np.cumsum(seg)  # non-decreasing over every curve
    total = cum[ends] - cum[starts]
    samples = (budget - 2) // 2
    spacing = total / (samples + 1)
    # Big jumps: both ends of segments longer than twice the spacing (under samples / 2 each).
    jump = np.flatnonzero(seg > np.repeat(np.where(big, 2 * spacing, np.inf), sizes))
    keep[jump] = True
    keep[jump - 1] = True
    # Even samples along each long curve's arc: the first point at or past each mark.
    sampled = np.flatnonzero(big & (total > 0))
    marks = cum[starts[sampled], None] + spacing[sampled, None] * np.arange(1, samples + 1)
    hit = np.searchsorted(cum, marks.ravel(), side="left")
    keep[np.minimum(hit, np.repeat(ends[sampled], samples))] = True
    return np.flatnonzero(keep)


def _finite(values: Any) -> np.ndarray:
    """Flat float64 coordinates with NaN read as 0."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    return np.nan_to_num(arr) if np.isnan(arr).any() else arr
