"""The metrics-groups computations: levels, totals, bins, class balance and version diffs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.metrics.group_counts import bin_width, imbalance, version_diff
from clarinb.metrics.groups import groups_frame, level_paths, totals


def _version(concepts: dict[str, int], per_input: dict[int, int]) -> pd.DataFrame:
    rows = [("", "CONCEPT_ID", c, n) for c, n in concepts.items()]
    rows += [("", "CONCEPTS_COUNT", float(k), n) for k, n in per_input.items()]
    rows.append(("CONCEPT_ID/cat", "CONCEPT_ID", "cat", 999))  # nested: not compared
    frame = pd.DataFrame(rows, columns=["parent_path", "type", "value", "inputs_count"])
    frame["inputs_count"] = frame["inputs_count"].astype("Int64")
    return frame


def test_version_diff_sorted_by_change() -> None:
    a = _version({"cat": 50, "dog": 40, "eel": 5, "fox": 7}, {1: 80, 2: 20})
    b = _version({"cat": 52, "dog": 10, "fox": 7, "gnu": 25}, {1: 60, 2: 30, 3: 4})
    diff = version_diff(a, b)
    assert diff["value"].tolist() == ["dog", "gnu", "eel", "cat", "fox"]
    assert diff["delta"].tolist() == [-30, 25, -5, 2, 0]
    assert diff["change"].tolist() == ["changed", "added", "removed", "changed", "same"]
    counts = version_diff(a, b, group_type="CONCEPTS_COUNT")
    assert counts.set_index("value").loc["3", "change"] == "added"
    with pytest.raises(InvalidArgumentError, match="group_type"):
        version_diff(a, b, group_type="COLOUR")
    with pytest.raises(InvalidArgumentError, match="metric"):
        version_diff(a, b, metric="weight")


def test_bin_width_and_imbalance() -> None:
    assert bin_width(np.array([1.2, 0.5, 0.7, 0.6])) == 0.1
    assert bin_width(np.array([3.0])) == 1.0
    assert imbalance([5, 5, 5])["entropy"] == pytest.approx(1.0)
    assert imbalance([90, 10])["ratio"] == 9.0
    assert math.isnan(imbalance([0, 0])["ratio"])


def test_groups_frame_fills_counts_and_refuses_bad_ones() -> None:
    frame = groups_frame(_version({"cat": 1}, {}))
    assert frame["points_count"].isna().all()
    assert frame["region_location_matrix"].isna().all()
    bad = _version({"cat": 1}, {}).astype({"inputs_count": float})
    bad.loc[0, "inputs_count"] = -1.0
    with pytest.raises(InvalidArgumentError, match="negative counts"):
        groups_frame(bad)
    with pytest.raises(InvalidArgumentError, match="DataFrame"):
        groups_frame({"parent_path": []})


def test_level_paths_and_totals() -> None:
    frame = groups_frame(_version({"cat": 3, "dog": 1}, {1: 4}))
    assert level_paths(frame, []) == [""]
    assert level_paths(frame, ["cat"]) == ["", "CONCEPT_ID/cat"]
    with pytest.raises(InvalidArgumentError, match="no metrics groups lie under concept 'dog'"):
        level_paths(frame, ["dog"])
    top = frame[frame["parent_path"] == ""]
    assert totals(top, {"inputs_count": 4}, ["inputs_count", "masks_count"]) == {
        "inputs_count": 4,
        "masks_count": None,  # not applicable, not 0
    }
