"""Which differences between two models are real: paired bootstrap deltas and a verdict.

Both models are evaluated on the same inputs; every bootstrap resample draws
the same inputs for both, so the interval of a difference reflects how the
two models differ on the same data, not each one's own noise.  McNemar's
test on top-1 correctness is in :mod:`clarinb.metrics.significance`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import _resample
from clarinb.metrics.bootstrap import METRICS, Prepared, macro, resampled
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["PairedComparison", "align", "paired_bootstrap", "verdict"]

_RATES = ("precision", "recall", "f1")


def align(a: Any, b: Any) -> tuple[TestSetMatrix, TestSetMatrix]:
    """Restrict two test sets to their shared inputs and concepts, in the order of ``a``.

    Parameters
    ----------
    a, b : TestSetMatrix or pandas.DataFrame
        The two models' test sets (frames are converted).

    Returns
    -------
    tuple of TestSetMatrix
        Both with the same inputs and concepts, in the same order.

    Raises
    ------
    InvalidArgumentError
        When they share no input or no concept.
    """
    ma, mb = as_matrix(a), as_matrix(b)
    picked = []
    for what in ("inputs", "concepts"):
        ids_a, ids_b = getattr(ma, what), getattr(mb, what)
        in_b = ids_b.get_indexer(ids_a)
        keep = np.flatnonzero(in_b >= 0)
        if not len(keep):
            raise InvalidArgumentError(
                f"the two test sets share no {what[:-1]} ids; compare evaluations of the "
                "same dataset version (their input and concept ids must match)."
            )
        picked.append((keep, in_b[keep]))
    (rows_a, rows_b), (cols_a, cols_b) = picked
    return ma.subset(*_moved(ma, rows_a, cols_a)), mb.subset(*_moved(mb, rows_b, cols_b))


def _moved(m: TestSetMatrix, rows: np.ndarray, cols: np.ndarray) -> tuple[Any, Any]:
    """Positions to keep, ``None`` where all are kept in order (no copy of a large matrix)."""
    same_rows = len(rows) == m.n_inputs and np.array_equal(rows, np.arange(m.n_inputs))
    same_cols = len(cols) == m.n_concepts and np.array_equal(cols, np.arange(m.n_concepts))
    return (None if same_rows else rows), (None if same_cols else cols)


def _mark(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    out = np.where(lo > 0, "better", np.where(hi < 0, "worse", "indistinguishable"))
    return np.where(np.isnan(lo) | np.isnan(hi), "n/a", out).astype(object)


@dataclass(frozen=True)
class PairedComparison:
    """Paired bootstrap deltas (B - A) of two models' metrics on shared inputs.

    Attributes
    ----------
    concepts : pandas.DataFrame
        Long: one row per (concept, metric): ``concept_id``, ``metric``,
        ``a``, ``b``, ``delta``, ``delta_lo``, ``delta_hi``, ``undefined``
        (resamples left out) and ``verdict``: ``better`` (the interval lies
        above 0), ``worse`` (below 0), ``indistinguishable`` (it holds 0) or
        ``n/a`` (no interval).
    macro : pandas.DataFrame
        Index ``metric``, the same columns but ``concept_id``.
    names : tuple of str
        What the two models are called in :func:`verdict`.
    n_inputs : int
        Shared inputs resampled.
    ci : float
        The confidence level.
    n_resamples : int
        Bootstrap resamples drawn.
    method : str
        ``"percentile"``.
    """

    concepts: pd.DataFrame
    macro: pd.DataFrame
    names: tuple[str, str]
    n_inputs: int
    ci: float
    n_resamples: int
    method: str = "percentile"


def paired_bootstrap(
    a: Any,
    b: Any,
    threshold: float | Mapping[Any, float] | pd.Series = 0.5,
    *,
    default: float = 0.5,
    ci: float = 0.95,
    n_resamples: int = 1000,
    seed: int | np.random.Generator | None = 0,
    names: tuple[str, str] = ("A", "B"),
) -> PairedComparison:
    """Per-concept and macro deltas B - A with paired percentile bootstrap intervals.

    The test sets are aligned on their shared inputs and concepts (see
    :func:`align`); each resample draws the same inputs for both models.
    A resample in which either model's metric is undefined is left out of
    that delta's interval, as in :func:`clarinb.metrics.bootstrap_intervals`.

    Parameters
    ----------
    a, b : TestSetMatrix or pandas.DataFrame
        The test sets of model A and model B (each with its own ground truth).
    threshold, default : float or mapping
        Decision threshold of precision, recall and F1, as
        :func:`clarinb.metrics.bootstrap_intervals`; the same for both models.
    ci : float
        Confidence level, strictly between 0 and 1.
    n_resamples : int
        Number of bootstrap resamples (at least 1).
    seed : int, numpy.random.Generator or None
        Seed of the draws.
    names : tuple of str
        Names of A and B, for :func:`verdict`.

    Returns
    -------
    PairedComparison
        Deltas of ROC AUC, AP, precision, recall and F1, per concept and macro.

    Raises
    ------
    InvalidArgumentError
        For bad bootstrap arguments, or test sets sharing no input or concept.
    """
    level, count, rng = _resample.check_args(ci, n_resamples, seed)
    named = isinstance(names, tuple) and len(names) == 2
    if not (named and all(isinstance(x, str) for x in names)):
        raise InvalidArgumentError(f"names must be a tuple of two strings, not {names!r}.")
    ma, mb = align(a, b)
    preps = [Prepared.of(x, threshold, default) for x in (ma, mb)]
    ones = np.ones((1, ma.n_inputs), dtype=np.int8)
    points = [p.evaluate(ones) for p in preps]
    ranked = {
        name: ~np.isnan(points[0][name][:, 0]) & ~np.isnan(points[1][name][:, 0])
        for name in ("roc_auc", "avg_precision")
    }
    values = resampled(preps, ma.n_inputs, count, rng)
    macro_points = [macro(pt, ranked) for pt in points]
    macro_values = [macro(v, ranked) for v in values]
    parts, rows = [], []
    for name in METRICS:
        est = [pt[name][:, 0] for pt in points]
        if name in _RATES:
            est = [np.nan_to_num(e, nan=0.0) for e in est]
        lo, hi, undefined = _resample.percentile_interval(values[1][name] - values[0][name], level)
        parts.append(
            pd.DataFrame(
                {
                    "concept_id": ma.concepts.array,
                    "metric": name,
                    "a": est[0],
                    "b": est[1],
                    "delta": est[1] - est[0],
                    "delta_lo": lo,
                    "delta_hi": hi,
                    "undefined": undefined,
                    "verdict": _mark(lo, hi),
                }
            )
        )
        diff = (macro_values[1][name] - macro_values[0][name])[None, :]
        mlo, mhi, mund = _resample.percentile_interval(diff, level)
        pa, pb = float(macro_points[0][name][0]), float(macro_points[1][name][0])
        rows.append((pa, pb, pb - pa, mlo[0], mhi[0], int(mund[0]), _mark(mlo, mhi)[0]))
    table = pd.DataFrame(
        rows,
        index=pd.Index(METRICS, name="metric"),
        columns=["a", "b", "delta", "delta_lo", "delta_hi", "undefined", "verdict"],
    )
    concepts = pd.concat(parts, ignore_index=True)
    return PairedComparison(concepts, table, names, ma.n_inputs, level, count)


def verdict(comparison: PairedComparison, metric: str = "avg_precision") -> str:
    """One line saying on how many concepts B is better, worse or indistinguishable from A.

    Parameters
    ----------
    comparison : PairedComparison
        From :func:`paired_bootstrap`.
    metric : str
        One of :data:`clarinb.metrics.bootstrap.METRICS`.

    Returns
    -------
    str
        For example ``"B beats A on 7 concepts, is worse on 2, indistinguishable
        on 11 (avg_precision, 95% paired bootstrap intervals)"``; concepts
        without an interval are counted as n/a.

    Raises
    ------
    InvalidArgumentError
        For an unknown metric or a ``comparison`` of another type.
    """
    if not isinstance(comparison, PairedComparison):
        raise InvalidArgumentError(
            f"expected a PairedComparison from paired_bootstrap, not {type(comparison).__name__}."
        )
    if metric not in METRICS:
        raise InvalidArgumentError(f"metric must be one of {list(METRICS)}, not {metric!r}.")
    marks = comparison.concepts.loc[comparison.concepts["metric"] == metric, "verdict"]
    count = marks.value_counts()
    better, worse = int(count.get("better", 0)), int(count.get("worse", 0))
    same, na = int(count.get("indistinguishable", 0)), int(count.get("n/a", 0))
    a, b = comparison.names
    noun = "concept" if better == 1 else "concepts"
    line = f"{b} beats {a} on {better} {noun}, is worse on {worse}, indistinguishable on {same}"
    if na:
        line += f", n/a on {na}"
    return f"{line} ({metric}, {comparison.ci:.0%} paired bootstrap intervals)"
