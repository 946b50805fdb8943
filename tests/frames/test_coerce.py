"""The proto3-JSON readers every frame is built with."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clarinb import frames
from clarinb.errors import ResponseFormatError
from clarinb.frames import _coerce as c


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 0.0),
        (1, 1.0),
        (0.5, 0.5),
        ("2.5", 2.5),
        ("Infinity", math.inf),
        ("-Infinity", -math.inf),
    ],
)
def test_number(raw: object, expected: float) -> None:
    assert c.number(raw, "p") == expected


@pytest.mark.parametrize("raw", [True, "abc", [], {}, 10**400])
def test_number_rejects(raw: object) -> None:
    with pytest.raises(ResponseFormatError, match=r"^x\.y: expected"):
        c.number(raw, "x.y")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 0), ("18446744073709551615", 2**64 - 1), (7, 7), (7.0, 7), ("-3", -3)],
)
def test_integer(raw: object, expected: int) -> None:
    hi = 2**64 - 1 if isinstance(raw, str) and raw.startswith("1844") else 2**63 - 1
    assert c.integer(raw, "p", hi=hi) == expected


@pytest.mark.parametrize("raw", ["--5", "²", "1.5", 1.5, True, "", "9" * 40, 2**64])
def test_integer_rejects(raw: object) -> None:
    with pytest.raises(ResponseFormatError):
        c.integer(raw, "p")


def test_status_numbers_names_and_unknown_names() -> None:
    assert c.status({"code": 21300}, "s")[:2] == (21300, "MODEL_EVALUATED")
    assert c.status({"code": "21300"}, "s")[:2] == (21300, "MODEL_EVALUATED")
    assert c.status({"code": "MODEL_EVALUATED"}, "s")[:2] == (21300, "MODEL_EVALUATED")
    assert c.status({"code": "SOMETHING_NEW"}, "s")[:2] == (0, "SOMETHING_NEW")
    with pytest.raises(ResponseFormatError, match=r"s\.code"):
        c.status({"code": [1]}, "s")


def test_enum_names() -> None:
    from clarinb._enums import METRICS_GROUP_TYPE

    assert c.enum_name(10, METRICS_GROUP_TYPE, "t") == "CONCEPT_ID"
    assert c.enum_name("10", METRICS_GROUP_TYPE, "t") == "CONCEPT_ID"
    assert c.enum_name("CONCEPT_ID", METRICS_GROUP_TYPE, "t") == "CONCEPT_ID"
    assert c.enum_name(None, METRICS_GROUP_TYPE, "t").endswith("NOT_SET")
    assert c.enum_name(99, METRICS_GROUP_TYPE, "t") == "99"  # newer than this table


def test_floats_and_uint64_arrays() -> None:
    got = c.floats([1, "NaN", "Infinity", 0.25], "a")
    assert got.dtype == np.float64
    assert np.isnan(got[1])
    assert got[2] == math.inf
    with pytest.raises(ResponseFormatError, match=r"a\[1\]"):
        c.floats([1, "x"], "a")
    with pytest.raises(ResponseFormatError, match="flat"):
        c.floats([[1, 2]], "a")
    exact = c.uint64_array(["18446744073709551615", 3], "m")
    assert exact.dtype == np.uint64
    assert int(exact[0]) == 2**64 - 1


def test_timestamps_keep_nanoseconds_and_reject_garbage() -> None:
    out = c.timestamps(["2024-01-02T03:04:05.123456789Z", None], "t")
    assert out.iloc[0].nanosecond == 789
    assert out.isna().tolist() == [False, True]
    with pytest.raises(ResponseFormatError, match=r"t\[0\]"):
        c.timestamps(["yesterday"], "t")
    with pytest.raises(ResponseFormatError, match=r"t\[0\]"):
        c.timestamps([12], "t")


def test_iou_noise_is_rounded_for_exact_keys() -> None:
    body = [
        {"concept": {"id": "a"}, "iou": 0.800000011920929},
        {"concept": {"id": "a"}, "iou": 0.9},
    ]
    table = frames.metrics_by_class(body)
    assert (table["iou"] == 0.8).sum() == 1
    assert (table["iou"] == 0.9).sum() == 1


def test_curve_arrays_of_different_lengths_are_an_error() -> None:
    body = [
        {"concept": {"id": "a"}, "roc_curve": {"fpr": [0, 1], "tpr": [0], "thresholds": [1, 0]}}
    ]
    with pytest.raises(ResponseFormatError, match=r"roc_curve: its arrays differ"):
        frames.roc_curves(body)


def test_region_matrix_must_fill_rows() -> None:
    with pytest.raises(ResponseFormatError, match="n_cols"):
        frames.region_location_matrix({"n_cols": "3", "data": ["1", "2"]})
    with pytest.raises(ResponseFormatError, match="no region_location_matrix"):
        frames.region_location_matrix({"dataset_version_metrics_groups": []})
