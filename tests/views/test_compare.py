from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import CompareView
from tests.views.conftest import synthetic_test_set


def _frames(seed: int):
    ts = synthetic_test_set(seed=seed)
    per = metrics.scores(ts).merge(metrics.at_threshold(ts, 0.5)[["concept_id", "f1"]])
    return per, metrics.curves(ts), metrics.confusion_matrix(ts)


@pytest.fixture
def three():
    return {f"m{i}": _frames(seed) for i, seed in enumerate((0, 5, 9))}


def _view(three, **kwargs) -> CompareView:
    return CompareView.from_frames(
        per_concept={k: v[0] for k, v in three.items()},
        curves={k: v[1] for k, v in three.items()},
        matrices={k: v[2] for k, v in three.items()},
        dataset_versions=dict.fromkeys(three, "dv1"),
        **kwargs,
    )


def test_deltas_sorted_and_correct(three) -> None:
    view = _view(three)
    bars = view.figure_.data
    assert [b.name for b in bars] == ["n/a"]  # no test sets: no intervals, no verdict
    assert "no test sets" in view.figure_.layout.title.text
    a = three["m0"][0].set_index("concept_id")["roc_auc"]
    b = three["m1"][0].set_index("concept_id")["roc_auc"]
    expected = (b - a).sort_values(ascending=False)
    assert list(bars[0].customdata) == [str(c) for c in expected.index]
    assert np.allclose(bars[0].x, expected.to_numpy())
    view.set(metric="f1", baseline="m2")
    f1 = {k: v[0].set_index("concept_id")["f1"] for k, v in three.items()}
    got = dict(zip(view.figure_.data[0].customdata, view.figure_.data[0].x, strict=True))
    assert got["c003"] == pytest.approx(f1["m0"]["c003"] - f1["m2"]["c003"])


def test_summary_curves_and_confusion_difference(three) -> None:
    view = _view(three, concept="c002")
    view.set(concept="c002")
    summary = view.figures_["summary"]
    assert [t.name for t in summary.data] == ["m0", "m1", "m2"]
    auc = three["m1"][0]["roc_auc"].mean()
    assert summary.data[1].y[0] == pytest.approx(auc)
    curves = view.figures_["curves"]
    assert len(curves.data) == 6
    roc0 = three["m0"][1][0]
    assert np.allclose(curves.data[0].x, roc0[roc0["concept_id"] == "c002"]["fpr"].to_numpy())
    diff = view.figures_["confusion"].data[0]
    m0, m1 = three["m0"][2], three["m1"][2]
    rate = lambda m, a, p: m.loc[a, p] / m.loc[a].sum()  # noqa: E731
    i, j = list(diff.y).index("c001"), list(diff.x).index("c004")
    change = rate(m1, "c001", "c004") - rate(m0, "c001", "c004")
    assert diff.customdata[i][j] == pytest.approx(change)
    assert diff.z[i][j] == pytest.approx(-change)  # more confusion is worse


def test_widget_controls_redraw(three) -> None:
    view = _view(three)
    widget = view.widget_
    concept = widget.children[1].children[3]
    concept.value = "c006"
    live = view._live["curves"]
    roc1 = three["m1"][1][0]
    assert np.allclose(live.data[2].x, roc1[roc1["concept_id"] == "c006"]["fpr"].to_numpy())
    titles = widget.children[2].titles
    assert titles == ("Summary", "Per-concept deltas", "Curves", "Confusion difference")


def test_errors(three) -> None:
    per = {k: v[0] for k, v in three.items()}
    with pytest.raises(InvalidArgumentError, match="2 to 6"):
        CompareView(per_concept={"only": per["m0"]})
    with pytest.raises(InvalidArgumentError, match="dataset versions"):
        CompareView(per_concept=per, dataset_versions={"m0": "dv1", "m1": "dv2"})
    fewer = per["m1"][per["m1"]["concept_id"] != "c007"]
    with pytest.raises(InvalidArgumentError, match="intersect=True"):
        CompareView(per_concept={"a": per["m0"], "b": fewer})
    view = CompareView(per_concept={"a": per["m0"], "b": fewer}, intersect=True)
    assert "c007" not in view.concept_ids
    assert len(view.concept_ids) == 7
    with pytest.raises(InvalidArgumentError):
        CompareView(per_concept=per, metric="accuracy")
    with pytest.raises(InvalidArgumentError, match="no 'f1' column"):
        CompareView(per_concept={k: f.drop(columns="f1") for k, f in per.items()}, metric="f1")
    with pytest.raises(InvalidArgumentError, match="from_evaluations"):
        CompareView(per_concept=list(per.values()))  # type: ignore[arg-type]


