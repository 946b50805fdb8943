from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.order import cluster_order, concept_order, top_confused
from clarinb.views import ConfusionMatrixView


def _cell(view: ConfusionMatrixView, actual: str, predicted: str) -> float:
    trace = view.figure_.data[0]
    return float(trace.z[list(trace.y).index(actual)][list(trace.x).index(predicted)])


def test_matrix_only_counts_and_normalisations() -> None:
    m = pd.DataFrame([[8, 2], [1, 3]], index=["cat", "dog"], columns=["cat", "dog"])
    view = ConfusionMatrixView(m)
    assert view.figure_.data[0].z.tolist() == [[8, 2], [1, 3]]
    view.normalize = "true"
    assert view.plot().figure_.data[0].z.tolist() == [[0.8, 0.2], [0.25, 0.75]]
    view.normalize = "pred"
    assert np.allclose(view.plot().figure_.data[0].z, [[8 / 9, 0.4], [1 / 9, 0.6]])
    view.normalize = "all"
    assert np.allclose(view.plot().figure_.data[0].z, np.array([[8, 2], [1, 3]]) / 14)
    # the hover data keeps counts and both rates whatever the colouring
    custom = np.asarray(view.figure_.data[0].customdata)
    assert custom[1, 0].tolist() == [1, 0.25, 1 / 9]


def test_threshold_slider_recomputes_with_metrics(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView.from_frames(test_set=test_set)
    widget = view.widget_
    slider = next(w for w in widget.children[0].children if "clarinb-threshold" in w._dom_classes)
    slider.value = 0.7
    expected = metrics.confusion_matrix(test_set, threshold=0.7)
    live = view._heat.data[0]
    assert list(live.x)[-1] == "(none)"
    for actual in ["c000", "c003"]:
        for predicted in ["c000", "c003", "(none)"]:
            got = live.z[list(live.y).index(actual)][list(live.x).index(predicted)]
            assert got == expected.loc[actual, predicted]
    assert expected["(none)"].sum() > 0
    slider.value = 0.0
    assert "(none)" not in list(view._heat.data[0].x)


def test_order_and_top_n(test_set: pd.DataFrame, names: dict[str, str]) -> None:
    view = ConfusionMatrixView(test_set=test_set, concept_names=names, order="name")
    ticks = list(view.figure_.layout.yaxis.ticktext)
    assert ticks == sorted(ticks)
    view.order = "error"
    m = metrics.confusion_matrix(test_set)
    err = 1 - np.diag(m.to_numpy()) / m.sum(axis=1).to_numpy()
    assert next(iter(view.plot().figure_.data[0].y)) == m.index[int(err.argmax())]
    view.top_n = 1
    off = m.to_numpy().copy()
    np.fill_diagonal(off, 0)
    r, c = np.unravel_index(off.argmax(), off.shape)
    assert set(view.plot().figure_.data[0].y) == {m.index[r], m.columns[c]}


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


def test_select_cell_lists_the_inputs_of_the_cell(test_set: pd.DataFrame) -> None:
    fetched: list[str] = []

    def fetch(input_id: str) -> bytes:
        fetched.append(input_id)
        return b"\x89PNG\r\n\x1a\n"

    view = ConfusionMatrixView(test_set=test_set, threshold=0.6, thumbnails=fetch)
    expected = metrics.confusion_matrix(test_set, threshold=0.6)
    _ = view.widget_
    for actual, predicted in [("c001", "c001"), ("c001", "c004"), ("c002", "(none)")]:
        inputs = view.select_cell(actual, predicted)
        assert len(inputs) == expected.loc[actual, predicted]
        if predicted != "(none)":
            assert (inputs["predicted"] == predicted).all()
            assert (inputs["top_score"] >= 0.6).all()
    title = view._inputs.children[0].value
    assert f"{len(inputs)} input" in title
    images = [w for w in view._inputs.children[1].children if w.children]
    assert fetched
    assert len(images) == min(len(inputs), 24)


def test_click_on_heatmap_selects_the_cell(test_set: pd.DataFrame) -> None:
    from plotly.callbacks import Points

    view = ConfusionMatrixView(test_set=test_set)
    heat = view.widget_.children[1]
    # what plotly's FigureWidget does when the browser reports a click on the trace
    heat.data[0]._dispatch_on_click(Points([0], ["c006"], ["c005"], "", 0), None)
    expected = int(metrics.confusion_matrix(test_set).loc["c005", "c006"])
    assert expected > 0
    assert view._inputs.children[0].value.endswith(f"{expected} inputs")
    # the callback survives a redraw (traces are updated in place)
    view.normalize = "true"
    view._refresh(heat)
    heat.data[0]._dispatch_on_click(Points([0], ["c005"], ["c005"], "", 0), None)
    diagonal = int(metrics.confusion_matrix(test_set).loc["c005", "c005"])
    assert view._inputs.children[0].value.endswith(f"{diagonal} inputs")


def test_bad_arguments(test_set: pd.DataFrame) -> None:
    m = metrics.confusion_matrix(test_set)
    with pytest.raises(InvalidArgumentError, match="normalize"):
        ConfusionMatrixView(m, normalize="rows")
    with pytest.raises(InvalidArgumentError, match="order"):
        ConfusionMatrixView(m, order="size")
    with pytest.raises(InvalidArgumentError, match="test set"):
        ConfusionMatrixView(m, threshold=0.5)
    with pytest.raises(InvalidArgumentError, match="test set"):
        ConfusionMatrixView(m).select_cell("c000", "c001")
    with pytest.raises(InvalidArgumentError):
        ConfusionMatrixView()


def test_large_matrix_defaults_to_top_confusions() -> None:
    rng = np.random.default_rng(1)
    ids = [f"k{i}" for i in range(300)]
    m = pd.DataFrame(rng.poisson(0.2, (300, 300)) + 30 * np.eye(300, dtype=int), ids, ids)
    view = ConfusionMatrixView(m, order="cluster")
    shown = view.figure_.data[0]
    assert view.top_n == 40
    assert len(shown.y) <= 80
    assert len(shown.y) == len(set(shown.y))


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
    view.set_threshold(0.6)
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
    inputs = view.select_cell(a, p)
    assert len(inputs) == expected.loc[a, p] > 0
    images = [w for box in view._inputs.children[1].children for w in box.children
              if type(w).__name__ == "Image"]  # fmt: skip
    assert images
    assert images[0].value[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")


def test_widget_dropdowns_redraw(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set)
    normalize, order, top, _slider = view.widget_.children[0].children
    assert (normalize.label, top.label) == ("counts", "all")
    normalize.value = "true"
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
    assert ConfusionMatrixView(rates).figure_.data[0].texttemplate == "%{z:.2f}"
    counts = pd.DataFrame([[9, 1], [2, 6]], index=["a", "b"], columns=["a", "b"])
    assert ConfusionMatrixView(counts).figure_.data[0].texttemplate == "%{z:.0f}"


def test_cluster_order_without_scipy_groups_confusable_concepts() -> None:
    from clarinb.metrics.order import _greedy_chain, _similarity

    m = np.array([[9, 0, 4, 0], [0, 9, 0, 3], [4, 0, 9, 0], [0, 3, 0, 9]])
    order = _greedy_chain(_similarity(m)).tolist()
    assert sorted(order) == [0, 1, 2, 3]
    assert abs(order.index(0) - order.index(2)) == 1
    assert abs(order.index(1) - order.index(3)) == 1
