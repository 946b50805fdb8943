"""Any JSON-shaped value gives every frames function a DataFrame or a ClarinbError, nothing else."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_paths import json_paths, replaced

from clarinb import frames
from clarinb.errors import ClarinbError, InvalidArgumentError, ResponseFormatError

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLES = [
    json.loads(p.read_text())
    for p in sorted(DATA.glob("*.json"))
    if p.name != "empty_pages_synth.json"
]
FUNCTIONS = {name: getattr(frames, name) for name in frames.__all__}
assert len(FUNCTIONS) == 23

# Keys the readers look for, in both casings, so random bodies get past the first level.
KEYS = sorted(
    {
        "eval_metrics",
        "evalMetrics",
        "exports",
        "format",
        "size",
        "status",
        "code",
        "description",
        "id",
        "model",
        "model_version",
        "modelVersion",
        "summary",
        "confusion_matrix",
        "confusionMatrix",
        "matrix",
        "concept_ids",
        "actual",
        "predicted",
        "value",
        "row",
        "col",
        "count",
        "binary_metrics",
        "binaryMetrics",
        "concept",
        "name",
        "roc_curve",
        "rocCurve",
        "fpr",
        "tpr",
        "thresholds",
        "precision_recall_curve",
        "precision",
        "recall",
        "iou",
        "area_name",
        "num_pos",
        "test_set",
        "testSet",
        "input",
        "predicted_concepts",
        "predictedConcepts",
        "ground_truth_concepts",
        "predicted_annotation",
        "data",
        "regions",
        "region_info",
        "bounding_box",
        "top_row",
        "image",
        "image_info",
        "width",
        "label_counts",
        "positive_label_counts",
        "metrics_by_class",
        "metrics_by_area",
        "tracker_metrics",
        "dataset_version_metrics_groups",
        "type",
        "metrics",
        "inputs_count",
        "region_location_matrix",
        "n_cols",
        "nCols",
        "dataset_versions",
        "dataset_version",
        "created_at",
        "createdAt",
        "inputs",
        "models",
        "model_types",
        "label_orders",
        "task",
        "inputs_add_jobs",
        "progress",
        "success_count",
        "concepts",
        "visibility",
        "gettable",
        "export_info",
        "dataset_inputs",
        "parent_path",
    }
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "12", "-3", "1e400", "²", "--5", ""]),
    st.sampled_from(["2024-01-02T03:04:05Z", "2024-13-45T99:00:00Z", "CONCEPT_ID", "x"]),
    st.text(max_size=6),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=25,
)


def _check(name: str, body: Any) -> None:
    function = FUNCTIONS[name]
    try:
        result = function(body)
    except ClarinbError:
        return
    assert isinstance(result, pd.DataFrame), f"{name} returned {type(result).__name__}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=json_values)
def test_arbitrary_json(name: str, body: Any) -> None:
    _check(name, body)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_real_bodies(name: str, data: st.DataObject) -> None:
    """Replace one part of a valid body by an arbitrary value: still a frame or a ClarinbError."""
    body = data.draw(st.sampled_from(SAMPLES))
    path = data.draw(st.sampled_from(json_paths(body)))
    mutated = replaced(body, path, data.draw(json_values))
    _check(name, mutated)


#: Values a hostile or broken body may hold anywhere: unhashable ids, nulls where numbers are
#: expected, infinities, NaN strings, huge ints and nested junk.
HOSTILE = st.one_of(
    st.sampled_from(
        [{}, [], [{}], {"id": {}}, {"id": []}, [[[]]], None, math.inf, -math.inf, math.nan]
    ),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "0x10", " 1", "null"]),
    st.sampled_from([2**64, 2**64 + 1, -(2**63) - 1, 10**400 // 10**100, 2**31, -(2**31) - 1]),
    json_values,
)

PREDICTED_ID_DICT = {
    "test_set": [
        {
            "input": {"id": "in1"},
            "predicted_concepts": [{"id": {}, "value": 0.9}],
            "ground_truth_concepts": [{"id": "cat", "value": 1}],
        }
    ]
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_values_in_real_bodies(name: str, data: st.DataObject) -> None:
    """Up to three parts of a valid body replaced by hostile values: a frame or a ClarinbError."""
    body = data.draw(st.sampled_from(SAMPLES))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = json_paths(body)
        ids = [p for p in paths if p and p[-1] in ("id", "value", "concept_id")]
        path = data.draw(st.sampled_from(ids if ids and data.draw(st.booleans()) else paths))
        body = replaced(body, path, data.draw(HOSTILE))
    _check(name, body)


@pytest.mark.parametrize("concept", [{}, [], 3, {"x": 1}, True])
def test_unhashable_or_missing_predicted_id_names_its_path(concept: Any) -> None:
    body = copy.deepcopy(PREDICTED_ID_DICT)
    body["test_set"][0]["predicted_concepts"][0]["id"] = concept
    with pytest.raises(ResponseFormatError, match=r"test_set\[0\]\.predicted_concepts\[0\]\.id"):
        frames.test_set(body)


@pytest.mark.parametrize("source", [3, {}, [], "x", "test_set"])
@pytest.mark.parametrize("function", [frames.roc_curves, frames.pr_curves])
def test_unknown_curve_source_is_refused(function: Any, source: Any) -> None:
    body = next(s for s in SAMPLES if "binary_metrics" in str(s))
    with pytest.raises(InvalidArgumentError, match="source must be one of"):
        function(body, source)


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all", "rows", 3])
def test_confusion_matrix_normalize_errors_are_typed(normalize: Any) -> None:
    body = SAMPLES[next(i for i, s in enumerate(SAMPLES) if "confusion_matrix" in str(s))]
    try:
        result = frames.confusion_matrix(body, normalize=normalize)
    except ClarinbError:
        assert normalize not in (None, "true", "pred", "all")
        return
    assert isinstance(result, pd.DataFrame)
