"""Summary metrics that do not apply to a model's kind are NaN; omitted ones that apply are 0.

proto3 leaves zero values out, so a summary field missing from the body is
either a true 0 or a metric the service does not compute for that kind of
model.  The evaluations frame tells them apart with one table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from clarifai_grpc.grpc.api import resources_pb2

from clarinb import connect, frames, metrics
from clarinb.emulator import serve
from clarinb.errors import ResponseFormatError
from clarinb.frames.summary import APPLIES, SUMMARY_FIELDS, model_kind

CLASSIFIER_ONLY = [
    "top1_accuracy",
    "top5_accuracy",
    "macro_avg_roc_auc",
    "macro_std_roc_auc",
    "macro_avg_f1_score",
    "macro_std_f1_score",
    "macro_avg_precision",
    "macro_avg_recall",
]
DETECTOR_ONLY = ["mean_avg_precision_iou_50", "mean_avg_precision_iou_range"]


def _ev(type_id: str | None, summary: dict[str, Any] | None, **parts: Any) -> dict[str, Any]:
    model: dict[str, Any] = {"id": "m", "model_version": {"id": "mv"}}
    if type_id is not None:
        model["model_type_id"] = type_id
    body: dict[str, Any] = {"id": "ev", "status": {"code": 21300}, "model": model, **parts}
    if summary is not None:
        body["summary"] = summary
    return body


def test_the_table_covers_every_summary_field_of_the_message() -> None:
    names = [f.name for f in resources_pb2.MetricsSummary.DESCRIPTOR.fields]
    assert list(SUMMARY_FIELDS) == names
    assert set(APPLIES) == {"classifier", "detector"}
    assert sorted(APPLIES["classifier"]) == sorted(CLASSIFIER_ONLY)
    assert sorted(APPLIES["detector"]) == sorted(DETECTOR_ONLY)


def test_a_classifier_has_nan_map_and_keeps_its_true_zeros() -> None:
    omitted = _ev("visual-classifier", {"macro_avg_roc_auc": 0.9})
    sent = _ev("visual-classifier", {"top1_accuracy": 0.0, "top5_accuracy": 0.25})
    row, zero = frames.evaluations([omitted, sent]).to_dict("records")
    assert row["macro_avg_roc_auc"] == 0.9
    for key in ("top1_accuracy", "top5_accuracy", "macro_avg_f1_score", "macro_std_roc_auc"):
        assert row[key] == 0.0  # applies, omitted by proto3: a true 0
    for key in DETECTOR_ONLY:
        assert np.isnan(row[key])
        assert np.isnan(zero[key])
    assert zero["top1_accuracy"] == 0.0  # a classifier whose top-1 is truly 0 stays 0
    assert zero["top5_accuracy"] == 0.25


def test_a_detector_has_nan_classifier_metrics_and_keeps_its_true_zeros() -> None:
    row = frames.evaluations([_ev("visual-detector", {"mean_avg_precision_iou_50": 0.6})]).iloc[0]
    assert row["mean_avg_precision_iou_50"] == 0.6
    assert row["mean_avg_precision_iou_range"] == 0.0
    for key in CLASSIFIER_ONLY:
        assert np.isnan(row[key]), key


def test_a_non_zero_value_is_shown_even_where_the_table_says_no() -> None:
    # The service always sends the macro_* fields (0 when it has none): 0 is n/a here.
    sent = {"macro_avg_recall": 0.4, "macro_avg_roc_auc": 0.0, "mean_avg_precision_iou_50": 0.5}
    row = frames.evaluations([_ev("visual-detector", sent)]).iloc[0]
    assert row["macro_avg_recall"] == 0.4
    assert np.isnan(row["macro_avg_roc_auc"])
    assert np.isnan(row["macro_avg_f1_score"])
    # Of unknown kind, omitted fields read as proto3 reads them; none at all: NaN.
    unknown, failed = frames.evaluations([_ev(None, {"top1_accuracy": 0.0}), _ev(None, None)])[
        list(SUMMARY_FIELDS)
    ].to_numpy()
    assert (unknown == 0.0).all()
    assert np.isnan(failed).all()


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (_ev("visual-detector", None), "detector"),
        (_ev("visual-classifier", None), "classifier"),
        (_ev("text-classifier", None), "classifier"),
        (_ev(None, None, metrics_by_class=[{"iou": 0.5}]), "detector"),
        (_ev(None, None, metricsByArea=[{"iou": 0.5}]), "detector"),
        (_ev(None, None, binary_metrics=[{"num_pos": 1}]), "classifier"),
        (_ev(None, {"mean_avg_precision_iou_range": 0.3}), "detector"),
        (_ev(None, {"top5_accuracy": 0.3}), "classifier"),
        (_ev(None, {}), None),
        (_ev("visual-segmenter", None), None),
    ],
)
def test_model_kind(body: dict[str, Any], kind: str | None) -> None:
    assert model_kind(body) == kind


def test_a_number_out_of_float_range_is_a_format_error() -> None:
    with pytest.raises(ResponseFormatError, match="top1_accuracy"):
        frames.evaluations([_ev(None, {"top1_accuracy": 10**400})])


def test_the_frame_has_no_created_at_because_eval_metrics_has_none() -> None:
    # EvalMetrics carries no timestamp (see the message's fields), so a created_at
    # column could only ever be NaT; the service's list order is newest first.
    assert "created_at" not in [f.name for f in resources_pb2.EvalMetrics.DESCRIPTOR.fields]
    frame = frames.evaluations([_ev("visual-classifier", {"macro_avg_roc_auc": 0.9})])
    assert "created_at" not in frame.columns


# -- on the demo emulator ------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with serve(data="demo") as emu:
        yield connect(emulator=emu)


@pytest.fixture(scope="module")
def listing(client: Any) -> pd.DataFrame:
    return client.evaluations(show_failed=True)


def test_demo_listing_gives_nan_exactly_where_a_metric_does_not_apply(
    client: Any, listing: pd.DataFrame
) -> None:
    done = listing[listing["code"] == 21300]
    detectors = done[done["model_type_id"] == "visual-detector"]
    classifiers = done[done["model_type_id"] == "visual-classifier"]
    assert len(detectors) == 1
    assert len(classifiers) == 4
    assert detectors[CLASSIFIER_ONLY].isna().all().all()
    assert (detectors[DETECTOR_ONLY] > 0).all().all()
    assert classifiers[DETECTOR_ONLY].isna().all().all()
    assert classifiers[CLASSIFIER_ONLY].notna().all().all()
    assert (classifiers[["top1_accuracy", "top5_accuracy", "macro_avg_roc_auc"]] > 0).all().all()
    failed = listing[listing["code"] != 21300]
    assert failed[list(SUMMARY_FIELDS)].isna().all().all()
    for evaluation_id, row in classifiers.set_index("id").iterrows():  # one implementation
        ts = client.evaluation(evaluation_id).test_set()
        assert row["top1_accuracy"] == pytest.approx(metrics.top_k_accuracy(ts, 1), abs=1e-12)
        assert row["top5_accuracy"] == pytest.approx(metrics.top_k_accuracy(ts, 5), abs=1e-12)
