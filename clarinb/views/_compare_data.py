"""Checks of the comparison view's inputs: how many evaluations, their curves, their versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.curve_points import check_curve_frame
from clarinb.metrics.matrix import TestSetMatrix

__all__ = [
    "METRICS",
    "TEST_SET_COLUMNS",
    "check_count",
    "check_curves",
    "check_test_sets",
    "check_versions",
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
        out[str(label)] = (check_curve_frame(pair[0], "ROC"), check_curve_frame(pair[1], "PR"))
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


#: Columns a test set needs for the paired comparison.
TEST_SET_COLUMNS = ("input_id", "concept_id", "score", "ground_truth")


def check_test_sets(test_sets: Mapping[str, Any], labels: list[str]) -> dict[str, Any]:
    """Require each test set to be a test-set frame or TestSetMatrix of a compared label."""
    out: dict[str, Any] = {}
    for label, frame in test_sets.items():
        validate.choice(
            str(label), "a test set's label", labels, hint="one of per_concept's labels"
        )
        if isinstance(frame, TestSetMatrix):
            out[str(label)] = frame
            continue
        out[str(label)] = validate.frame(
            frame,
            f"the test set of {label!r}",
            columns=TEST_SET_COLUMNS,
            numeric=["score"],
            hint="build it with Evaluation.test_set() or clarinb.frames.test_set()",
        )
    return out
