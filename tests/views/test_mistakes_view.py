"""The mistakes view: what it lists, what a click selects, what it writes."""

from __future__ import annotations

import pandas as pd
import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.metrics.mistakes import FALSE_POSITIVE, MISSED, mistakes
from clarinb.views.mistakes import MistakesView
from tests.views.conftest import synthetic_test_set


@pytest.fixture
def view() -> MistakesView:
    return MistakesView.from_frames(test_set=synthetic_test_set(seed=5), k=3, threshold=0.4)


def test_lists_the_metric_mistakes_and_filters_them(view: MistakesView) -> None:
    expected = mistakes(view.test_set, threshold=0.4, k=3)
    pd.testing.assert_frame_equal(view.mistakes_, expected)
    view.set(concept="c001", kind=MISSED)
    assert set(view.mistakes_["concept_id"]) == {"c001"}
    assert set(view.mistakes_["kind"]) == {MISSED}
    assert "missed positives of c001" in view.figure_.layout.title.text


def test_a_click_toggles_an_input_in_the_selection(view: MistakesView) -> None:
    view.set(concept="c002")
    plot = view.widget_.children[1]
    first_fp = view.mistakes_[view.mistakes_["kind"] == FALSE_POSITIVE]["input_id"].iloc[0]

    class Points:
        point_inds = (0,)
        trace_index = 0

    view._on_click(plot.data[0], Points(), None)
    assert view.selection == [first_fp]
    assert view.selection_["input_id"].tolist() == [first_fp]
    assert "c002" in view.selection_["mistakes"].iloc[0]
    view._on_click(plot.data[0], Points(), None)
    assert view.selection == []


def test_selection_writes_csv(view: MistakesView, tmp_path) -> None:
    with pytest.raises(InvalidArgumentError, match="nothing is selected"):
        view.to_csv(tmp_path / "sel.csv")
    ids = view.mistakes_["input_id"].head(2).tolist()
    written = view.set(selection=ids).to_csv(tmp_path / "sel.csv")
    assert pd.read_csv(written)["input_id"].tolist() == ids


def test_label_issues_are_joined_and_shown(tmp_path) -> None:
    ts = synthetic_test_set(seed=5)
    first = str(ts["input_id"].iloc[0])
    issues = pd.DataFrame(
        {"input_id": [first], "given_label": ["c000"], "suggested_label": ["c003"],
         "label_quality": [0.01]}
    )  # fmt: skip
    view = MistakesView.from_frames(test_set=ts, label_issues=issues, selection=[first])
    assert view.selection_.loc[0, "suggested"] == "c003"
    text = view.to_html(tmp_path / "m.html").read_text()
    assert "Likely label errors" in text
    assert "c003" in text


def test_selection_of_unknown_inputs_is_refused(view: MistakesView) -> None:
    with pytest.raises(InvalidArgumentError, match="not in the test set"):
        view.set(selection=["nope"])


def test_drilldown_names_the_confusion_cell_of_the_last_selected_input(view: MistakesView) -> None:
    from clarinb import metrics

    assert view.drilldown_ is None
    first = view.mistakes_.iloc[0]
    view.set(selection=[first["input_id"]])
    actual, predicted = view.drilldown_
    assert actual == first["truth"]
    cell = metrics.cell_inputs(view.test_set, actual, predicted, view.threshold)
    assert first["input_id"] in set(cell["input_id"])


def test_each_point_hovers_its_input_top_concept_and_truth_escaped() -> None:
    ts = pd.DataFrame(
        {
            "input_id": ["<b>in</b>"] * 2 + ["plain"] * 2,
            "concept_id": ["cat", "<i>dog</i>"] * 2,
            "score": [0.9, 0.2, 0.3, 0.8],
            "ground_truth": [False, True, True, False],
        }
    )
    view = MistakesView(test_set=ts, concept_names={"cat": "house cat"})
    hovers = {trace.name: (list(trace.x), list(trace.text)) for trace in view.figure_.data}
    fp_x, fp_text = hovers["false positives"]
    assert fp_x == ["&lt;i&gt;dog&lt;/i&gt;", "house cat"]  # by concept id
    assert fp_text == [
        "input plain<br>top: &lt;i&gt;dog&lt;/i&gt; (0.800)<br>truth: house cat",
        "input &lt;b&gt;in&lt;/b&gt;<br>top: house cat (0.900)<br>truth: &lt;i&gt;dog&lt;/i&gt;",
    ]
    miss_x, miss_text = hovers["missed positives"]
    assert miss_x == ["&lt;i&gt;dog&lt;/i&gt;", "house cat"]
    assert "<b>" not in "".join(fp_text + miss_text)


def test_from_evaluation_reads_the_shared_matrix_and_matches_the_frame(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = MistakesView.from_evaluation(ev, k=3, threshold=0.4)
    assert view.test_set is ev.test_set_matrix()  # no second conversion of the frame
    frame_view = MistakesView(test_set=ev.test_set(), k=3, threshold=0.4, concept_names=ev.concepts)
    pd.testing.assert_frame_equal(view.mistakes_, frame_view.mistakes_)
    concepts = view.widget_.children[0].children[0].options
    assert concepts == frame_view.widget_.children[0].children[0].options
    assert view.label_issues is not None
    assert set(view.label_issues["input_id"]) <= set(ev.test_set()["input_id"].astype(str))
    view.set(concept=concepts[1][1], selection=[view.mistakes_["input_id"].iloc[0]])
    assert len(view.selection_) == 1


def test_many_concepts_draw_those_with_the_surest_mistakes(monkeypatch) -> None:
    monkeypatch.setattr("clarinb.views.mistakes.FIGURE_CONCEPTS", 3)
    view = MistakesView(test_set=synthetic_test_set(n_concepts=8, seed=2), k=2, threshold=0.3)
    rows = view.mistakes_
    sure = rows["score"].where(rows["kind"] == FALSE_POSITIVE, 1 - rows["score"])
    want = set(sure.groupby(rows["concept_id"]).max().nlargest(3).index)
    figure = view.figure_
    drawn = {x for trace in figure.data for x in trace.x}
    assert drawn == want
    assert "the 3 of 8 concepts with the surest mistakes" in figure.layout.title.text
    assert len(view.mistakes_) == len(rows)  # the frame keeps every concept
    plot = view.widget_.children[1]

    class Points:
        point_inds = (0,)
        trace_index = 0

    view._on_click(plot.data[0], Points(), None)
    first = rows[(rows["kind"] == FALSE_POSITIVE) & rows["concept_id"].isin(want)]
    assert view.selection == [first["input_id"].iloc[0]]
    view.set(concept="c000")
    assert "surest mistakes" not in view.figure_.layout.title.text
