"""A single-label confusion matrix from a test set: actual concept x top-scoring concept."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.metrics._arrays import _real, read_test_set

__all__ = ["NONE_LABEL", "confusion_matrix"]

#: Column of inputs whose top score is below the threshold.
NONE_LABEL = "(none)"


def confusion_matrix(ts: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """Count inputs by ground-truth concept and top-scoring concept.

    Meant for mutually exclusive concepts.  Each input's prediction is its
    highest-scoring concept among its rows (ties go to the concept first in
    the ``concept_id`` categories).  An input counts once per positive
    ground-truth concept; inputs without one are left out.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`clarinb.frames.test_set` returns.
    threshold : float, optional
        When given, inputs whose top score is below it are counted in a
        ``"(none)"`` column instead.

    Returns
    -------
    pandas.DataFrame
        int64 counts; index ``actual`` and columns ``predicted`` over the
        concepts in category order (plus ``"(none)"`` with a threshold).
        Equal to scikit-learn's ``confusion_matrix(actual, predicted,
        labels=...)``.

    Raises
    ------
    InvalidArgumentError
        For a malformed test set or a threshold that is not a number.
    """
    a = read_test_set(ts)
    thr = None if threshold is None else _real(threshold, "threshold")
    k, n = a.n_concepts, a.n_input_ids
    icodes = a.input_codes.astype(np.intp)
    ccodes = a.concept_codes.astype(np.intp)
    best = np.full(n, -np.inf)
    np.maximum.at(best, icodes, a.score)
    top = np.full(n, k, dtype=np.intp)
    is_top = a.score == best[icodes]
    np.minimum.at(top, icodes[is_top], ccodes[is_top])
    if thr is not None:
        top = np.where(best >= thr, top, k)
    actual = ccodes[a.truth]
    predicted = top[icodes[a.truth]]
    width = k + 1
    counts = np.bincount(actual * width + predicted, minlength=k * width).reshape(k, width)
    columns = list(a.concepts)
    if thr is not None:
        columns.append(NONE_LABEL)
    else:
        counts = counts[:, :k]
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(a.concepts, name="actual"),
        columns=pd.Index(columns, name="predicted"),
    )
