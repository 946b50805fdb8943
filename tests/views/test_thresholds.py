from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd
import pytest

from clarinb import Evaluation, metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import threshold_live
from clarinb.views import ThresholdView


def _table_column(view: ThresholdView, heading: str) -> list[str]:
    table = view.figure_.data[0]
    position = list(table.header.values).index(heading)
    return list(table.cells.values[position])


def test_table_matches_metrics_at_threshold(test_set: pd.DataFrame) -> None:
    view = ThresholdView.from_frames(
        test_set=test_set, threshold=0.4, sort="concept", ascending=True
    )
    expected = metrics.at_threshold(test_set, 0.4)
    assert _table_column(view, "TP") == [str(v) for v in expected["tp"]]
    assert _table_column(view, "F1") == [f"{v:.3f}" for v in expected["f1"]]
    avg = metrics.averages(test_set, 0.4)
    assert f"micro P {avg.loc['micro', 'precision']:.3f}" in view.summary_


def test_constructor_only_stores(test_set: pd.DataFrame, monkeypatch) -> None:
    builds: list[int] = []
    passes: list[object] = []
    real_build = metrics.TestSetMatrix.from_frame
    real_pass = threshold_live._pass_counts

    def building(ts: pd.DataFrame) -> metrics.TestSetMatrix:
        builds.append(len(ts))
        return real_build(ts)

    def counting(m: metrics.TestSetMatrix, thr: np.ndarray, low: np.ndarray) -> dict:
        passes.append(thr)
        return real_pass(m, thr, low)

    monkeypatch.setattr(metrics.TestSetMatrix, "from_frame", building)
    monkeypatch.setattr(threshold_live, "_pass_counts", counting)
    view = ThresholdView(test_set=test_set, threshold=0.3, overrides={"c001": 0.6})
    assert builds == []
    assert passes == []
    assert view._widget is None
    assert view.test_set is test_set
    _ = view.figure_
    assert builds == [len(test_set)]
    assert len(passes) == 1
    _ = view.table_, view.frame_, view.figure_, view.summary_
    assert len(passes) == 1  # the table is kept until a setting changes
    view.set(threshold=0.7)
    assert view.table_.set_index("concept_id").loc["c000", "threshold"] == 0.7
    assert len(passes) == 2
    view.set(threshold=0.4)
    assert view.table_.set_index("concept_id").loc["c000", "threshold"] == 0.4
    assert builds == [len(test_set)]
    assert len(passes) == 2  # later tables come from the sorted scores
    assert view._live is not None
    assert view._live.is_sorted


def test_global_threshold_and_overrides_update_the_widget(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set, threshold=0.5)
    widget = view.widget_
    slider = widget.children[1]
    slider.value = 0.65
    assert view.threshold == 0.65
    assert view.thresholds_["c000"] == 0.65
    view.set(overrides={"c002": 0.2})
    chosen = {**dict.fromkeys(view.concept_ids_, 0.65), "c002": 0.2}
    expected = metrics.at_threshold(test_set, chosen)
    table = view.table_.set_index("concept_id")
    assert table.loc["c002", "fp"] == expected.set_index("concept_id").loc["c002", "fp"]
    shown = view._parts["table"].value
    assert "<b>0.200</b>" in shown
    assert "1 per-concept override" in view._parts["summary"].value
    assert json.loads(view.to_json()) == view.thresholds_
    assert view.thresholds_["c002"] == 0.2
    # through the widgets: pick a concept, set its override, then clear it
    concept, value, apply, clear = widget.children[2].children
    concept.value, value.value = "c004", 0.9
    apply.click()
    assert view.thresholds_["c004"] == 0.9
    assert view.overrides == {"c002": 0.2, "c004": 0.9}
    clear.click()
    assert view.thresholds_["c004"] == 0.65
    assert view.overrides == {"c002": 0.2}
    view.set(overrides={})
    assert set(view.thresholds_.values()) == {0.65}
    assert "override" not in view._parts["summary"].value
    assert view.widget_ is widget


