"""Random test sets and their dense inputs x concepts equivalents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def random_test_set(
    seed: int,
    n_inputs: int = 60,
    n_concepts: int = 7,
    *,
    decimals: int = 1,
    drop: float = 0.0,
) -> pd.DataFrame:
    """A test set with tied scores, an all-negative and an all-positive concept.

    ``drop`` removes that fraction of rows, making absent (input, concept) pairs.
    """
    rng = np.random.default_rng(seed)
    inputs = [f"in-{i:03d}" for i in range(n_inputs)]
    concepts = [f"c{j}" for j in range(n_concepts)]
    score = rng.random((n_inputs, n_concepts)).round(decimals)
    truth = rng.random((n_inputs, n_concepts)) < rng.random(n_concepts)
    if n_concepts >= 3:
        truth[:, 0] = False  # no positives
        truth[:, 1] = True  # no negatives
    frame = pd.DataFrame(
        {
            "input_id": pd.Categorical(np.repeat(inputs, n_concepts), categories=inputs),
            "concept_id": pd.Categorical(np.tile(concepts, n_inputs), categories=concepts),
            "score": score.ravel(),
            "ground_truth": truth.ravel(),
        }
    )
    if drop:
        keep = rng.random(len(frame)) >= drop
        frame = frame[keep].reset_index(drop=True)
    return frame


def dense(ts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ground truth as inputs x concepts matrices; absent pairs are (0, False).

    Rows follow the ``input_id`` categories, leaving out inputs with no row at all.
    """
    rows = ts["input_id"].cat.codes.to_numpy()
    cols = ts["concept_id"].cat.codes.to_numpy()
    shape = (len(ts["input_id"].cat.categories), len(ts["concept_id"].cat.categories))
    scores = np.zeros(shape)
    truth = np.zeros(shape, dtype=bool)
    scores[rows, cols] = ts["score"].to_numpy()
    truth[rows, cols] = ts["ground_truth"].to_numpy()
    used = np.unique(rows)  # inputs without any row are not part of the test set
    return scores[used], truth[used]


@pytest.fixture(name="random_test_set")
def _random_test_set_fixture() -> object:
    return random_test_set


@pytest.fixture(name="dense")
def _dense_fixture() -> object:
    return dense
