"""The confusion matrix answers more: confused pairs, hidden diagonal, log colour, search, text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.views import ConfusionMatrixView
from tests.views.conftest import synthetic_test_set


def _matrix() -> pd.DataFrame:
    return pd.DataFrame([[8, 2, 5], [1, 9, 3], [0, 4, 7]], index=list("abc"), columns=list("abc"))


def test_confused_pairs_are_the_off_diagonal_ranking() -> None:
    pairs = metrics.confused_pairs(_matrix())
    assert list(pairs.columns) == ["actual", "predicted", "count", "rate"]
    assert pairs[["actual", "predicted"]].values.tolist() == [
        ["a", "c"], ["c", "b"], ["b", "c"], ["a", "b"], ["b", "a"],
    ]  # fmt: skip
    assert pairs["count"].tolist() == [5, 4, 3, 2, 1]
    assert np.allclose(pairs["rate"], [5 / 15, 4 / 11, 3 / 13, 2 / 15, 1 / 13])


def test_confused_pairs_of_a_test_set_equal_its_matrix(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set, threshold=0.5)
    pairs = view.confused_pairs_
    m = view.matrix_
    rows = m.sum(axis=1)
    for rec in pairs.itertuples():
        assert rec.actual != rec.predicted
        assert rec.count == m.loc[rec.actual, rec.predicted] > 0
        assert rec.rate == pytest.approx(rec.count / rows[rec.actual])
    off = m.drop(columns=metrics.NONE_LABEL).to_numpy().copy()
    np.fill_diagonal(off, 0)
    assert sorted(pairs["count"], reverse=True) == pairs["count"].tolist()
    assert len(pairs) == np.count_nonzero(off)
    assert pairs["count"].sum() == off.sum()


def test_hide_diagonal_and_log_colour_change_the_figure() -> None:
    view = ConfusionMatrixView(matrix=_matrix())
    z = np.asarray(view.figure_.data[0].z, dtype=float)
    assert z[0, 0] == 8
    assert view.figure_.data[0].zmax == 9
    view.set(hide_diagonal=True)
    z = np.asarray(view.figure_.data[0].z, dtype=float)
    assert np.isnan(np.diag(z)).all()
    assert view.figure_.data[0].zmax == 5  # the largest confusion, not the diagonal
    view.set(log_color=True)
    z = np.asarray(view.figure_.data[0].z, dtype=float)
    assert z[0, 2] == pytest.approx(np.log10(1 + 5))
    assert "log" in view.figure_.data[0].colorbar.title.text
    # the hover still says the counts
    assert np.asarray(view.figure_.data[0].customdata)[0, 2, 0] == 5
    with pytest.raises(InvalidArgumentError, match="hide_diagonal"):
        view.set(hide_diagonal="yes")


def test_search_filters_the_concepts() -> None:
    m = pd.DataFrame(np.arange(16).reshape(4, 4), index=["cat", "dog", "wolf", "catfish"],
                     columns=["cat", "dog", "wolf", "catfish"])  # fmt: skip
    view = ConfusionMatrixView(matrix=m, concept_names={"wolf": "Grey Wolf"})
    view.set(search="CAT")
    assert list(view.figure_.data[0].y) == ["cat", "catfish"]
    assert set(view.frame_["actual"]) == {"cat", "catfish"}
    view.set(search="grey")  # display names count too
    assert list(view.figure_.data[0].x) == ["wolf"]
    view.set(search="")
    assert len(view.figure_.data[0].y) == 4
    view.set(search="zebra")
    assert "no concept matches" in view.figure_.layout.title.text
    with pytest.raises(InvalidArgumentError, match="search"):
        view.set(search=3)


@pytest.mark.parametrize(("n", "written"), [(25, True), (30, True), (31, False)])
def test_counts_are_written_in_the_cells_up_to_30_concepts(n: int, written: bool) -> None:
    view = ConfusionMatrixView(test_set=synthetic_test_set(n_concepts=n, n_inputs=300))
    trace = view.figure_.data[0]
    if written:
        assert trace.texttemplate == "%{text}"
        counts = view.matrix_.to_numpy()
        assert np.asarray(trace.text)[0, 0] == str(int(counts[0, 0]))
    else:
        assert trace.text is None
        assert trace.texttemplate is None


def test_hover_has_actual_predicted_count_rate_and_threshold(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set, threshold=0.45)
    hover = view.figure_.data[0].hovertemplate
    for word in ("actual", "predicted", "count", "share of actual", "threshold: 0.45"):
        assert word in hover
    assert "threshold: none" in ConfusionMatrixView(test_set=test_set).figure_.data[0].hovertemplate


def test_widget_pairs_toggles_and_search(test_set: pd.DataFrame) -> None:
    view = ConfusionMatrixView(test_set=test_set, threshold=0.5)
    ui = view.widget_
    assert ui is view._ui.box
    pairs = view._ui.pairs
    first = view.confused_pairs_.iloc[0]
    assert pairs.options[0][1] == (first["actual"], first["predicted"])
    pairs.value = pairs.options[0][1]  # a click on the row
    assert view.cell == (first["actual"], first["predicted"])
    assert len(view._ui.inputs.children) >= 2
    view._ui.controls["hide_diagonal"].value = True
    assert view.hide_diagonal
    assert np.isnan(np.diag(np.asarray(view._heat.data[0].z, float))).all()
    view._ui.controls["log_color"].value = True
    assert view.log_color
    view._ui.controls["search"].value = "c00"
    assert view.search == "c00"
    assert all(str(y).startswith("c00") for y in view._heat.data[0].y)
    view.set(hide_diagonal=False)
    assert view._ui.controls["hide_diagonal"].value is False


def test_single_label_view_refuses_a_multi_label_test_set() -> None:
    ts = pd.DataFrame(
        {
            "input_id": ["a", "a", "b", "b"],
            "concept_id": ["day", "forest", "day", "forest"],
            "score": [0.9, 0.8, 0.2, 0.7],
            "ground_truth": [True, True, False, True],
        }
    )
    with pytest.raises(InvalidArgumentError, match=r"multi-label.*MultiLabelConfusionView"):
        ConfusionMatrixView(test_set=ts)


def test_demo_scene_tagger_is_refused(eval_demo) -> None:
    ev = eval_demo.evaluation("scene-tagger-on-v2")
    with pytest.raises(InvalidArgumentError, match="MultiLabelConfusionView"):
        ConfusionMatrixView.from_evaluation(ev)
