from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import CurvesView


def _by_name(fig, prefix: str):
    return [t for t in fig.data if (t.name or "").startswith(prefix)]


def test_legend_shows_auc_and_ap(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection="all")
    rows = test_set[test_set["concept_id"] == "c003"]
    auc = roc_auc_score(rows["ground_truth"], rows["score"])
    ap = average_precision_score(rows["ground_truth"], rows["score"])
    assert _by_name(view.roc_figure_, "c003")[0].name == f"c003 (AUC {auc:.3f})"
    assert _by_name(view.pr_figure_, "c003")[0].name == f"c003 (AP {ap:.3f})"
    assert view.roc_figure_.data[1].type == "scattergl"
    # the side-by-side figure holds both, each with its own legend
    assert {t.legend or "legend" for t in view.figure_.data} == {"legend", "legend2"}


def test_selection_top_and_bottom_by_auc(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection="all")
    auc = metrics.scores(test_set).set_index("concept_id")["roc_auc"]
    view.set(selection="top", k=3)
    drawn = [t.name.split(" ")[0] for t in view.roc_figure_.data if "AUC" in t.name]
    drawn = [n for n in drawn if n != "macro"]
    assert set(drawn) == set(auc.sort_values(ascending=False).index[:3].astype(str))
    view.set(selection="bottom", k=2)
    assert view.selected_ == list(auc.sort_values().index[:2].astype(str))
    view.set(selection=["c001"])
    assert [t.name for t in view.roc_figure_.data if t.name.startswith("c0")] == [
        view.roc_figure_.data[1].name
    ]
    with pytest.raises(InvalidArgumentError):
        view.set(selection=["nope"])
    assert view.selection == ["c001"]  # a refused change changes nothing


def test_operating_point_follows_the_threshold(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection=["c002"], threshold=0.5)
    _ = view.widget_
    roc_live, pr_live = view._live
    view.set(threshold=0.7)
    expected = metrics.at_threshold(test_set, 0.7).set_index("concept_id").loc["c002"]
    op = roc_live.data[-1]
    assert op.name == "threshold 0.70"
    negatives = expected["fp"] + expected["tn"]
    assert op.x[0] == pytest.approx(expected["fp"] / negatives)
    assert op.y[0] == pytest.approx(expected["recall"])
    assert pr_live.data[-1].y[0] == pytest.approx(expected["precision"])
    # hover data: threshold, precision, recall, FPR, then the counts
    assert op.customdata[0][0] >= 0.7
    assert list(op.customdata[0][1:4]) == pytest.approx(
        [expected["precision"], expected["recall"], expected["fp"] / negatives]
    )
    tp, fp, fn = (int(expected[k]) for k in ("tp", "fp", "fn"))
    assert op.customdata[0][4] == f"TP {tp} · FP {fp} · FN {fn}"


def test_averages_and_iso_f1(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set)
    micro = _by_name(view.roc_figure_, "micro")[0]
    pooled_auc = roc_auc_score(test_set["ground_truth"], test_set["score"])
    assert np.trapezoid(micro.y, micro.x) == pytest.approx(pooled_auc, abs=0.01)
    macro = _by_name(view.roc_figure_, "macro")[0]
    assert f"{metrics.scores(test_set)['roc_auc'].mean():.3f}" in macro.name
    iso = _by_name(view.pr_figure_, "iso-F1")
    assert len(iso) == 4
    r, p = np.asarray(iso[1].x), np.asarray(iso[1].y)
    assert np.allclose(2 * p * r / (p + r), 0.4)


def test_from_body_curves_without_test_set() -> None:
    roc = pd.DataFrame(
        {"concept_id": ["a"] * 3, "threshold": [0.9, 0.5, 0.1], "fpr": [0, 0.2, 1.0],
         "tpr": [0.3, 0.8, 1.0]}
    )  # fmt: skip
    pr = pd.DataFrame(
        {"concept_id": ["a"] * 3, "threshold": [0.9, 0.5, 0.1], "precision": [1.0, 0.8, 0.5],
         "recall": [0.3, 0.8, 1.0]}
    )  # fmt: skip
    bm = pd.DataFrame({"concept_id": ["a"], "roc_auc": [0.77], "avg_precision": [0.66],
                       "num_pos": [10], "num_neg": [10]})  # fmt: skip
    view = CurvesView.from_frames(roc=roc, pr=pr, binary_metrics=bm, threshold=0.4)
    assert _by_name(view.roc_figure_, "a ")[0].name == "a (AUC 0.770)"
    op = view.roc_figure_.data[-1]
    assert (op.x[0], op.y[0]) == (0.2, 0.8)
    assert op.customdata[0][1] == 0.8


