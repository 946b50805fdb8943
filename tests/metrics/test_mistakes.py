"""The surest false positives and faintest misses equal a plain pandas ranking of the same frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import TestSetMatrix
from clarinb.metrics.mistakes import (
    FALSE_POSITIVE,
    MISSED,
    NO_PREDICTION,
    input_outcomes,
    mistakes,
)


def _frame(seed: int, n: int, m: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((n, m)), 2)  # ties on purpose
    labels = rng.random((n, m)) < 0.3
    return pd.DataFrame(
        {
            "input_id": np.repeat([f"i{j}" for j in range(n)], m),
            "concept_id": np.tile([f"c{j}" for j in range(m)], n),
            "score": scores.ravel(),
            "ground_truth": labels.ravel(),
        }
    )


def _plain(ts: pd.DataFrame, threshold: float, k: int) -> pd.DataFrame:
    """The definition, row by row in pandas (ties: the input seen first)."""
    ts = ts.assign(order=np.arange(len(ts)))
    fp = ts[(ts["score"] >= threshold) & ~ts["ground_truth"]]
    miss = ts[(ts["score"] < threshold) & ts["ground_truth"]]
    fp = fp.sort_values(["concept_id", "score", "order"], ascending=[True, False, True])
    miss = miss.sort_values(["concept_id", "score", "order"], ascending=[True, True, True])
    parts = []
    for kind, rows in ((FALSE_POSITIVE, fp), (MISSED, miss)):
        top = rows.groupby("concept_id", sort=True).head(k).copy()
        top["kind"] = kind
        parts.append(top)
    return pd.concat(parts)


@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 40),
    m=st.integers(1, 6),
    threshold=st.sampled_from([0.0, 0.3, 0.5, 0.99, 1.0]),
    k=st.integers(1, 5),
)
def test_equals_the_plain_ranking(seed: int, n: int, m: int, threshold: float, k: int) -> None:
    _check_plain(_frame(seed, n, m), threshold, k)


def _check_plain(ts: pd.DataFrame, threshold: float, k: int) -> None:
    got = mistakes(ts, threshold=threshold, k=k)
    want = _plain(ts, threshold, k)
    true = ts[ts["ground_truth"]].groupby("input_id", sort=False)["concept_id"].agg(", ".join)
    assert got["truth"].tolist() == [true.get(i, "") for i in got["input_id"]]
    for kind in (FALSE_POSITIVE, MISSED):
        g = got[got["kind"] == kind]
        w = want[want["kind"] == kind]
        assert sorted(zip(g["concept_id"], g["score"], strict=True)) == sorted(
            zip(w["concept_id"], w["score"], strict=True)
        )
        ordered = g.groupby("concept_id")["score"].apply(list)
        for scores in ordered:
            assert scores == sorted(scores, reverse=kind == FALSE_POSITIVE)
        # The same inputs in the same order: equal scores go to the input seen first.
        assert list(zip(g["concept_id"], g["input_id"], strict=True)) == list(
            zip(w["concept_id"], w["input_id"], strict=True)
        )
        assert (
            g.groupby("concept_id")["rank"]
            .apply(list)
            .map(lambda r: r == list(range(1, len(r) + 1)))
        ).all()


@pytest.mark.parametrize("order", ["random", "rising", "falling"])
@pytest.mark.parametrize("k", [1, 4])
def test_many_blocks_of_rows_equal_the_plain_ranking(
    order: str, k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over many blocks of rows, each concept's bar rises and the result stays exact.

    Scores rising down the rows bring new best cells in every block; falling
    ones, new faintest misses; rounded scores tie across blocks.
    """
    monkeypatch.setattr("clarinb.metrics.mistakes._BLOCK_CELLS", 40)
    ts = _frame(7, 600, 5)
    if order != "random":
        rows = np.repeat(np.arange(600), 5) / 600
        rising = np.round(0.5 * ts["score"] + 0.5 * rows, 2)
        ts["score"] = rising if order == "rising" else np.round(1 - rising, 2)
    for threshold in (0.0, 0.4, 0.75, 1.0):
        _check_plain(ts, threshold, k)


def test_rows_name_the_input_its_top_concept_and_its_truth() -> None:
    ts = pd.DataFrame(
        {
            "input_id": ["a", "a", "b", "b", "c", "c"],
            "concept_id": ["cat", "dog"] * 3,
            "score": [0.9, 0.2, 0.3, 0.8, 0.4, 0.45],
            "ground_truth": [False, True, False, True, True, False],
        }
    )
    got = mistakes(ts, threshold=0.5).set_index(["concept_id", "kind"])
    fp = got.loc[("cat", FALSE_POSITIVE)]
    assert fp["input_id"] == "a"
    assert fp["truth"] == "dog"
    assert fp["top_concept"] == "cat"
    missed = got.loc[[("cat", MISSED), ("dog", MISSED)]]
    assert missed["input_id"].tolist() == ["c", "a"]
    assert missed["score"].tolist() == [0.4, 0.2]


def test_takes_the_matrix_too() -> None:
    ts = _frame(3, 30, 4)
    pd.testing.assert_frame_equal(mistakes(TestSetMatrix.from_frame(ts)), mistakes(ts))


@pytest.mark.parametrize("bad", [{"threshold": 1.5}, {"k": 0}, {"k": "3"}])
def test_bad_arguments_are_typed_errors(bad: dict) -> None:
    with pytest.raises(InvalidArgumentError):
        mistakes(_frame(0, 5, 2), **bad)


@given(
    seed=st.integers(0, 10_000), n=st.integers(1, 30), threshold=st.sampled_from([0.0, 0.5, 1.0])
)
def test_input_outcomes_equal_the_plain_definition(seed: int, n: int, threshold: float) -> None:
    ts = _frame(seed, n, 4)
    got = input_outcomes(ts, threshold=threshold).set_index("input_id")
    for input_id, rows in ts.groupby("input_id", sort=False):
        best = rows.iloc[int(np.argmax(rows["score"].to_numpy()))]
        truth = set(rows.loc[rows["ground_truth"], "concept_id"])
        predicted = best["concept_id"] if best["score"] >= threshold else NO_PREDICTION
        assert got.loc[input_id, "predicted"] == predicted
        assert got.loc[input_id, "correct"] == (predicted in truth)
        assert set(filter(None, got.loc[input_id, "truth"].split(", "))) == truth
    wrong = got[~got["correct"]]["top_score"].tolist()
    assert wrong == sorted(wrong, reverse=True)
    assert got["correct"].tolist() == sorted(got["correct"].tolist())
