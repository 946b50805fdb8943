"""Test sets read straight into a TestSetMatrix: streamed from JSON bytes, or from a parsed body."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clarinb import connect, frames
from clarinb.emulator import serve
from clarinb.errors import ResponseFormatError
from clarinb.metrics import TestSetMatrix, matrix_from_body, read_test_set_matrix

DATA = Path(__file__).resolve().parent.parent / "data"


def _assert_same(got: TestSetMatrix, want: TestSetMatrix) -> None:
    assert list(got.inputs) == list(want.inputs)
    assert list(got.concepts) == list(want.concepts)
    assert got.scores.dtype == np.float32
    assert got.scores.flags.c_contiguous
    assert got.labels.flags.c_contiguous
    np.testing.assert_array_equal(got.scores, want.scores)
    np.testing.assert_array_equal(got.labels, want.labels)


def _frame_path(body: Any) -> TestSetMatrix:
    return TestSetMatrix.from_frame(frames.test_set(body))


def test_a_stored_body_equals_the_frame_path() -> None:
    raw = (DATA / "get_evaluation_classifier_synth.json").read_bytes()
    body = json.loads(raw)
    want = _frame_path(body)
    _assert_same(read_test_set_matrix(raw), want)
    _assert_same(read_test_set_matrix(io.BytesIO(raw)), want)
    _assert_same(read_test_set_matrix(raw.decode()), want)
    _assert_same(matrix_from_body(body), want)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with serve(data="demo") as emu:
        yield connect(emulator=emu)


def test_demo_evaluations_equal_the_frame_path(client: Any) -> None:
    listing = client.evaluations()
    assert len(listing) >= 2
    for evaluation_id in listing["id"]:
        ev = client.evaluation(evaluation_id)
        want = TestSetMatrix.from_frame(ev.test_set())
        _assert_same(ev.test_set_matrix(), want)
        assert ev.test_set_matrix() is ev.test_set_matrix()  # cached
        envelope = {"status": {"code": 10000}, "eval_metrics": ev.raw}
        _assert_same(read_test_set_matrix(json.dumps(envelope).encode()), want)


_IDS = st.sampled_from(["a", "b", "c", "d", "e"])
_ENTRY = st.fixed_dictionaries(
    {
        "input": st.fixed_dictionaries({"id": st.sampled_from(["i1", "i2", "i3", "i4"])}),
        "predicted_concepts": st.lists(
            st.fixed_dictionaries(
                {"id": _IDS, "value": st.floats(-1, 1, allow_nan=False, width=32)}
            ),
            max_size=5,
        ),
        "ground_truth_concepts": st.lists(
            st.fixed_dictionaries({"id": _IDS, "value": st.sampled_from([0, 1, 1.0])}),
            max_size=3,
        ),
    }
)


@settings(max_examples=60)
@given(entries=st.lists(_ENTRY, min_size=1, max_size=12), camel=st.booleans())
def test_random_test_sets_equal_the_frame_path(entries: list[Any], camel: bool) -> None:
    # Repeated inputs and concepts, negative scores, explicit negatives, empty entries.
    body = {"eval_metrics": {"id": "ev", "test_set": entries}}
    raw = json.dumps(body)
    if camel:
        raw = raw.replace("eval_metrics", "evalMetrics").replace("test_set", "testSet")
        raw = raw.replace("predicted_concepts", "predictedConcepts")
    rows = frames.test_set(body)
    if rows.empty:
        return
    want = TestSetMatrix.from_frame(rows)
    _assert_same(read_test_set_matrix(raw.encode(), batch=3), want)
    _assert_same(matrix_from_body(body, batch=2), want)


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b'{"eval_metrics": {"id": "ev"}}', "test_set"),
        (b'{"eval_metrics": {"test_set": [{"input": {"id": "a"}', "JSON"),
        (b'{"test_set": [{"input": {"id": "a"}, "predicted_concepts": 3}]}', "predicted_concepts"),
        (b"[1, 2]", "test_set"),
        (
            b'{"test_set": [{"input": {"id": "a"}, "predicted_concepts": '
            b'[{"id": "x", "value": NaN}]}]}',
            "NaN|JSON",
        ),
    ],
)
def test_bad_bodies_are_named(raw: bytes, match: str) -> None:
    with pytest.raises(ResponseFormatError, match=match):
        read_test_set_matrix(raw)


def test_a_nan_value_in_a_parsed_body_is_refused() -> None:
    body = {
        "test_set": [
            {"input": {"id": "a"}, "predicted_concepts": [{"id": "x", "value": float("nan")}]}
        ]
    }
    with pytest.raises(ResponseFormatError, match="NaN"):
        matrix_from_body(body)
