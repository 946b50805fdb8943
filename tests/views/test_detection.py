"""DetectionMetricsView on a synthetic detector evaluation: AP grid, exact IoU, mAP, PR curves."""

from __future__ import annotations

import numpy as np
import pytest

from clarinb import frames
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.metrics import mean_ap
from clarinb.views import DetectionMetricsView

IOUS = [round(0.5 + 0.05 * i, 2) for i in range(10)]  # 0.5 ... 0.95
AREAS = {"all": (0, 1e10), "small": (0, 1024), "medium": (1024, 9216)}
CONCEPTS = {"cat": 0.9, "dog": 0.7, "eel": 0.4}


def _ap(concept: str, iou: float, area: str) -> float:
    return round(CONCEPTS[concept] * (1.0 - (iou - 0.5)) * (0.5 if area == "small" else 1.0), 6)


def detector_eval() -> dict:
    entries = []
    for concept in CONCEPTS:
        for area, (lo, hi) in AREAS.items():
            for iou in IOUS:
                ap = _ap(concept, iou, area)
                recall = [0.0, 0.5, 1.0]
                entries.append(
                    {
                        "concept": {"id": concept, "name": concept.upper()},
                        "area_name": area,
                        "area_min": lo,
                        "area_max": hi,
                        # 0.8 written with float noise, as a computed value would be
                        "iou": iou + 1e-12,
                        "num_pos": 10,
                        "num_tot": 10,
                        "roc_auc": 0.5,
                        "f1": 0.5,
                        "avg_precision": ap,
                        "precision_recall_curve": {
                            "precision": [1.0, ap, ap / 2],
                            "recall": recall,
                            "thresholds": [0.9, 0.5, 0.1],
                        },
                    }
                )
    return {
        "status": {"code": 10000},
        "eval_metrics": {
            "id": "det-eval",
            "summary": {"mean_avg_precision_iou_50": 0.66, "mean_avg_precision_iou_range": 0.5},
            "metrics_by_class": entries,
        },
    }


@pytest.fixture
def view() -> DetectionMetricsView:
    return DetectionMetricsView.from_evaluation(detector_eval())


def test_frames_keep_iou_exact():
    frame = frames.metrics_by_class(detector_eval())
    assert len(frame) == 3 * 3 * 10
    assert (frame["iou"] == 0.8).sum() == 9
    assert (frame["iou"] == 0.9).sum() == 9
    curves = frames.pr_curves(detector_eval())
    assert set(curves.columns) >= {"concept_id", "area_name", "iou", "precision", "recall"}
    assert len(curves) == 90 * 3
    with pytest.raises(ResponseFormatError, match="avg_precision"):
        DetectionMetricsView.from_evaluation({"metrics_by_class": [{"avg_precision": "high"}]})


def test_map_computed_and_reported(view):
    expected_50 = np.mean([_ap(c, 0.5, "all") for c in CONCEPTS])
    expected_range = np.mean([np.mean([_ap(c, i, "all") for c in CONCEPTS]) for i in IOUS])
    assert view.map_["mAP@0.5"] == pytest.approx(expected_50)
    assert view.map_["mAP@[.5:.95]"] == pytest.approx(expected_range)
    assert view.map_["reported mAP@0.5"] == 0.66
    assert "mAP@0.5 0.667" in view.figure_.layout.title.text
    assert "mAP@0.5 0.667" in view._summary_text()
    assert mean_ap(view.metrics, "small")["mAP@0.5"] == pytest.approx(expected_50 / 2)


def test_heatmap_and_table(view):
    heat = view.figure_.data[0]
    assert list(heat.y) == [0, 1, 2]  # one row per class, best AP first, each labelled
    assert list(view.figure_.layout.yaxis.ticktext) == ["CAT", "DOG", "EEL"]
    assert list(heat.x) == [f"{i:g}" for i in IOUS]
    assert heat.z[1][6] == pytest.approx(_ap("dog", 0.8, "all"))
    table = view.ap_table_
    assert table.loc["eel", ("small", 0.9)] == pytest.approx(_ap("eel", 0.9, "small"))