def test_sorting(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set, threshold=0.5)
    f1 = view.table_["f1"].tolist()
    assert f1 == sorted(f1, reverse=True)
    view.widget_.children[3].children[0].value = "support"
    assert view.sort == "support"
    support = [int(v) for v in _table_column(view, "support")]
    assert support == sorted(support, reverse=True)
    view.set(sort="recall", ascending=True)
    recall = view.table_["recall"].tolist()
    assert recall == sorted(recall)
    assert view.widget_.children[3].children[1].value is True  # the toggle follows
    with pytest.raises(InvalidArgumentError):
        view.set(sort="accuracy")


def test_bad_input(test_set: pd.DataFrame) -> None:
    with pytest.raises(InvalidArgumentError):
        ThresholdView(test_set=test_set, threshold=1.5)
    with pytest.raises(InvalidArgumentError, match="Unknown concept"):
        ThresholdView(test_set=test_set, overrides={"zebra": 0.3})
    with pytest.raises(InvalidArgumentError, match="overrides"):
        ThresholdView(test_set=test_set, overrides={"c001": 3})
    with pytest.raises(InvalidArgumentError):
        ThresholdView(test_set={"not": "a frame"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ThresholdView(test_set)  # type: ignore[misc]


def test_set_checks_every_change_before_applying_any(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set, threshold=0.5, overrides={"c001": 0.3})
    before = view.figure_.to_plotly_json()
    for bad in (
        {"threshold": 0.7, "sort": "accuracy"},
        {"overrides": {"zebra": 0.3}, "ascending": True},
        {"overrides": {"c002": -0.1}},
        {"overrides": ["c002"]},
        {"ascending": "yes"},
        {"threshold": None},
    ):
        with pytest.raises(InvalidArgumentError):
            view.set(**bad)
    assert (view.threshold, view.overrides, view.sort, view.ascending) == (
        0.5,
        {"c001": 0.3},
        "f1",
        False,
    )
    assert view.figure_.to_plotly_json() == before


def test_frame_is_the_table(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set, threshold=0.45, sort="recall")
    frame = view.frame_
    assert len(frame) == test_set["concept_id"].nunique()
    assert {"concept_id", "concept", "threshold", "precision", "recall", "f1"} <= set(frame)
    pd.testing.assert_frame_equal(frame, view.table_)


def test_html_export_has_table_and_json(tmp_path, test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set=test_set, overrides={"c001": 0.3})
    text = view.to_html(tmp_path / "t.html").read_text()
    assert "clarinb-table" in text
    pre = text[text.index("<pre>") + 5 : text.index("</pre>")]
    assert json.loads(html.unescape(pre)) == view.thresholds_  # the JSON, escaped


def test_from_evaluation_needs_a_test_set() -> None:
    body = {"id": "ev1", "status": {"code": 21300}, "model": {"id": "m"}}
    for source in (body, Evaluation.from_dict(body)):
        with pytest.raises(InvalidArgumentError, match="no test set"):
            ThresholdView.from_evaluation(source)
    with pytest.raises(InvalidArgumentError, match="Evaluation"):
        ThresholdView.from_evaluation(None)  # type: ignore[arg-type]


def test_demo_evaluation(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = ThresholdView.from_evaluation(ev, threshold=0.4)
    concept = view.concept_ids_[0]
    view.set(overrides={concept: 0.9})
    chosen = {**dict.fromkeys(view.concept_ids_, 0.4), concept: 0.9}
    expected = metrics.at_threshold(ev.test_set(), chosen).set_index("concept_id")
    got = view.table_.set_index("concept_id")
    assert got.loc[concept, "tp"] == expected.loc[concept, "tp"]
    assert got["fn"].sum() == expected["fn"].sum()
    name = ev.concepts[concept]
    assert name in view.widget_.children[4].value
