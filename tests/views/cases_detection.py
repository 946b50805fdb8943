"""Common-test cases of the detection views: ``DetectionMetricsView`` and ``DetectionBrowser``."""

from __future__ import annotations

import pandas as pd
from view_case import ViewCase

from clarinb.views import DetectionBrowser, DetectionMetricsView

DETECTOR = "animals-detector-on-v2"


def _metrics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "concept_id": ["cat", "cat", "dog", "dog"],
            "iou": [0.5, 0.75, 0.5, 0.75],
            "area_name": "all",
            "avg_precision": [0.9, 0.6, 0.7, 0.4],
        }
    )


def _curves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "concept_id": ["cat", "cat", "dog", "dog"],
            "area_name": "all",
            "iou": [0.5, 0.5, 0.5, 0.5],
            "threshold": [0.9, 0.1, 0.9, 0.1],
            "precision": [1.0, 0.6, 1.0, 0.5],
            "recall": [0.2, 1.0, 0.3, 1.0],
        }
    )


def _boxes() -> pd.DataFrame:
    box = {"image_url": "", "width": 200.0, "height": 100.0}
    box.update({"top": 0.1, "left": 0.2, "bottom": 0.5, "right": 0.6})
    rows = [
        {**box, "input_id": "in-1", "kind": "ground truth", "concept_id": "cat", "score": 1.0},
        {**box, "input_id": "in-1", "kind": "predicted", "concept_id": "cat", "score": 0.9},
        {**box, "input_id": "in-1", "kind": "predicted", "concept_id": "dog", "score": 0.3},
        {**box, "input_id": "in-2", "kind": "ground truth", "concept_id": "dog", "score": 1.0},
    ]
    return pd.DataFrame(rows)


CASES = [
    ViewCase(
        cls=DetectionMetricsView,
        from_frames=lambda: DetectionMetricsView.from_frames(metrics=_metrics(), curves=_curves()),
        from_read_model=lambda client: DetectionMetricsView.from_evaluation(
            client.evaluation(DETECTOR)
        ),
        change={"iou": 0.75},
        bad_change={"iou": 0.33},
        bad_frames=lambda: DetectionMetricsView.from_frames(metrics=[1, 2]),
    ),
    ViewCase(
        cls=DetectionBrowser,
        from_frames=lambda: DetectionBrowser.from_frames(boxes=_boxes()),
        from_read_model=lambda client: DetectionBrowser.from_evaluation(
            client.evaluation(DETECTOR)
        ),
        change={"input_id": "in-2"},
        bad_change={"threshold": 2},
        bad_frames=lambda: DetectionBrowser.from_frames(boxes={"input_id": ["in-1"]}),
    ),
]
