"""TestSetMatrix: the test set as dense float32 score and bool label matrices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clarinb import metrics
from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix


@pytest.mark.parametrize("drop", [0.0, 0.3])
def test_from_frame_equals_the_dense_matrices(
    random_test_set: Any, dense: Any, drop: float
) -> None:
    ts = random_test_set(1, n_inputs=40, n_concepts=6, decimals=3, drop=drop)
    m = TestSetMatrix.from_frame(ts)
    scores, labels = dense(ts)
    assert m.scores.dtype == np.float32
    assert m.labels.dtype == bool
    assert m.scores.flags.c_contiguous
    assert m.labels.flags.c_contiguous
    np.testing.assert_array_equal(m.scores, scores.astype(np.float32))
    np.testing.assert_array_equal(m.labels, labels)
    assert list(m.concepts) == list(ts["concept_id"].cat.categories)
    assert (m.n_inputs, m.n_concepts) == scores.shape
    assert m.nbytes == scores.size * 5


def test_inputs_in_first_seen_order_with_plain_columns(random_test_set: Any) -> None:
    ts = random_test_set(2, n_inputs=30, n_concepts=4)
    shuffled = ts.sample(frac=1.0, random_state=0).reset_index(drop=True)
    plain = shuffled.astype({"input_id": str, "concept_id": str})
    m = TestSetMatrix.from_frame(plain)
    assert list(m.inputs) == list(pd.unique(plain["input_id"]))
    assert list(m.concepts) == sorted(set(plain["concept_id"]))
    rows = m.inputs.get_indexer(plain["input_id"])
    cols = m.concepts.get_indexer(plain["concept_id"])
    np.testing.assert_array_equal(m.scores[rows, cols], plain["score"].astype(np.float32))
    np.testing.assert_array_equal(m.labels[rows, cols], plain["ground_truth"])


def test_unused_input_categories_are_left_out(random_test_set: Any) -> None:
    ts = random_test_set(3, n_inputs=10, n_concepts=3)
    ts = ts[ts["input_id"] != "in-004"].reset_index(drop=True)
    m = TestSetMatrix.from_frame(ts)
    assert "in-004" not in m.inputs
    assert m.n_inputs == 9


def test_round_trip_frame_matrix_frame(random_test_set: Any) -> None:
    ts = random_test_set(4, n_inputs=25, n_concepts=5, decimals=2)
    back = TestSetMatrix.from_frame(ts).to_frame()
    expected = ts.assign(score=ts["score"].astype(np.float32).astype(np.float64))
    pd.testing.assert_frame_equal(back, expected, check_categorical=False)
    assert list(back["input_id"].cat.categories) == list(ts["input_id"].cat.categories)


def test_round_trip_keeps_every_metric_of_a_sparse_frame(random_test_set: Any) -> None:
    ts = random_test_set(5, n_inputs=50, n_concepts=6, drop=0.4)
    back = TestSetMatrix.from_frame(ts).to_frame()
    pd.testing.assert_frame_equal(metrics.scores(back), metrics.scores(ts))
    pd.testing.assert_frame_equal(metrics.at_threshold(back, 0.5), metrics.at_threshold(ts, 0.5))
    assert len(back) == 50 * 6


@settings(deadline=None, max_examples=50)
@given(
    data=st.data(),
    n=st.integers(0, 12),
    k=st.integers(0, 5),
)
def test_from_arrays_round_trips(data: st.DataObject, n: int, k: int) -> None:
    scores = np.array(
        data.draw(st.lists(st.floats(-1, 2, width=32), min_size=n * k, max_size=n * k)),
        dtype=np.float64,
    ).reshape(n, k)
    labels = np.array(data.draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k)), bool)
    m = TestSetMatrix.from_arrays(scores, labels.reshape(n, k))
    again = (
        TestSetMatrix.from_frame(m.to_frame()) if n and k else m
    )  # a frame without rows has no inputs
    np.testing.assert_array_equal(again.scores, scores.astype(np.float32))
    np.testing.assert_array_equal(again.labels, labels.reshape(n, k))
    assert list(again.inputs) == list(range(n))
    assert list(again.concepts) == list(range(k))


def test_from_arrays_keeps_float32_without_copy() -> None:
    scores = np.zeros((3, 2), dtype=np.float32)
    labels = np.zeros((3, 2), dtype=bool)
    m = TestSetMatrix.from_arrays(scores, labels, inputs=["a", "b", "c"], concepts=["x", "y"])
    assert m.scores is scores
    assert m.labels is labels
    assert list(m.inputs) == ["a", "b", "c"]


def test_subset_by_mask_and_positions(random_test_set: Any) -> None:
    m = TestSetMatrix.from_frame(random_test_set(6, n_inputs=20, n_concepts=5))
    rows = np.zeros(20, dtype=bool)
    rows[[1, 4, 7]] = True
    part = m.subset(inputs=rows, concepts=[3, 0])
    np.testing.assert_array_equal(part.scores, m.scores[[1, 4, 7]][:, [3, 0]])
    np.testing.assert_array_equal(part.labels, m.labels[[1, 4, 7]][:, [3, 0]])
    assert list(part.inputs) == [m.inputs[1], m.inputs[4], m.inputs[7]]
    assert list(part.concepts) == [m.concepts[3], m.concepts[0]]
    assert part.scores.flags.c_contiguous
    only_cols = m.subset(concepts=np.array([True, False, True, False, False]))
    assert only_cols.scores.flags.c_contiguous
    np.testing.assert_array_equal(only_cols.scores, m.scores[:, [0, 2]])
    assert m.subset() is m


def test_top1_agrees_with_the_confusion_matrix(random_test_set: Any) -> None:
    ts = random_test_set(7, n_inputs=200, n_concepts=6, decimals=1)  # many ties
    m = TestSetMatrix.from_frame(ts)
    codes, best = m.top1()
    np.testing.assert_array_equal(best, m.scores.max(axis=1))
    # Ties go to the lowest code: the first maximum.
    np.testing.assert_array_equal(codes, np.argmax(m.scores == best[:, None], axis=1))
    actual = np.nonzero(m.labels)
    counts = np.zeros((m.n_concepts, m.n_concepts), dtype=np.int64)
    np.add.at(counts, (actual[1], codes[actual[0]]), 1)
    np.testing.assert_array_equal(counts, metrics.confusion_matrix(ts).to_numpy())


def test_top1_without_concepts() -> None:
    m = TestSetMatrix.from_arrays(np.zeros((2, 0)), np.zeros((2, 0), bool))
    codes, best = m.top1()
    np.testing.assert_array_equal(codes, [-1, -1])
    assert np.isnan(best).all()


def test_duplicate_rows_are_refused(random_test_set: Any) -> None:
    ts = random_test_set(8, n_inputs=5, n_concepts=3)
    doubled = pd.concat([ts, ts.iloc[[2]]], ignore_index=True)
    with pytest.raises(InvalidArgumentError, match="duplicate"):
        TestSetMatrix.from_frame(doubled)


@pytest.mark.parametrize("rows", [2, 3, 4, 5, 6, 100])
@pytest.mark.parametrize(
    "repeat", [[0, 1, 2, 3, 4, 5, 0, 1, 2], [0, 1, 2, 3, 4, 5, 5], [0, 1, 2, 3, 3, 4, 5]]
)
def test_duplicates_across_chunks_in_matrix_order_are_refused(
    rows: int, repeat: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks that each copy a slice, in order, skip the mask; a pair written twice is found."""
    monkeypatch.setattr("clarinb.metrics.matrix._CHUNK_ROWS", rows)
    ts = TestSetMatrix.from_arrays(np.full((3, 2), 0.5), np.eye(3, 2, dtype=bool)).to_frame()
    with pytest.raises(InvalidArgumentError, match="duplicate"):
        TestSetMatrix.from_frame(ts.iloc[repeat].reset_index(drop=True))
    m = TestSetMatrix.from_frame(ts)  # in matrix order: every chunk a slice, none repeated
    np.testing.assert_array_equal(m.labels, np.eye(3, 2, dtype=bool))


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 7, 100])
@pytest.mark.parametrize("order", ["matrix", "inputs reversed", "shuffled"])
def test_inputs_in_first_seen_order_over_chunks(
    rows: int, order: str, random_test_set: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorted input codes are read a block at a time; the inputs come out as first seen."""
    monkeypatch.setattr("clarinb.metrics.matrix._CHUNK_ROWS", rows)
    ts = TestSetMatrix.from_frame(random_test_set(3, n_inputs=6, n_concepts=3)).to_frame()
    if order == "inputs reversed":
        ts = ts.iloc[::-1].reset_index(drop=True)
    elif order == "shuffled":
        ts = ts.sample(frac=1.0, random_state=0).reset_index(drop=True)
    m = TestSetMatrix.from_frame(ts)
    assert list(m.inputs) == list(pd.unique(ts["input_id"].astype(str)))

    def cells(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
        keys = zip(frame["input_id"].astype(str), frame["concept_id"].astype(str), strict=True)
        values = frame["score"].to_numpy(dtype=np.float32)
        return dict(zip(keys, values.tolist(), strict=True))

    assert cells(m.to_frame()) == cells(ts)


def test_bad_frames_get_the_readers_errors(random_test_set: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="DataFrame"):
        TestSetMatrix.from_frame([1, 2])
    ts = random_test_set(9, n_inputs=5, n_concepts=3)
    with pytest.raises(InvalidArgumentError, match="NaN"):
        TestSetMatrix.from_frame(ts.assign(score=np.nan))


@pytest.mark.parametrize(
    ("scores", "labels", "kwargs", "match"),
    [
        (np.zeros(3), np.zeros(3, bool), {}, "2-D"),
        (np.zeros((2, 2)), np.zeros((2, 3), bool), {}, "shape"),
        (np.zeros((2, 2)), np.zeros((2, 2)), {}, "bool"),
        (np.array([["a", "b"]]), np.zeros((1, 2), bool), {}, "real numbers"),
        (np.zeros((1, 2), bool), np.zeros((1, 2), bool), {}, "real numbers"),
        (np.array([[0.1, np.nan]]), np.zeros((1, 2), bool), {}, "NaN"),
        (np.zeros((2, 1)), np.zeros((2, 1), bool), {"inputs": ["a"]}, "1 ids for 2"),
        (np.zeros((2, 1)), np.zeros((2, 1), bool), {"inputs": ["a", "a"]}, "unique"),
        (np.zeros((2, 1)), np.zeros((2, 1), bool), {"concepts": "x"}, "string"),
    ],
)
def test_from_arrays_refuses_bad_arrays(
    scores: Any, labels: Any, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        TestSetMatrix.from_arrays(scores, labels, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"inputs": np.ones(3, bool)}, "mask has 3"),
        ({"inputs": [0, 9]}, "positions"),
        ({"concepts": [0.5]}, "integer positions"),
        ({"concepts": [[0]]}, "1-D"),
    ],
)
def test_subset_refuses_bad_selectors(kwargs: dict[str, Any], match: str) -> None:
    m = TestSetMatrix.from_arrays(np.zeros((4, 2)), np.zeros((4, 2), bool))
    with pytest.raises(InvalidArgumentError, match=match):
        m.subset(**kwargs)
