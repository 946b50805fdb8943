"""MetricsGroupsView on synthetic groups: charts per type, controls, drill-down, output."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from plotly.callbacks import Points

from clarinb import DatasetVersion, frames
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.views import MetricsGroupsView


def read_groups(groups: list[dict]) -> pd.DataFrame:
    return frames.dataset_version_metrics_groups(groups, matrices=True)


def _group(path: str, kind: object, value: object, **counts: int) -> dict:
    group: dict = {"parent_path": path, "value": value, "metrics": {}}
    if kind is not None:
        group["type"] = kind
    for key, count in counts.items():
        group["metrics"][key] = str(count)
    return group


def _groups() -> list[dict]:
    total = _group(
        "",
        None,
        "total",
        inputs_count=100,
        unlabeled_inputs_count=4,
        regions_count=250,
        bounding_boxes_count=240,
        polygons_count=10,
        embeddings_count=100,
    )
    total["metrics"]["region_location_matrix"] = {"n_cols": "2", "data": ["5", "1", "0", "9"]}
    return [
        total,
        _group("", 2, "image", inputs_count=100),
        _group("", "CONCEPT_ID", "cat", inputs_count=60, bounding_boxes_count=150),
        _group("", "CONCEPT_ID", "dog", inputs_count=30, bounding_boxes_count=80),
        _group("", "CONCEPT_ID", "bird", inputs_count=6, bounding_boxes_count=10),
        _group("", "CONCEPTS_COUNT", 1, inputs_count=70),
        _group("", "CONCEPTS_COUNT", 2, inputs_count=26),
        _group("", "BOUNDING_BOXES_COUNT", 0, inputs_count=4),
        _group("", "BOUNDING_BOXES_COUNT", 3, inputs_count=96),
        _group("", "PIXELS_COUNT", 200000, inputs_count=50),
        _group("", "PIXELS_COUNT", 200800, inputs_count=30),
        _group("", "PIXELS_COUNT", 200400, inputs_count=20),
        _group("", "ASPECT_RATIO", 0.5, inputs_count=10),
        _group("", "ASPECT_RATIO", 0.6, inputs_count=90),
        # the cat's own groups
        _group("CONCEPT_ID/cat", None, "total", inputs_count=60, bounding_boxes_count=150),
        _group("CONCEPT_ID/cat", "CONCEPTS_COUNT", 1, inputs_count=45),
        _group("CONCEPT_ID/cat", "CONCEPTS_COUNT", 2, inputs_count=15),
    ]


@pytest.fixture
def view() -> MetricsGroupsView:
    return MetricsGroupsView.from_frames(groups=read_groups(_groups()))


def _trace(view: MetricsGroupsView, name: str):
    return next(t for t in view.figure_.data if t.name == name)


def test_frame_reads_counts_types_and_matrix():
    frame = read_groups(_groups())
    assert frame.loc[0, "type"] == "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET"
    assert frame.loc[1, "type"] == "INPUT_TYPE"
    assert frame["inputs_count"].dtype == "Int64"
    assert pd.isna(frame.loc[1, "regions_count"])
    assert frame.loc[0, "region_location_matrix"].tolist() == [[5, 1], [0, 9]]
    big = read_groups([_group("", None, "total", inputs_count=2**63 - 1)])
    assert big.loc[0, "inputs_count"] == 2**63 - 1


def test_bad_bodies_raise_typed_errors():
    with pytest.raises(ResponseFormatError, match="inputs_count"):
        read_groups([{"metrics": {"inputs_count": "many"}}])
    ragged = {"region_location_matrix": {"n_cols": "3", "data": ["1", "2"]}}
    with pytest.raises(ResponseFormatError, match="a divisor of the 2 data values"):
        read_groups([{"metrics": ragged}])
    with pytest.raises(InvalidArgumentError, match="DataFrame"):
        MetricsGroupsView(groups=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="lacks columns"):
        MetricsGroupsView(groups=pd.DataFrame({"type": []}))


def test_cards_and_imbalance(view):
    assert view.totals_["inputs_count"] == 100
    assert view.totals_["unlabeled_inputs_count"] == 4
    assert view.totals_["points_count"] is None
    assert view.imbalance_["ratio"] == pytest.approx(10.0)
    shares = np.array([60, 30, 6]) / 96
    expected = -(shares * np.log(shares)).sum() / math.log(3)
    assert view.imbalance_["entropy"] == pytest.approx(expected)
    html = view.widget_.children[0].value
    assert "100" in html
    assert "unlabeled inputs" in html
    assert "10.0" in html


def test_one_chart_per_group_type(view):
    concepts = _trace(view, "concepts")
    assert list(concepts.x) == ["cat", "dog", "bird"]
    assert list(concepts.y) == [60, 30, 6]
    assert list(_trace(view, "input types").x) == ["image"]
    per_input = _trace(view, "Concepts per input")
    assert list(per_input.x) == [1, 2]
    assert list(per_input.y) == [70, 26]
    boxes = _trace(view, "Bounding boxes per input")
    assert list(boxes.x) == [0, 3]
    assert list(_trace(view, "Masks per input").x) == []
    pixels = _trace(view, "Pixels per input")
    # bins of 400 read from the data; bars centred on each bin
    assert list(pixels.width) == [400, 400, 400]
    assert list(pixels.x) == [200200, 200600, 201000]
    assert list(pixels.y) == [50, 20, 30]
    assert pixels.customdata[0] == "[200000, 200400)"
    ratio = _trace(view, "Aspect ratio")
    assert list(ratio.width) == [0.1, 0.1]
    assert list(ratio.x) == [0.55, 0.65]
    heat = next(t for t in view.figure_.data if t.type == "heatmap")
    assert [list(r) for r in heat.z] == [[5, 1], [0, 9]]


def test_controls_change_the_live_figure(view):
    box = view.widget_
    live = view._plot_widget
    controls = view.controls_
    controls["sort"].value = "name"
    assert list(live.data[0].x) == ["bird", "cat", "dog"]
    controls["top_n"].value = 2
    assert list(live.data[0].x) == ["bird", "cat"]
    controls["search"].value = "D"
    assert list(live.data[0].x) == ["bird", "dog"]
    controls["metric"].value = "bounding_boxes_count"
    assert list(live.data[0].y) == [10, 80]
    assert "bounding boxes count" in live.layout.yaxis.title.text
    assert box is view.widget_


def test_bad_settings_are_rejected(view):
    with pytest.raises(InvalidArgumentError, match="metric"):
        view.set(metric="nope")
    with pytest.raises(InvalidArgumentError, match="sort"):
        view.set(sort="size")
    with pytest.raises(InvalidArgumentError, match="top_n"):
        view.set(top_n=-1)
    with pytest.raises(InvalidArgumentError, match="unknown settings"):
        view.set(colour="red")


def test_drill_down_by_setting_the_path_and_by_click(view):
    view.set(path=["cat"])
    assert view.path == ("cat",)
    assert view.level_ == "CONCEPT_ID/cat"
    assert view.totals_["inputs_count"] == 60
    assert list(_trace(view, "Concepts per input").y) == [45, 15]
    view.set(path=view.path[:-1])
    assert view.path == ()
    assert view.level_ == ""
    with pytest.raises(InvalidArgumentError, match="bird"):
        view.set(path=["bird"])
    with pytest.raises(InvalidArgumentError, match="path must be a list of strings"):
        view.set(path="cat")
    assert view.path == ()
    started = MetricsGroupsView(groups=view.groups, path=["cat"])
    assert started.totals_["inputs_count"] == 60
    # a click on the concept bar drills down in the live widget
    live = view.widget_ and view._plot_widget
    bars = live.data[0]
    index = list(bars.x).index("cat")
    bars._dispatch_on_click(Points(point_inds=[index], trace_index=0), None)
    assert view.path == ("cat",)
    assert list(live.data[2].y) == [45, 15]
    assert "cat" in view._crumbs.value
    view.controls_["up"].click()
    assert list(live.data[2].y) == [70, 26]


def test_html_and_dark_theme(tmp_path, view):
    out = view.to_html(tmp_path / "groups.html")
    text = out.read_text()
    assert "Totals" in text
    assert "unlabeled inputs" in text
    assert "Plotly.newPlot" in text
    dark = MetricsGroupsView.from_frames(groups=read_groups(_groups()), theme="dark")
    dark_bg = dark.figure_.layout.template.layout.paper_bgcolor
    assert dark_bg != view.figure_.layout.template.layout.paper_bgcolor
    assert "clarinb-card" in dark.to_html(tmp_path / "dark.html").read_text()


def test_built_from_a_dataset_version_read_model():
    dv = DatasetVersion.from_dict(
        {"id": "v7", "dataset_id": "zoo", "status": {"code": 64015}}, metrics_groups=_groups()
    )
    view = MetricsGroupsView.from_dataset_version(dv, top_n=2)
    assert view.name == "zoo / v7"
    assert view.totals_["inputs_count"] == 100
    assert view.figure_.data[0].x == ("cat", "dog")
    assert view.groups.loc[0, "region_location_matrix"].tolist() == [[5, 1], [0, 9]]
    with pytest.raises(InvalidArgumentError, match=r"clarinb\.DatasetVersion"):
        MetricsGroupsView.from_dataset_version(_groups())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="metrics_groups"):
        MetricsGroupsView.from_dataset_version(DatasetVersion.from_dict({"id": "v8"}))


def test_frame_holds_one_row_per_bar_bin_and_cell(view):
    view.set(top_n=2)
    frame = view.frame_
    assert list(frame.columns) == ["panel", "group_type", "value", "bin_end", "metric", "count"]
    concepts = frame[frame["group_type"] == "CONCEPT_ID"]
    assert concepts[["value", "count"]].values.tolist() == [["cat", 60.0], ["dog", 30.0]]
    assert set(frame["metric"]) == {"inputs_count"}
    pixels = frame[frame["group_type"] == "PIXELS_COUNT"]
    assert pixels["value"].tolist() == [200000, 200400, 200800]
    assert pixels["bin_end"].tolist() == [200400, 200800, 201200]
    assert frame.loc[frame["group_type"] == "CONCEPT_ID", "bin_end"].isna().all()
    cells = frame[frame["group_type"] == "REGION_LOCATION"]
    assert cells[["value", "count"]].values.tolist() == [
        ["row 0, column 0", 5.0],
        ["row 0, column 1", 1.0],
        ["row 1, column 0", 0.0],
        ["row 1, column 1", 9.0],
    ]
    drawn = sum(len(t.x) for t in view.figure_.data if t.type == "bar")
    assert drawn + len(cells) == len(frame)
