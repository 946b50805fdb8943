"""Differences between evaluations of one dataset: per-concept deltas, means, confusion changes.

Each evaluation is a per-concept metrics frame (``concept_id`` and metric
columns, as :func:`clarinb.frames.binary_metrics` or
:func:`clarinb.metrics.scores` return); values that are not numbers are
unknown (NaN), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError
from clarinb.frames.matrices import normalize_matrix
from clarinb.metrics.confusion import NONE_LABEL
from clarinb.metrics.curve_averages import mean_of_known

__all__ = ["align_concepts", "confusion_rate_change", "metric_deltas", "metric_means"]


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
    concepts = list(
        dict.fromkeys(
            str(c) for m in (first, second) for c in (*m.index, *m.columns) if str(c) != NONE_LABEL
        )
    )

    def rates(matrix: pd.DataFrame) -> pd.DataFrame:
        frame = matrix.rename(index=str, columns=str)
        square = frame.reindex(index=concepts, columns=concepts, fill_value=0).fillna(0)
        return normalize_matrix(square.astype(float), "true")

    return rates(second) - rates(first)
