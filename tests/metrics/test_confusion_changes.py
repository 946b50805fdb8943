"""The largest confusion changes, read sparsely, equal the dense change on the same concepts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.metrics import largest_confusion_changes
from clarinb.metrics.deltas import confusion_change_beyond_noise, confusion_rate_change
from clarinb.metrics.order import top_confused


def _counts(seed: int, k: int = 90, inputs: int = 700) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    actual = rng.integers(0, k - 3, inputs)  # the last concepts are never actual: empty rows
    predicted = np.where(rng.random(inputs) < 0.7, actual, rng.integers(0, k, inputs))
    cells = np.bincount(actual * k + predicted, minlength=k * k).reshape(k, k)
    ids = [f"c{i:02d}" for i in range(k)]
    return pd.DataFrame(cells, index=ids, columns=ids)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("ci", [None, 0.9])
@pytest.mark.parametrize("top_n", [1, 7, 40])
def test_equals_the_dense_change_on_the_concepts_of_its_largest_cells(seed, ci, top_n) -> None:
    first, second = _counts(seed), _counts(seed + 100)
    dense = confusion_rate_change(first, second)
    if ci is not None:
        dense = dense.where(confusion_change_beyond_noise(first, second, ci=ci))
    keep = top_confused(np.nan_to_num(np.abs(dense.to_numpy())), top_n)
    got, total = largest_confusion_changes(first, second, top_n, ci=ci)
    assert total == 90
    pd.testing.assert_frame_equal(got, dense.iloc[keep, keep], check_exact=True)


def test_without_confusion_the_first_concepts() -> None:
    ids = ["a", "b", "c"]
    same = pd.DataFrame(np.diag([4, 5, 6]), index=ids, columns=ids)
    got, total = largest_confusion_changes(same, same, 2)
    assert (list(got.index), total) == (["a", "b"], 3)
    assert (got.to_numpy() == 0).all()


def test_refuses_a_bad_count_or_level() -> None:
    m = _counts(0, k=5, inputs=30)
    with pytest.raises(InvalidArgumentError, match="top_n"):
        largest_confusion_changes(m, m, 0)
    with pytest.raises(InvalidArgumentError, match="ci"):
        largest_confusion_changes(m, m, 3, ci=1.5)
