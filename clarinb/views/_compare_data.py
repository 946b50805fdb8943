"""Checks and joins for comparing evaluations: same dataset version, same concepts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError
from clarinb.views._curve_data import check_curve_frame

__all__ = [
    "METRICS",
    "align_concepts",
    "check_count",
    "check_curves",
    "check_versions",
    "deltas",
    "long_metrics",
]

#: Per-concept metrics compared, when present.
METRICS = ("roc_auc", "avg_precision", "f1")
MIN_EVALUATIONS, MAX_EVALUATIONS = 2, 6


def check_count(labels: list[str]) -> None:
    """Require 2 to 6 evaluations with distinct labels."""
    if not MIN_EVALUATIONS <= len(labels) <= MAX_EVALUATIONS:
        raise InvalidArgumentError(
            f"CompareView compares 2 to 6 evaluations; {len(labels)} were given."
        )
    validate.unique_labels(labels, "the evaluation labels")


def check_curves(curves: Mapping[str, Any]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Require each label's curves to be a (ROC frame, PR frame) pair."""
    out = {}
    for label, pair in curves.items():
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidArgumentError(
                f"the curves of {label!r} must be a (roc, pr) pair of frames, "
                f"not {validate.shown(pair)}."
            )
        out[str(label)] = (
            check_curve_frame(pair[0], "ROC", ["fpr", "tpr"]),
            check_curve_frame(pair[1], "PR", ["precision", "recall"]),
        )
    return out


def check_versions(versions: Mapping[str, str | None]) -> None:
    """Require every known dataset version to be the same one."""
    known = {label: v for label, v in versions.items() if v}
    if len(set(known.values())) > 1:
        listing = ", ".join(f"{label}: {v}" for label, v in known.items())
        raise InvalidArgumentError(
            "The evaluations were run on different dataset versions, so their metrics are not "
            f"comparable ({listing})."
        )


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
        When the concept sets differ and ``intersect`` is false, or when no
        concept is common to all.
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
    common = set.intersection(*sets.values())
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


def long_metrics(aligned: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Stack the compared metrics: ``evaluation``, ``concept_id``, ``metric``, ``value``."""
    rows = []
    for label, frame in aligned.items():
        present = [m for m in METRICS if m in frame.columns]
        part = frame[present].reset_index().melt("concept_id", var_name="metric")
        rows.append(part.assign(evaluation=label))
    out = pd.concat(rows, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out[["evaluation", "concept_id", "metric", "value"]]


def deltas(aligned: Mapping[str, pd.DataFrame], metric: str, baseline: str) -> pd.DataFrame:
    """Per-concept difference of one metric against the baseline evaluation.

    Returns
    -------
    pandas.DataFrame
        Index ``concept_id``, one column per other evaluation, sorted by the
        first of them (largest gain first).
    """
    validate.choice(baseline, "baseline", list(aligned), hint="one of the labels")
    for label, frame in aligned.items():
        if metric not in frame.columns:
            raise InvalidArgumentError(f"The metrics of {label!r} have no {metric!r} column.")
    base = pd.to_numeric(aligned[baseline][metric], errors="coerce")
    out = pd.DataFrame(
        {
            label: pd.to_numeric(frame[metric], errors="coerce") - base
            for label, frame in aligned.items()
            if label != baseline
        }
    )
    first = out.columns[0]
    key = out[first].fillna(-np.inf)
    return out.loc[key.sort_values(ascending=False, kind="stable").index]
