"""Shared fixtures of the view tests: synthetic test sets and evaluation frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb import connect


def synthetic_test_set(n_concepts: int = 8, n_inputs: int = 240, seed: int = 0) -> pd.DataFrame:
    """A single-label test set: every input scored for every concept, its own concept higher."""
    rng = np.random.default_rng(seed)
    concepts = [f"c{i:03d}" for i in range(n_concepts)]
    inputs = [f"in{j:05d}" for j in range(n_inputs)]
    truth = rng.integers(0, n_concepts, n_inputs)
    scores = rng.random((n_inputs, n_concepts)) * 0.6
    scores[np.arange(n_inputs), truth] += rng.random(n_inputs) * 0.7
    gt = np.zeros((n_inputs, n_concepts), dtype=bool)
    gt[np.arange(n_inputs), truth] = True
    return pd.DataFrame(
        {
            "input_id": pd.Categorical(np.repeat(inputs, n_concepts), categories=inputs),
            "concept_id": pd.Categorical(np.tile(concepts, n_inputs), categories=concepts),
            "score": np.round(np.clip(scores, 0, 1), 4).ravel(),
            "ground_truth": gt.ravel(),
        }
    )


def multi_label_test_set(n_inputs: int = 120, n_concepts: int = 5, seed: int = 0) -> pd.DataFrame:
    """Every input scored for every concept; about a third of the pairs are true."""
    rng = np.random.default_rng(seed)
    concepts = [f"tag{i}" for i in range(n_concepts)]
    truth = rng.random((n_inputs, n_concepts)) < 0.35
    truth[:, 1] |= truth[:, 0]  # tag0 always comes with tag1
    scores = np.clip(0.45 * truth + rng.random(truth.shape) * 0.6, 0, 1)
    return pd.DataFrame(
        {
            "input_id": np.repeat([f"in{j}" for j in range(n_inputs)], n_concepts),
            "concept_id": np.tile(concepts, n_inputs),
            "score": np.round(scores, 4).ravel(),
            "ground_truth": truth.ravel(),
        }
    )


@pytest.fixture
def test_set() -> pd.DataFrame:
    return synthetic_test_set()


@pytest.fixture
def names() -> dict[str, str]:
    return {f"c{i:03d}": f"name {chr(ord('z') - i)}" for i in range(8)}


@pytest.fixture(scope="session")
def eval_demo():
    """A client on the demo emulator, shared by the evaluation-view tests of a session."""
    from clarinb.emulator import serve

    with serve(data="demo") as emulator:
        yield connect(emulator=emulator)


@pytest.fixture(scope="session")
def demo_classifiers(eval_demo) -> dict[str, object]:
    """The demo's single-label classifier evaluations on one dataset version, by model id."""
    listing = eval_demo.evaluations()
    found = {}
    for row in listing.itertuples():
        ev = eval_demo.evaluation(row.id)
        if ev.kind == "classifier" and str(row.model_id).startswith("animals"):
            found[str(row.model_id)] = ev
    assert len(found) >= 2, listing
    return found
