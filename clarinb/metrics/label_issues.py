"""Likely label errors of a test set, found by cleanlab from the model's own scores.

cleanlab's confident learning compares each input's given label with what
the evaluated model predicts for it, and ranks the inputs by a label
quality score (low: likely mislabelled).  This module turns a clarinb test
set into cleanlab's arrays, calls it, and returns one tidy row per input.
cleanlab is imported on first use: it brings scikit-learn.

- Single-label classifiers (one true concept per input; scores that sum to
  about 1): :func:`cleanlab.filter.find_label_issues` and
  :func:`cleanlab.rank.get_label_quality_scores`.
- Multi-label taggers: their :mod:`cleanlab.multilabel_classification`
  variants.
- Detectors: :mod:`cleanlab.object_detection`, from the ground-truth and
  predicted boxes of :func:`clarinb.frames.test_set_boxes`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.matrix import as_matrix

__all__ = ["METHODS", "label_issues"]

#: Label quality scores cleanlab offers for classification (its ``method``).
METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")

#: Row sums within this distance of 1 read as a single-label (softmax) model.
_SUM_TOLERANCE = 0.02


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise InvalidArgumentError(f"{name} must be True or False, not {_validate.shown(value)}.")
    return bool(value)


def _ranked(frame: pd.DataFrame, issues_only: bool) -> pd.DataFrame:
    """Sort by label quality (lowest first, ties in input order), keep issues, number the rows."""
    frame = frame.sort_values("label_quality", kind="stable")
    if issues_only:
        frame = frame[frame["is_label_issue"].to_numpy()]
    frame = frame.reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1, dtype=np.int64)
    return frame


def _is_single_label(labels: np.ndarray, scores: np.ndarray) -> bool:
    counts = labels.sum(axis=1)
    sums = scores.sum(axis=1, dtype=np.float64)
    return bool((counts <= 1).all() and (np.abs(sums - 1.0) <= _SUM_TOLERANCE).all())


def label_issues(
    test_set: Any,
    *,
    multi_label: bool | None = None,
    threshold: float = 0.5,
    method: str = "self_confidence",
    issues_only: bool = True,
) -> pd.DataFrame:
    """Rank a classification test set's inputs by how likely their given labels are wrong.

    Parameters
    ----------
    test_set : TestSetMatrix or pandas.DataFrame
        The test set (a frame from :func:`clarinb.frames.test_set` is
        converted with :meth:`~clarinb.metrics.TestSetMatrix.from_frame`).
    multi_label : bool, optional
        Whether an input may have several true concepts.  By default it is
        inferred: single-label when every input has at most one positive
        concept and every input's scores sum to 1 within 0.02 (a softmax
        model), multi-label otherwise.
    threshold : float
        Multi-label only: the score from which a concept is suggested.
    method : str
        cleanlab's label quality score, one of :data:`METHODS` (multi-label
        scores aggregate it over the concepts, as cleanlab does).
    issues_only : bool
        Keep only the inputs cleanlab flags as label issues (the default);
        ``False`` keeps every input, so that a list can be cut at any rank.

    Returns
    -------
    pandas.DataFrame
        One row per input, lowest label quality first: ``input_id``; for a
        single-label test set ``given_label`` and ``suggested_label`` (the
        top-scored concept), for a multi-label one ``given_labels`` and
        ``suggested_labels`` (tuples of concept ids, in concept order; the
        suggested ones score at least ``threshold``); ``label_quality``
        (cleanlab's score in [0, 1]), ``is_label_issue`` (cleanlab's
        ``find_label_issues``, filtering by ``prune_by_noise_rate``) and
        ``rank`` (1 for the likeliest error).  Single-label scores are
        divided by their input's sum (cleanlab wants probabilities), and
        inputs without a positive concept are left out: they have no given
        label to question.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, bad arguments, or ``multi_label=False``
        with an input labelled with several concepts.

    Examples
    --------
    >>> import numpy as np
    >>> from clarinb.metrics import TestSetMatrix, label_issues
    >>> scores = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.95, 0.05]])
    >>> labels = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=bool)
    >>> m = TestSetMatrix.from_arrays(scores, labels, inputs=list("abcde"), concepts=["x", "y"])
    >>> label_issues(m, issues_only=False)[["input_id", "given_label", "suggested_label"]].head(1)
      input_id given_label suggested_label
    0        e           y               x
    """
    m = as_matrix(test_set)
    if multi_label is not None:
        multi_label = _flag(multi_label, "multi_label")
    limit = _validate.probability(threshold, "threshold")
    method = _validate.choice(method, "method", METHODS)
    issues_only = _flag(issues_only, "issues_only")
    if not m.n_inputs or not m.n_concepts:
        raise InvalidArgumentError("the test set has no inputs or no concepts to check.")
    if multi_label is None:
        multi_label = not _is_single_label(m.labels, m.scores)
    if multi_label:
        return _ranked(_multi_label(m, limit, method), issues_only)
    return _ranked(_single_label(m, method), issues_only)


def _single_label(m: Any, method: str) -> pd.DataFrame:
    from cleanlab import filter as cl_filter  # noqa: PLC0415 (brings scikit-learn)
    from cleanlab import rank as cl_rank  # noqa: PLC0415

    counts = m.labels.sum(axis=1)
    if (counts > 1).any():
        first = m.inputs[int(np.argmax(counts > 1))]
        raise InvalidArgumentError(
            f"input {first!r} has {int(counts.max())} true concepts, so the test set is not "
            "single-label; pass multi_label=True."
        )
    rows = np.flatnonzero(counts == 1)
    scores = np.clip(m.scores[rows].astype(np.float64), 0.0, None)
    sums = scores.sum(axis=1, keepdims=True)
    probs = np.divide(scores, sums, out=np.full_like(scores, 1.0 / m.n_concepts), where=sums > 0)
    given = m.labels[rows].argmax(axis=1)
    quality = cl_rank.get_label_quality_scores(given, probs, method=method)
    mask = cl_filter.find_label_issues(given, probs, rank_by_kwargs={"method": method}, n_jobs=1)
    concepts = np.asarray(m.concepts, dtype=object)
    return pd.DataFrame(
        {
            "input_id": np.asarray(m.inputs, dtype=object)[rows],
            "given_label": concepts[given],
            "suggested_label": concepts[probs.argmax(axis=1)],
            "label_quality": np.asarray(quality, dtype=np.float64),
            "is_label_issue": np.asarray(mask, dtype=bool),
        }
    )


def _label_tuples(mask: np.ndarray, concepts: np.ndarray) -> list[tuple[Any, ...]]:
    return [tuple(concepts[row]) for row in mask]


def _multi_label(m: Any, threshold: float, method: str) -> pd.DataFrame:
    from cleanlab.multilabel_classification import filter as ml_filter  # noqa: PLC0415
    from cleanlab.multilabel_classification import rank as ml_rank  # noqa: PLC0415

    scores = np.clip(m.scores.astype(np.float64), 0.0, 1.0)
    given = [list(np.flatnonzero(row)) for row in m.labels]
    quality = ml_rank.get_label_quality_scores(given, scores, method=method)
    mask = ml_filter.find_label_issues(given, scores, rank_by_kwargs={"method": method}, n_jobs=1)
    concepts = np.asarray(m.concepts, dtype=object)
    return pd.DataFrame(
        {
            "input_id": np.asarray(m.inputs, dtype=object),
            "given_labels": _label_tuples(m.labels, concepts),
            "suggested_labels": _label_tuples(m.scores >= np.float32(threshold), concepts),
            "label_quality": np.asarray(quality, dtype=np.float64),
            "is_label_issue": np.asarray(mask, dtype=bool),
        }
    )
