"""Numbers the views print as text: "n/a" where a metric is undefined, never "nan"."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb.views import CurvesView, DetectionMetricsView
from clarinb.views._compare_figures import summary_figure
from clarinb.views._threshold_table import summary_text
from tests.views.conftest import synthetic_test_set
from tests.views.test_detection import detector_eval


def test_curve_legends_say_n_a_for_a_concept_without_positives() -> None:
    ts = synthetic_test_set()
    ts.loc[ts["concept_id"] == "c000", "ground_truth"] = False  # ROC AUC and AP undefined
    view = CurvesView.from_frames(test_set=ts, selection="all")
    names = [t.name or "" for t in (*view.roc_figure_.data, *view.pr_figure_.data)]
    assert "c000 (AUC n/a)" in names
    assert "c000 (AP n/a)" in names
    assert not any("nan" in name.lower() for name in names)


def test_compare_bars_label_an_undefined_mean_n_a() -> None:
    means = pd.DataFrame({"a": [0.9, np.nan], "b": [0.8, 0.0]}, index=["roc_auc", "f1"])
    bars = summary_figure(means, {"a": "#0072B2", "b": "#E69F00"}).data
    texts = [list(bar.text) for bar in bars]
    assert texts == [["0.900", "n/a"], ["0.800", "0.000"]]


def test_threshold_summary_line_says_n_a() -> None:
    averages = pd.DataFrame(
        {"precision": [np.nan, 0.0], "recall": [0.5, 0.0], "f1": [np.nan, 0.0]},
        index=["micro", "macro"],
    )
    expected = "micro P n/a R 0.500 F1 n/a · macro P 0.000 R 0.000 F1 0.000"
    assert summary_text(averages, 0) == expected


def test_detection_view_shows_a_reported_map_of_zero() -> None:
    body = detector_eval()
    body["eval_metrics"]["summary"] = {"mean_avg_precision_iou_50": 0.66}  # range: a true 0
    view = DetectionMetricsView.from_evaluation(body)
    assert view.map_["reported mAP@[.5:.95]"] == 0.0
    assert "reported mAP@[.5:.95] 0.000" in view._summary_text()
