"""Which predicted boxes find an object: COCO-style greedy matching at one IoU threshold.

Within each input and concept, predictions are taken by decreasing score
(ties in their order in the frame) and each takes the not yet matched
ground-truth box with the highest IoU at or above the threshold (of several
equally close, the last, as COCO's evaluation does).  A matched prediction
is a true positive (TP), an unmatched one a false positive (FP), and a
ground-truth box no prediction took a false negative (FN); a matched
ground-truth box is "found".  Unlike COCO's evaluation there is no cap on
the detections per image and no crowd or area range: every box counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate

__all__ = ["OUTCOMES", "box_iou", "match_boxes", "outcome_counts"]

#: The outcome of a box: predicted (TP, FP) or ground truth (found, FN).
OUTCOMES = ("TP", "FP", "FN", "found")

_GROUND_TRUTH, _PREDICTED = "ground truth", "predicted"
_COLUMNS = ("input_id", "kind", "concept_id", "score", "top", "left", "bottom", "right")
_CORNERS = ["top", "left", "bottom", "right"]


def box_iou(a: Any, b: Any) -> np.ndarray:
    """Intersection over union of every box of ``a`` with every box of ``b``.

    Parameters
    ----------
    a, b : array-like of shape (n, 4) and (m, 4)
        Boxes as ``top, left, bottom, right`` (any unit, the same for both).

    Returns
    -------
    numpy.ndarray
        Shape (n, m); 0 for boxes that do not overlap.

    Examples
    --------
    >>> box_iou([[0, 0, 1, 1]], [[0, 0, 1, 0.5], [2, 2, 3, 3]]).tolist()
    [[0.5, 0.0]]
    """
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    return _iou(a[:, None, :], b[None, :, :])


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of boxes broadcast against each other (last axis: top, left, bottom, right)."""
    h = np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0])
    w = np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])
    inter = np.where((h > 0) & (w > 0), h * w, 0.0)
    union = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    union = union + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((inter > 0) & (union > 0), inter / union, 0.0)


def _greedy(ious: np.ndarray, limit: float) -> np.ndarray:
    """Return the object each detection (rows, by decreasing score) takes, or -1."""
    taken = np.zeros(ious.shape[1], dtype=bool)
    out = np.full(ious.shape[0], -1, dtype=np.intp)
    last = ious.shape[1] - 1
    for d, row in enumerate(ious):
        free = np.where(taken, -1.0, row)
        best = last - int(np.argmax(free[::-1]))  # the last of equally close objects
        if free[best] >= limit:
            taken[best] = True
            out[d] = best
    return out


def match_boxes(boxes: Any, *, iou: float = 0.5, min_score: float = 0.0) -> pd.DataFrame:
    """Mark every box of a detector's test set TP, FP, FN or found at one IoU threshold.

    Parameters
    ----------
    boxes : pandas.DataFrame
        As :func:`clarinb.frames.test_set_boxes` returns it: ``input_id``,
        ``kind`` (``"ground truth"``, ``"predicted"``; other kinds are left
        out), ``concept_id``, ``score`` and the box ``top``, ``left``,
        ``bottom``, ``right`` (rows without a finite box are left out).
    iou : float
        The IoU a prediction needs with an object to find it (0.01 to 1).
    min_score : float
        Predictions scoring below this are left out (as if not made).

    Returns
    -------
    pandas.DataFrame
        The boxes kept, with their index, plus ``outcome`` (one of
        :data:`OUTCOMES`), ``match`` (the index label of the box matched,
        ``<NA>`` for none) and ``match_iou`` (the IoU with it, NaN for none).

    Raises
    ------
    InvalidArgumentError
        For a frame without those columns, or a bad ``iou`` or ``min_score``.

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"input_id": "i", "kind": ["ground truth", "predicted"],
    ...     "concept_id": "cat", "score": [1.0, 0.9], "top": 0.0, "left": 0.0,
    ...     "bottom": 1.0, "right": [1.0, 0.6]})
    >>> match_boxes(b)["outcome"].tolist()
    ['found', 'TP']
    """
    hint = "build it with clarinb.frames.test_set_boxes()"
    frame = validate.frame(boxes, "boxes", columns=_COLUMNS, hint=hint)
    limit = validate.number(iou, "iou", lo=0.01, hi=1.0, hint="an IoU threshold such as 0.5")
    min_score = validate.probability(min_score, "min_score")
    corners = frame[_CORNERS].to_numpy(dtype=np.float64)
    truth = (frame["kind"] == _GROUND_TRUTH).to_numpy()
    scores = pd.to_numeric(frame["score"], errors="coerce").to_numpy(dtype=np.float64)
    keep = np.isfinite(corners).all(axis=1) & (
        truth | ((frame["kind"] == _PREDICTED).to_numpy() & (scores >= min_score))
    )
    rows = frame[keep].copy()
    corners, truth, scores = corners[keep], truth[keep], scores[keep]
    match = np.full(len(rows), -1, dtype=np.intp)
    group = rows.groupby(["input_id", "concept_id"], sort=False).ngroup().to_numpy()
    # predictions of each group by decreasing score (stable), objects in frame order
    order = np.lexsort((np.where(truth, 0.0, -scores), ~truth, group))
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    for lo, hi in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        members = order[lo:hi]
        gts, dts = members[truth[members]], members[~truth[members]]
        if len(gts) and len(dts):
            taken = _greedy(box_iou(corners[dts], corners[gts]), min(limit, 1 - 1e-10))
            hit = taken > -1
            match[dts[hit]] = gts[taken[hit]]
            match[gts[taken[hit]]] = dts[hit]
    matched = match > -1
    rows["outcome"] = np.where(
        truth, np.where(matched, "found", "FN"), np.where(matched, "TP", "FP")
    ).astype(object)
    labels = rows.index.to_numpy()
    rows["match"] = pd.array(
        [labels[m] if m > -1 else pd.NA for m in match], dtype="Int64"
    ) if len(rows) else pd.array([], dtype="Int64")  # fmt: skip
    pair_iou = np.full(len(rows), np.nan)
    if matched.any():
        mine, other = np.flatnonzero(matched), match[matched]
        # IoU of (prediction, object), whichever side the row is on
        det = np.where(truth[mine], other, mine)
        obj = np.where(truth[mine], mine, other)
        pair_iou[mine] = _iou(corners[det], corners[obj])
    rows["match_iou"] = pair_iou
    return rows


def outcome_counts(matched: pd.DataFrame) -> dict[str, int]:
    """Count the TP, FP and FN of :func:`match_boxes`' result.

    Examples
    --------
    >>> import pandas as pd
    >>> outcome_counts(pd.DataFrame({"outcome": ["TP", "found", "FP", "FN", "FN"]}))
    {'TP': 1, 'FP': 1, 'FN': 2}
    """
    counts = matched["outcome"].value_counts()
    return {k: int(counts.get(k, 0)) for k in ("TP", "FP", "FN")}
