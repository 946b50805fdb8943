"""The evaluation explorer on the demo workspace: what it opens, builds, shares and refuses."""

from __future__ import annotations

import pytest

from clarinb.apps import EvaluationExplorer
from clarinb.errors import InvalidArgumentError, TransportError


@pytest.fixture(scope="module")
def explorer(demo_client) -> EvaluationExplorer:
    return EvaluationExplorer(demo_client)


def test_opens_on_an_evaluated_single_label_classifier(explorer) -> None:
    # the listing puts the failed evaluation and the multi-label tagger first
    assert explorer.evaluation_.id == "animals-large-on-v2"
    assert explorer.kind_ == "single-label"
    assert "single-label" in explorer._status.value
    assert explorer._evaluation.value == "animals-large-on-v2"


def test_only_the_first_tab_is_built_until_another_is_opened(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    built = [title for title, children in view.tab_contents_.items() if children]
    assert built == ["Summary"]
    assert view.views_ == {}
    view.set(tab="Confusion")
    assert set(view.views_) == {"Confusion"}
    view._tabs.selected_index = view._titles.index("Curves")  # what clicking the tab does
    assert set(view.views_) == {"Confusion", "Curves"}


def test_one_threshold_for_every_tab(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-mobile-on-v2", threshold=0.3)
    for tab in ("Confusion", "Curves", "Thresholds", "Mistakes", "Test set"):
        view.set(tab=tab)
    assert {v.threshold for v in view.views_.values()} == {0.3}
    view.set(threshold=0.8)
    assert view._slider.value == 0.8
    assert {v.threshold for v in view.views_.values()} == {0.8}
    assert "threshold 0.80" in view._panels["Test set"].heading.value
    assert "macro F1 at 0.80" in view._summary.value
    view._slider.value = 0.6  # moving the explorer's slider
    assert {v.threshold for v in view.views_.values()} == {0.6}


def test_picking_a_model_opens_its_evaluated_evaluation(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    view._model.value = "animals-large"
    assert view.evaluation_.id == "animals-large-on-v2"
    labels = [label for label, _ in view._evaluation.options]
    assert labels[0] == "animals-large · v2 · evaluated"
    assert labels[1].startswith("animals-large · ")
    assert labels[1].endswith(" · failed")
    assert max(map(len, labels)) <= 40  # readable in the dropdown, no "… · MODEL_E…"
    # the full text is the dropdown's tooltip
    assert "animals-large-on-v2" in view._evaluation.tooltip
    assert "MODEL_EVALUATED" in view._evaluation.tooltip
    view._evaluation.value = "animals-large-on-new-uploads"
    assert "MODEL_EVALUATION_NEED_LABELS" in view._evaluation.tooltip


def test_a_failed_evaluation_is_said_once(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-large-on-new-uploads")
    assert view.evaluation_.is_failed
    assert "failed" in view._status.value
    assert "MODEL_EVALUATION_NEED_LABELS" in view._status.value
    assert list(view.tab_contents_) == ["About"]
    assert "Model evaluation requires labeled inputs" in view.tab_contents_["About"][0].value
    assert view.kind_ is None


def test_each_kind_gets_its_tabs(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="scene-tagger-on-v2")
    assert view.kind_ == "multi-label"
    view.set(evaluation_id="animals-detector-on-v2")
    assert view.kind_ == "detector"
    assert view._titles == ("Summary", "Detection metrics", "Boxes")
    view.set(tab="Detection metrics")
    assert type(view.views_["Detection metrics"]).__name__ == "DetectionMetricsView"


def test_a_multi_label_evaluation_gets_the_multi_label_confusion(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="scene-tagger-on-v2")
    view.set(tab="Confusion")
    shown = view.views_["Confusion"]
    assert type(shown).__name__ == "MultiLabelConfusionView"
    assert shown.threshold == view.threshold
    view.set(threshold=0.8)
    assert shown.threshold == 0.8
    view.set(evaluation_id="animals-base-on-v2", tab="Confusion")
    assert type(view.views_["Confusion"]).__name__ == "ConfusionMatrixView"


def test_test_set_tab_puts_the_surest_mistakes_first(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-large-on-v2")
    view.set(tab="Test set")
    panel = view._panels["Test set"]
    shown = panel.shown()
    assert not shown["correct"].any()
    assert shown["top_score"].is_monotonic_decreasing
    assert "118 wrong at threshold 0.50" in panel.heading.value
    panel.outcome.value = "correct"
    assert panel.shown()["correct"].all()
    panel.scores.value = (0.999, 1.0)
    panel.outcome.value = "wrong"
    assert "No input matches" in panel.rows.children[0].value or len(panel.shown())


def test_a_network_error_is_a_message(demo_client, monkeypatch) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")

    def gone(evaluation_id):
        raise TransportError("connection refused")

    monkeypatch.setattr(demo_client, "evaluation", gone)
    view.set(evaluation_id="animals-mobile-on-v2")
    assert "TransportError: connection refused" in view._status.value
    assert "Traceback" not in view._status.value


def test_one_evaluation_without_a_client(demo_client, tmp_path) -> None:
    ev = demo_client.evaluation("animals-base-on-v2")
    view = EvaluationExplorer.from_evaluation(ev, threshold=0.4)
    assert view.widget_.children[0].layout.display == "none"
    view.set(tab="Confusion")
    text = view.to_html(tmp_path / "explorer.html").read_text()
    assert text.count("Plotly.newPlot") >= 2
    with pytest.raises(InvalidArgumentError, match="has no client"):
        view.set(evaluation_id="animals-large-on-v2")


@pytest.mark.parametrize(
    "bad", [{"threshold": 2}, {"tab": "Nope"}, {"evaluation_id": "no-such"}, {"colour": 1}]
)
def test_bad_settings_are_typed_errors(explorer, bad) -> None:
    with pytest.raises(InvalidArgumentError):
        explorer.set(**bad)


def test_bad_client_is_a_typed_error() -> None:
    with pytest.raises(InvalidArgumentError, match="client"):
        EvaluationExplorer(object())


def test_slices_tab_finds_the_night_shots(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-mobile-on-v2")
    view.set(tab="Slices")
    panel = view._panels["Slices"]
    options = dict(panel.by.options)
    night = next(v for k, v in options.items() if k.startswith("night (scene-tagger)"))
    assert "metadata:source" in options.values()
    panel.by.value = night
    worst = view.views_["Slices"].frame_.iloc[0]
    assert (worst["slice"], bool(worst["differs"])) == ("night", True)


def test_a_mistake_opens_its_confusion_cell(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-mobile-on-v2")
    view.set(tab="Mistakes")
    mistakes = view.views_["Mistakes"]
    wrong = mistakes.mistakes_.iloc[0]
    mistakes.set(selection=[wrong["input_id"]])
    actual, predicted = mistakes.drilldown_
    assert actual == wrong["truth"]
    button = view.tab_contents_["Mistakes"][0]
    assert button.description == "Show in the confusion matrix"
    button.click()
    assert view._tabs.selected_index == view._titles.index("Confusion")
    confusion = view.views_["Confusion"]
    assert confusion.cell == (actual, predicted)
    assert wrong["input_id"] in set(confusion.cell_inputs_["input_id"])


def test_tagging_for_review_previews_then_writes_only_when_confirmed(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2")
    view.set(tab="Mistakes")
    mistakes = view.views_["Mistakes"]
    panel = view.tab_contents_["Mistakes"][-1]
    button, confirm_box, preview = panel.children
    picked = mistakes.mistakes_["input_id"].head(2).tolist()
    mistakes.set(selection=picked)

    def tags() -> dict[str, object]:
        inputs = demo_client.inputs().set_index("id")
        return {i: (inputs.loc[i, "metadata"] or {}).get("clarinb") for i in picked}

    before = tags()
    button.click()
    assert "Preview (nothing written yet)" in preview.value
    assert confirm_box.layout.display == "flex"
    assert tags() == before  # the preview wrote nothing
    confirm_box.children[2].click()  # Cancel
    assert tags() == before
    button.click()
    confirm_box.children[1].click()  # Confirm
    assert "Tagged 2 input(s)" in preview.value
    assert all(tag == {"review": "suspected-label-error"} for tag in tags().values())


def test_compare_tab_says_which_model_is_really_better(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-base-on-v2", threshold=0.4)
    view.set(tab="Compare")
    compare = view.views_["Compare"]
    assert type(compare).__name__ == "CompareView"
    assert compare.baseline == "animals-base"
    labels = set(compare.labels)
    assert labels == {"animals-base", "animals-large", "animals-mobile"}  # not the tagger
    assert "animals-large beats animals-base" in compare.verdict_
    view.set(threshold=0.6)
    assert compare.threshold == 0.6


def test_the_boxes_tab_opens_at_the_explorers_threshold(demo_client) -> None:
    view = EvaluationExplorer(demo_client, evaluation_id="animals-detector-on-v2")
    view.set(threshold=0.3)
    view.set(tab="Boxes")
    assert view.views_["Boxes"].threshold == 0.3
