"""Every concept's ROC and PR curve from a :class:`TestSetMatrix`, decimated for drawing.

Each concept's column is sorted once (``np.argsort`` along the rows of a
block of concepts); the curve points, ROC AUC and average precision then
come from the same cumulative sums as :func:`clarinb.metrics.scores` and
:func:`clarinb.metrics.curves` (one core, :func:`ranking.ranked_points`).
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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import ranking
from clarinb.metrics.matrix import TestSetMatrix, check_matrix

__all__ = ["DEFAULT_MAX_POINTS", "MatrixCurves", "decimate", "matrix_curves"]

#: Points per curve kept by default: about what a plot's width can show.
DEFAULT_MAX_POINTS = 512

#: Matrix cells sorted at a time by default (4M: about 100 MB of temporaries).
DEFAULT_CHUNK_CELLS = 1 << 22

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
    """

    roc: pd.DataFrame
    pr: pd.DataFrame
    scores: pd.DataFrame
    max_points: int | None


def _check_count(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise InvalidArgumentError(f"{what} must be an int of at least {low}, not {value!r}.")
    return int(value)


def matrix_curves(
    m: TestSetMatrix,
    *,
    max_points: int | None = DEFAULT_MAX_POINTS,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
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
        Matrix cells sorted at a time (whole concepts, at least one); bounds
        the temporaries to some 30 bytes per cell.

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
    step = max(1, cells // max(n, 1))
    rocs: list[dict[str, np.ndarray]] = []
    prs: list[dict[str, np.ndarray]] = []
    found: list[tuple[np.ndarray, ...]] = []
    for c0 in range(0, k, step):
        cols = slice(c0, min(k, c0 + step))
        s, y = _ranked_block(m.scores[:, cols], m.labels[:, cols])
        g = np.repeat(np.arange(cols.stop - c0, dtype=np.int32), n)
        # Decimated curves start from the exact ones without their collinear points.
        p = ranking.ranked_points(g, s, y, None, m.concepts[cols], compress=max_points is not None)
        del g, s, y
        found.append((*ranking.areas(p), p.pos, p.neg))
        for points, out, x_name, y_name in (
            (ranking.roc_arrays(p), rocs, "fpr", "tpr"),
            (ranking.pr_arrays(p), prs, "recall", "precision"),
        ):
            if max_points is not None:
                keep = decimate(
                    points[x_name], points[y_name], groups=points["code"], max_points=max_points
                )
                points = {name: column[keep] for name, column in points.items()}  # noqa: PLW2901
            points["code"] += c0
            out.append(points)
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
    )


def _ranked_block(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank a block of columns: each concept's scores descending, and positives per row.

    The scores are sorted by value (much faster than an argsort and two
    gathers); each positive is then counted at the last row of its score's
    run, found by a binary search in its concept's sorted scores.  The
    ranking core reads only run ends, so this equals ranking the labels
    along.  Returns the flat descending scores and the positive counts.
    """
    n = scores.shape[0]
    block = np.array(scores.T, order="C")  # a copy, one row per concept, sorted in place
    block.sort(axis=1)  # ascending
    concept, inputs = np.nonzero(np.array(labels.T, order="C"))  # positives, concept by concept
    kc = block.shape[0]
    bounds = np.searchsorted(concept, np.arange(kc + 1))
    below = np.empty(len(concept), dtype=np.intp)  # rows scored under each positive
    for c in np.flatnonzero(np.diff(bounds)):  # one binary search per concept with positives
        part = slice(bounds[c], bounds[c + 1])
        below[part] = np.searchsorted(block[c], scores[inputs[part], c])
    # In descending order the run of a score v ends at row n - 1 - below(v).
    at = concept * n + (n - 1 - below)
    counts = np.bincount(at, minlength=kc * n).astype(np.int32)
    return np.ascontiguousarray(block[:, ::-1]).ravel(), counts


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
