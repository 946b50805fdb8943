"""Counts are signed nullable integers: the difference of two versions' counts can be negative."""

from __future__ import annotations

import pytest

from clarinb import frames
from clarinb.errors import ResponseFormatError


def _groups(count: object) -> dict:
    return {
        "dataset_version_metrics_groups": [
            {"value": "total", "metrics": {"inputs_count": count}},
            {"type": "CONCEPT_ID", "value": "cat", "metrics": {}},
        ]
    }


def test_a_concept_that_lost_inputs_shows_a_negative_change() -> None:
    old = frames.dataset_version_metrics_groups(_groups("20"))
    new = frames.dataset_version_metrics_groups(_groups("18"))
    change = new["inputs_count"] - old["inputs_count"]
    assert change.dtype == "Int64"
    assert int(change.iloc[0]) == -2
    assert change.isna().iloc[1]  # absent on both sides: unknown, not 0


def test_a_count_beyond_int64_is_a_format_error_naming_the_field() -> None:
    with pytest.raises(ResponseFormatError, match=r"metrics\.inputs_count"):
        frames.dataset_version_metrics_groups(_groups(str(2**63)))
