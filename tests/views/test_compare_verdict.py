"""CompareView's answers: paired intervals, the verdict, McNemar, beyond-noise cells, colours."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics.deltas import confusion_rate_change
from clarinb.views import CompareView
from clarinb.views._theme import COLORWAY
from tests.views.conftest import synthetic_test_set


def _improved(ts: pd.DataFrame, better: str, worse: str) -> pd.DataFrame:
    """The same model, but perfect on ``better`` and scoring ``worse`` at random."""
    out = ts.copy()
    rng = np.random.default_rng(11)
    on_better = out["concept_id"] == better
    out.loc[on_better, "score"] = np.where(out.loc[on_better, "ground_truth"], 0.99, 0.01)
    on_worse = out["concept_id"] == worse
    out.loc[on_worse, "score"] = np.round(rng.random(int(on_worse.sum())) * 0.3, 4)
    return out


def _frames(ts: pd.DataFrame) -> tuple[pd.DataFrame, tuple[pd.DataFrame, pd.DataFrame]]:
    per = metrics.scores(ts).merge(metrics.at_threshold(ts, 0.5)[["concept_id", "f1"]])
    return per, metrics.curves(ts)


def _view(sets: dict[str, pd.DataFrame], **kwargs) -> CompareView:
    return CompareView.from_frames(
        per_concept={k: _frames(ts)[0] for k, ts in sets.items()},
        curves={k: _frames(ts)[1] for k, ts in sets.items()},
        matrices={k: metrics.confusion_matrix(ts) for k, ts in sets.items()},
        test_sets=sets,
        n_resamples=300,
        **kwargs,
    )


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return synthetic_test_set(n_inputs=400, seed=4)


def test_identical_models_are_indistinguishable_on_every_concept(base) -> None:
    view = _view({"old": base, "new": base.copy()})
    comparison = view.comparison_
    assert set(comparison.concepts["verdict"]) == {"indistinguishable"}
    assert view.verdict_ == (
        "new beats old on 0 concepts, is worse on 0, indistinguishable on 8 "
        "(roc_auc, 95% paired bootstrap intervals)"
    )
    assert view.verdict_ in view.figure_.layout.title.text
    assert [t.name for t in view.figure_.data] == ["indistinguishable"]
    assert set(view.frame_["verdict"]) == {"indistinguishable"}


def test_a_planted_difference_is_found_and_coloured(base) -> None:
    view = _view({"old": base, "new": _improved(base, "c002", "c005")}, metric="avg_precision")
    marks = view.frame_.set_index("concept_id")["verdict"]
    assert marks["c002"] == "better"
    assert marks["c005"] == "worse"
    assert (marks.drop(["c002", "c005"]) == "indistinguishable").all()
    assert view.verdict_.startswith(
        "new beats old on 1 concept, is worse on 1, indistinguishable on 6"
    )
    bars = {t.name: t for t in view.figure_.data}
    assert set(bars) == {"better", "worse", "indistinguishable"}
    assert list(bars["better"].customdata) == ["c002"]
    assert bars["better"].marker.color != bars["worse"].marker.color
    frame = view.frame_.set_index("concept_id")
    better = bars["better"]
    assert better.error_x.array[0] == pytest.approx(frame.loc["c002", "delta_hi"] - better.x[0])
    assert better.error_x.arrayminus[0] == pytest.approx(
        better.x[0] - frame.loc["c002", "delta_lo"]
    )
    assert (frame["delta_lo"] <= frame["delta"]).all()
    assert (frame["delta"] <= frame["delta_hi"]).all()


def test_mcnemar_for_single_label_only(base, tmp_path) -> None:
    view = _view({"old": base, "new": _improved(base, "c002", "c005")})
    result = view.mcnemar_
    assert result is not None
    assert result.n_inputs == 400
    assert "McNemar" in view.widget_.children[0].value
    assert "McNemar" in view.figure_.layout.title.text
    page = view.to_html(tmp_path / "cmp.html").read_text()
    assert "McNemar" in page
    assert "new beats old on" in page
    multi = base.copy()
    first = multi["input_id"] == multi["input_id"].iloc[0]
    multi.loc[first, "ground_truth"] = True
    tagger = _view({"old": multi, "new": multi.copy()})
    assert tagger.mcnemar_ is None
    assert "McNemar" not in tagger.widget_.children[0].value


def test_without_test_sets_the_view_says_there_is_no_interval(base) -> None:
    per, _ = _frames(base)
    view = CompareView.from_frames(per_concept={"old": per, "new": per})
    assert view.comparison_ is None
    assert view.mcnemar_ is None
    assert "no test sets" in view.verdict_
    assert set(view.frame_["verdict"]) == {"n/a"}


def test_other_picks_the_pair(base) -> None:
    sets = {"a": base, "b": _improved(base, "c002", "c005"), "c": _improved(base, "c001", "c003")}
    view = _view(sets)
    assert view.verdict_.startswith("b beats a")
    view.set(other="c")
    assert view.verdict_.startswith("c beats a")
    assert view.frame_.set_index("concept_id").loc["c001", "verdict"] == "better"
    assert "c minus a" in view.figures_["confusion"].layout.title.text
    view.set(baseline="c")  # the other falls back to the first label that is not the baseline
    assert view.verdict_.startswith("a beats c")
    with pytest.raises(InvalidArgumentError, match="other"):
        view.set(other="c")
    with pytest.raises(InvalidArgumentError, match="other"):
        view.set(other="nobody")
    picker = [w for w in view.widget_.children[1].children if w.description == "compared with"]
    assert picker
    assert "c" not in [value for _, value in picker[0].options]
    picker[0].value = "b"
    assert view.verdict_.startswith("b beats c")
    assert view.verdict_ in view.widget_.children[0].value


def test_confusion_colours_mean_better_and_beyond_noise_hides_noise(base) -> None:
    worse = _improved(base, "c002", "c005")
    view = _view({"old": base, "new": worse})
    change = confusion_rate_change(metrics.confusion_matrix(base), metrics.confusion_matrix(worse))
    heat = view.figures_["confusion"].data[0]
    z = np.asarray(heat.z, dtype=float)
    diag = np.diag(change.to_numpy())
    assert np.allclose(np.diag(z), diag)  # more right on the diagonal: up means better
    off = ~np.eye(len(z), dtype=bool)
    assert np.allclose(z[off], -change.to_numpy()[off])  # more confusion: down means worse
    assert "better" in heat.colorbar.title.text
    assert "worse" in heat.colorbar.title.text
    noisy = np.count_nonzero(z)
    view.set(beyond_noise=True)
    shown = np.asarray(view.figures_["confusion"].data[0].z, dtype=float)
    kept = ~np.isnan(shown)
    assert 0 < kept.sum() < noisy
    i = list(change.index).index("c005")
    assert kept[i, i]  # the planted drop on c005 is real
    assert view.confusion_.isna().to_numpy().sum() == (~kept).sum()
    same = _view({"old": base, "new": base.copy()}, beyond_noise=True)
    assert np.isnan(np.asarray(same.figures_["confusion"].data[0].z, dtype=float)).all()
    with pytest.raises(InvalidArgumentError, match="beyond_noise"):
        view.set(beyond_noise="yes")


def test_one_colour_per_model_across_every_figure(base) -> None:
    sets = {"a": base, "b": _improved(base, "c002", "c005"), "c": _improved(base, "c001", "c003")}
    view = _view(sets, baseline="b")
    figures = view.figures_
    summary = {t.name: t.marker.color for t in figures["summary"].data}
    assert summary == {"a": COLORWAY[0], "b": COLORWAY[1], "c": COLORWAY[2]}
    for trace in figures["curves"].data:
        assert trace.line.color == summary[trace.name if trace.name else trace.legendgroup]
    delta_colours = {t.marker.color for t in figures["deltas"].data}
    assert not delta_colours & set(summary.values())
    view.set(baseline="c")
    again = {t.name: t.marker.color for t in view.figures_["summary"].data}
    assert again == summary


def test_widget_state_holds_no_nan(base) -> None:
    per, _ = _frames(base)
    matrix = metrics.confusion_matrix(base)
    view = CompareView.from_frames(
        per_concept={"old": per, "new": per},
        matrices={"old": matrix, "new": matrix},
        beyond_noise=True,
    )
    view.widget_  # noqa: B018
    for live in view._live.values():
        json.dumps(live.get_state(), allow_nan=False, default=lambda _: None)
    hover = [t.text for t in view.figure_.data]
    assert all("nan" not in str(text) for text in hover)


def test_macro_deltas_with_intervals_are_shown(base, tmp_path) -> None:
    view = _view({"old": base, "new": _improved(base, "c002", "c005")})
    macro = view.macro_
    assert macro is not None
    concepts = view.comparison_.concepts
    auc = concepts[concepts["metric"] == "roc_auc"]
    assert macro.loc["roc_auc", "delta"] == pytest.approx(auc["delta"].mean())
    assert macro.loc["roc_auc", "delta_lo"] <= macro.loc["roc_auc", "delta"]
    assert {"delta_lo", "delta_hi", "verdict"} <= set(macro.columns)
    summary_tab = view.widget_.children[2].children[0]
    assert "delta_lo" in summary_tab.children[0].value
    assert "Macro" in view.to_html(tmp_path / "cmp.html").read_text()
    view.set(metric="f1")  # the table follows the pair
    view.set(baseline="new")
    assert "old minus new" in summary_tab.children[0].value
    per, _ = _frames(base)
    assert CompareView.from_frames(per_concept={"a": per, "b": per}).macro_ is None
