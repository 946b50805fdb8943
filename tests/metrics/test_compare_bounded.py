"""The bounded paired bootstrap: exact deltas everywhere, intervals where the budget allows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb.metrics import TestSetMatrix, paired_bootstrap
from clarinb.metrics.compare_bounded import bounded_paired_bootstrap


def _pair(seed: int, n_inputs: int = 300, n_concepts: int = 12) -> tuple[TestSetMatrix, ...]:
    rng = np.random.default_rng(seed)
    truth = rng.random((n_inputs, n_concepts)) < 0.3
    out = []
    for noise in (0.9, 0.6):
        scores = (rng.random(truth.shape) * noise + truth * (1 - noise)).round(2)
        out.append(TestSetMatrix.from_arrays(scores, truth))
    return tuple(out)


def test_within_the_budget_it_is_the_paired_bootstrap() -> None:
    a, b = _pair(0)
    got, note = bounded_paired_bootstrap(a, b, 0.5, n_resamples=50, budget=10**9)
    want = paired_bootstrap(a, b, 0.5, n_resamples=50)
    assert note == ""
    pd.testing.assert_frame_equal(got.concepts, want.concepts)
    pd.testing.assert_frame_equal(got.macro, want.macro)


@pytest.mark.parametrize("threshold", [0.3, 0.5])
def test_above_the_budget_deltas_stay_exact_and_few_concepts_get_intervals(threshold) -> None:
    a, b = _pair(1)
    want = paired_bootstrap(a, b, threshold, n_resamples=20)
    budget = 300 * 3 * 20  # three concepts' worth at 20 resamples
    got, note = bounded_paired_bootstrap(a, b, threshold, n_resamples=20, budget=budget)
    for column in ("a", "b", "delta"):
        np.testing.assert_allclose(got.concepts[column], want.concepts[column], atol=1e-12)
    np.testing.assert_allclose(got.macro["delta"], want.macro["delta"], atol=1e-12)
    with_interval = got.concepts.dropna(subset=["delta_lo"])["concept_id"].unique()
    assert len(with_interval) == 3
    change = (want.concepts.assign(size=want.concepts["delta"].abs())
              .groupby("concept_id")["size"].max())  # fmt: skip
    assert set(with_interval) == set(change.sort_values(ascending=False).index[:3])
    assert got.macro["verdict"].eq("n/a").all()
    assert "3 of 12 concepts" in note
    assert "20 resamples" in note
