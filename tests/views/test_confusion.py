from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import Evaluation, frames, metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.order import cluster_order, concept_order, top_confused
from clarinb.views import ConfusionMatrixView
from clarinb.views import _confusion_figure as confusion_figure


def _cell(view: ConfusionMatrixView, actual: str, predicted: str) -> float:
    trace = view.figure_.data[0]
    return float(trace.z[list(trace.y).index(actual)][list(trace.x).index(predicted)])


def test_matrix_only_counts_and_normalisations() -> None:
    m = pd.DataFrame([[8, 2], [1, 3]], index=["cat", "dog"], columns=["cat", "dog"])
    view = ConfusionMatrixView(matrix=m)
    assert view.figure_.data[0].z.tolist() == [[8, 2], [1, 3]]
    assert view.set(normalize="true").figure_.data[0].z.tolist() == [[0.8, 0.2], [0.25, 0.75]]
    assert np.allclose(view.set(normalize="pred").figure_.data[0].z, [[8 / 9, 0.4], [1 / 9, 0.6]])
    view.set(normalize="all")
    assert np.allclose(view.figure_.data[0].z, np.array([[8, 2], [1, 3]]) / 14)
    # the hover data keeps counts and both rates whatever the colouring
    custom = np.asarray(view.figure_.data[0].customdata)
    assert custom[1, 0].tolist() == [1, 0.25, 1 / 9]


def test_one_normaliser_in_frames() -> None:
    """The heatmap's rates are ``frames.matrices.normalize_matrix``'s; views keep no copy."""
    assert not hasattr(confusion_figure, "normalize")
    m = pd.DataFrame([[5, 0, 1], [0, 0, 0], [2, 2, 4]], index=list("abc"), columns=list("abc"))
    for how in ("true", "pred", "all"):
        view = ConfusionMatrixView(matrix=m, normalize=how)
        expected = frames.matrices.normalize_matrix(m, how).to_numpy()
        assert np.allclose(np.asarray(view.figure_.data[0].z, dtype=float), expected)
        assert np.asarray(view.figure_.data[0].z, dtype=float)[1].tolist() == [0, 0, 0]


def test_constructor_only_stores(test_set: pd.DataFrame, monkeypatch) -> None:
    lives: list[metrics.TestSetMatrix] = []
    builds: list[int] = []
    real_live, real_build = metrics.LiveConfusion.__init__, metrics.TestSetMatrix.from_frame

    def counting(live: metrics.LiveConfusion, m: metrics.TestSetMatrix) -> None:
        lives.append(m)
        real_live(live, m)

    def building(ts: pd.DataFrame) -> metrics.TestSetMatrix:
        builds.append(len(ts))
        return real_build(ts)

    monkeypatch.setattr(metrics.LiveConfusion, "__init__", counting)
    monkeypatch.setattr(metrics.TestSetMatrix, "from_frame", building)
    view = ConfusionMatrixView(test_set=test_set, threshold=0.4)
    assert lives == []
    assert builds == []
    assert view._widget is None
    assert view.test_set is test_set
    _ = view.figure_
    assert len(lives) == 1
    assert view.matrix_.equals(metrics.confusion_matrix(test_set, threshold=0.4))
    _ = view.figure_, view.matrix_, view.frame_
    view.set(normalize="true", order="name")
    _ = view.figure_
    view.set(threshold=0.6)
    assert view.matrix_.equals(metrics.confusion_matrix(test_set, threshold=0.6))
    assert len(lives) == 1  # the live counts are built once and moved
    assert builds == [len(test_set)]  # the frame is turned into a matrix once