def test_many_concepts_collapse_into_one_webgl_trace() -> None:
    from tests.views.conftest import synthetic_test_set

    ts = synthetic_test_set(n_concepts=60, n_inputs=120, seed=3)
    view = CurvesView.from_frames(test_set=ts, selection="all")
    concept_traces = _by_name(view.roc_figure_, "60 concepts")
    assert len(concept_traces) == 1
    assert concept_traces[0].type == "scattergl"
    assert np.isnan(np.asarray(concept_traces[0].x, dtype=float)).sum() == 60
    assert view.selection == "all"
    assert CurvesView.from_frames(test_set=ts).selection == "bottom"


def test_demo_evaluation_body_curves_and_test_set(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = CurvesView.from_evaluation(ev, selection="all", threshold=0.5)
    body = ev.binary_metrics().set_index("concept_id")
    concept = str(body.index[0])
    name = ev.concepts.get(concept, concept)
    legend = [t.name for t in view.roc_figure_.data if t.name.startswith(f"{name} (AUC")]
    (shown,) = legend  # the service's AUC, with the interval drawn from the test set
    assert shown.startswith(f"{name} (AUC {body.loc[concept, 'roc_auc']:.3f} [")
    expected = metrics.at_threshold(ev.test_set(), 0.3).set_index("concept_id")
    _ = view.widget_
    view.set(threshold=0.3)
    op = view._live[1].data[-1]
    names = list(op.text)
    assert op.y[names.index(name)] == pytest.approx(expected.loc[concept, "precision"])


def test_widget_selection_controls(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection="all")
    bar, picker, _tabs = view.widget_.children
    show, k, _slider = bar.children
    k.value = 5
    show.value = "top"
    auc = metrics.scores(test_set).sort_values("roc_auc", ascending=False)
    assert list(picker.value) == [str(c) for c in auc["concept_id"].head(5)]
    assert picker.disabled
    show.value = "custom"
    assert not picker.disabled
    picker.value = ("c000", "c004")
    roc_live = view._live[0]
    drawn = [t.name.split(" ")[0] for t in roc_live.data if t.name.startswith("c0")]
    assert drawn == ["c000", "c004"]


def test_frame_holds_the_drawn_points(test_set: pd.DataFrame, names: dict[str, str]) -> None:
    view = CurvesView(test_set=test_set, selection=["c001", "c003"], concept_names=names)
    frame = view.frame_
    concepts = frame[frame["line"] == "concept"]
    assert set(concepts["concept_id"]) == {"c001", "c003"}
    assert set(concepts["concept_name"]) == {names["c001"], names["c003"]}
    assert set(frame["line"]) == {"concept", "micro average", "macro average", "operating point"}
    drawn = next(t for t in view.roc_figure_.data if t.name.startswith(names["c001"]))
    c001 = concepts[concepts["concept_id"] == "c001"].dropna(subset=["fpr", "tpr"])
    assert np.allclose(drawn.x, c001["fpr"])
    assert np.allclose(drawn.y, c001["tpr"])
    view.set(averages=False, threshold=None)
    assert set(view.frame_["line"]) == {"concept"}
    assert not _by_name(view.roc_figure_, "micro")


def test_threshold_moves_only_the_markers(test_set: pd.DataFrame) -> None:
    view = CurvesView(test_set=test_set)
    roc_live, _ = view.widget_.children[2].children
    curve = roc_live.data[1]
    before = list(curve.x)
    view.set(threshold=0.2)
    assert roc_live.data[1] is curve
    assert list(curve.x) == before
    assert roc_live.data[-1].name == "threshold 0.20"
    assert view.figure_.data[-1].name == "threshold 0.20"


def test_from_evaluation_takes_a_read_model_or_a_body(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    body = ev.raw
    view = CurvesView.from_evaluation(body, selection="all")
    assert len(view.concept_ids) == len(ev.binary_metrics())
    with pytest.raises(InvalidArgumentError, match=r"evaluation must be a clarinb\.Evaluation"):
        CurvesView.from_evaluation(42)  # type: ignore[arg-type]


def test_controls_do_not_import_the_view() -> None:
    import clarinb.views._curves_controls as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "clarinb.views.curves" not in source
