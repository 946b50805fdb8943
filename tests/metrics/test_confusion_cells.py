"""The inputs behind each cell of the test-set confusion matrix agree with its counts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import InvalidArgumentError


@pytest.mark.parametrize("threshold", [None, 0.0, 0.5, 0.95])
@pytest.mark.parametrize("plain_ids", [False, True])
def test_cell_inputs_count_as_the_matrix(
    random_test_set: Callable[..., pd.DataFrame], threshold: float | None, plain_ids: bool
) -> None:
    ts = random_test_set(seed=3, n_inputs=50, n_concepts=5, drop=0.1)  # tied scores, gaps
    if plain_ids:
        ts = ts.astype({"input_id": str, "concept_id": str})
    counts = metrics.confusion_matrix(ts, threshold=threshold)
    for actual in counts.index:
        for predicted in counts.columns:
            inputs = metrics.cell_inputs(ts, str(actual), str(predicted), threshold)
            assert len(inputs) == counts.loc[actual, predicted], (actual, predicted)
            assert inputs["input_id"].is_unique


def test_cell_inputs_columns_and_order(random_test_set: Callable[..., pd.DataFrame]) -> None:
    ts = random_test_set(seed=5, n_inputs=40, n_concepts=4, decimals=3)
    inputs = metrics.cell_inputs(ts, "c2", "c3", 0.2)
    assert list(inputs.columns) == ["input_id", "predicted", "top_score", "actual_score"]
    assert inputs["top_score"].is_monotonic_decreasing
    assert (inputs["top_score"] >= 0.2).all()
    scored = ts.assign(input_id=ts["input_id"].astype(str)).set_index(["input_id", "concept_id"])
    for row in inputs.itertuples():
        assert scored.loc[(row.input_id, "c2"), "score"] == row.actual_score
        assert scored.loc[(row.input_id, "c3"), "score"] == row.top_score
    none = metrics.cell_inputs(ts, "c2", metrics.NONE_LABEL, 0.2)
    assert (none["predicted"] == metrics.NONE_LABEL).all()
    assert (none["top_score"] < 0.2).all()


def test_top_predictions_break_ties_as_the_matrix() -> None:
    ts = pd.DataFrame(
        {
            "input_id": ["a", "a", "a", "b", "b"],
            "concept_id": pd.Categorical(["z", "y", "x", "y", "z"], categories=["z", "y", "x"]),
            "score": [0.4, 0.4, 0.1, 0.2, 0.9],
            "ground_truth": [True, False, False, True, False],
        }
    )
    top = metrics.top_predictions(ts).set_index("input_id")
    assert top["predicted"].to_dict() == {"a": "z", "b": "z"}
    assert top["top_score"].to_dict() == {"a": 0.4, "b": 0.9}
    assert metrics.top_predictions(ts)["input_id"].tolist() == ["b", "a"]  # highest score first
    counts = metrics.confusion_matrix(ts)
    assert counts.loc["z", "z"] == 1
    assert counts.loc["y", "z"] == 1
    assert np.asarray(counts).sum() == 2


def test_cell_inputs_refuse_a_bad_test_set() -> None:
    with pytest.raises(InvalidArgumentError, match="DataFrame"):
        metrics.cell_inputs("not a frame", "a", "b")  # type: ignore[arg-type]
