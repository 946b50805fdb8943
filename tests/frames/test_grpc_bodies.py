"""Bodies generated from clarifai-grpc messages, in both casings and both enum encodings.

``json_format.MessageToDict`` writes exactly the proto3 JSON the REST API
speaks: 64-bit integers as strings, NaN as ``"NaN"``, zero values left out.
Every frame must come out the same whichever of the four encodings is used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from google.protobuf import json_format, struct_pb2, wrappers_pb2

from clarinb import frames

ENCODINGS = [
    {
        "preserving_proto_field_name": snake,
        "use_integers_for_enums": ints,
        "always_print_fields_with_no_presence": zeros,
    }
    for zeros in (False, True)  # zero values left out, or written (as show_if_empty fields are)
    for snake in (True, False)
    for ints in (True, False)
]
BIG = 2**63 + 12345  # above 2**53 and above int64: a region-location matrix cell (uint64)
COUNT = 2**62 + 12345  # above 2**53: a count, read exactly as a signed Int64


def _concept(cid: str, value: float = 1.0) -> r.Concept:
    return r.Concept(id=cid, name=cid.upper(), value=value)


def _region(cid: str, value: float, box: tuple[float, float, float, float]) -> r.Region:
    top, left, bottom, right = box
    return r.Region(
        id=f"reg-{cid}-{value}",
        region_info=r.RegionInfo(
            bounding_box=r.BoundingBox(
                top_row=top, left_col=left, bottom_row=bottom, right_col=right
            )
        ),
        data=r.Data(concepts=[_concept(cid, value)]),
    )


def classifier_response() -> s.SingleEvalMetricsResponse:
    ev = r.EvalMetrics(
        id="ev-cls",
        status=status_pb2.Status(code=status_code_pb2.MODEL_EVALUATED, description="done"),
        model=r.Model(
            id="m1",
            model_type_id="visual-classifier",
            model_version=r.ModelVersion(id="mv1"),
        ),
        ground_truth_dataset=r.Dataset(id="ds", version=r.DatasetVersion(id="dsv")),
        summary=r.MetricsSummary(macro_avg_roc_auc=0.75, macro_avg_f1_score=0.0),
        confusion_matrix=r.ConfusionMatrix(
            concept_ids=["b", "a"],
            matrix=[
                r.ConfusionMatrixEntry(actual="a", predicted="a", value=3),
                r.ConfusionMatrixEntry(actual="a", predicted="b", value=1),
                r.ConfusionMatrixEntry(actual="c", predicted="b", value=0),
            ],
        ),
        cooccurrence_matrix=r.CooccurrenceMatrix(
            matrix=[r.CooccurrenceMatrixEntry(row="a", col="b", count=4)]
        ),
        label_counts=r.LabelDistribution(
            positive_label_counts=[r.LabelCount(count=5, concept=_concept("a"))]
        ),
        binary_metrics=[
            r.BinaryMetrics(
                num_pos=2,
                num_neg=0,
                num_tot=2,
                roc_auc=math.nan,
                f1=0.5,
                concept=_concept("a"),
                roc_curve=r.ROC(fpr=[0.0, 0.5], tpr=[0.0, 1.0], thresholds=[0.9, 0.1]),
                precision_recall_curve=r.PrecisionRecallCurve(
                    precision=[1.0, 0.5], recall=[0.5, 1.0], thresholds=[0.9, 0.1]
                ),
                avg_precision=math.inf,
            ),
            r.BinaryMetrics(concept=_concept("b")),  # everything zero: all omitted
        ],
        test_set=[
            r.EvalTestSetEntry(
                input=r.Input(id="i1"),
                predicted_concepts=[_concept("a", 0.9), _concept("b", 0.0)],
                ground_truth_concepts=[_concept("a", 1.0), _concept("b", 0.0), _concept("c")],
            ),
            r.EvalTestSetEntry(
                input=r.Input(id="i2"),
                predicted_concepts=[_concept("b", 0.25)],
            ),
        ],
    )
    return s.SingleEvalMetricsResponse(
        status=status_pb2.Status(code=status_code_pb2.SUCCESS), eval_metrics=ev
    )


def detector_response() -> s.SingleEvalMetricsResponse:
    image = r.Image(url="https://x/img.jpg", image_info=r.ImageInfo(width=640, height=480))
    entry = r.EvalTestSetEntry(
        input=r.Input(id="img1", data=r.Data(image=image)),
        predicted_annotation=r.Annotation(
            data=r.Data(
                regions=[
                    _region("car", 0.4, (0.1, 0.1, 0.5, 0.5)),
                    _region("car", 0.8, (0.2, 0.2, 0.6, 0.6)),
                ]
            )
        ),
        ground_truth_annotation=r.Annotation(
            data=r.Data(
                regions=[
                    _region("car", 1.0, (0.2, 0.2, 0.6, 0.6)),
                    _region("bus", 1.0, (0, 0, 1, 1)),
                ]
            )
        ),
    )
    ev = r.EvalMetrics(
        id="ev-det",
        status=status_pb2.Status(code=status_code_pb2.MODEL_EVALUATED),
        model=r.Model(id="det", model_type_id="visual-detector"),
        summary=r.MetricsSummary(mean_avg_precision_iou_50=0.9),
        metrics_by_class=[
            r.BinaryMetrics(concept=_concept("car"), iou=iou, area_name="all", avg_precision=0.7)
            for iou in (0.5, 0.8, 0.9)
        ],
        test_set=[entry],
    )
    return s.SingleEvalMetricsResponse(eval_metrics=ev)


def groups_response() -> s.MultiDatasetVersionMetricsGroupResponse:
    total = r.DatasetVersionMetricsGroup(
        value=struct_pb2.Value(string_value="total"),
        metrics=r.DatasetVersionMetrics(
            inputs_count=wrappers_pb2.UInt64Value(value=COUNT),
            regions_count=wrappers_pb2.UInt64Value(value=0),
        ),
    )
    total.metrics.region_location_matrix.n_cols = 2
    total.metrics.region_location_matrix.data.extend([1, 2, BIG, 4])
    concept = r.DatasetVersionMetricsGroup(
        parent_path="/",
        type=r.CONCEPT_ID,
        value=struct_pb2.Value(string_value="cat"),
        metrics=r.DatasetVersionMetrics(inputs_count=wrappers_pb2.UInt64Value(value=7)),
    )
    ratio = r.DatasetVersionMetricsGroup(
        type=r.ASPECT_RATIO, value=struct_pb2.Value(number_value=0.9)
    )
    return s.MultiDatasetVersionMetricsGroupResponse(
        dataset_version_metrics_groups=[total, concept, ratio]
    )


def resources_responses() -> dict[str, Any]:
    stamp = "2024-05-06T07:08:09.123456789Z"
    version = r.DatasetVersion(
        id="v1",
        dataset_id="d1",
        status=status_pb2.Status(code=status_code_pb2.DATASET_VERSION_PENDING),
        request_origin=r.EVAL_GROUND_TRUTH,
        visibility=r.Visibility(gettable=r.Visibility.PUBLIC),
    )
    version.created_at.FromJsonString(stamp)
    inp = r.Input(
        id="in1",
        data=r.Data(
            image=r.Image(url="u", image_info=r.ImageInfo(width=3, height=4)),
            concepts=[_concept("a"), _concept("b", 0.0)],
        ),
        status=status_pb2.Status(code=status_code_pb2.INPUT_DOWNLOAD_SUCCESS),
        dataset_ids=["d1"],
    )
    inp.created_at.FromJsonString(stamp)
    model = r.Model(
        id="m1",
        model_type_id="visual-detector",
        model_version=r.ModelVersion(
            id="mv1", status=status_pb2.Status(code=status_code_pb2.MODEL_TRAINED)
        ),
        output_info=r.OutputInfo(data=r.Data(concepts=[_concept("car")])),
    )
    mtype = r.ModelType(
        id="visual-detector", title="Detector", trainable=True, evaluation_type=r.Detection
    )
    order = r.LabelOrder(
        id="lo1",
        status=status_pb2.Status(code=status_code_pb2.LABEL_ORDER_PENDING),
        task=r.Task(id="t1", type=r.Task.BOUNDING_BOX_DETECTION, concept_ids=["car"]),
    )
    job = r.InputsAddJob(id="j1", progress=r.InputsAddJobProgress(success_count=COUNT))
    return {
        "dataset_versions": s.MultiDatasetVersionResponse(dataset_versions=[version]),
        "inputs": s.MultiInputResponse(inputs=[inp]),
        "models": s.MultiModelResponse(models=[model]),
        "model_types": s.MultiModelTypeResponse(model_types=[mtype]),
        "label_orders": s.MultiLabelOrderResponse(label_orders=[order]),
        "input_add_jobs": s.MultiInputsAddJobResponse(inputs_add_jobs=[job]),
    }


def encodings(message: Any) -> list[dict[str, Any]]:
    return [json_format.MessageToDict(message, **e) for e in ENCODINGS]


def same_frame_for_every_encoding(
    build: Callable[[Any], pd.DataFrame], message: Any
) -> pd.DataFrame:
    built = [build(body) for body in encodings(message)]
    for other in built[1:]:
        pd.testing.assert_frame_equal(built[0], other)
    return built[0]


def test_camel_case_really_differs() -> None:
    snake, _, _, camel, *with_zeros = encodings(classifier_response())
    assert "eval_metrics" in snake
    assert "evalMetrics" in camel
    assert camel["evalMetrics"]["status"]["code"] == "MODEL_EVALUATED"
    assert "numPos" not in camel["evalMetrics"]["binaryMetrics"][1]
    assert with_zeros[0]["eval_metrics"]["binary_metrics"][1]["num_pos"] == 0


def test_classifier_evaluation() -> None:
    msg = classifier_response()
    ev = same_frame_for_every_encoding(frames.evaluations, msg)
    assert ev.loc[0, "code"] == 21300
    assert ev.loc[0, "code_name"] == "MODEL_EVALUATED"
    assert ev.loc[0, "dataset_version_id"] == "dsv"
    assert ev.loc[0, "macro_avg_roc_auc"] == 0.75
    cm = same_frame_for_every_encoding(frames.confusion_matrix, msg)
    assert list(cm.index) == ["b", "a", "c"]  # concept_ids first, then by appearance
    assert cm.loc["a", "b"] == 1.0
    assert cm.loc["c", "b"] == 0.0
    assert cm.loc["b", "b"] == 0.0
    co = same_frame_for_every_encoding(frames.cooccurrence_matrix, msg)
    assert co.loc["a", "b"] == 4
    assert co.loc["b", "a"] == 0
    bm = same_frame_for_every_encoding(frames.binary_metrics, msg)
    assert np.isnan(bm.loc[0, "roc_auc"])  # "NaN" string
    assert bm.loc[0, "avg_precision"] == math.inf  # "Infinity" string
    assert bm.loc[1].to_dict() == {
        "concept_id": "b",
        "concept_name": "B",
        "area_name": "",
        "area_min": 0.0,
        "area_max": 0.0,
        "iou": 0.0,
        "num_pos": 0,
        "num_neg": 0,
        "num_tot": 0,
        "roc_auc": 0.0,
        "f1": 0.0,
        "avg_precision": 0.0,
    }
    roc = same_frame_for_every_encoding(frames.roc_curves, msg)
    assert list(roc["threshold"]) == [0.9, 0.1]  # concept b has no curve points
    lc = same_frame_for_every_encoding(frames.label_counts, msg)
    assert lc.loc[0, "count"] == 5


def test_classifier_test_set() -> None:
    ts = same_frame_for_every_encoding(frames.test_set, classifier_response())
    rows = {(i, c): (s, g) for i, c, s, g in ts.itertuples(index=False)}
    assert rows == {
        ("i1", "a"): (0.9, True),
        ("i1", "b"): (0.0, False),  # score and value 0 are omitted on the wire
        ("i1", "c"): (0.0, True),  # ground truth only: scored 0
        ("i2", "b"): (0.25, False),
    }
    assert list(ts["concept_id"].cat.categories) == ["a", "b", "c"]
    assert list(ts["input_id"].cat.categories) == ["i1", "i2"]


def test_detector_evaluation() -> None:
    msg = detector_response()
    by_class = same_frame_for_every_encoding(frames.metrics_by_class, msg)
    assert list(by_class["iou"]) == [0.5, 0.8, 0.9]
    assert by_class[by_class["iou"] == 0.8].shape[0] == 1  # float32 noise rounded away
    assert by_class[by_class["iou"] == 0.9].shape[0] == 1
    ts = same_frame_for_every_encoding(frames.test_set, msg)
    assert ts["concept_id"].tolist() == ["car", "bus"]
    assert ts["score"].tolist() == [pytest.approx(0.8), 0.0]  # best region; float32 on the wire
    assert ts["ground_truth"].tolist() == [True, True]
    regions = same_frame_for_every_encoding(frames.test_set_regions, msg)
    assert len(regions) == 4
    assert regions["ground_truth"].tolist() == [True, True, False, False]
    bus = regions[regions["concept_id"] == "bus"].iloc[0]
    assert (bus["top_row"], bus["right_col"]) == (0.0, 1.0)  # zero coordinate omitted
    assert (bus["width"], bus["height"]) == (640, 480)


def test_metrics_groups_exact_counts() -> None:
    msg = groups_response()
    groups = same_frame_for_every_encoding(frames.dataset_version_metrics_groups, msg)
    assert int(groups.loc[0, "inputs_count"]) == COUNT
    assert groups.loc[0, "regions_count"] == 0  # a set wrapper holding 0
    assert pd.isna(groups.loc[1, "regions_count"])  # unset wrapper
    assert list(groups["type"]) == [
        "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET",
        "CONCEPT_ID",
        "ASPECT_RATIO",
    ]
    assert list(groups["value"]) == ["total", "cat", 0.9]
    matrix = same_frame_for_every_encoding(frames.region_location_matrix, msg)
    assert int(matrix.loc[1, 0]) == BIG


def test_resources() -> None:
    responses = resources_responses()
    versions = same_frame_for_every_encoding(frames.dataset_versions, responses["dataset_versions"])
    assert versions.loc[0, "code_name"] == "DATASET_VERSION_PENDING"
    assert versions.loc[0, "request_origin"] == "EVAL_GROUND_TRUTH"
    assert versions.loc[0, "visibility"] == "PUBLIC"
    assert versions.loc[0, "created_at"].nanosecond == 789
    inputs = same_frame_for_every_encoding(frames.inputs, responses["inputs"])
    assert inputs.loc[0, "concepts"] == ["a"]
    assert inputs.loc[0, "negative_concepts"] == ["b"]
    assert (inputs.loc[0, "width"], inputs.loc[0, "height"]) == (3, 4)
    assert inputs.loc[0, "code_name"] == "INPUT_SUCCESS"
    models = same_frame_for_every_encoding(frames.models, responses["models"])
    assert models.loc[0, "code_name"] == "MODEL_TRAINED"
    assert models.loc[0, "concepts"] == ["car"]
    types = same_frame_for_every_encoding(frames.model_types, responses["model_types"])
    assert types.loc[0, "evaluation_type"] == "Detection"
    assert types.loc[0, "trainable"]
    assert not types.loc[0, "creatable"]
    orders = same_frame_for_every_encoding(frames.label_orders, responses["label_orders"])
    assert orders.loc[0, "task_type"] == "BOUNDING_BOX_DETECTION"
    assert orders.loc[0, "concept_ids"] == ["car"]
    jobs = same_frame_for_every_encoding(frames.input_add_jobs, responses["input_add_jobs"])
    assert int(jobs.loc[0, "success_count"]) == COUNT
    assert jobs.loc[0, "failed_count"] == 0


def test_tracker_metrics() -> None:
    msg = s.SingleEvalMetricsResponse(
        eval_metrics=r.EvalMetrics(
            id="trk",
            tracker_metrics=[
                r.TrackerMetrics(aiid="car", mot_mota=0.5, mot_num_switches=3, morse_frag=0.25),
                r.TrackerMetrics(aiid="bus", avg_precision=math.nan),
            ],
        )
    )
    table = same_frame_for_every_encoding(frames.tracker_metrics, msg)
    assert table["concept_id"].tolist() == ["car", "bus"]
    assert table["mot_num_switches"].tolist() == [3, 0]
    assert table.loc[0, "morse_frag"] == 0.25
    assert np.isnan(table.loc[1, "avg_precision"])
