"""Differences between evaluations of one dataset: per-concept deltas, means, confusion changes.

Each evaluation is a per-concept metrics frame (``concept_id`` and metric
columns, as :func:`clarinb.frames.binary_metrics` or
:func:`clarinb.metrics.scores` return); values that are not numbers are
unknown (NaN), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError
from clarinb.frames.matrices import normalize_matrix
from clarinb.metrics.confusion import NONE_LABEL
from clarinb.metrics.curve_averages import mean_of_known

__all__ = [
    "align_concepts",
    "confusion_change_beyond_noise",
    "confusion_rate_change",
    "metric_deltas",
    "metric_means",
]


def align_concepts(
    per_concept: Mapping[str, pd.DataFrame], *, intersect: bool
) -> dict[str, pd.DataFrame]:
    """Index each frame by concept id over one shared concept set.

    Parameters
    ----------
    per_concept : mapping of str to DataFrame
        Label -> frame with ``concept_id`` and metric columns.
    intersect : bool
        Keep the concepts common to all; otherwise differing sets are an error.

    Returns
    -------
    dict of str to DataFrame
        Frames indexed by ``concept_id`` (str), rows in the first frame's order.

    Raises
    ------
    InvalidArgumentError
        When a frame lacks ``concept_id``, when the concept sets differ and
        ``intersect`` is false, or when no concept is common to all.
    """
    frames = {}
    for label, frame in per_concept.items():
        validate.frame(
            frame,
            f"the metrics of {label!r}",
            columns=["concept_id"],
            hint="build it with clarinb.frames.binary_metrics()",
        )
        indexed = frame.assign(concept_id=frame["concept_id"].astype(str))
        frames[label] = indexed.drop_duplicates("concept_id").set_index("concept_id")
    sets = {label: set(f.index) for label, f in frames.items()}
    common = set.intersection(*sets.values()) if sets else set()
    if not intersect and any(s != common for s in sets.values()):
        extra = {label: sorted(s - common)[:5] for label, s in sets.items() if s - common}
        raise InvalidArgumentError(
            "The evaluations cover different concepts (only in one of them, first few: "
            f"{extra}). Pass intersect=True to compare the {len(common)} common concepts."
        )
    if not common:
        raise InvalidArgumentError("The evaluations have no concept in common.")
    first = next(iter(frames.values()))
    order = [c for c in first.index if c in common]
    return {label: f.loc[order] for label, f in frames.items()}


def _values(frame: pd.DataFrame, metric: str) -> pd.Series:
    return pd.to_numeric(frame[metric], errors="coerce").astype(float)


def metric_deltas(aligned: Mapping[str, pd.DataFrame], metric: str, baseline: str) -> pd.DataFrame:
    """Per-concept difference of one metric against a baseline evaluation.

    Parameters
    ----------
    aligned : mapping of str to DataFrame
        As :func:`align_concepts` returns.
    metric : str
        A metric column every frame has.
    baseline : str
        The label the others are compared with.

    Returns
    -------
    pandas.DataFrame
        Index ``concept_id``, one column per other evaluation (other minus
        baseline), rows sorted by the first of them, largest gain first
        (unknown differences last).

    Raises
    ------
    InvalidArgumentError
        For an unknown baseline or a frame without the metric.
    """
    validate.choice(baseline, "baseline", list(aligned), hint="one of the labels")
    for label, frame in aligned.items():
        if metric not in frame.columns:
            raise InvalidArgumentError(f"The metrics of {label!r} have no {metric!r} column.")
    base = _values(aligned[baseline], metric)
    out = pd.DataFrame(
        {
            label: _values(frame, metric) - base
            for label, frame in aligned.items()
            if label != baseline
        },
        index=base.index,
    )
    if out.columns.empty:
        return out
    key = out[out.columns[0]].fillna(-np.inf)
    return out.loc[key.sort_values(ascending=False, kind="stable").index]


def metric_means(
    aligned: Mapping[str, pd.DataFrame],
    metrics: tuple[str, ...] = ("roc_auc", "avg_precision", "f1"),
) -> pd.DataFrame:
    """Mean of each metric over the concepts, one column per evaluation.

    Only the ``metrics`` some frame has are kept; unknown values are left out
    of a mean (NaN when none is known).

    Returns
    -------
    pandas.DataFrame
        Index: metric names; columns: the labels.
    """
    present = [m for m in metrics if any(m in f.columns for f in aligned.values())]
    table = {
        label: [mean_of_known(f[m]) if m in f.columns else np.nan for m in present]
        for label, f in aligned.items()
    }
    return pd.DataFrame(table, index=pd.Index(present))


def squared(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both count matrices over the union of their concepts (``"(none)"`` left out).

    As floats; matrices already square over those concepts keep their values
    (integer counts stay integers), without a copy.
    """
    concepts = list(
        dict.fromkeys(
            str(c) for m in (first, second) for c in (*m.index, *m.columns) if str(c) != NONE_LABEL
        )
    )

    def square(matrix: pd.DataFrame) -> pd.DataFrame:
        if [str(c) for c in matrix.index] == concepts == [str(c) for c in matrix.columns]:
            # Already square over every concept (5,000 x 5,000 is 200 MB): no copy of
            # floats, nor of integer counts (they stay integers).
            values = matrix.to_numpy()
            if values.dtype.kind not in "iuf":
                values = values.astype(np.float64)
            if values.dtype.kind == "f" and np.isnan(values).any():
                values = np.nan_to_num(values)
            return pd.DataFrame(values, index=concepts, columns=concepts, copy=False)
        frame = matrix.rename(index=str, columns=str)
        out = frame.reindex(index=concepts, columns=concepts, fill_value=0).fillna(0)
        return out.astype(float)

    return square(first), square(second)


