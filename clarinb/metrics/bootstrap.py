"""Bootstrap confidence intervals of the per-concept and macro metrics of a test set.

Inputs (rows of the test set) are resampled with replacement, seeded; each
resample is held as integer input weights, and every metric of every
resample is computed without a loop over resamples (see
:mod:`clarinb.metrics._weighted`).  Intervals are percentile intervals.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import _resample, _weighted
from clarinb.metrics._arrays import thresholds_per_concept
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["METRICS", "MIN_POSITIVES", "BootstrapIntervals", "bootstrap_intervals"]

#: The metrics given intervals, in column order.
METRICS = ("roc_auc", "avg_precision", "precision", "recall", "f1")

#: Below this many positives a concept's intervals are flagged ``too_few_positives``.
MIN_POSITIVES = 10

_RATES = ("precision", "recall", "f1")


@dataclass(frozen=True)
class Prepared:
    """A test set made ready for weighted evaluation: sorted once, indicators built once."""

    concepts: pd.Index
    thresholds: np.ndarray
    orders: list[_weighted.RankOrder]
    marks: np.ndarray

    @classmethod
    def of(cls, m: TestSetMatrix, threshold: Any, default: float, ranking: bool = True) -> Prepared:
        """Prepare ``m``; a score ``>= threshold`` is predicted (compared in float32).

        Without ``ranking`` no score is sorted: ROC AUC and AP are left out (NaN).
        """
        thr = thresholds_per_concept(threshold, m.concepts, default)
        thr_all = np.broadcast_to(np.asarray(thr, dtype=np.float64), (m.n_concepts,))
        predicted = m.scores >= thr_all.astype(np.float32)
        return cls(
            m.concepts,
            np.array(thr_all),
            _weighted.rank_orders(m.scores, m.labels) if ranking else [],
            _weighted.indicators(m.labels, predicted),
        )

    def evaluate(self, weights: np.ndarray) -> dict[str, np.ndarray]:
        """Every metric of every concept under each row of ``weights``: arrays ``(n_concepts, m)``.

        Precision, recall and F1 are NaN where their denominator is 0; ROC
        AUC and AP are NaN when prepared without ranking.
        """
        k, m = len(self.concepts), weights.shape[0]
        auc, ap = np.full((k, m), np.nan), np.full((k, m), np.nan)
        for j, order in enumerate(self.orders):
            auc[j], ap[j] = _weighted.ranking(order, weights)
        out = {"roc_auc": auc, "avg_precision": ap}
        out.update(_weighted.threshold_counts(self.marks, weights).rates())
        return out


def macro(values: dict[str, np.ndarray], ranked: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Macro averages of :meth:`Prepared.evaluate`'s output, one per weighting.

    AUC and AP average the concepts ``ranked`` marks (those defined on the
    whole test set), over the ones each weighting defines; precision, recall
    and F1 average every concept, 0 where undefined, as
    :func:`clarinb.metrics.averages`.
    """
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a weighting defining none: NaN
        for name in ("roc_auc", "avg_precision"):
            out[name] = np.nanmean(values[name][ranked[name]], axis=0)
    for name in _RATES:
        out[name] = np.nan_to_num(values[name], nan=0.0).mean(axis=0)
    return out


def resampled(
    prepared: list[Prepared], n_inputs: int, n_resamples: int, rng: np.random.Generator
) -> list[dict[str, np.ndarray]]:
    """Every metric under each bootstrap resample, the same resamples for every prepared set."""
    k = len(prepared[0].concepts)
    outs = [{name: np.empty((k, n_resamples)) for name in METRICS} for _ in prepared]
    for start, weights in _resample.weight_chunks(n_inputs, n_resamples, rng):
        part = slice(start, start + weights.shape[0])
        for p, out in zip(prepared, outs, strict=True):
            for name, value in p.evaluate(weights).items():
                out[name][:, part] = value
    return outs


@dataclass(frozen=True)
class BootstrapIntervals:
    """Point estimates and percentile bootstrap intervals of a test set's metrics.

    Attributes
    ----------
    concepts : pandas.DataFrame
        One row per concept: ``concept_id``, ``n_positives``,
        ``n_negatives``, ``threshold``; for each metric of :data:`METRICS`
        the point estimate (named as the metric), ``<metric>_lo``,
        ``<metric>_hi`` and ``<metric>_undefined`` (resamples left out);
        and ``too_few_positives``.
    macro : pandas.DataFrame
        Index ``metric`` (the :data:`METRICS`); columns ``value``, ``lo``,
        ``hi``, ``undefined``.
    ci : float
        The confidence level.
    n_resamples : int
        Bootstrap resamples drawn.
    method : str
        ``"percentile"``.
    """

    concepts: pd.DataFrame
    macro: pd.DataFrame
    ci: float
    n_resamples: int
    method: str = "percentile"


