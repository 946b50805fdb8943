"""MultiLabelConfusionView: per-concept binary confusion and co-occurrence (multi-label)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.metrics import multilabel_confusion_matrix

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.matrix import TestSetMatrix
from clarinb.views import MultiLabelConfusionView
from tests.views.conftest import multi_label_test_set


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.72])
def test_binary_counts_equal_scikit_learn(threshold: float) -> None:
    ts = multi_label_test_set()
    view = MultiLabelConfusionView(test_set=ts, threshold=threshold)
    m = TestSetMatrix.from_frame(ts)
    expected = multilabel_confusion_matrix(m.labels, m.scores >= threshold)
    got = view.binary_.set_index("concept_id").loc[list(m.concepts)]
    assert got["tn"].tolist() == expected[:, 0, 0].tolist()
    assert got["fp"].tolist() == expected[:, 0, 1].tolist()
    assert got["fn"].tolist() == expected[:, 1, 0].tolist()
    assert got["tp"].tolist() == expected[:, 1, 1].tolist()
    # and the figure writes and colours the same counts
    heat = view.figure_.data[0]
    assert list(heat.x) == ["TP", "FN", "FP", "TN"]
    custom = np.asarray(heat.customdata)
    assert (
        custom[:, :, 0].tolist()
        == np.column_stack([got["tp"], got["fn"], got["fp"], got["tn"]]).tolist()
    )
    assert f"threshold: {threshold:.2f}" in heat.hovertemplate


def test_cooccurrence_counts_inputs_true_for_both() -> None:
    ts = multi_label_test_set()
    labels = TestSetMatrix.from_frame(ts).labels.astype(int)
    both = metrics.cooccurrence(ts)
    assert both.to_numpy().tolist() == (labels.T @ labels).tolist()
    assert list(both.index) == [f"tag{i}" for i in range(5)]
    view = MultiLabelConfusionView(test_set=ts)
    assert view.cooccurrence_.equals(both)
    co = view.figure_.data[1]
    assert np.asarray(co.customdata)[0, 1] == both.loc["tag0", "tag1"]


def test_settings_threshold_and_search_redraw_in_place() -> None:
    view = MultiLabelConfusionView(test_set=multi_label_test_set(), concept_names={"tag3": "Night"})
    widget = view.widget_
    before = view.binary_["tp"].sum()
    view.set(threshold=0.9)
    assert view.binary_["tp"].sum() < before
    assert "threshold 0.90" in view.figure_.layout.title.text
    view.set(search="night")
    assert list(view.figure_.data[0].y) == ["tag3"]
    assert set(view.frame_["concept"]) == {"tag3"}
    assert view.widget_ is widget
    assert view._heat is not None
    assert list(view._heat.data[0].y) == ["tag3"]
    with pytest.raises(InvalidArgumentError, match="threshold"):
        view.set(threshold=1.5, search="")
    assert view.search == "night"


def test_frame_is_tidy_and_headings_say_multi_label() -> None:
    view = MultiLabelConfusionView(test_set=multi_label_test_set(n_concepts=3))
    frame = view.frame_
    assert list(frame.columns) == [
        "panel", "concept", "concept_name", "other", "other_name", "count", "rate",
    ]  # fmt: skip
    assert set(frame["panel"]) == {"binary confusion", "co-occurrence"}
    assert len(frame) == 3 * 4 + 3 * 3
    assert "multi-label" in view.figure_.layout.title.text.lower()
    assert "multi-label" in view.title.lower()


def test_needs_a_test_set_and_checks_its_arguments() -> None:
    with pytest.raises(InvalidArgumentError, match="test set"):
        MultiLabelConfusionView(test_set=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="cooccurrence"):
        MultiLabelConfusionView(test_set=multi_label_test_set(), cooccurrence=[[1]])


def test_demo_scene_tagger(eval_demo) -> None:
    ev = eval_demo.evaluation("scene-tagger-on-v2")
    view = MultiLabelConfusionView.from_evaluation(ev, threshold=0.5)
    binary = view.binary_.set_index("concept_id")
    # night is found on most night inputs (the single-label matrix said 14 of 116)
    night = binary.loc["night"]
    assert night["tp"] + night["fn"] == 116
    assert night["tp"] > 80
    service = ev.cooccurrence_matrix()
    assert view.cooccurrence_.equals(service)
    # the service's co-occurrence is the test set's ground truth's
    assert metrics.cooccurrence(ev.test_set()).loc[service.index, service.columns].equals(service)


def test_demo_reads_the_shared_matrix_and_matches_the_frame(eval_demo) -> None:
    ev = eval_demo.evaluation("scene-tagger-on-v2")
    view = MultiLabelConfusionView.from_evaluation(ev, threshold=0.5)
    assert view.test_set is ev.test_set_matrix()  # no second conversion of the frame
    frame_view = MultiLabelConfusionView(
        test_set=ev.test_set(), threshold=0.5, cooccurrence=ev.cooccurrence_matrix()
    )
    assert view.binary_.equals(frame_view.binary_)
    assert view.frame_.equals(frame_view.frame_)
    for v in (view, frame_view):
        v.set(cell=("night", "FN"))
    assert view.cell_inputs_ is not None
    assert view.cell_inputs_.equals(frame_view.cell_inputs_)


def test_one_threshold_is_counted_without_sorting_the_scores() -> None:
    """The first figure is one pass over the matrix; the scores are sorted on the third."""
    ts = multi_label_test_set()
    view = MultiLabelConfusionView(test_set=ts, threshold=0.4)
    _ = view.figure_, view.frame_, view.binary_
    counts = view._threshold_counts()
    assert not counts.is_sorted
    for step, threshold in enumerate([0.6, 0.2, 0.7]):
        view.set(threshold=threshold)
        fresh = MultiLabelConfusionView(test_set=ts, threshold=threshold)
        assert view.binary_.equals(fresh.binary_)
        assert view.frame_.equals(fresh.frame_)
        assert counts.is_sorted == (step >= 1)


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.9])
def test_cell_inputs_are_the_inputs_counted(threshold: float) -> None:
    ts = multi_label_test_set()
    ts = ts.drop(index=[0, 7, 13])  # pairs without a row score 0
    view = MultiLabelConfusionView(test_set=ts, threshold=threshold)
    binary = view.binary_.set_index("concept_id")
    for concept in binary.index:
        for outcome in ("TP", "FN", "FP", "TN"):
            view.set(cell=(concept, outcome))
            inputs = view.cell_inputs_
            assert inputs is not None
            assert len(inputs) == binary.loc[concept, outcome.lower()], (concept, outcome)
            assert inputs["input_id"].is_unique
    with pytest.raises(InvalidArgumentError, match="outcome"):
        view.set(cell=("tag0", "XX"))
    with pytest.raises(InvalidArgumentError, match="concept"):
        view.set(cell=("zebra", "TP"))


def test_click_on_a_binary_cell_lists_its_inputs() -> None:
    view = MultiLabelConfusionView(test_set=multi_label_test_set())
    view.widget_  # noqa: B018 - built
    assert view._heat is not None
    points = SimpleNamespace(xs=["FP"], ys=["tag2"], trace_index=0)
    view._on_click(view._heat.data[0], points, None)
    assert view.cell == ("tag2", "FP")
    fp = int(view.binary_.set_index("concept_id").loc["tag2", "fp"])
    assert f"{fp} input" in view._inputs.children[0].value
    view.set(threshold=0.9)
    fp = int(view.binary_.set_index("concept_id").loc["tag2", "fp"])
    assert f"{fp} input" in view._inputs.children[0].value
    view.set(cell=None)
    assert view._inputs.children == ()


@pytest.mark.parametrize("search", ["", "7"])
def test_drawn_cooccurrence_of_many_concepts_equals_the_full_counts(search: str) -> None:
    """With more concepts than drawn, only theirs are counted, and they equal the full table."""
    rng = np.random.default_rng(3)
    labels = rng.random((300, 75)) < 0.1
    scores = np.clip(labels * 0.5 + rng.random((300, 75)) * 0.6, 0, 1)
    m = TestSetMatrix.from_arrays(scores, labels, concepts=[f"t{j}" for j in range(75)])
    alone = MultiLabelConfusionView(test_set=m, search=search)
    full = MultiLabelConfusionView(test_set=m, search=search, cooccurrence=metrics.cooccurrence(m))
    assert alone.frame_.equals(full.frame_)
    assert alone.figure_.data[1].z == full.figure_.data[1].z
    assert alone._both is None  # the full table was not built for the figure
    assert alone.cooccurrence_.equals(metrics.cooccurrence(m))
