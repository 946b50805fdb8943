"""Where a model fails: its metrics, with bootstrap intervals, on each slice of the test set.

A slice is a group of test inputs sharing a key: an input metadata field,
an image size or aspect-ratio bucket, the presence of another concept in the
ground truth (see :mod:`clarinb.metrics.slice_keys` for the keys).  Each
slice's metrics are those of the test set restricted to its inputs, with
the percentile bootstrap intervals of
:func:`clarinb.metrics.bootstrap_intervals` (inputs of the slice resampled).

The bootstrap of the macro metrics costs inputs x concepts x resamples.
Above :data:`~clarinb.metrics.compare_bounded.BOOTSTRAP_BUDGET` of that work,
only the metric the slices are sorted by is computed (all that are asked for
with ``metrics=``); top-1 accuracy keeps its intervals (its work grows with the
inputs alone), the macro metrics get exact values without intervals, and
:attr:`SliceMetrics.note` says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import _resample
from clarinb.metrics._sorted import in_threads
from clarinb.metrics.bootstrap import METRICS, Prepared, bootstrap_intervals, macro
from clarinb.metrics.compare_bounded import BOOTSTRAP_BUDGET
from clarinb.metrics.matrix import TestSetMatrix, as_matrix

__all__ = ["SLICE_METRICS", "SliceMetrics", "slice_metrics", "top1_correct"]

#: The metrics of every slice, in column order: top-1 accuracy, then the
#: macro averages of :data:`clarinb.metrics.bootstrap.METRICS`.
SLICE_METRICS = ("accuracy", *METRICS)

#: Matrix cells read at a time by :func:`top1_correct`.
_CHUNK_CELLS = 1 << 20


@dataclass(frozen=True)
class SliceMetrics:
    """A test set's metrics per slice, worst slice first.

    Attributes
    ----------
    slices : pandas.DataFrame
        One row per slice, sorted by :attr:`metric` (lowest first, NaN
        last): ``slice``, ``n_inputs``; for each metric of
        :data:`SLICE_METRICS` the value (named as the metric), ``<metric>_lo``
        and ``<metric>_hi``; and ``overlaps_whole`` (nullable bool: whether
        the slice's interval of :attr:`metric` overlaps the whole test
        set's; NA when either is undefined).
    whole : pandas.DataFrame
        One row, ``slice`` ``"(all)"``, the same columns for the whole test
        set (every input, also those in no slice).
    metric : str
        The metric the slices are sorted and flagged by.
    ci : float
        The confidence level.
    n_resamples : int
        Bootstrap resamples drawn per slice.
    note : str
        ``""``, or what was left out to bound the work (metrics not computed,
        intervals not drawn) and how to have it.
    """

    slices: pd.DataFrame
    whole: pd.DataFrame
    metric: str
    ci: float
    n_resamples: int
    note: str = ""


def top1_correct(m: TestSetMatrix) -> np.ndarray:
    """Whether each input's top-scored concept is right, as :func:`clarinb.metrics.top_k_accuracy`.

    Parameters
    ----------
    m : TestSetMatrix
        The test set.

    Returns
    -------
    numpy.ndarray
        float64 per input: 1.0 when no negative concept scores at least as
        high as its best positive one, 0.0 otherwise, NaN for an input
        without a positive concept.
    """
    out = np.zeros(m.n_inputs, dtype=np.float64)
    rows = max(1, _CHUNK_CELLS // max(m.n_concepts, 1))

    def block(r0: int) -> None:  # a block of rows, in cache; blocks run on threads
        scores, labels = m.scores[r0 : r0 + rows], m.labels[r0 : r0 + rows]
        at = np.arange(len(scores))
        codes = scores.argmax(axis=1)
        top = scores[at, codes]
        right = labels[at, codes]  # right when the top score is unique: its concept's label
        tied = np.flatnonzero(np.count_nonzero(scores == top[:, None], axis=1) > 1)
        if len(tied):  # else right when a positive and no negative reach the top
            level = scores[tied] == top[tied, None]
            hit = labels[tied]
            right[tied] = (level & hit).any(axis=1) & ~(level & ~hit).any(axis=1)
        right &= top > -np.inf
        out[r0 : r0 + rows] = right

    in_threads(block, range(0, m.n_inputs if m.n_concepts else 0, rows))
    out[~m.labels.any(axis=1)] = np.nan
    return out


def _accuracy(
    correct: np.ndarray, count: int, level: float, seed: int
) -> tuple[float, float, float]:
    """Top-1 accuracy of these inputs and its interval, over the resamples of ``seed``."""
    defined = ~np.isnan(correct)
    if not defined.any():
        return np.nan, np.nan, np.nan
    values = np.empty(count)
    hits = np.where(defined, correct, 0.0).astype(np.uint8)  # 0 / 1: small gathers, exact sums
    weight = defined.astype(np.uint8)
    everywhere = bool(defined.all())  # then every resample draws len(correct) defined inputs
    start = 0  # the draws of weight_chunks, read as indices: one gather per resample block
    for idx in _resample.index_blocks(len(correct), count, np.random.default_rng(seed)):
        drawn = weight[idx].sum(axis=1) if not everywhere else len(correct)
        with np.errstate(invalid="ignore", divide="ignore"):
            values[start : start + len(idx)] = hits[idx].sum(axis=1) / drawn
        start += len(idx)
    lo, hi, _ = _resample.percentile_interval(values[None, :], level)
    return float(correct[defined].mean()), float(lo[0]), float(hi[0])


def _row(
    m: TestSetMatrix,
    members: np.ndarray | None,
    correct: np.ndarray,
    name: Any,
    threshold: Any,
    *,
    wanted: tuple[str, ...],
    intervals: bool,
    level: float,
    count: int,
    seed: int,
) -> dict[str, Any]:
    """One slice's row (its inputs: ``members`` of ``m``, all when None): the ``wanted`` metrics.

    The macro metrics are bootstrapped when ``intervals``, else exact alone.
    """
    if members is not None:
        correct = correct[members]
    row: dict[str, Any] = {"slice": name, "n_inputs": len(correct)}
    if "accuracy" in wanted:
        row["accuracy"], row["accuracy_lo"], row["accuracy_hi"] = _accuracy(
            correct, count, level, seed
        )
    macros = [metric for metric in METRICS if metric in wanted]
    if not macros:
        return row
    if members is not None:
        m = m.subset(members)
    if intervals:
        table = bootstrap_intervals(m, threshold, ci=level, n_resamples=count, seed=seed).macro
        values = table[["value", "lo", "hi"]].to_numpy(np.float64)
    else:  # exact values, one pass; sorted only when a ranking metric is wanted
        ranking = bool({"roc_auc", "avg_precision"} & set(macros))
        prepared = Prepared.of(m, threshold, 0.5, ranking)
        point = prepared.evaluate(np.ones((1, m.n_inputs), dtype=np.int8))
        ranked = {k: ~np.isnan(point[k][:, 0]) for k in ("roc_auc", "avg_precision")}
        means = macro(point, ranked)
        values = np.array([[float(means[k][0]), np.nan, np.nan] for k in METRICS])
    for i, metric in enumerate(METRICS):
        if metric in macros:
            row[metric], row[f"{metric}_lo"], row[f"{metric}_hi"] = (float(v) for v in values[i])
    return row


def _keys(by: Any, m: TestSetMatrix) -> pd.Series:
    """Each test input's slice name (NaN: in no slice), in the matrix's row order."""
    if isinstance(by, Mapping):
        by = pd.Series(dict(by), dtype=object)
    if not isinstance(by, pd.Series):
        raise InvalidArgumentError(
            f"by must be a pandas Series (or a mapping) from input id to slice name, not "
            f"{_validate.shown(by)}; build one with clarinb.metrics.metadata_slices, "
            "size_slices, aspect_slices or concept_slices."
        )
    lookup = pd.Series(by.to_numpy(dtype=object), index=by.index.astype(str))
    if not lookup.index.is_unique:
        raise InvalidArgumentError("by must name each input once; its index has duplicates.")
    keys = lookup.reindex(m.inputs.astype(str))
    if keys.isna().all():
        raise InvalidArgumentError(
            "by puts no input of the test set in a slice: its index must hold the test set's "
            "input ids."
        )
    return pd.Series(keys.to_numpy(), index=m.inputs)


def slice_metrics(
    test_set: Any,
    by: Any,
    *,
    threshold: Any = 0.5,
    ci: float = 0.95,
    n_resamples: int = 1000,
    seed: int | np.random.Generator | None = 0,
    sort_by: str | None = None,
    concepts: Any = None,
    metrics: Any = None,
    budget: int | None = None,
) -> SliceMetrics:
    """Top-1 accuracy and macro ROC AUC, AP, precision, recall, F1 per slice, with intervals.

    Parameters
    ----------
    test_set : TestSetMatrix or pandas.DataFrame
        The test set (a frame of :func:`clarinb.frames.test_set` is converted).
    by : pandas.Series or mapping
        Input id -> slice name; inputs it leaves out or maps to NaN/None are
        in no slice (they still count in the whole).
    threshold : float, mapping or Series
        Decision threshold of precision, recall and F1, as
        :func:`clarinb.metrics.bootstrap_intervals`.
    ci : float
        Confidence level.
    n_resamples : int
        Bootstrap resamples per slice.
    seed : int, numpy.random.Generator or None
        Seed of the draws; every slice is resampled from the same seed.
    sort_by : str, optional
        The metric (of :data:`SLICE_METRICS`) to sort and flag by: by
        default ``"accuracy"`` when every input has at most one true concept
        (a single-label classifier), ``"avg_precision"`` otherwise.
    concepts : sequence, optional
        Only these concept ids (with one concept, the macro metrics are that
        concept's).

    Returns
    -------
    SliceMetrics
        The slices, worst first, each with its size and whether its interval
        overlaps the whole test set's.  The values equal scikit-learn on the
        subset: ``accuracy`` is :func:`clarinb.metrics.top_k_accuracy` (k=1),
        the rest :func:`clarinb.metrics.bootstrap_intervals`' macro rows.
        Only the metrics computed have columns; :attr:`SliceMetrics.note`
        says what the budget left out.

    Raises
    ------
    InvalidArgumentError
        For a ``by`` that is not a Series or mapping or puts no test input in
        a slice, an unknown ``sort_by`` or concept, or bad bootstrap arguments.
    """
    level, count, rng = _resample.check_args(ci, n_resamples, seed)
    base = seed if isinstance(seed, int | np.integer) else int(rng.integers(2**63))
    m = as_matrix(test_set)
    if concepts is not None:
        if isinstance(concepts, pd.Index | pd.Series | np.ndarray):
            concepts = [str(c) for c in concepts]
        wanted = pd.Index(_validate.strings(concepts, "concepts"))
        cols = m.concepts.astype(str).get_indexer(wanted)
        if (cols < 0).any():
            missing = list(wanted[cols < 0])
            raise InvalidArgumentError(f"concepts {missing} are not in the test set.")
        m = m.subset(concepts=cols)
    if sort_by is None:
        single = (np.count_nonzero(m.labels, axis=1) <= 1).all()
        sort_by = "accuracy" if single else "avg_precision"
    metric = _validate.choice(sort_by, "sort_by", SLICE_METRICS)
    budget = BOOTSTRAP_BUDGET if budget is None else _validate.positive_int(budget, "budget")
    work = m.n_inputs * m.n_concepts * count
    if metrics is None:
        wanted = SLICE_METRICS if work <= budget else (metric,)
    else:
        asked = [
            _validate.choice(x, "metrics", SLICE_METRICS)
            for x in _validate.strings(metrics, "metrics")
        ]
        wanted = tuple(x for x in SLICE_METRICS if x in asked or x == metric)
    intervals = work <= budget
    keys = _keys(by, m)
    codes, names = pd.factorize(keys, sort=True)
    correct = top1_correct(m)
    how: dict[str, Any] = {
        "level": level, "count": count, "seed": base, "wanted": wanted, "intervals": intervals,
    }  # fmt: skip
    # Each slice (and the whole) resamples with its own generator, so the rows are computed
    # on threads (numpy draws and gathers outside the GIL) with the same numbers as in turn.
    parts: list[tuple[np.ndarray | None, Any]] = [
        (np.flatnonzero(codes == i), name) for i, name in enumerate(names)
    ]
    found = in_threads(  # the whole first: the longest, while the slices share the other core
        lambda part: _row(m, part[0], correct, part[1], threshold, **how),
        [(None, "(all)"), *parts],
    )
    whole = pd.DataFrame([found[0]])
    frame = pd.DataFrame(found[1:])
    lo, hi = whole.loc[0, f"{metric}_lo"], whole.loc[0, f"{metric}_hi"]
    overlaps = (frame[f"{metric}_lo"] <= hi) & (frame[f"{metric}_hi"] >= lo)
    undefined = frame[f"{metric}_lo"].isna() | np.isnan(lo)
    frame["overlaps_whole"] = pd.array(overlaps.to_numpy(), dtype="boolean")
    frame.loc[undefined.to_numpy(), "overlaps_whole"] = pd.NA
    whole["overlaps_whole"] = pd.array([True], dtype="boolean")
    frame = frame.sort_values(metric, kind="stable", na_position="last").reset_index(drop=True)
    return SliceMetrics(frame, whole, metric, level, count, _note(wanted, intervals, m, count))


def _note(wanted: tuple[str, ...], intervals: bool, m: TestSetMatrix, count: int) -> str:
    """Say what the work budget left out, or ``""`` when it left out nothing."""
    if intervals:
        return ""  # within the budget: every metric asked for, with intervals
    parts = []
    left = [x for x in SLICE_METRICS if x not in wanted]
    if left:
        parts.append(f"not computed: {', '.join(left)} (pass metrics= to have them)")
    if any(x in METRICS for x in wanted):
        parts.append("macro metrics without intervals (pass a larger budget= to bootstrap them)")
    if not parts:
        return ""
    size = f"{m.n_inputs:,} inputs x {m.n_concepts:,} concepts x {count:,} resamples"
    return f"{'; '.join(parts)}: bootstrapping {size} would take too long"
