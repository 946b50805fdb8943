"""clarinb.Evaluation as the one source of the detection views' data.

Against the emulator's demo detector (``animals-detector-on-v2``) and a
recorded detector body, with and without its response envelope.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from clarinb import Evaluation, connect, frames
from clarinb.api.endpoints import EVALUATION_FIELD_FLAGS, EVALUATION_PARTS
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.frames._parts import FLAGS, evaluation_of
from clarinb.frames.regions import BOX_COLUMNS
from clarinb.views._det_boxes import image_size

DATA = Path(__file__).resolve().parent / "data"
ENVELOPE = json.loads((DATA / "get_evaluation_detector_synth.json").read_text())
DETECTOR = "animals-detector-on-v2"


@pytest.fixture(scope="module")
def emulator() -> Iterator:
    with serve(data="demo") as emu:
        yield emu


def test_flags_are_spelled_as_the_api_does() -> None:
    assert dict(zip(EVALUATION_PARTS, EVALUATION_FIELD_FLAGS, strict=True)) == FLAGS
    assert FLAGS["test_set"] == "fields.testSet"
    assert FLAGS["metrics_by_class"] == "fields.metricsByClass"


@pytest.mark.parametrize(
    "body",
    [
        ENVELOPE,
        ENVELOPE["eval_metrics"],
        {"status": {"code": 10000}, "eval_metrics": [ENVELOPE["eval_metrics"]]},
    ],
    ids=["envelope", "bare", "list-envelope"],
)
def test_from_dict_with_or_without_envelope(body) -> None:
    ev = Evaluation.from_dict(body)
    assert ev.id == ENVELOPE["eval_metrics"]["id"]
    assert ev.kind == "detector"
    expected = frames.metrics_by_class(ENVELOPE)
    pd.testing.assert_frame_equal(ev.metrics_by_class(), expected)
    curves = ev.detection_curves()
    pd.testing.assert_frame_equal(curves, frames.pr_curves(ENVELOPE, source="metrics_by_class"))
    assert ev.metrics_summary["mean_avg_precision_iou_50"] == 1.0
    with pytest.raises(InvalidArgumentError, match="no client"):
        ev.fetch_image("https://example.invalid/a.png")


def test_one_envelope_reader_refuses_what_is_not_an_evaluation() -> None:
    with pytest.raises(ResponseFormatError, match="one evaluation"):
        evaluation_of({"eval_metrics": [{}, {}]})
    with pytest.raises(InvalidArgumentError):
        Evaluation.from_dict("eval")  # type: ignore[arg-type]
    assert Evaluation.from_dict({"id": "e"}).metrics_summary == {}
    with pytest.raises(ResponseFormatError, match="summary"):
        _ = Evaluation.from_dict({"id": "e", "summary": [1]}).metrics_summary


def test_demo_detector_parts_come_from_the_evaluation(emulator) -> None:
    client = connect(emulator=emulator)
    ev = client.evaluation(DETECTOR)
    assert ev.kind == "detector"
    metrics = ev.metrics_by_class()
    assert {0.5, 0.8, 0.9} <= set(metrics["iou"].round(6))
    curves = ev.detection_curves()
    assert set(curves.columns) >= {"concept_id", "area_name", "iou", "precision", "recall"}
    assert len(curves)
    assert set(curves["concept_id"]) <= set(metrics["concept_id"])
    assert ev.detection_curves() is curves  # cached
    boxes = ev.detection_boxes()
    assert list(boxes.columns) == list(BOX_COLUMNS)
    assert set(boxes["kind"]) >= {"ground truth", "predicted"}
    pd.testing.assert_frame_equal(boxes, frames.test_set_boxes(ev.raw))
    assert ev.detection_boxes() is boxes
    summary = ev.metrics_summary
    assert summary["mean_avg_precision_iou_50"] > 0
    url = str(boxes["image_url"].iloc[0])
    data = ev.fetch_image(url)
    assert data == client.download(url)
    assert image_size(data) is not None


def test_demo_detector_fetches_each_part_once_with_camel_case_flags(emulator) -> None:
    client = connect(emulator=emulator)
    seen: list[dict] = []
    call = client.call

    def recording(operation, /, **kwargs):
        seen.append(dict(kwargs.get("query") or {}))
        return call(operation, **kwargs)

    client.call = recording  # type: ignore[method-assign]
    ev = client.evaluation(DETECTOR)
    ev.detection_boxes()
    ev.detection_curves()
    ev.metrics_by_class()
    ev.detection_boxes()
    assert seen == [{}, {"fields.testSet": True}, {"fields.metricsByClass": True}]
