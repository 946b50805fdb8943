"""Counts and rates at a decision threshold: per concept, and micro/macro averages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics._arrays import read_test_set, thresholds_per_concept

__all__ = ["at_threshold", "averages", "averages_of", "concept_ids"]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Divide ``num`` by ``den``, giving 0.0 where den is 0 (scikit-learn's ``zero_division=0``)."""
    out = np.zeros(num.shape, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def concept_ids(ts: pd.DataFrame) -> list[str]:
    """List the concepts the per-concept metrics of a test set are over, in their order.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as :func:`at_threshold` takes.

    Returns
    -------
    list of str
        The ``concept_id`` categories (or the sorted distinct ids of a plain column).

    Raises
    ------
    InvalidArgumentError
        For a malformed test set.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.DataFrame({"input_id": ["a", "a"], "concept_id": ["dog", "cat"],
    ...                    "score": [0.2, 0.9], "ground_truth": [False, True]})
    >>> concept_ids(ts)
    ['cat', 'dog']
    """
    return [str(c) for c in read_test_set(ts).concepts]


def at_threshold(
    ts: pd.DataFrame,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
) -> pd.DataFrame:
    """Per-concept confusion counts, precision, recall and F1 at a threshold.

    A concept counts as predicted for an input when its score is
    ``>= threshold``.  The test set's inputs are the ``input_id`` values with
    at least one row; an (input, concept) pair with no row counts as a
    negative scored 0, so it is a true negative unless the threshold is 0 or
    below.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set as :func:`clarinb.frames.test_set` returns: ``input_id``,
        ``concept_id``, ``score``, ``ground_truth``; one row per (input, concept).
    threshold : float, mapping or Series
        One threshold for every concept, or concept id -> threshold.
    default : float
        Threshold of the concepts a mapping leaves out.

    Returns
    -------
    pandas.DataFrame
        One row per concept, in the order of the ``concept_id`` categories:
        ``concept_id``, ``threshold``, ``tp``, ``fp``, ``fn``, ``tn`` (int64),
        ``precision``, ``recall``, ``f1`` (0.0 on zero division, as
        scikit-learn's ``zero_division=0``) and ``support`` (= tp + fn).

    Raises
    ------
    InvalidArgumentError
        For a malformed test set, a threshold that is not a number, a concept
        the test set lacks, or duplicate (input, concept) rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from clarinb import metrics
    >>> ts = pd.DataFrame({"input_id": ["a", "a", "b", "b"],
    ...                    "concept_id": ["cat", "dog", "cat", "dog"],
    ...                    "score": [0.9, 0.2, 0.4, 0.7],
    ...                    "ground_truth": [True, False, True, False]})
    >>> metrics.at_threshold(ts, 0.5)[["concept_id", "tp", "fp", "fn", "recall"]]
      concept_id  tp  fp  fn  recall
    0        cat   1   0   1     0.5
    1        dog   0   1   0     0.0
    """
    a = read_test_set(ts)
    k = a.n_concepts
    thr = thresholds_per_concept(threshold, a.concepts, default)
    if isinstance(thr, float):
        predicted = a.score >= thr
        thr_all = np.full(k, thr)
    else:
        predicted = a.score >= thr[a.concept_codes]
        thr_all = thr
    # One pass: bin each row by (concept, predicted, truth), in the narrowest integer type.
    flags = predicted.view(np.uint8) << 1
    flags |= a.truth.view(np.uint8)
    key = a.concept_codes.astype(np.int16 if 4 * k < 2**15 else np.intp)
    key <<= 2
    key |= flags
    counts = np.bincount(key, minlength=4 * k).reshape(k, 4)
    tp, fp, fn = counts[:, 3], counts[:, 2], counts[:, 1]
    rows = counts.sum(axis=1)
    n_inputs = a.inputs_given_rows(rows)
    absent = n_inputs - rows
    if (absent < 0).any():
        bad = a.concepts[int(np.argmax(absent < 0))]
        raise InvalidArgumentError(
            f"concept {bad!r} has more rows than the test set has inputs; "
            "drop duplicate (input, concept) rows first."
        )
    fp = fp + np.where(thr_all <= 0, absent, 0)  # absent pairs score 0
    tn = n_inputs - tp - fp - fn
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return pd.DataFrame(
        {
            "concept_id": a.concepts.array,
            "threshold": thr_all,
            "tp": tp.astype(np.int64),
            "fp": fp.astype(np.int64),
            "fn": fn.astype(np.int64),
            "tn": tn.astype(np.int64),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": (tp + fn).astype(np.int64),
        }
    )


def averages(
    ts: pd.DataFrame,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
) -> pd.DataFrame:
    """Micro, macro and support-weighted precision, recall and F1 at a threshold.

    Equal to scikit-learn's ``precision_recall_fscore_support(Y, P,
    average=..., zero_division=0)`` on the inputs x concepts indicator matrices
    of ground truth and ``score >= threshold``.

    Parameters
    ----------
    ts : pandas.DataFrame
        A test set, as for :func:`at_threshold`.
    threshold : float, mapping or Series
        As for :func:`at_threshold`.
    default : float
        As for :func:`at_threshold`.

    Returns
    -------
    pandas.DataFrame
        Index ``average`` with rows ``micro``, ``macro``, ``weighted``;
        columns ``precision``, ``recall``, ``f1``.  Macro averages every
        concept equally (F1 is the mean of per-concept F1s); weighted averages
        by support.

    Raises
    ------
    InvalidArgumentError
        As for :func:`at_threshold`.
    """
    return averages_of(at_threshold(ts, threshold, default=default))


def averages_of(per: pd.DataFrame) -> pd.DataFrame:
    """Micro, macro and support-weighted precision, recall and F1 of a per-concept table.

    Parameters
    ----------
    per : pandas.DataFrame
        As :func:`at_threshold` (or :meth:`clarinb.metrics.ThresholdCounts.frame`)
        returns: ``tp``, ``fp``, ``fn``, ``precision``, ``recall``, ``f1``,
        ``support``.

    Returns
    -------
    pandas.DataFrame
        As :func:`averages`.

    Raises
    ------
    InvalidArgumentError
        For a table without rows.
    """
    if not len(per):
        raise InvalidArgumentError("the test set has no concepts to average over.")
    tp, fp, fn = (int(per[c].sum()) for c in ("tp", "fp", "fn"))
    micro = [
        tp / (tp + fp) if tp + fp else 0.0,
        tp / (tp + fn) if tp + fn else 0.0,
        2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
    ]
    cols = ["precision", "recall", "f1"]
    values = per[cols].to_numpy()
    macro = values.mean(axis=0).tolist()
    support = per["support"].to_numpy(dtype=np.float64)
    total = support.sum()
    weighted = (values * support[:, None]).sum(axis=0) / total if total else np.zeros(3)
    return pd.DataFrame(
        [micro, macro, list(weighted)],
        index=pd.Index(["micro", "macro", "weighted"], name="average"),
        columns=cols,
    )
