"""The intervals of a test set's metrics as one tidy frame: a row per concept, a macro row, notes.

:func:`metric_intervals` lays out what :func:`clarinb.metrics.bootstrap_intervals`
computes the way views and users read it: the point estimate of each metric
with ``<metric>_lo`` and ``<metric>_hi`` beside it, a ``note`` saying in words
where an interval says little or a metric does not apply ("n/a"), and the
settings that made it (``ci``, ``n_resamples``, ``seed``, ``min_positives``),
so the threshold's metrics can be recomputed elsewhere with the same draws
(:func:`with_rates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb._numbers import NA
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.bootstrap import METRICS, MIN_POSITIVES, bootstrap_intervals

__all__ = ["RANKING", "RATES", "SETTINGS", "metric_intervals", "with_rates"]

#: Metrics that depend on the scores' order only.
RANKING = ("roc_auc", "avg_precision")
#: Metrics at the threshold.
RATES = ("precision", "recall", "f1")
#: Columns recording how the intervals were drawn.
SETTINGS = ("ci", "n_resamples", "seed", "min_positives")
_NAMES = {
    "roc_auc": "ROC AUC",
    "avg_precision": "AP",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
}


def metric_intervals(
    test_set: Any,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
    ci: float = 0.95,
    n_resamples: int = 1000,
    seed: int | None = 0,
    min_positives: int = MIN_POSITIVES,
    ranking: bool = True,
) -> pd.DataFrame:
    """Per-concept and macro metrics with bootstrap intervals, as one tidy frame.

    The numbers are those of :func:`clarinb.metrics.bootstrap_intervals`
    called with the same arguments.

    Parameters
    ----------
    test_set : TestSetMatrix or pandas.DataFrame
        The test set (a frame as :func:`clarinb.frames.test_set` returns).
    threshold : float, mapping or Series
        Threshold of precision, recall and F1 (one, or concept id -> threshold).
    default : float
        Threshold of the concepts a mapping leaves out.
    ci : float
        Confidence level, strictly between 0 and 1.
    n_resamples : int
        Bootstrap resamples.
    seed : int or None
        Seed of the draws (recorded in the frame, so the draws can be
        repeated); ``None`` draws fresh entropy.
    min_positives : int
        Concepts with fewer positives are flagged ``too_few_positives``.
    ranking : bool
        ``False`` leaves out ROC AUC and AP (their columns are absent):
        the threshold's metrics alone, much faster.

    Returns
    -------
    pandas.DataFrame
        One row per concept (``level`` "concept") and a last ``level``
        "macro" row (``concept_id`` missing).  Columns: ``level``,
        ``concept_id``, ``n_positives``, ``n_negatives`` (nullable ints,
        missing for the macro row), ``threshold`` (the macro row's is the
        common threshold, NaN when concepts differ); for each metric (ROC
        AUC and AP only with ``ranking``) its value, ``<metric>_lo`` and
        ``<metric>_hi`` (NaN where undefined: "n/a"); ``too_few_positives``;
        ``note`` (empty when there is nothing to say); and the settings
        ``ci``, ``n_resamples``, ``seed``, ``min_positives``.

    Raises
    ------
    InvalidArgumentError
        For bad arguments, as :func:`clarinb.metrics.bootstrap_intervals`;
        also for a seed that is a numpy Generator (it cannot be recorded).

    Examples
    --------
    >>> import numpy as np
    >>> from clarinb.metrics import TestSetMatrix, metric_intervals
    >>> labels = np.random.default_rng(0).random((200, 2)) < 0.3
    >>> m = TestSetMatrix.from_arrays(labels * 0.5 + 0.25, labels, concepts=["a", "b"])
    >>> metric_intervals(m, n_resamples=100)[["level", "concept_id", "roc_auc"]]
         level concept_id  roc_auc
    0  concept          a      1.0
    1  concept          b      1.0
    2    macro        NaN      1.0
    """
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise InvalidArgumentError(
            f"seed must be a non-negative int or None, not {_validate.shown(seed)}: the frame "
            "records it, so the same draws can be made again."
        )
    ranking = _validate.choice(ranking, "ranking", (True, False))
    res = bootstrap_intervals(
        test_set,
        threshold,
        default=default,
        ci=ci,
        n_resamples=n_resamples,
        seed=seed,
        min_positives=min_positives,
        ranking=ranking,
    )
    names = METRICS if ranking else RATES
    per = res.concepts
    thresholds = per["threshold"].to_numpy(float)
    common = thresholds[0] if len(set(thresholds.tolist())) == 1 else np.nan
    counts = ("n_positives", "n_negatives")
    concepts = pd.DataFrame({"level": "concept", "concept_id": per["concept_id"].astype(str)})
    for column in counts:
        concepts[column] = per[column].to_numpy()
    concepts["threshold"] = thresholds
    macro: dict[str, Any] = {"level": ["macro"], "concept_id": [np.nan], "threshold": [common]}
    for name in names:
        for end, key in (("", "value"), ("_lo", "lo"), ("_hi", "hi")):
            concepts[name + end] = per[name + end].to_numpy(float)
            macro[name + end] = [res.macro[key].to_numpy(float)[METRICS.index(name)]]
    concepts["too_few_positives"] = per["too_few_positives"].to_numpy(bool)
    macro["too_few_positives"] = [False]
    out = pd.concat([concepts, pd.DataFrame(macro)], ignore_index=True)
    for column in counts:
        out[column] = out[column].astype("Int64")
    out["ci"] = res.ci
    out["n_resamples"] = res.n_resamples
    out["seed"] = pd.array([seed] * len(out), dtype="Int64")
    out["min_positives"] = int(min_positives)
    out.insert(out.columns.get_loc("too_few_positives") + 1, "note", _notes(out))
    return out


def with_rates(intervals: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Replace the threshold, precision, recall and F1 of ``intervals`` by those of ``rates``.

    ROC AUC and AP do not depend on the threshold: computed once, they
    combine with the threshold's metrics computed (cheaply, with
    ``ranking=False``) at each new threshold.  With the same settings the
    resamples are the same, so the result equals :func:`metric_intervals`
    at the new threshold.

    Parameters
    ----------
    intervals : pandas.DataFrame
        From :func:`metric_intervals` (with ranking).
    rates : pandas.DataFrame
        From :func:`metric_intervals` on the same test set with the same
        settings, at the new threshold.

    Returns
    -------
    pandas.DataFrame
        A new frame; notes rewritten.

    Raises
    ------
    InvalidArgumentError
        When the frames are not intervals of the same concepts drawn the same way.
    """
    moved = [*(n + end for n in RATES for end in ("", "_lo", "_hi")), "threshold"]
    needed = ["level", "concept_id", *moved, *SETTINGS]
    _validate.frame(intervals, "intervals", columns=needed, hint=_HINT)
    _validate.frame(rates, "rates", columns=needed, hint=_HINT)
    keys = [_keys(intervals), _keys(rates)]
    order = keys[1].get_indexer(keys[0])
    settings = [
        {tuple(row) for row in frame[list(SETTINGS)].astype(str).to_numpy()}
        for frame in (intervals, rates)
    ]
    same = keys[0].is_unique and len(rates) == len(intervals) and (order >= 0).all()
    if not same or len(settings[0]) != 1 or settings[0] != settings[1]:
        raise InvalidArgumentError(
            "the rates are not intervals of the same concepts drawn with the same settings "
            f"({', '.join(SETTINGS)}); compute both with metric_intervals on one test set."
        )
    out = intervals.copy()
    out[moved] = rates[moved].to_numpy()[order]
    out["note"] = _notes(out)
    return out