def test_html(tmp_path, three) -> None:
    text = _view(three).to_html(tmp_path / "cmp.html").read_text()
    assert text.count("Plotly.newPlot") == 4
    assert "<table" in text


def test_demo_evaluations_compared(demo_classifiers) -> None:
    evs = list(demo_classifiers.values())[:3]
    view = CompareView.from_evaluations(evs)
    labels = [ev.model_id for ev in evs]
    assert view.labels == labels
    a = evs[0].binary_metrics().set_index("concept_id")["roc_auc"]
    b = evs[1].binary_metrics().set_index("concept_id")["roc_auc"]
    got = {c: x for t in view.figure_.data for c, x in zip(t.customdata, t.x, strict=True)}
    assert len(got) == len(a)
    for concept in a.index:
        assert got[str(concept)] == pytest.approx(b[concept] - a[concept])
    assert set(view.figures_) == {"summary", "deltas", "curves", "confusion"}
    assert view.verdict_.startswith(f"{labels[1]} beats {labels[0]} on ")
    assert view.mcnemar_ is not None
    assert view.mcnemar_.n_inputs > 0
    assert set(view.verdicts_) == set(labels[1:])
    with pytest.raises(InvalidArgumentError, match="2 to 6"):
        CompareView.from_evaluations(evs[:1])


def test_results_and_frame_follow_the_settings(three) -> None:
    view = _view(three)
    deltas = view.deltas_
    assert list(deltas.columns) == ["m1", "m2"]
    frame = view.frame_
    assert len(frame) == len(view.concept_ids)
    bars = view.figure_.data[0]
    assert set(frame["evaluation"]) == {"m1"}
    assert list(frame["concept_id"]) == list(bars.customdata)
    assert np.allclose(frame["delta"], bars.x)
    assert set(frame["baseline"]) == {"m0"}
    view.set(baseline="m1", metric="avg_precision")
    assert set(view.frame_["evaluation"]) == {"m0"}
    view.set(other="m2")
    assert set(view.frame_["evaluation"]) == {"m2"}
    assert set(view.frame_["metric"]) == {"avg_precision"}
    summary = view.summary_
    assert list(summary.columns) == ["m0", "m1", "m2"]
    assert summary.loc["f1", "m2"] == pytest.approx(three["m2"][0]["f1"].mean())
    with pytest.raises(InvalidArgumentError, match="Unknown concept"):
        view.set(metric="f1", concept="nope")
    assert view.metric == "avg_precision"  # nothing changed


def test_from_evaluations_refuses_what_is_not_a_read_model(demo_classifiers) -> None:
    evs = list(demo_classifiers.values())[:2]
    with pytest.raises(InvalidArgumentError, match=r"evaluations\[1\] must be"):
        CompareView.from_evaluations([evs[0], 42])
    with pytest.raises(InvalidArgumentError, match="list of 2 to 6"):
        CompareView.from_evaluations(evs[0])  # type: ignore[arg-type]
    bodies = CompareView.from_evaluations([ev.raw for ev in evs])
    assert bodies.labels == [ev.model_id for ev in evs]


def test_a_large_confusion_difference_says_which_concepts_it_draws() -> None:
    rng = np.random.default_rng(4)
    ids = [f"k{i:03d}" for i in range(75)]  # above the 60 concepts drawn whole

    def counts() -> pd.DataFrame:
        return pd.DataFrame(rng.integers(0, 20, (75, 75)), index=ids, columns=ids)

    per = {name: pd.DataFrame({"concept_id": ids, "roc_auc": rng.random(75)}) for name in "ab"}
    view = CompareView(per_concept=per, matrices={"a": counts(), "b": counts()})
    fig = view.figures_["confusion"]
    drawn = len(fig.data[0].x)
    assert 40 <= drawn < 75  # the concepts of the 40 largest changes (a cell names two)
    assert f"showing the {drawn} of 75 concepts with the largest changes" in fig.layout.title.text


def test_integer_confusion_matrices_are_checked_and_kept_without_a_copy() -> None:
    ids = ["a", "b"]
    per = {name: pd.DataFrame({"concept_id": ids, "roc_auc": [0.5, 0.6]}) for name in "ab"}
    counts = pd.DataFrame([[5, 1], [2, 7]], index=ids, columns=ids)
    view = CompareView(per_concept=per, matrices={"a": counts, "b": counts * 2})
    assert view.matrices["a"] is counts  # 5,000 x 5,000 counts are not copied to floats
    assert view.confusion_.to_numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(InvalidArgumentError, match="finite numbers >= 0"):
        CompareView(per_concept=per, matrices={"a": counts, "b": -counts})
