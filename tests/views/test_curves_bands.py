"""CurvesView with bootstrap bands: a filled band behind each shown concept's ROC and PR curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import CurvesView


def _bands(fig) -> list:
    return [t for t in fig.data if t.fill == "toself"]


def _curve(fig, concept: str):
    (trace,) = [t for t in fig.data if (t.name or "").startswith(f"{concept} (")]
    return trace


def test_a_band_per_shown_concept_equals_the_frame(test_set: pd.DataFrame) -> None:
    bands = metrics.curve_bands(test_set, n_resamples=60, grid=21)
    view = CurvesView.from_frames(test_set=test_set, bands=bands, selection=["c001", "c004"])
    for fig, x, lo, hi in (
        (view.roc_figure_, "fpr", "tpr_lo", "tpr_hi"),
        (view.pr_figure_, "recall", "precision_lo", "precision_hi"),
    ):
        drawn = _bands(fig)
        assert [t.legendgroup for t in drawn] == ["c001", "c004"]
        assert "95% bootstrap band" in fig.layout.title.text
        for trace in drawn:
            rows = bands[bands["concept_id"] == trace.legendgroup]
            np.testing.assert_allclose(trace.x, np.r_[rows[x], rows[x][::-1]])
            np.testing.assert_allclose(trace.y, np.r_[rows[hi], rows[lo][::-1]])
            assert trace.hoverinfo == "skip"
            assert not trace.showlegend
            curve = _curve(fig, trace.legendgroup)
            assert curve.legendgroup == trace.legendgroup
            assert trace.fillcolor.startswith("rgba(")
            assert curve.line.color is not None
        assert fig.data.index(drawn[0]) < fig.data.index(_curve(fig, "c001"))  # behind
    shown = view.bands_
    assert set(shown["concept_id"]) == {"c001", "c004"}
    view.set(selection=["c002"])
    assert [t.legendgroup for t in _bands(view.roc_figure_)] == ["c002"]
    assert "95% bootstrap band" in view.figure_.layout.title.text


def test_no_band_without_bands(test_set: pd.DataFrame) -> None:
    view = CurvesView.from_frames(test_set=test_set, selection="all")
    assert not _bands(view.roc_figure_)
    assert not _bands(view.pr_figure_)
    assert view.bands_ is None
    assert "band" not in view.roc_figure_.layout.title.text


def test_a_concept_without_positives_gets_no_band(test_set: pd.DataFrame) -> None:
    ts = test_set.copy()
    ts["ground_truth"] = ts["ground_truth"] & (ts["concept_id"] != "c003")
    bands = metrics.curve_bands(ts, n_resamples=30, grid=11)
    view = CurvesView.from_frames(test_set=ts, bands=bands, selection=["c002", "c003"])
    assert [t.legendgroup for t in _bands(view.roc_figure_)] == ["c002"]


def test_bad_bands_are_refused(test_set: pd.DataFrame) -> None:
    with pytest.raises(InvalidArgumentError, match="bands"):
        CurvesView(test_set=test_set, bands=pd.DataFrame({"x": [1]}))
    with pytest.raises(InvalidArgumentError, match="bands"):
        CurvesView(test_set=test_set, bands=[1, 2])  # type: ignore[arg-type]


def test_from_evaluation_draws_bands_by_default(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    view = CurvesView.from_evaluation(ev, selection="all")
    assert view.bands is not None
    assert len(_bands(view.roc_figure_)) == len(view.selected_)
    assert CurvesView.from_evaluation(ev, bands=False).bands is None
    with pytest.raises(InvalidArgumentError, match="bands"):
        CurvesView.from_evaluation(ev, bands="yes")