def test_iou_selected_exactly_and_widget_updates(view):
    assert view.widget_ is not None
    live = view._plot_widget
    view.controls_["iou"].value = 0.9
    sizes = [t for t in live.data if (t.name or "").startswith("area")]
    assert [t.name for t in sizes] == [
        "area all sizes", "area small (&lt; 32\u00b2 px)", "area medium (32\u00b2 to 96\u00b2 px)"
    ]  # fmt: skip
    assert list(sizes[0].x) == pytest.approx([_ap(c, 0.9, "all") for c in CONCEPTS])
    lines = [t for t in live.data if (t.name or "").startswith("IoU")]
    assert len(lines) == 10
    assert lines[8].line.width == 3  # IoU 0.9
    assert lines[0].line.width == 1
    view.controls_["concept"].value = "dog"
    view.controls_["area"].value = "small"
    assert list(lines[0].y) == pytest.approx(
        [1.0, _ap("dog", 0.5, "small"), _ap("dog", 0.5, "small") / 2]
    )
    assert live.data[0].z[0][0] == pytest.approx(_ap("cat", 0.5, "small"))
    assert "IoU 0.9" in view._table.value


def test_set_validates(view):
    view.set(iou=0.8)
    assert view.iou == 0.8
    with pytest.raises(InvalidArgumentError, match=r"0\.85"):
        view.set(iou=0.33)
    with pytest.raises(InvalidArgumentError, match="area"):
        view.set(area="huge")
    with pytest.raises(InvalidArgumentError, match="concept"):
        view.set(concept="yak")
    with pytest.raises(InvalidArgumentError, match="empty"):
        DetectionMetricsView.from_evaluation({"metrics_by_class": []})


def test_html_and_dark(tmp_path, view):
    text = view.to_html(tmp_path / "det.html").read_text()
    assert "AP by class, area and IoU" in text
    assert "small @ IoU 0.9" in text
    dark = DetectionMetricsView.from_evaluation(detector_eval(), theme="dark", iou=0.9)
    assert dark.figure_.layout.template.layout.paper_bgcolor != (
        view.figure_.layout.template.layout.paper_bgcolor
    )


def test_frame_holds_what_each_panel_draws(view):
    view.set(iou=0.9, area="small", concept="dog")
    frame = view.frame_
    assert list(frame.columns) == [
        "panel", "concept_id", "area_name", "iou", "avg_precision", "recall", "precision"
    ]  # fmt: skip
    grid = frame[frame["panel"] == "AP by class and IoU"]
    assert len(grid) == 3 * 10
    assert set(grid["area_name"]) == {"small"}
    assert grid["recall"].isna().all()  # not applicable: NaN, not 0
    bars = frame[frame["panel"] == "AP by class and area"]
    assert set(bars["iou"]) == {0.9}
    assert len(bars) == 3 * 3
    dog = bars[(bars["concept_id"] == "dog") & (bars["area_name"] == "small")]
    assert dog["avg_precision"].tolist() == pytest.approx([_ap("dog", 0.9, "small")])
    curves = frame[frame["panel"] == "PR curve"]
    assert set(curves["concept_id"]) == {"dog"}
    assert len(curves) == 10 * 3
    assert curves["avg_precision"].isna().all()
    drawn = [t for t in view.figure_.data if (t.name or "").startswith("IoU")]
    assert sum(len(t.x) for t in drawn) == len(curves)


def test_constructor_takes_keywords_only():
    metrics = frames.metrics_by_class(detector_eval())
    with pytest.raises(TypeError):
        DetectionMetricsView(metrics)  # type: ignore[misc]
    assert DetectionMetricsView(metrics=metrics).ious_ == IOUS
    assert not hasattr(DetectionMetricsView, "from_client")
    with pytest.raises(InvalidArgumentError, match=r"evaluation must be a clarinb\.Evaluation"):
        DetectionMetricsView.from_evaluation("det-eval")  # type: ignore[arg-type]
