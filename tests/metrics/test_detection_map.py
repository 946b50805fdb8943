"""clarinb.metrics.mean_ap: COCO-style mAP from per-class AP, outside the views."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.detection import metrics_frame, reported_map


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "concept_id": ["a", "b", "c", "a", "b", "c"],
            "iou": [0.5, 0.5, 0.5, 0.7500000001, 0.75, 0.75],
            "area_name": ["", None, "all", "all", "all", "all"],
            "avg_precision": [0.8, 0.6, 0.0, 0.4, 0.2, 0.0],
            "num_tot": [3, 2, 0, 3, 2, 0],
        }
    )


def test_mean_ap_leaves_out_classes_without_ground_truth() -> None:
    found = metrics.mean_ap(_frame())
    assert found["mAP@0.5"] == pytest.approx(0.7)
    assert found["mAP@[.5:.95]"] == pytest.approx(0.5)
    assert math.isnan(metrics.mean_ap(_frame(), "small")["mAP@0.5"])


def test_metrics_frame_rounds_iou_and_fills_areas() -> None:
    frame = metrics_frame(_frame())
    assert sorted(set(frame["iou"])) == [0.5, 0.75]
    assert set(frame["area_name"]) == {"all"}
    with pytest.raises(InvalidArgumentError, match="avg_precision"):
        metrics_frame(_frame().drop(columns="avg_precision"))


def test_reported_map_reads_a_summary() -> None:
    assert reported_map({}) == {}
    found = reported_map({"mean_avg_precision_iou_50": 0.5})
    assert found == {"reported mAP@0.5": 0.5, "reported mAP@[.5:.95]": 0.0}
    with pytest.raises(InvalidArgumentError, match="summary"):
        reported_map({"mean_avg_precision_iou_50": "high"})
