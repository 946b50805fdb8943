"""DetectionBrowser: boxes labelled with class and score, marked TP / FP / FN, tied to the table."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from plotly.callbacks import Points

from clarinb import connect
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError
from clarinb.views import DetectionBrowser
from clarinb.views._det_figure import LABEL_TRACE, SELECTED_TRACE

DETECTOR = "animals-detector-on-v2"


def _boxes() -> pd.DataFrame:
    image = {"image_url": "", "width": 200.0, "height": 100.0}
    rows = [
        ("in-1", "ground truth", "cat", 1.0, (0.1, 0.1, 0.5, 0.5)),
        ("in-1", "predicted", "cat", 0.9, (0.1, 0.1, 0.5, 0.45)),  # IoU 0.875 with the cat
        ("in-1", "predicted", "dog", 0.3, (0.1, 0.1, 0.5, 0.5)),  # no dog there
        ("in-1", "ground truth", "dog", 1.0, (0.6, 0.6, 0.9, 0.9)),  # missed
        ("in-2", "ground truth", "dog", 1.0, (0.0, 0.0, 1.0, 0.5)),
        ("in-2", "predicted", "dog", 0.8, (0.0, 0.0, 1.0, 0.5)),
    ]
    return pd.DataFrame(
        [
            {**image, "input_id": i, "kind": k, "concept_id": c, "score": s,
             "top": b[0], "left": b[1], "bottom": b[2], "right": b[3]}
            for i, k, c, s, b in rows
        ]
    )  # fmt: skip


@pytest.fixture
def view() -> DetectionBrowser:
    return DetectionBrowser(boxes=_boxes(), threshold=0.25, concept_names={"cat": "tabby cat"})


def test_every_box_carries_its_class_score_and_outcome(view):
    labels = view.figure_.data[LABEL_TRACE]
    assert sorted(labels.text) == ["dog 0.30 FP", "dog FN", "tabby cat 0.90 TP", "tabby cat found"]
    frame = view.frame_
    assert frame["outcome"].tolist() == ["found", "TP", "FP", "FN"]
    assert frame["concept_name"].tolist() == ["tabby cat", "tabby cat", "dog", "dog"]
    assert frame["match_iou"].iloc[:2].tolist() == pytest.approx([0.875, 0.875])
    assert frame["match_iou"].iloc[2:].isna().all()  # no match: n/a


def test_the_legend_says_what_the_colours_mean(view):
    names = [trace.name for trace in view.figure_.data if trace.showlegend]
    assert any(n.startswith("TP: predicted") and "IoU \u2265 0.50" in n for n in names)
    assert any(n.startswith("FP: predicted") for n in names)
    assert any(n.startswith("FN: object") for n in names)
    colours = {t.name[:3]: t.line.color for t in view.figure_.data[:3]}
    assert len(set(colours.values())) == 3


def test_outcomes_follow_the_iou_and_the_minimum_score(view):
    view.set(iou=0.9)  # the cat box overlaps 0.875: not enough
    assert view.frame_["outcome"].tolist() == ["FN", "FP", "FP", "FN"]
    assert view.outcome_counts_ == {"TP": 1, "FP": 2, "FN": 2}  # in-2's dog is exact
    view.set(iou=0.5, threshold=0.5)
    assert view.frame_["outcome"].tolist() == ["found", "TP", "FN"]
    assert view.outcome_counts_ == {"TP": 2, "FP": 0, "FN": 1}
    with pytest.raises(InvalidArgumentError, match="iou"):
        view.set(iou=0)


def test_a_table_row_selects_its_box_and_a_box_its_row(view):
    assert view.selected_box_ is None
    assert view.widget_ is not None
    live = view._plot_widget
    table = view.controls_["table"]
    buttons = list(table.buttons.values())
    assert len(buttons) == 4
    buttons[2].click()  # the dog prediction
    assert view.selected_box_["label"] == "dog 0.30 FP"
    assert buttons[2].button_style == "warning"
    assert live.data[SELECTED_TRACE].showlegend is True
    assert live.data[SELECTED_TRACE].name == "selected: dog 0.30 FP"
    assert len([x for x in live.data[SELECTED_TRACE].x if x is not None]) == 5
    # clicking the cat prediction's label on the image selects its row
    labels = live.data[LABEL_TRACE]
    index = list(labels.text).index("tabby cat 0.90 TP")
    labels._dispatch_on_click(Points(point_inds=[index], trace_index=LABEL_TRACE), None)
    assert view.selected_box_["label"] == "tabby cat 0.90 TP"
    assert [b.button_style for b in buttons] == ["", "warning", "", ""]
    # an outline click selects too (its vertices carry the box id); again: unselects
    missed = live.data[2]
    assert missed.name.startswith("FN")
    missed._dispatch_on_click(Points(point_inds=[3], trace_index=2), None)
    assert view.selected_box_["label"] == "dog FN"
    missed._dispatch_on_click(Points(point_inds=[3], trace_index=2), None)
    assert view.selected_box_ is None
    assert [b.button_style for b in buttons] == ["", "", "", ""]


def test_selection_is_a_setting_and_clears_with_the_input(view):
    box = view.frame_["box"].iloc[3]
    view.set(box=box)
    assert view.selected_box_["outcome"] == "FN"
    assert view.figure_.data[SELECTED_TRACE].name == "selected: dog FN"
    with pytest.raises(InvalidArgumentError, match="box"):
        view.set(box=999)
    view.set(input_id="in-2")
    assert view.selected_box_ is None
    assert view.figure_.data[SELECTED_TRACE].showlegend is False


@pytest.fixture(scope="module")
def emulator() -> Iterator:
    with serve() as emu:
        yield emu


def test_outcomes_on_the_demo_detector_equal_the_services_counts(emulator):
    ev = connect(emulator=emulator).evaluation(DETECTOR)
    view = DetectionBrowser(boxes=ev.detection_boxes(), threshold=0.0, iou=0.5)
    counts = view.outcome_counts_
    # the service's metrics by class at IoU 0.5 over every area: num_neg false
    # detections and num_tot objects (found or missed), per class
    m = ev.metrics_by_class()
    at = m[(m["iou"].round(2) == 0.5) & (m["area_name"] == "all")]
    assert counts["FP"] == int(at["num_neg"].sum())
    assert counts["TP"] + counts["FN"] == int(at["num_tot"].sum())
    assert counts["TP"] > 0
    assert counts["FN"] > 0
    # the per-input frames add up to the same counts on the first inputs
    totals = {"TP": 0, "FP": 0, "FN": 0}
    for input_id in view.inputs_[:25]:
        view.set(input_id=input_id)
        for outcome, n in view.frame_["outcome"].value_counts().items():
            if outcome in totals:
                totals[outcome] += int(n)
    assert sum(totals.values()) > 0
    boxes = ev.detection_boxes()
    first = boxes[boxes["input_id"].isin(view.inputs_[:25]) & (boxes["kind"] != "none")]
    assert totals["TP"] + totals["FP"] == int((first["kind"] == "predicted").sum())


def test_hovering_a_box_marks_its_row(view):
    assert view.widget_ is not None
    live = view._plot_widget
    buttons = list(view.controls_["table"].buttons.values())
    labels = live.data[LABEL_TRACE]
    index = list(labels.text).index("dog FN")
    labels._dispatch_on_hover(Points(point_inds=[index], trace_index=LABEL_TRACE), None)
    assert [b.button_style for b in buttons] == ["", "", "", "info"]
    assert view.selected_box_ is None  # hovering is not selecting
    labels._dispatch_on_unhover(Points(point_inds=[index], trace_index=LABEL_TRACE), None)
    assert [b.button_style for b in buttons] == ["", "", "", ""]
    buttons[3].click()
    labels._dispatch_on_hover(Points(point_inds=[index], trace_index=LABEL_TRACE), None)
    assert buttons[3].button_style == "warning"  # the selected row keeps its mark
