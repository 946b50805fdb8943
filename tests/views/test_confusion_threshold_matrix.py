"""ConfusionMatrixView and ThresholdView on a TestSetMatrix: the same answers as from the frame.

The views turn a frame into a :class:`clarinb.metrics.TestSetMatrix` once and
keep live counts over it; these tests check that the matrix path gives the
frame metrics' answers (ties, unlabelled inputs, absent pairs, NaN refused),
that a threshold change equals a fresh build, and that large outputs keep a
size budget and say what they leave out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix
from clarinb.views import ConfusionMatrixView, ThresholdView
from clarinb.views.confusion import SHOWN_MAX
from clarinb.views.thresholds import FIGURE_ROWS, HTML_ROWS

THRESHOLDS = [None, 0.5, 0.75, 0.25, 0.625, 1.0, 0.5]


def tied_test_set(n_inputs: int = 90, n_concepts: int = 6, seed: int = 3) -> pd.DataFrame:
    """Scores in eighths (many ties, exact in float32), unlabelled inputs and absent pairs."""
    rng = np.random.default_rng(seed)
    concepts = [f"k{i}" for i in range(n_concepts)]
    inputs = [f"x{j:03d}" for j in range(n_inputs)]
    scores = rng.integers(1, 9, (n_inputs, n_concepts)) / 8  # never 0: absent pairs score 0
    truth = np.zeros((n_inputs, n_concepts), dtype=bool)
    labelled = rng.random(n_inputs) < 0.8  # the others have no true concept
    truth[np.flatnonzero(labelled), rng.integers(0, n_concepts, int(labelled.sum()))] = True
    frame = pd.DataFrame(
        {
            "input_id": pd.Categorical(np.repeat(inputs, n_concepts), categories=inputs),
            "concept_id": pd.Categorical(np.tile(concepts, n_inputs), categories=concepts),
            "score": scores.ravel(),
            "ground_truth": truth.ravel(),
        }
    )
    absent = (rng.random(len(frame)) < 0.1) & ~frame["ground_truth"].to_numpy()
    return frame[~absent].reset_index(drop=True)


def _cases() -> list[pd.DataFrame]:
    from tests.views.conftest import synthetic_test_set

    return [tied_test_set(), tied_test_set(seed=4, n_concepts=3), synthetic_test_set()]


@pytest.mark.parametrize("case", range(3))
def test_confusion_matrix_path_equals_frame_path(case: int) -> None:
    ts = _cases()[case]
    from_frame = ConfusionMatrixView(test_set=ts)
    from_matrix = ConfusionMatrixView(test_set=TestSetMatrix.from_frame(ts))
    for t in THRESHOLDS:
        want = metrics.confusion_matrix(ts, threshold=t)
        for view in (from_frame, from_matrix):
            view.set(threshold=t)
            pd.testing.assert_frame_equal(view.matrix_, want, check_names=False)
        pd.testing.assert_frame_equal(from_matrix.frame_, from_frame.frame_)
        pd.testing.assert_frame_equal(from_matrix.confused_pairs_, from_frame.confused_pairs_)
        for actual in want.index[:3]:
            for predicted in [*want.columns[:3], *(["(none)"] if t is not None else [])]:
                cell = (str(actual), str(predicted))
                expected = metrics.cell_inputs(ts, *cell, t)
                expected["top_score"] = expected["top_score"].astype(np.float32).astype(float)
                expected["actual_score"] = expected["actual_score"].astype(np.float32)
                expected["actual_score"] = expected["actual_score"].astype(float)
                got = from_matrix.set(cell=cell).cell_inputs_
                pd.testing.assert_frame_equal(got, expected)
                assert len(got) == want.loc[actual, predicted]
                from_matrix.set(cell=None)


@pytest.mark.parametrize("case", range(3))
def test_threshold_matrix_path_equals_frame_path(case: int) -> None:
    ts = _cases()[case]
    m = TestSetMatrix.from_frame(ts)
    first = str(m.concepts[0])
    for overrides in ({}, {first: 0.375}):
        from_frame = ThresholdView(test_set=ts, overrides=overrides)
        from_matrix = ThresholdView(test_set=m, overrides=overrides)
        assert from_matrix.concept_ids_ == from_frame.concept_ids_
        for t in [0.5, 0.75, 0.25, 0.0, 1.0, 0.5]:
            for view in (from_frame, from_matrix):
                view.set(threshold=t)
            want = metrics.at_threshold(ts, from_frame.thresholds_)
            got = from_matrix.table_.sort_index()
            for column in ("tp", "fp", "fn", "tn", "support", "precision", "recall", "f1"):
                assert got[column].tolist() == want[column].tolist(), (t, column)
            pd.testing.assert_frame_equal(from_matrix.table_, from_frame.table_)
            assert from_matrix.summary_ == from_frame.summary_
            averages = metrics.averages(ts, from_frame.thresholds_)
            assert f"micro P {averages.loc['micro', 'precision']:.3f}" in from_matrix.summary_


def test_nan_scores_are_refused_on_both_paths() -> None:
    ts = tied_test_set()
    ts.loc[3, "score"] = np.nan
    for view in (ConfusionMatrixView, ThresholdView):
        with pytest.raises(InvalidArgumentError, match="NaN"):
            _ = view(test_set=ts).figure_  # type: ignore[operator]
    with pytest.raises(InvalidArgumentError, match="NaN"):
        TestSetMatrix.from_arrays(np.array([[np.nan, 0.5]]), np.array([[True, False]]))


def test_set_threshold_equals_a_fresh_build() -> None:
    ts = tied_test_set(n_inputs=120)
    m = TestSetMatrix.from_frame(ts)
    moving = ConfusionMatrixView(test_set=m, normalize="true")
    live = ConfusionMatrixView(test_set=m, normalize="true")
    _ = live.widget_
    table = ThresholdView(test_set=m, sort="recall")
    for t in THRESHOLDS:
        fresh = ConfusionMatrixView(test_set=m, threshold=t, normalize="true")
        moving.set(threshold=t)
        live.set(threshold=t)
        pd.testing.assert_frame_equal(moving.matrix_, fresh.matrix_)
        pd.testing.assert_frame_equal(moving.frame_, fresh.frame_)
        want = fresh.figure_.data[0]
        for got in (moving.figure_.data[0], live._heat.data[0]):
            assert list(got.x) == list(want.x)
            assert list(got.y) == list(want.y)
            assert np.array_equal(np.asarray(got.z, float), np.asarray(want.z, float), True)
        if t is None:
            continue
        table.set(threshold=t)
        fresh_table = ThresholdView(test_set=m, threshold=t, sort="recall")
        pd.testing.assert_frame_equal(table.table_, fresh_table.table_)
        assert table.summary_ == fresh_table.summary_


def test_from_evaluation_reads_the_matrix_and_matches_the_frame(demo_classifiers) -> None:
    ev = next(iter(demo_classifiers.values()))
    ts = ev.test_set()
    view = ConfusionMatrixView.from_evaluation(ev, threshold=0.5)
    assert isinstance(view.test_set, TestSetMatrix)
    assert view.test_set is ev.test_set_matrix()
    pd.testing.assert_frame_equal(
        view.matrix_, metrics.confusion_matrix(ts, threshold=0.5), check_names=False
    )
    table = ThresholdView.from_evaluation(ev, threshold=0.4, intervals=False)
    assert isinstance(table.test_set, TestSetMatrix)
    frame_table = ThresholdView(test_set=ts, threshold=0.4, concept_names=ev.concepts)
    pd.testing.assert_frame_equal(table.table_, frame_table.table_)
    assert table.summary_ == frame_table.summary_


def _many_concepts(n: int) -> pd.DataFrame:
    """A count matrix of ``n`` concepts: concept i is confused with i + 1, ``i % 7`` times."""
    counts = np.diag(np.full(n, 10))
    for i in range(n - 1):
        counts[i, i + 1] = i % 7
    ids = [f"c{i:04d}" for i in range(n)]
    return pd.DataFrame(counts, index=ids, columns=ids)


def test_confusion_html_keeps_a_budget_and_says_what_it_left_out(tmp_path) -> None:
    n = SHOWN_MAX + 50
    view = ConfusionMatrixView(matrix=_many_concepts(n), top_n=None)
    heat = view.figure_.data[0]
    assert len(heat.y) == SHOWN_MAX
    assert np.asarray(heat.z).shape == (SHOWN_MAX, SHOWN_MAX)
    note = f"showing {SHOWN_MAX} of {n} concepts: the {SHOWN_MAX} with most errors"
    assert note in view.figure_.layout.title.text
    page = view.to_html(tmp_path / "matrix.html").read_text(encoding="utf-8")
    assert note in page
    off = _many_concepts(n).to_numpy() - np.diag(np.full(n, 10))
    errors = off.sum(axis=1) + off.sum(axis=0)  # as actual and as predicted
    most = np.sort(np.argsort(-errors, kind="stable")[:SHOWN_MAX])
    assert sorted(heat.y) == [f"c{i:04d}" for i in most]
    assert "c0000" not in set(heat.y)  # the one concept without an error
    assert len(view.frame_) == SHOWN_MAX * SHOWN_MAX  # the drawn cells
    assert view.matrix_.shape == (n, n)  # the counts stay whole
    small = ConfusionMatrixView(matrix=_many_concepts(20), top_n=None)
    assert "showing" not in small.figure_.layout.title.text


def test_threshold_html_keeps_a_budget_and_says_what_it_left_out(tmp_path) -> None:
    n = HTML_ROWS + 5
    concepts = [f"c{i:04d}" for i in range(n)]
    rng = np.random.default_rng(0)
    ts = pd.DataFrame(
        {
            "input_id": np.repeat(["a", "b"], n),
            "concept_id": concepts * 2,
            "score": rng.random(2 * n).round(3),
            "ground_truth": rng.random(2 * n) < 0.5,
        }
    )
    view = ThresholdView(test_set=ts)
    page = view.to_html(tmp_path / "table.html").read_text(encoding="utf-8")
    assert f"showing {HTML_ROWS:,} of {n:,} concepts" in page
    assert page.count("<tr") <= HTML_ROWS + 2
    cells = view.figure_.data[0].cells.values[0]
    assert len(cells) == FIGURE_ROWS
    assert f"showing {FIGURE_ROWS:,} of {n:,} concepts" in view.figure_.layout.title.text
    assert len(view.table_) == n  # the results stay whole
    assert len(view.thresholds_) == n
