from __future__ import annotations

import html
import json

import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import ThresholdView


def _table_column(view: ThresholdView, heading: str) -> list[str]:
    table = view.figure_.data[0]
    position = list(table.header.values).index(heading)
    return list(table.cells.values[position])


def test_table_matches_metrics_at_threshold(test_set: pd.DataFrame) -> None:
    view = ThresholdView.from_frames(test_set, threshold=0.4, sort_by="concept", ascending=True)
    expected = metrics.at_threshold(test_set, 0.4)
    assert _table_column(view, "TP") == [str(v) for v in expected["tp"]]
    assert _table_column(view, "F1") == [f"{v:.3f}" for v in expected["f1"]]
    avg = metrics.averages(test_set, 0.4)
    assert f"micro P {avg.loc['micro', 'precision']:.3f}" in view.summary()


def test_global_threshold_and_overrides_update_the_widget(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set, threshold=0.5)
    widget = view.widget_
    slider = widget.children[1]
    slider.value = 0.65
    assert view.thresholds()["c000"] == 0.65
    view.set_override("c002", 0.2)
    chosen = {**dict.fromkeys(view.concept_ids, 0.65), "c002": 0.2}
    expected = metrics.at_threshold(test_set, chosen)
    table = view.table().set_index("concept_id")
    assert table.loc["c002", "fp"] == expected.set_index("concept_id").loc["c002", "fp"]
    html = view._parts["table"].value
    assert "<b>0.200</b>" in html
    assert "1 per-concept override" in view._parts["summary"].value
    assert json.loads(view.to_json()) == view.thresholds()
    assert view.thresholds()["c002"] == 0.2
    # through the widgets: pick a concept, set its override, then clear it
    concept, value, apply, clear = widget.children[2].children
    concept.value, value.value = "c004", 0.9
    apply.click()
    assert view.thresholds()["c004"] == 0.9
    clear.click()
    assert view.thresholds()["c004"] == 0.65


def test_sorting(test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set, threshold=0.5)
    f1 = view.table()["f1"].tolist()
    assert f1 == sorted(f1, reverse=True)
    view.widget_.children[3].children[0].value = "support"
    support = [int(v) for v in _table_column(view, "support")]
    assert support == sorted(support, reverse=True)
    view.sort("recall", ascending=True)
    recall = view.table()["recall"].tolist()
    assert recall == sorted(recall)
    with pytest.raises(InvalidArgumentError):
        view.sort("accuracy")


def test_bad_input(test_set: pd.DataFrame) -> None:
    with pytest.raises(InvalidArgumentError):
        ThresholdView(test_set, threshold=1.5)
    with pytest.raises(InvalidArgumentError, match="Unknown concept"):
        ThresholdView(test_set, overrides={"zebra": 0.3})
    with pytest.raises(InvalidArgumentError):
        ThresholdView({"not": "a frame"})  # type: ignore[arg-type]


def test_html_export_has_table_and_json(tmp_path, test_set: pd.DataFrame) -> None:
    view = ThresholdView(test_set, overrides={"c001": 0.3})
    text = view.to_html(tmp_path / "t.html").read_text()
    assert "clarinb-table" in text
    pre = text[text.index("<pre>") + 5 : text.index("</pre>")]
    assert json.loads(html.unescape(pre)) == view.thresholds()  # the JSON, escaped


def test_demo_evaluation(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = ThresholdView.from_evaluation(ev, threshold=0.4)
    concept = view.concept_ids[0]
    view.set_override(concept, 0.9)
    chosen = {**dict.fromkeys(view.concept_ids, 0.4), concept: 0.9}
    expected = metrics.at_threshold(ev.test_set(), chosen).set_index("concept_id")
    got = view.table().set_index("concept_id")
    assert got.loc[concept, "tp"] == expected.loc[concept, "tp"]
    assert got["fn"].sum() == expected["fn"].sum()
    name = ev.concepts[concept]
    assert name in view._build_widget().children[4].value
