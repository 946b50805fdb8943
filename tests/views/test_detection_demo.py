"""The detection views on the emulator's demo detector (``animals-detector-on-v2``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clarinb import connect
from clarinb.emulator import serve
from clarinb.views import DetectionBrowser, DetectionMetricsView
from clarinb.views._det_boxes import image_size

EVAL = "animals-detector-on-v2"


@pytest.fixture(scope="module")
def emulator() -> Iterator:
    with serve() as emu:
        yield emu


def test_detection_metrics_match_the_reported_summary(emulator):
    view = DetectionMetricsView.from_evaluation(connect(emulator=emulator).evaluation(EVAL))
    assert 0.8 in view.ious_
    assert 0.9 in view.ious_
    assert "all" in view.areas_
    summary = view.map_
    assert summary["mAP@0.5"] == pytest.approx(summary["reported mAP@0.5"], abs=1e-9)
    assert summary["mAP@[.5:.95]"] == pytest.approx(summary["reported mAP@[.5:.95]"], abs=1e-9)
    view.set(iou=0.9)
    sizes = view.figure_.data[1]
    assert sizes.name == "area all sizes"
    table = view.ap_table_.reindex(view.order_)
    assert list(sizes.x) == pytest.approx(table[("all", 0.9)].tolist(), nan_ok=True)


def test_detection_browser_draws_boxes_over_the_real_image(emulator):
    client = connect(emulator=emulator)
    view = DetectionBrowser.from_evaluation(client.evaluation(EVAL), threshold=0.0)
    fig = view.figure_
    rows = view.boxes[view.boxes["input_id"] == view.input_id]
    width, height = rows["width"].iloc[0], rows["height"].iloc[0]
    truth = rows[rows["kind"] == "ground truth"].iloc[0]
    drawn = view.frame_.set_index("box").loc[truth.name]
    trace = next(t for t in fig.data[:4] if truth.name in (t.customdata or ()))
    start = list(trace.customdata).index(truth.name)
    assert trace.name.startswith("FN") == (drawn["outcome"] == "FN")
    assert trace.x[start] == pytest.approx(truth["left"] * width)
    assert trace.y[start + 2] == pytest.approx(truth["bottom"] * height)
    image = fig.layout.images[0]
    assert image.visible is True
    assert image.source.startswith("data:image/png;base64,")
    assert (image.sizex, image.sizey) == (width, height)
    png = client.download(rows["image_url"].iloc[0])
    assert image_size(png) is not None
    assert view.widget_ is not None
    view.controls_["next"].click()
    assert view.input_id == view.inputs_[1]


def test_no_token_in_any_output(emulator, tmp_path):
    client = connect(emulator=emulator)
    views = [
        DetectionMetricsView.from_evaluation(client.evaluation(EVAL)),
        DetectionBrowser.from_evaluation(client.evaluation(EVAL)),
    ]
    for i, view in enumerate(views):
        text = view.to_html(tmp_path / f"view{i}.html").read_text()
        assert emulator.pat not in text
        assert emulator.pat not in repr(view.widget_)


def test_from_a_fully_loaded_evaluation_uses_the_per_class_curves(emulator):
    ev = connect(emulator=emulator).evaluation(EVAL)
    ev.load("metrics_by_class", "metrics_by_area", "binary_metrics", "test_set", "label_counts")
    view = DetectionMetricsView.from_evaluation(ev.raw)
    same = DetectionMetricsView.from_evaluation(connect(emulator=emulator).evaluation(EVAL))
    assert view.ious_ == same.ious_
    assert view.map_ == pytest.approx(same.map_, nan_ok=True)


def test_views_hold_frames_and_a_fetch_callable_not_a_client(emulator):
    from clarinb.api.client import BaseClient

    ev = connect(emulator=emulator).evaluation(EVAL)
    browser = DetectionBrowser.from_evaluation(ev)
    metrics = DetectionMetricsView.from_evaluation(ev)
    assert browser.fetch == ev.fetch_image
    for view in (browser, metrics):
        held = [v for v in vars(view).values() if isinstance(v, BaseClient)]
        assert not held, type(view).__name__
    offline = DetectionBrowser.from_evaluation(ev.raw)
    assert offline.fetch is None  # a body alone downloads nothing
    assert offline.boxes.equals(browser.boxes)
