"""frames.test_set: row semantics, duplicates, detectors, sparse universes, errors, compactness."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import frames
from clarinb.errors import ResponseFormatError


def entry(input_id: str, preds: list[Any], gts: list[Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"input": {"id": input_id}, "predicted_concepts": preds}
    if gts is not None:
        out["ground_truth_concepts"] = gts
    return out


def rows(ts: pd.DataFrame) -> list[tuple[str, str, float, bool]]:
    return [(str(i), str(c), float(s), bool(g)) for i, c, s, g in ts.itertuples(index=False)]


def test_explicit_negative_ground_truth_only_and_omitted_values() -> None:
    body = {
        "test_set": [
            entry(
                "a",
                [{"id": "x", "value": 0.7}, {"id": "y"}],  # y's score 0 is omitted
                [{"id": "x", "value": 0}, {"id": "z", "value": 1}, {"id": "w", "value": "1"}],
            ),
            entry("b", [], [{"id": "x", "value": 1}]),
        ]
    }
    assert rows(frames.test_set(body)) == [
        ("a", "x", 0.7, False),  # ground-truth value 0: an explicit negative
        ("a", "y", 0.0, False),
        ("a", "z", 0.0, True),  # ground truth without a prediction scores 0
        ("a", "w", 0.0, True),
        ("b", "x", 0.0, True),
    ]


def test_repeated_predictions_keep_the_best_score() -> None:
    body = [
        entry(
            "a", [{"id": "x", "value": 0.2}, {"id": "x", "value": 0.9}], [{"id": "x", "value": 1}]
        ),
        entry("a", [{"id": "y", "value": 0.4}]),  # the same input again
    ]
    assert rows(frames.test_set(body)) == [("a", "x", 0.9, True), ("a", "y", 0.4, False)]


def test_empty_test_set_has_the_columns_and_dtypes() -> None:
    ts = frames.test_set({"eval_metrics": {"test_set": []}})
    assert list(ts.columns) == ["input_id", "concept_id", "score", "ground_truth"]
    assert len(ts) == 0
    assert ts["ground_truth"].dtype == bool
    assert ts["score"].dtype == np.float64


def test_camel_case_and_nan_strings() -> None:
    body = {
        "evalMetrics": {
            "testSet": [
                {
                    "input": {"id": "a"},
                    "predictedConcepts": [{"id": "x", "value": "NaN"}, {"id": "y", "value": 1e-3}],
                    "groundTruthConcepts": [{"id": "y", "value": 1.0}],
                }
            ]
        }
    }
    ts = frames.test_set(body)
    assert np.isnan(ts["score"].iloc[0])
    assert rows(ts)[1] == ("a", "y", 1e-3, True)


def test_sparse_universe_matches_a_plain_pandas_reading() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    entries = [
        entry(
            f"in{i}",
            [
                {"id": f"c{j}", "value": float(v)}
                for j, v in zip(rng.integers(0, n, 2), rng.random(2), strict=True)
            ],
            [{"id": f"c{rng.integers(0, n)}", "value": 1}],
        )
        for i in range(n)
    ]
    ts = frames.test_set(entries)  # 3000 x 3000 cells: read with sorted lookups, not dense tables
    expected: dict[tuple[str, str], tuple[float, bool]] = {}
    for e in entries:
        for p in e["predicted_concepts"]:
            key = (e["input"]["id"], p["id"])
            old = expected.get(key, (-1.0, False))[0]
            expected[key] = (max(old, p["value"]), False)
        for g in e["ground_truth_concepts"]:
            key = (e["input"]["id"], g["id"])
            expected[key] = (expected.get(key, (0.0, False))[0], True)
    got = {(i, c): (s, g) for i, c, s, g in rows(ts)}
    assert got == expected


def test_detector_entries_reduce_to_image_level() -> None:
    def region(cid: str, value: float) -> dict[str, Any]:
        box = {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.3, "right_col": 0.4}
        return {
            "region_info": {"bounding_box": box},
            "data": {"concepts": [{"id": cid, "value": value}]},
        }

    body = [
        {
            "input": {"id": "img"},
            "predicted_annotation": {"data": {"regions": [region("car", 0.3), region("car", 0.6)]}},
            "ground_truth_annotation": {"data": {"regions": [region("bus", 1)]}},
        }
    ]
    assert rows(frames.test_set(body)) == [("img", "car", 0.6, False), ("img", "bus", 0.0, True)]
    regions = frames.test_set_regions(body)
    assert regions["ground_truth"].tolist() == [True, False, False]
    assert regions["bottom_row"].tolist() == [0.3, 0.3, 0.3]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ([{"input": {}}], r"test_set\[0\]\.input\.id"),
        ([entry("a", [{"id": 3, "value": 1}])], r"predicted_concepts\[0\]\.id"),
        ([entry("a", [{"id": "x", "value": {"v": 1}}])], r"predicted_concepts\[0\]\.value"),
        ([entry("a", [{"id": "x", "value": True}])], r"predicted_concepts\[0\]\.value"),
        ([entry("a", [], [{"id": "x", "value": "high"}])], r"ground_truth_concepts\[0\]\.value"),
        ([entry("a", "x")], r"predicted_concepts"),  # type: ignore[arg-type]
        (["not an entry"], r"test_set\[0\]"),
        ({"test_set": {"a": 1}}, r"test_set"),
    ],
)
def test_bad_entries_name_the_part(body: Any, where: str) -> None:
    with pytest.raises(ResponseFormatError, match=where):
        frames.test_set(body)


def test_compact_dtypes() -> None:
    n_inputs, n_concepts = 400, 50
    entries = [
        entry(f"i{i}", [{"id": f"c{j}", "value": (i * j % 97) / 97} for j in range(n_concepts)])
        for i in range(n_inputs)
    ]
    ts = frames.test_set(entries)
    assert len(ts) == n_inputs * n_concepts
    assert ts["input_id"].cat.codes.dtype == np.int16
    assert ts["concept_id"].cat.codes.dtype == np.int8
    used = ts.memory_usage(deep=True, index=False).sum()
    assert used <= 1.5 * len(ts) * (4 + 4 + 4 + 1)
    assert list(ts["concept_id"].cat.categories) == sorted(f"c{j}" for j in range(n_concepts))
