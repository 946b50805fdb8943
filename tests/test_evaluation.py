"""clarinb.Evaluation: lazy, once-per-part fetching with the fields.* flags, and its errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import Evaluation, frames
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.evaluation import EvaluationFailedError, EvaluationNotReadyError

DATA = Path(__file__).resolve().parent / "data"
FULL = json.loads((DATA / "get_evaluation_classifier_synth.json").read_text())["eval_metrics"]
HEAVY = ("confusion_matrix", "label_counts", "binary_metrics", "test_set")


class RecordingClient:
    """Answers GetEvaluation like the service: only the flagged heavy parts come back."""

    def __init__(self, full: dict[str, Any]) -> None:
        self.full = full
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def call(self, operation: str, /, *, query: Any = None, **path: Any) -> dict[str, Any]:
        self.calls.append((operation, dict(query or {}), path))
        assert operation == "V2_GetEvaluation2"
        assert path == {"evaluationId": self.full["id"]}
        flags = {k.split(".", 1)[1] for k, v in (query or {}).items() if v}
        camel = {
            "confusionMatrix": "confusion_matrix",
            "labelCounts": "label_counts",
            "binaryMetrics": "binary_metrics",
            "testSet": "test_set",
            "cooccurrenceMatrix": "cooccurrence_matrix",
            "metricsByClass": "metrics_by_class",
            "metricsByArea": "metrics_by_area",
        }
        wanted = {camel[f] for f in flags}
        body = {k: v for k, v in self.full.items() if k not in HEAVY or k in wanted}
        return {"status": {"code": 10000}, "eval_metrics": copy.deepcopy(body)}


def test_each_part_fetched_once_with_its_flag() -> None:
    client = RecordingClient(FULL)
    ev = Evaluation.fetch(client, "two")  # type: ignore[arg-type]
    assert len(client.calls) == 1
    assert client.calls[0][1] == {}  # the light fetch sets no flag
    assert ev.id == "two"
    assert ev.code == 21300
    assert not ev.is_failed
    cm = ev.confusion_matrix()
    assert client.calls[-1][1] == {"fields.confusionMatrix": True}
    pd.testing.assert_frame_equal(cm, frames.confusion_matrix(FULL))
    ev.confusion_matrix(normalize="true")
    ev.confusion_matrix()
    assert len(client.calls) == 2  # cached
    ts = ev.test_set()
    assert client.calls[-1][1] == {"fields.testSet": True}
    assert ev.test_set() is ts
    ev.test_set_inputs()
    ev.roc_curves()
    ev.pr_curves()
    ev.binary_metrics()
    assert [c[1] for c in client.calls[2:]] == [
        {"fields.testSet": True},
        {"fields.binaryMetrics": True},
    ]
    assert ev.concepts == {"cat": "cat", "dog": "dog"}
    assert len(client.calls) == 4
    table = ev.at_threshold(0.5)
    assert table.set_index("concept_id").loc["cat", "tp"] == 1


def test_absent_part_after_its_flag_reads_as_empty() -> None:
    client = RecordingClient(FULL)
    ev = Evaluation.fetch(client, "two")  # type: ignore[arg-type]
    assert ev.cooccurrence_matrix().empty  # the service left the empty part out
    assert ev.metrics_by_class().empty
    assert client.calls[1][1] == {"fields.cooccurrenceMatrix": True}


def test_from_dict_without_client_names_the_missing_flag() -> None:
    body = {"id": "x", "status": {"code": 21300}, "model": {"id": "m"}}
    ev = Evaluation.from_dict(body)
    with pytest.raises(ResponseFormatError, match=r"fields\.testSet=true"):
        ev.test_set()
    with pytest.raises(InvalidArgumentError, match="no client"):
        ev.refresh()
    with pytest.raises(InvalidArgumentError):
        Evaluation.from_dict(["not", "a", "dict"])  # type: ignore[arg-type]


def test_failed_evaluation_has_a_clear_error() -> None:
    failed = {
        "id": "three",
        "status": {"code": 21317, "description": "Model evaluation failed."},
        "model": {"id": "m"},
    }
    client = RecordingClient(failed)
    ev = Evaluation(failed, client=client)  # type: ignore[arg-type]
    assert ev.is_failed
    assert ev.code_name == "MODEL_EVALUATION_FAILED"
    with pytest.raises(EvaluationFailedError, match=r"three.*21317 MODEL_EVALUATION_FAILED"):
        ev.confusion_matrix()
    assert client.calls == []  # nothing fetched for a failed evaluation
    assert ev.concepts == {}


def test_pending_evaluation() -> None:
    ev = Evaluation.from_dict({"id": "q", "status": {"code": "MODEL_QUEUED_FOR_EVALUATION"}})
    assert ev.is_pending
    with pytest.raises(EvaluationNotReadyError, match="not finished"):
        ev.binary_metrics()


def test_identity_kind_repr_and_html() -> None:
    ev = Evaluation.from_dict({"status": {"code": 10000}, "eval_metrics": FULL})
    assert ev.kind == "classifier"
    assert (
        repr(ev) == "Evaluation(id='two', model_id='', kind='classifier', status=MODEL_EVALUATED)"
    )
    assert "macro_avg_roc_auc" in ev._repr_html_()
    assert ev.summary["macro_avg_roc_auc"] == pytest.approx(0.92)
    detector = Evaluation.from_dict(
        json.loads((DATA / "get_evaluation_detector_synth.json").read_text())
    )
    assert detector.kind == "detector"
    assert "mean_avg_precision_iou_50" in detector._repr_html_()
    assert list(detector.pr_curves()["iou"].unique()) == [0.5, 0.75]
    typed = Evaluation.from_dict({"id": "d", "model": {"model_type_id": "visual-detector"}})
    assert typed.kind == "detector"
    assert typed.model_id == ""


def test_load_fetches_several_parts_in_one_request() -> None:
    client = RecordingClient(FULL)
    ev = Evaluation.fetch(client, "two")  # type: ignore[arg-type]
    ev.load("test_set", "binary_metrics")
    assert client.calls[1][1] == {"fields.testSet": True, "fields.binaryMetrics": True}
    ev.test_set()
    ev.binary_metrics()
    ev.load("test_set")
    assert len(client.calls) == 2
    ev.load()  # every part not fetched yet, in one request
    assert len(client.calls) == 3
    assert "fields.testSet" not in client.calls[2][1]
    assert ev.cooccurrence_matrix().empty
    assert len(client.calls) == 3
    with pytest.raises(InvalidArgumentError, match="unknown part"):
        ev.load("everything")


def test_summary_is_nan_where_a_metric_does_not_apply_and_zero_where_it_does() -> None:
    detector = Evaluation.from_dict(
        json.loads((DATA / "get_evaluation_detector_synth.json").read_text())
    )
    summary = detector.summary
    assert summary["mean_avg_precision_iou_50"] > 0
    for key in ("top1_accuracy", "top5_accuracy", "macro_avg_roc_auc", "macro_avg_f1_score"):
        assert np.isnan(summary[key]), key
    classifier = Evaluation.from_dict({"status": {"code": 10000}, "eval_metrics": FULL})
    assert classifier.summary["top1_accuracy"] == 0.0  # omitted by proto3: a true 0
    assert np.isnan(classifier.summary["mean_avg_precision_iou_50"])
    assert np.isnan(classifier.summary["mean_avg_precision_iou_range"])


def test_kind_comes_from_the_one_table_of_model_kinds() -> None:
    parts = {"id": "s", "status": {"code": 21300}, "metrics_by_class": [{"iou": 0.5}]}
    segmenter = Evaluation.from_dict({**parts, "model": {"model_type_id": "visual-segmenter"}})
    assert segmenter.kind == "detector"  # its parts tell, though the type id does not
    untyped = Evaluation.from_dict({"id": "u", "summary": {"top1_accuracy": 0.7}})
    assert untyped.kind == "classifier"
    assert np.isnan(untyped.summary["mean_avg_precision_iou_50"])


def test_html_repr_of_a_failed_evaluation_says_na_not_nan() -> None:
    failed = {
        "id": "ev-failed",
        "status": {"code": 21317, "description": "Model evaluation failed."},
        "model": {"id": "m", "model_type_id": "visual-classifier"},
    }
    shown = Evaluation(failed, client=RecordingClient(failed))._repr_html_()  # type: ignore[arg-type]
    assert "n/a" in shown
    assert "nan" not in shown.lower().replace("n/a", "")