def test_threshold_slider_recomputes_with_metrics(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView.from_frames(test_set=test_set)
    widget = view.widget_
    slider = next(w for w in widget.children[0].children if "clarinb-threshold" in w._dom_classes)
    slider.value = 0.7
    assert view.threshold == 0.7
    expected = metrics.confusion_matrix(test_set, threshold=0.7)
    live = view._heat.data[0]
    assert list(live.x)[-1] == "(none)"
    for actual in ["c000", "c003"]:
        for predicted in ["c000", "c003", "(none)"]:
            got = live.z[list(live.y).index(actual)][list(live.x).index(predicted)]
            assert got == expected.loc[actual, predicted]
    assert expected["(none)"].sum() > 0
    slider.value = 0.0
    assert view.threshold is None
    assert "(none)" not in list(view._heat.data[0].x)
    assert view.widget_ is widget


def test_order_and_top_n(test_set: pd.DataFrame, names: dict[str, str]) -> None:
    view = ConfusionMatrixView(test_set=test_set, concept_names=names, order="name")
    ticks = list(view.figure_.layout.yaxis.ticktext)
    assert ticks == sorted(ticks)
    view.set(order="error")
    m = metrics.confusion_matrix(test_set)
    err = 1 - np.diag(m.to_numpy()) / m.sum(axis=1).to_numpy()
    assert next(iter(view.figure_.data[0].y)) == m.index[int(err.argmax())]
    view.set(top_n=1)
    off = m.to_numpy().copy()
    np.fill_diagonal(off, 0)
    r, c = np.unravel_index(off.argmax(), off.shape)
    assert set(view.figure_.data[0].y) == {m.index[r], m.columns[c]}
    assert "largest confusion" in view.figure_.layout.title.text
    view.set(top_n=None)
    assert len(view.figure_.data[0].y) == len(m)


def test_order_helpers() -> None:
    m = np.array([[9, 0, 4, 0], [0, 9, 0, 3], [4, 0, 9, 0], [0, 3, 0, 9]])
    order = cluster_order(m).tolist()
    assert sorted(order) == [0, 1, 2, 3]
    assert abs(order.index(0) - order.index(2)) == 1
    assert abs(order.index(1) - order.index(3)) == 1
    assert concept_order(m, ["d", "c", "b", "a"], "name").tolist() == [3, 2, 1, 0]
    assert top_confused(m, 1).tolist() == [0, 2]
    with pytest.raises(InvalidArgumentError):
        concept_order(m, list("abcd"), "random")


def test_cell_setting_lists_the_inputs_of_the_cell(test_set: pd.DataFrame) -> None:
    fetched: list[str] = []

    def fetch(input_id: str) -> bytes:
        fetched.append(input_id)
        return b"\x89PNG\r\n\x1a\n"

    view = ConfusionMatrixView(test_set=test_set, threshold=0.6, thumbnails=fetch)
    assert view.cell is None
    assert view.cell_inputs_ is None
    expected = metrics.confusion_matrix(test_set, threshold=0.6)
    _ = view.widget_
    for actual, predicted in [("c001", "c001"), ("c001", "c004"), ("c002", "(none)")]:
        inputs = view.set(cell=(actual, predicted)).cell_inputs_
        assert view.cell == (actual, predicted)
        assert len(inputs) == expected.loc[actual, predicted]
        if predicted != "(none)":
            assert (inputs["predicted"] == predicted).all()
            assert (inputs["top_score"] >= 0.6).all()
    title = view._inputs.children[0].value
    assert f"{len(inputs)} input" in title
    images = [w for w in view._inputs.children[1].children if w.children]
    assert fetched
    assert len(images) == min(len(inputs), 24)
    # a new threshold recounts the chosen cell
    view.set(cell=("c001", "c001"), threshold=0.9)
    again = int(metrics.confusion_matrix(test_set, threshold=0.9).loc["c001", "c001"])
    assert len(view.cell_inputs_) == again
    assert view._inputs.children[0].value.endswith(f"{again} input{'s' * (again != 1)}")
    view.set(cell=None)
    assert view.cell_inputs_ is None
    assert view._inputs.children == ()


def test_click_on_heatmap_sets_the_cell(test_set: pd.DataFrame) -> None:
    from plotly.callbacks import Points

    view = ConfusionMatrixView(test_set=test_set)
    heat = view.widget_.children[1]
    # what plotly's FigureWidget does when the browser reports a click on the trace
    heat.data[0]._dispatch_on_click(Points([0], ["c006"], ["c005"], "", 0), None)
    assert view.cell == ("c005", "c006")
    expected = int(metrics.confusion_matrix(test_set).loc["c005", "c006"])
    assert expected > 0
    assert view._inputs.children[0].value.endswith(f"{expected} inputs")
    # the callback survives a redraw (traces are updated in place)
    view.set(normalize="true")
    assert view.widget_.children[1] is heat
    heat.data[0]._dispatch_on_click(Points([0], ["c005"], ["c005"], "", 0), None)
    diagonal = int(metrics.confusion_matrix(test_set).loc["c005", "c005"])
    assert view._inputs.children[0].value.endswith(f"{diagonal} inputs")


def test_bad_arguments(test_set: pd.DataFrame) -> None:
    m = metrics.confusion_matrix(test_set)
    with pytest.raises(InvalidArgumentError, match="normalize"):
        ConfusionMatrixView(matrix=m, normalize="rows")
    with pytest.raises(InvalidArgumentError, match="order"):
        ConfusionMatrixView(matrix=m, order="size")
    with pytest.raises(InvalidArgumentError, match="top_n"):
        ConfusionMatrixView(matrix=m, top_n=0)
    with pytest.raises(InvalidArgumentError, match="test set"):
        ConfusionMatrixView(matrix=m, threshold=0.5)
    with pytest.raises(InvalidArgumentError, match="test set"):
        ConfusionMatrixView(matrix=m).set(cell=("c000", "c001"))
    with pytest.raises(InvalidArgumentError, match="test set"):
        ConfusionMatrixView(matrix=m).set(threshold=0.5)
    with pytest.raises(InvalidArgumentError):
        ConfusionMatrixView()
    with pytest.raises(TypeError):
        ConfusionMatrixView(m)  # type: ignore[misc]


def test_set_checks_every_change_before_applying_any(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set)
    before = view.figure_.to_plotly_json()
    for bad in (
        {"normalize": "true", "order": "size"},
        {"threshold": 0.5, "top_n": -1},
        {"order": "name", "cell": ("c000",)},
        {"cell": ("c000", "zebra")},
        {"cell": ("zebra", "c000")},
        {"threshold": 2.0},
        {"normalize": {}},
    ):
        with pytest.raises(InvalidArgumentError):
            view.set(**bad)
    assert (view.normalize, view.order, view.threshold, view.cell) == (None, "body", None, None)
    assert view.figure_.to_plotly_json() == before


def test_large_matrix_defaults_to_top_confusions() -> None:
    rng = np.random.default_rng(1)
    ids = [f"k{i}" for i in range(300)]
    m = pd.DataFrame(rng.poisson(0.2, (300, 300)) + 30 * np.eye(300, dtype=int), ids, ids)
    view = ConfusionMatrixView(matrix=m, order="cluster")
    shown = view.figure_.data[0]
    assert view.top_n == "auto"
    assert "the 40 largest confusions" in view.figure_.layout.title.text
    assert len(shown.y) <= 80
    assert len(shown.y) == len(set(shown.y))
    top = view.widget_.children[0].children[2]
    assert top.value == 40


def test_frame_is_the_drawn_cells(test_set: pd.DataFrame, names: dict[str, str]) -> None:
    view = ConfusionMatrixView(
        test_set=test_set, threshold=0.5, normalize="true", concept_names=names
    )
    frame = view.frame_
    counts = metrics.confusion_matrix(test_set, threshold=0.5)
    assert list(frame.columns) == [
        "actual",
        "predicted",
        "actual_name",
        "predicted_name",
        "count",
        "value",
        "share_of_actual",
        "share_of_predicted",
    ]
    assert len(frame) == counts.shape[0] * counts.shape[1]
    got = frame.set_index(["actual", "predicted"])
    assert got.loc[("c001", "(none)"), "count"] == counts.loc["c001", "(none)"]
    assert got.loc[("c001", "c002"), "count"] == counts.loc["c001", "c002"]
    assert got.loc[("c001", "c002"), "actual_name"] == names["c001"]
    rates = frames.matrices.normalize_matrix(counts, "true")
    assert got.loc[("c003", "c003"), "value"] == pytest.approx(rates.loc["c003", "c003"])
    assert np.allclose(frame.groupby("actual")["share_of_actual"].sum(), 1.0)


def test_programmatic_set_moves_the_controls(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set)
    view.widget_  # noqa: B018 - built
    controls = view._ui.controls
    normalize, order, top = (controls[k] for k in ("normalize", "order", "top_n"))
    slider = controls["threshold"]
    view.set(normalize="pred", order="cluster", top_n=10, threshold=0.35)
    assert (normalize.value, order.value, top.value) == ("pred", "cluster", 10)
    assert slider.value == pytest.approx(0.35)
    assert "(none)" in list(view._heat.data[0].x)


def test_dark_theme_and_html(tmp_path, test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set, theme="dark")
    assert view.figure_.layout.template.layout.paper_bgcolor not in (None, "white")
    path = view.to_html(tmp_path / "cm.html")
    text = path.read_text()
    assert "<script src=" not in text  # plotly.js inlined, nothing fetched
    assert text.count("Plotly.newPlot") >= 1
    assert '"type":"heatmap"' in text.replace(" ", "")
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_demo_evaluation_threshold_and_drilldown(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = ConfusionMatrixView.from_evaluation(ev)
    ts = ev.test_set()
    assert view.test_set is not None
    names = ev.concepts
    assert set(view.figure_.layout.yaxis.ticktext) <= set(names.values())
    view.widget_  # noqa: B018
    view.set(threshold=0.6)
    expected = metrics.confusion_matrix(ts, threshold=0.6)
    live = view._heat.data[0]
    actual = str(expected.index[0])
    for predicted in [actual, "(none)"]:
        got = live.z[list(live.y).index(actual)][list(live.x).index(predicted)]
        assert got == expected.loc[actual, predicted]
    # the inputs behind a cell, with thumbnails downloaded with the client's auth
    off = expected.drop(columns="(none)").to_numpy().copy()
    np.fill_diagonal(off, 0)
    r, c = np.unravel_index(off.argmax(), off.shape)
    a, p = str(expected.index[r]), str(expected.columns[c])
    inputs = view.set(cell=(a, p)).cell_inputs_
    assert len(inputs) == expected.loc[a, p] > 0
    images = [w for box in view._inputs.children[1].children for w in box.children
              if type(w).__name__ == "Image"]  # fmt: skip
    assert images
    assert images[0].value[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")


def _body(**parts: object) -> dict[str, object]:
    return {
        "id": "ev1",
        "status": {"code": 21300},
        "model": {"id": "m", "model_type_id": "visual-classifier"},
        **parts,
    }


def test_from_evaluation_takes_a_body_or_a_read_model() -> None:
    cm = {
        "matrix": [
            {"actual": "cat", "predicted": "cat", "value": 3},
            {"actual": "cat", "predicted": "dog", "value": 1},
            {"actual": "dog", "predicted": "dog", "value": 4},
        ],
        "concept_ids": ["cat", "dog"],
    }
    for source in (_body(confusion_matrix=cm), Evaluation.from_dict(_body(confusion_matrix=cm))):
        view = ConfusionMatrixView.from_evaluation(source)
        assert view.test_set is None
        assert view.thumbnails is None
        assert view.figure_.data[0].z.tolist() == [[3, 1], [0, 4]]
    with pytest.raises(InvalidArgumentError, match="Evaluation"):
        ConfusionMatrixView.from_evaluation("ev1")  # type: ignore[arg-type]


def test_widget_dropdowns_redraw(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set)
    view.widget_  # noqa: B018 - built
    normalize, order, top = (view._ui.controls[k] for k in ("normalize", "order", "top_n"))
    assert (normalize.label, top.label) == ("counts", "all")
    normalize.value = "true"
    assert view.normalize == "true"
    rows = np.asarray(view._heat.data[0].z).sum(axis=1)
    assert np.allclose(rows, 1.0)
    top.value = 10
    assert view.top_n == 10
    m = metrics.confusion_matrix(test_set)
    kept = {str(m.index[i]) for i in top_confused(m.to_numpy(), 10)}
    assert set(view._heat.data[0].y) == kept
    order.value = "name"
    assert list(view._heat.data[0].y) == sorted(view._heat.data[0].y)
    normalize.value = "none"
    assert view.normalize is None
    assert float(np.asarray(view._heat.data[0].z).max()) > 1


def test_rate_matrices_from_the_body_are_labelled_as_rates() -> None:
    rates = pd.DataFrame([[0.9, 0.1], [0.25, 0.75]], index=["a", "b"], columns=["a", "b"])
    assert ConfusionMatrixView(matrix=rates).figure_.data[0].text[0] == ["0.90", "0.10"]
    counts = pd.DataFrame([[9, 1], [2, 6]], index=["a", "b"], columns=["a", "b"])
    assert ConfusionMatrixView(matrix=counts).figure_.data[0].text[0] == ["9", "1"]


def test_cluster_order_without_scipy_groups_confusable_concepts() -> None:
    from clarinb.metrics.order import _greedy_chain, _similarity

    m = np.array([[9, 0, 4, 0], [0, 9, 0, 3], [4, 0, 9, 0], [0, 3, 0, 9]])
    order = _greedy_chain(_similarity(m)).tolist()
    assert sorted(order) == [0, 1, 2, 3]
    assert abs(order.index(0) - order.index(2)) == 1
    assert abs(order.index(1) - order.index(3)) == 1