def confusion_rate_change(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Change of the confusion rates by actual concept: ``second`` minus ``first``.

    Both count matrices (index actual, columns predicted; a ``"(none)"``
    column is left out) are squared over the union of their concepts, each
    row normalised to rates (an empty row stays 0), then subtracted.

    Returns
    -------
    pandas.DataFrame
        Concepts x concepts, in first-seen order (``first``'s rows and
        columns, then ``second``'s).
    """
    a, b = squared(first, second)
    change = normalize_matrix(b, "true").to_numpy() - normalize_matrix(a, "true").to_numpy()
    return pd.DataFrame(change, index=a.index, columns=a.columns, copy=False)


def confusion_change_beyond_noise(
    first: pd.DataFrame, second: pd.DataFrame, *, ci: float = 0.95
) -> pd.DataFrame:
    """Which changes of :func:`confusion_rate_change` lie beyond noise, by a two-proportion test.

    Each cell's rate is a proportion of its actual concept's inputs; the
    change of a cell is beyond noise when the two-sided two-proportion
    z-test (pooled variance) rejects equal rates at level ``1 - ci``.  The
    test treats the two matrices as independent samples; on the same inputs
    (paired) it is conservative, so a kept cell is a real change.  A cell
    whose actual concept has no input in either matrix is never beyond noise.

    Parameters
    ----------
    first, second : pandas.DataFrame
        Count matrices (index actual, columns predicted), as
        :func:`clarinb.metrics.confusion_matrix` returns.
    ci : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        Bool, concepts x concepts in the order of :func:`confusion_rate_change`.

    Raises
    ------
    InvalidArgumentError
        For a level outside (0, 1).

    Examples
    --------
    >>> m = pd.DataFrame([[90, 10], [5, 95]], index=["a", "b"], columns=["a", "b"])
    >>> better = pd.DataFrame([[99, 1], [5, 95]], index=["a", "b"], columns=["a", "b"])
    >>> confusion_change_beyond_noise(m, better).loc["a"].tolist()
    [True, True]
    """
    level = check_level(ci)
    a, b = squared(first, second)
    c1, c2 = a.to_numpy(), b.to_numpy()
    n1, n2 = c1.sum(axis=1, keepdims=True), c2.sum(axis=1, keepdims=True)
    return pd.DataFrame(beyond_noise(c1, n1, c2, n2, level), index=a.index, columns=a.columns)


def check_level(ci: object) -> float:
    """Check a confidence level strictly between 0 and 1."""
    level = validate.number(ci, "ci", hint="use a confidence level such as 0.95")
    if not 0.0 < level < 1.0:
        raise InvalidArgumentError(
            f"ci must lie strictly between 0 and 1, not {ci!r}; use a level such as 0.95."
        )
    return float(level)


def beyond_noise(
    c1: np.ndarray, n1: np.ndarray, c2: np.ndarray, n2: np.ndarray, level: float
) -> np.ndarray:
    """Whether each cell's change of rate (``c / n``) rejects the two-proportion test at ``level``.

    ``c1``, ``c2`` are the cells' counts and ``n1``, ``n2`` their rows'
    totals (broadcast to the cells); a cell whose row is empty in either
    matrix is never beyond noise.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (c1 + c2) / (n1 + n2)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
        z = np.abs(c2 / n2 - c1 / n1) / se
    critical = NormalDist().inv_cdf(0.5 + level / 2.0)
    beyond = np.nan_to_num(z, nan=0.0, posinf=0.0) > critical
    beyond &= (n1 > 0) & (n2 > 0)
    return beyond
