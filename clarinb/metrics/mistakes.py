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
from clarinb.metrics.matrix import TestSetMatrix

__all__ = ["FALSE_POSITIVE", "MISSED", "NO_PREDICTION", "input_outcomes", "mistakes"]

#: The ``predicted`` of an input whose top score is under the threshold.
NO_PREDICTION = "(none)"

#: The ``kind`` of a row of :func:`mistakes`.
FALSE_POSITIVE = "false positive"
MISSED = "missed positive"

_COLUMNS = ["concept_id", "kind", "rank", "input_id", "score", "top_concept", "top_score", "truth"]


def _pick(matrix: TestSetMatrix, mask: np.ndarray, sign: float, k: int) -> tuple[np.ndarray, ...]:
    """Per concept, the ``k`` cells of ``mask`` with the highest ``sign * score``, highest first.

    Only the masked cells are read after one pass over the mask: they are
    grouped by concept (a radix sort of 16-bit codes), then each concept's
    ``k`` are chosen by a partition.  Ties go to the lower input row.

    Returns the (row, column) positions, column by column.
    """
    width = max(matrix.n_concepts, 1)
    flat = np.flatnonzero(mask.reshape(-1))  # row-major: rows ascending within a column
    cols = flat % width
    order = np.argsort(cols.astype(np.uint16) if width <= 1 << 16 else cols, kind="stable")
    flat, cols = flat[order], cols[order]
    del order
    values = matrix.scores.reshape(-1)[flat] * np.float32(sign)
    bounds = np.searchsorted(cols, np.arange(width + 1))
    picked = []
    for c in np.flatnonzero(np.diff(bounds)):
        seg = values[bounds[c] : bounds[c + 1]]
        idx = np.arange(len(seg))
        if len(seg) > k:
            kth = np.partition(seg, len(seg) - k)[len(seg) - k]
            above = np.flatnonzero(seg > kth)
            idx = np.concatenate([above, np.flatnonzero(seg == kth)[: k - len(above)]])
        picked.append(bounds[c] + idx[np.argsort(-seg[idx], kind="stable")])
    chosen = flat[np.concatenate(picked)] if picked else np.empty(0, dtype=np.intp)
    return np.divmod(chosen, width)


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
    matrix = test_set if isinstance(test_set, TestSetMatrix) else TestSetMatrix.from_frame(test_set)
    scores, labels = matrix.scores, matrix.labels
    above = scores >= np.float32(threshold)
    wrong = np.logical_and(above, ~labels)
    fp_rows, fp_cols = _pick(matrix, wrong, 1.0, k)
    np.logical_and(labels, ~above, out=wrong)
    del above
    miss_rows, miss_cols = _pick(matrix, wrong, -1.0, k)
    del wrong
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
    matrix = test_set if isinstance(test_set, TestSetMatrix) else TestSetMatrix.from_frame(test_set)
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
    """Join the true concepts of each input (of ``rows``: increasing) with commas, as objects."""
    names = matrix.concepts.astype(str).to_numpy(dtype=object)
    labels = matrix.labels if rows is None else matrix.labels[rows]
    width = max(matrix.n_concepts, 1)
    found, cols = np.divmod(np.flatnonzero(labels.reshape(-1)), width)
    counts = np.bincount(found, minlength=labels.shape[0])
    starts = np.cumsum(counts) - counts
    out = np.full(labels.shape[0], "", dtype=object)
    one = np.flatnonzero(counts == 1)  # single-label inputs: no join
    out[one] = names[cols[starts[one]]]
    for i in np.flatnonzero(counts > 1):
        out[i] = ", ".join(names[cols[starts[i] : starts[i] + counts[i]]])
    return out
