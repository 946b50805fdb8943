"""Which changes of confusion rates lie beyond noise: the two-proportion test per cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from clarinb.metrics.deltas import confusion_change_beyond_noise, confusion_rate_change


def _matrix(counts: list[list[int]], concepts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(counts, index=concepts, columns=concepts)


def test_cells_match_a_two_proportion_z_test() -> None:
    names = ["cat", "dog", "fox"]
    first = _matrix([[80, 15, 5], [10, 85, 5], [3, 3, 44]], names)
    second = _matrix([[95, 3, 2], [12, 82, 6], [2, 4, 44]], names)
    beyond = confusion_change_beyond_noise(first, second, ci=0.95)
    assert list(beyond.index) == list(beyond.columns) == names
    change = confusion_rate_change(first, second)
    for a in names:
        n1, n2 = first.loc[a].sum(), second.loc[a].sum()
        for p in names:
            c1, c2 = first.loc[a, p], second.loc[a, p]
            pooled = (c1 + c2) / (n1 + n2)
            se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            z = abs(c2 / n2 - c1 / n1) / se if se > 0 else 0.0
            assert bool(beyond.loc[a, p]) == (z > norm.ppf(0.975)), (a, p)
    assert beyond.loc["cat", "cat"]
    assert beyond.loc["cat", "dog"]
    assert not beyond.loc["fox", "fox"]
    assert change.loc["cat", "cat"] == pytest.approx(0.15)


def test_identical_matrices_have_nothing_beyond_noise() -> None:
    names = ["a", "b"]
    m = _matrix([[40, 10], [0, 0]], names)
    beyond = confusion_change_beyond_noise(m, m.copy())
    assert not beyond.to_numpy().any()


def test_a_stricter_level_keeps_fewer_cells() -> None:
    names = ["x", "y"]
    first = _matrix([[70, 30], [20, 80]], names)
    second = _matrix([[84, 16], [20, 80]], names)
    loose = confusion_change_beyond_noise(first, second, ci=0.9)
    strict = confusion_change_beyond_noise(first, second, ci=0.999)
    assert loose.loc["x", "x"]
    assert not strict.loc["x", "x"]
    with pytest.raises(Exception, match="ci"):
        confusion_change_beyond_noise(first, second, ci=1.5)
