"""Comparing evaluations: aligned concepts, metric deltas, means and confusion-rate changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.metrics.deltas import (
    align_concepts,
    confusion_rate_change,
    metric_deltas,
    metric_means,
)


def _frames() -> dict[str, pd.DataFrame]:
    return {
        "old": pd.DataFrame({"concept_id": ["x", "y", "z"], "roc_auc": [0.8, 0.9, 0.5],
                             "f1": [0.1, 0.2, np.nan]}),
        "new": pd.DataFrame({"concept_id": ["y", "x", "z"], "roc_auc": [0.7, 0.85, 0.6],
                             "f1": [0.3, 0.2, 0.4]}),
        "alt": pd.DataFrame({"concept_id": ["x", "y", "z"], "roc_auc": ["0.9", None, 0.5],
                             "f1": [0.0, 0.0, 0.0]}),
    }  # fmt: skip


def test_align_orders_by_the_first_and_checks_the_concept_sets() -> None:
    aligned = align_concepts(_frames(), intersect=False)
    assert [list(f.index) for f in aligned.values()] == [["x", "y", "z"]] * 3
    fewer = {"a": _frames()["old"], "b": _frames()["new"].iloc[:2]}
    with pytest.raises(InvalidArgumentError, match="intersect=True"):
        align_concepts(fewer, intersect=False)
    assert list(align_concepts(fewer, intersect=True)["b"].index) == ["x", "y"]
    apart = {"a": _frames()["old"].iloc[:1], "b": _frames()["new"].iloc[:1]}
    with pytest.raises(InvalidArgumentError, match="no concept in common"):
        align_concepts(apart, intersect=True)


def test_deltas_against_the_baseline_sorted_by_the_first_other() -> None:
    aligned = align_concepts(_frames(), intersect=False)
    got = metric_deltas(aligned, "roc_auc", "old")
    assert list(got.columns) == ["new", "alt"]
    assert list(got.index) == ["z", "x", "y"]
    np.testing.assert_allclose(got["new"], [0.1, 0.05, -0.2])
    assert got.loc["x", "alt"] == pytest.approx(0.1)  # numbers written as text are read
    assert np.isnan(got.loc["y", "alt"])  # unknown stays unknown
    by_new = metric_deltas(aligned, "f1", "new")
    assert by_new.loc["x", "old"] == pytest.approx(-0.1)
    with pytest.raises(InvalidArgumentError, match="no 'accuracy' column"):
        metric_deltas(aligned, "accuracy", "old")
    with pytest.raises(InvalidArgumentError, match="baseline"):
        metric_deltas(aligned, "f1", "nope")


def test_means_skip_unknown_values() -> None:
    means = metric_means(align_concepts(_frames(), intersect=False))
    assert list(means.columns) == ["old", "new", "alt"]
    assert list(means.index) == ["roc_auc", "f1"]
    assert means.loc["f1", "old"] == pytest.approx(0.15)
    assert means.loc["roc_auc", "alt"] == pytest.approx(0.7)


def test_confusion_rate_change_by_actual_concept() -> None:
    first = pd.DataFrame([[3, 1], [0, 0]], index=["a", "b"], columns=["a", "b"])
    second = pd.DataFrame(
        [[2, 2, 0, 4], [1, 0, 1, 0], [0, 0, 5, 0]],
        index=["a", "b", "c"],
        columns=["a", "b", "c", "(none)"],
    )
    change = confusion_rate_change(first, second)
    assert list(change.index) == list(change.columns) == ["a", "b", "c"]
    np.testing.assert_allclose(
        change.to_numpy(), [[-0.25, 0.25, 0.0], [0.5, 0.0, 0.5], [0.0, 0.0, 1.0]]
    )


def test_rate_change_is_the_same_for_square_and_reordered_matrices() -> None:
    ids = ["a", "b", "c"]
    first = pd.DataFrame([[3, 1, np.nan], [0, 0, 0], [2, 2, 4]], index=ids, columns=ids)
    second = pd.DataFrame([[1, 1, 2], [0, 5, 1], [0, 0, 0]], index=ids, columns=ids)
    square = confusion_rate_change(first, second)  # already square: read in place
    shuffled = confusion_rate_change(first[["c", "a", "b"]], second.iloc[::-1])
    pd.testing.assert_frame_equal(square, shuffled)
    assert square.loc["a", "a"] == pytest.approx(1 / 4 - 3 / 4)  # NaN counts as 0
    assert (square.loc["b"] == [0.0, 5 / 6, 1 / 6]).all()  # an empty row stays 0
    assert (square.loc["c"] == [-0.25, -0.25, -0.5]).all()
    assert first.isna().to_numpy().sum() == 1  # the inputs are left unchanged
