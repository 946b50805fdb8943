"""The label-error finder on the demo: it finds the labels the demo's seed flipped.

The demo's evaluated version (v2) labels about 5% of the pictures with a
look-alike of the animal shown; ``flipped_labels()`` names them from the seed.
"""

from __future__ import annotations

import numpy as np
import pytest
from cleanlab.rank import get_label_quality_scores

from clarinb import connect, metrics
from clarinb.emulator import serve
from clarinb.emulator.demo import flipped_labels


@pytest.fixture(scope="module")
def test_sets() -> dict[str, object]:
    with serve(data="demo") as emulator:
        client = connect(emulator=emulator)
        return {
            model: client.evaluation(f"{model}-on-v2").test_set()
            for model in ("animals-large", "animals-base")
        }


@pytest.mark.parametrize("model", ["animals-large", "animals-base"])
def test_top_list_holds_most_flipped_labels(test_sets, model: str) -> None:
    flips = flipped_labels()
    assert len(flips) >= 20
    found = metrics.label_issues(test_sets[model], issues_only=False)
    top = found.head(2 * len(flips))
    recovered = set(top["input_id"]) & set(flips)
    assert len(recovered) / len(flips) >= 0.8, (model, len(recovered), len(flips))
    # where the finder names an input it also suggests the animal the picture shows
    suggested = top.set_index("input_id")["suggested_label"]
    right = [suggested[i] == flips[i][1] for i in recovered]
    assert np.mean(right) >= 0.75
    given = top.set_index("input_id")["given_label"]
    assert all(given[i] == flips[i][0] for i in recovered)


def test_quality_scores_are_cleanlabs(test_sets) -> None:
    ts = test_sets["animals-large"]
    matrix = metrics.TestSetMatrix.from_frame(ts)
    probs = matrix.scores / matrix.scores.sum(axis=1, keepdims=True)
    labels = matrix.labels.argmax(axis=1)
    expected = get_label_quality_scores(labels, probs)
    found = metrics.label_issues(ts, issues_only=False).set_index("input_id")
    got = found["label_quality"].reindex(matrix.inputs.astype(str)).to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6)
