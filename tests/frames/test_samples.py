"""Frames built from the stored sample bodies, checked value by value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import frames
from clarinb.errors import ResponseFormatError


def test_evaluations_list(load: Any) -> None:
    ev = frames.evaluations(load("list_evaluations_synth"))
    assert list(ev["id"]) == ["two", "three"]
    first = ev.iloc[0]
    assert first["model_id"] == "model_classifier"
    assert first["model_version_id"] == "48ed4a0c0e7b4c0f9d3e2a1b5c6d7e8f"
    assert first["model_type_id"] == "visual-classifier"
    assert first["dataset_id"] == "image_dataset2"
    assert first["dataset_version_id"] == "b1c2d3e4f5a60718293a4b5c6d7e8f90"
    assert first["code"] == 21300
    assert first["code_name"] == "MODEL_EVALUATED"
    assert first["macro_avg_f1_score"] == pytest.approx(0.7916667)
    assert first["macro_std_roc_auc"] == 0.0
    assert first["top1_accuracy"] == 0.0  # omitted, applies to a classifier: a true 0
    assert np.isnan(first["mean_avg_precision_iou_50"])  # omitted, a detector's metric: n/a
    failed = ev.iloc[1]
    assert failed["code_name"] == "MODEL_EVALUATION_FAILED"
    assert np.isnan(failed["macro_avg_roc_auc"])  # no summary at all
    assert ev["code"].dtype == np.int64


def test_empty_list_pages(load: Any) -> None:
    pages = load("empty_pages_synth")
    assert frames.evaluations(pages["list_evaluations_past_end"]).empty
    assert list(frames.evaluations(pages["list_evaluations_past_end"]).columns)[:2] == [
        "id",
        "model_id",
    ]
    assert frames.inputs(pages["list_inputs_page_1000"]).empty
    assert frames.dataset_versions(pages["list_dataset_versions_past_end"]).empty


def test_classifier_parts(load: Any) -> None:
    body = load("get_evaluation_classifier_synth")
    bm = frames.binary_metrics(body)
    assert list(bm["concept_id"]) == ["cat", "dog"]
    assert list(bm["num_pos"]) == [10, 10]
    assert list(bm["avg_precision"]) == [0.88, 0.85]
    cm = frames.confusion_matrix(body)
    assert cm.index.name == "actual"
    assert cm.columns.name == "predicted"
    assert cm.loc["cat", "dog"] == 0.1
    assert cm.loc["dog", "cat"] == 0.2
    true = frames.confusion_matrix(body, normalize="true")
    np.testing.assert_allclose(true.sum(axis=1), [1.0, 1.0])
    pred = frames.confusion_matrix(body, normalize="pred")
    assert pred.loc["cat", "cat"] == pytest.approx(0.9 / 1.1)
    assert frames.confusion_matrix(body, normalize="all").to_numpy().sum() == pytest.approx(1.0)
    lc = frames.label_counts(body)
    assert lc.to_dict("list") == {
        "concept_id": ["cat", "dog"],
        "concept_name": ["cat", "dog"],
        "count": [10, 10],
    }
    roc = frames.roc_curves(body)
    assert list(roc.columns) == ["concept_id", "threshold", "fpr", "tpr"]
    assert list(roc[roc["concept_id"] == "dog"]["fpr"]) == [1.0, 0.3, 0.0]
    pr = frames.pr_curves(body)
    assert list(pr[pr["concept_id"] == "cat"]["precision"]) == [0.5, 0.82, 1.0]
    ts = frames.test_set(body)
    assert ts.to_dict("list") == {
        "input_id": ["in-001", "in-001"],
        "concept_id": ["cat", "dog"],
        "score": [0.87, 0.13],
        "ground_truth": [True, False],  # dog has value 0: an explicit negative
    }
    inputs = frames.test_set_inputs(body)
    assert inputs.loc[0, "width"] == 640
    assert inputs.loc[0, "image_url"].startswith("https://")
    assert frames.test_set_regions(body).empty


def test_detector_parts(load: Any) -> None:
    body = load("get_evaluation_detector_synth")
    by_class = frames.metrics_by_class(body)
    assert list(by_class["iou"]) == [0.5, 0.75]
    assert list(by_class["area_name"]) == ["all", "all"]
    assert by_class["area_max"].iloc[0] == 1e10
    assert list(by_class["num_tot"]) == [8, 8]
    by_area = frames.metrics_by_area(body)
    assert by_area.loc[0, "concept_id"] == ""
    assert by_area.loc[0, "area_name"] == "small"
    pr = frames.pr_curves(body)  # no binary_metrics: read from metrics_by_class
    assert list(pr.columns) == [
        "concept_id",
        "area_name",
        "iou",
        "threshold",
        "precision",
        "recall",
    ]
    assert len(pr[pr["iou"] == 0.75]) == 3
    with pytest.raises(ResponseFormatError, match=r"fields\.binaryMetrics=true"):
        frames.binary_metrics(body)
    with pytest.raises(ResponseFormatError, match=r"fields\.testSet=true"):
        frames.test_set(body)


def test_dataset_version_metrics_groups(load: Any) -> None:
    groups = frames.dataset_version_metrics_groups(load("dataset_version_metrics_groups_synth"))
    assert list(groups["type"]) == [
        "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET",
        "INPUT_TYPE",
        "CONCEPT_ID",
        "BOUNDING_BOXES_COUNT",
        "ASPECT_RATIO",
    ]
    assert list(groups["value"]) == ["total", "image", "person", 2, 1.3]
    assert groups["inputs_count"].dtype == "Int64"
    assert list(groups["inputs_count"]) == [20, 20, 12, 5, 11]
    assert groups.loc[0, "regions_count"] == 31
    assert groups["regions_count"].isna().tolist() == [False, True, False, True, True]
    assert groups.loc[2, "polygons_count"] == 0  # sent as "0": set, not missing
    matrix = frames.region_location_matrix(load("dataset_version_metrics_groups_synth"))
    assert matrix.to_numpy().tolist() == [[9, 7], [8, 7]]
    assert matrix.to_numpy().dtype == np.uint64


def test_dataset_version(load: Any) -> None:
    versions = frames.dataset_versions(load("dataset_version_synth"))
    row = versions.iloc[0]
    assert row["id"] == "v1"
    assert row["code_name"] == "DATASET_VERSION_READY"
    assert row["request_origin"] == "MANUAL"
    assert row["visibility"] == "PRIVATE"
    assert row["inputs_count"] == 20
    assert row["export_formats"] == ["clarifai_data_protobuf"]
    assert row["created_at"] == pd.Timestamp("2024-04-04T09:49:02.123456Z")


def test_inputs_page(load: Any) -> None:
    inputs = frames.inputs(load("list_inputs_page"))
    assert inputs.loc[0, "id"] == "@inputID1"
    assert inputs.loc[0, "code_name"] == "INPUT_PENDING"
    assert inputs.loc[0, "image_url"] == "https://some.image.url1"
    assert inputs.loc[0, "created_at"] == pd.Timestamp("2019-01-17T12:43:04.895006174Z")
    assert inputs.loc[0, "created_at"].nanosecond == 174


def test_legacy_model_version_metrics(load: Any) -> None:
    body = load("model_version_metrics_queued")
    ev = frames.evaluations([body["model_version"]["metrics"]])
    assert ev.loc[0, "code_name"] == "MODEL_QUEUED_FOR_EVALUATION"
    with pytest.raises(ResponseFormatError, match="confusion_matrix"):
        frames.confusion_matrix(body)


def test_dataset_inputs_and_single_input_envelopes(load: Any) -> None:
    page = load("list_inputs_page")
    wrapped = {
        "dataset_inputs": [{"created_at": "2020-01-01T00:00:00Z", "input": page["inputs"][0]}]
    }
    pd.testing.assert_frame_equal(frames.inputs(wrapped), frames.inputs(page))
    single = {"status": {"code": 10000}, "input": page["inputs"][0]}
    pd.testing.assert_frame_equal(frames.inputs(single), frames.inputs(page))
    assert frames.inputs([]).empty
    with pytest.raises(ResponseFormatError, match=r"inputs\[0\]\.data\.image\.url"):
        frames.inputs({"inputs": [{"id": "x", "data": {"image": {"url": 5}}}]})