def _keys(frame: pd.DataFrame) -> pd.Index:
    """Row keys: the level and concept id of each row."""
    return pd.Index(frame["level"].astype(str) + "\x00" + frame["concept_id"].astype(str))


_HINT = "build it with clarinb.metrics.metric_intervals()"


def _notes(frame: pd.DataFrame) -> list[str]:
    """Say what each row's intervals leave unsaid: n/a metrics, few positives, no interval."""
    names = [n for n in METRICS if n in frame.columns]
    ranked = "roc_auc" in names
    concept = (frame["level"] == "concept").to_numpy()
    pos = frame["n_positives"].fillna(0).to_numpy(np.int64)
    neg = frame["n_negatives"].fillna(0).to_numpy(np.int64)
    few = frame["too_few_positives"].to_numpy(bool)
    least = frame["min_positives"].to_numpy(np.int64)
    no_interval = {
        n: ~np.isnan(frame[n].to_numpy(float)) & np.isnan(frame[n + "_lo"].to_numpy(float))
        for n in names
    }
    notes = []
    for i in range(len(frame)):
        parts = []
        if concept[i]:
            if pos[i] == 0:
                parts.append(f"no positives: ROC AUC and AP {NA}" if ranked else "no positives")
            elif neg[i] == 0:
                parts.append(f"no negatives: ROC AUC {NA}" if ranked else "no negatives")
            if 0 < pos[i] < least[i]:
                parts.append(f"only {pos[i]} positives: too few for a useful interval")
            elif few[i] and pos[i]:
                parts.append(f"the AP interval is of zero width or {NA}: it says little")
        missing = [_NAMES[n] for n in names if no_interval[n][i]]
        if missing:
            parts.append(f"no interval for {', '.join(missing)} (undefined in most resamples)")
        notes.append("; ".join(parts))
    return notes