def bootstrap_intervals(
    test_set: Any,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
    ci: float = 0.95,
    n_resamples: int = 1000,
    seed: int | np.random.Generator | None = 0,
    min_positives: int = MIN_POSITIVES,
    ranking: bool = True,
) -> BootstrapIntervals:
    """Bootstrap intervals of per-concept and macro ROC AUC, AP, precision, recall and F1.

    Each resample draws the test set's inputs with replacement (all concepts
    of a drawn input come along).  Intervals are percentile intervals: the
    ``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles of the resampled metric.
    A resample that leaves a metric undefined (no positive drawn for AUC and
    AP, no negative for AUC, a zero denominator for precision, recall or F1)
    is left out of that concept's interval and counted in
    ``<metric>_undefined``; the interval is NaN when fewer than half the
    resamples define it.

    Parameters
    ----------
    test_set : TestSetMatrix or pandas.DataFrame
        The test set; a frame (as :func:`clarinb.frames.test_set` returns)
        is converted with :meth:`TestSetMatrix.from_frame`.
    threshold : float, mapping or Series
        Decision threshold of precision, recall and F1, one for all concepts
        or concept id -> threshold, as :func:`clarinb.metrics.at_threshold`
        (scores are compared in float32, the matrix's precision).
    default : float
        Threshold of the concepts a mapping leaves out.
    ci : float
        Confidence level, strictly between 0 and 1.
    n_resamples : int
        Number of bootstrap resamples (at least 1).
    seed : int, numpy.random.Generator or None
        Seed of the draws: the same seed gives the same intervals.
    min_positives : int
        Concepts with fewer positives are flagged ``too_few_positives``.
    ranking : bool
        ``False`` leaves out ROC AUC and AP (NaN, no interval): precision,
        recall and F1 alone cost a matrix product per chunk of resamples
        instead of a sort order walk per concept.  The resamples are the
        same, so their intervals equal those of a full call.

    Returns
    -------
    BootstrapIntervals
        Point estimates equal :func:`clarinb.metrics.scores` (AUC, AP; NaN
        where undefined) and :func:`clarinb.metrics.at_threshold` (precision,
        recall, F1; 0.0 where undefined) on the whole test set.
        ``too_few_positives`` is set when a concept has fewer than
        ``min_positives`` positives, or (with ``ranking``) its AP interval
        is NaN or of zero width: the interval then says little.  The macro rows average AUC and
        AP over the concepts the whole test set defines them for, and
        precision, recall and F1 over every concept, as
        :func:`clarinb.metrics.averages`.

    Raises
    ------
    InvalidArgumentError
        For ``ci`` outside (0, 1), ``n_resamples`` below 1, a bad seed or
        threshold, or a malformed or empty test set.

    Examples
    --------
    >>> import numpy as np
    >>> from clarinb.metrics import TestSetMatrix, bootstrap_intervals
    >>> rng = np.random.default_rng(0)
    >>> labels = rng.random((200, 2)) < 0.3
    >>> m = TestSetMatrix.from_arrays(labels + rng.normal(0, 1, labels.shape), labels)
    >>> res = bootstrap_intervals(m, n_resamples=200, seed=1)
    >>> bool((res.concepts["roc_auc_lo"] < res.concepts["roc_auc"]).all())
    True
    """
    level, count, rng = _resample.check_args(ci, n_resamples, seed)
    min_pos = int(_min_positives(min_positives))
    ranking = _validate.choice(ranking, "ranking", (True, False))
    m = as_matrix(test_set)
    for size, what in ((m.n_inputs, "inputs"), (m.n_concepts, "concepts")):
        if not size:
            raise InvalidArgumentError(f"the test set has no {what} to resample.")
    prepared = Prepared.of(m, threshold, default, bool(ranking))
    point = prepared.evaluate(np.ones((1, m.n_inputs), dtype=np.int8))
    ranked = {name: ~np.isnan(point[name][:, 0]) for name in ("roc_auc", "avg_precision")}
    (values,) = resampled([prepared], m.n_inputs, count, rng)
    n_pos = m.labels.sum(axis=0).astype(np.int64)
    frame: dict[str, Any] = {
        "concept_id": m.concepts.array,
        "n_positives": n_pos,
        "n_negatives": m.n_inputs - n_pos,
        "threshold": prepared.thresholds,
    }
    for name in METRICS:
        est = point[name][:, 0]
        lo, hi, undefined = _resample.percentile_interval(values[name], level)
        frame[name] = np.nan_to_num(est, nan=0.0) if name in _RATES else est
        frame[f"{name}_lo"], frame[f"{name}_hi"] = lo, hi
        frame[f"{name}_undefined"] = undefined
    ap_lo, ap_hi = frame["avg_precision_lo"], frame["avg_precision_hi"]
    frame["too_few_positives"] = n_pos < min_pos
    if ranking:
        frame["too_few_positives"] |= np.isnan(ap_lo) | (ap_lo == ap_hi)
    macro_point = macro(point, ranked)
    macro_values = macro(values, ranked)
    rows = []
    for name in METRICS:
        lo, hi, undefined = _resample.percentile_interval(macro_values[name][None, :], level)
        rows.append((float(macro_point[name][0]), lo[0], hi[0], int(undefined[0])))
    table = pd.DataFrame(
        rows, index=pd.Index(METRICS, name="metric"), columns=["value", "lo", "hi", "undefined"]
    )
    return BootstrapIntervals(pd.DataFrame(frame), table, level, count)


def _min_positives(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise InvalidArgumentError(
            f"min_positives must be a non-negative int, not {value!r}; the default is "
            f"{MIN_POSITIVES}."
        )
    return int(value)
