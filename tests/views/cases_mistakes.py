"""Common-test cases of the mistakes view."""

from __future__ import annotations

from view_case import ViewCase

from clarinb.views.mistakes import MistakesView
from tests.views.conftest import synthetic_test_set


def _from_read_model(client):
    listing = client.evaluations()
    first = listing[listing["model_id"].astype(str) == "animals-mobile"]["id"].iloc[0]
    return MistakesView.from_evaluation(client.evaluation(first), k=3)


CASES = [
    ViewCase(
        cls=MistakesView,
        from_frames=lambda: MistakesView.from_frames(test_set=synthetic_test_set(seed=2), k=4),
        from_read_model=_from_read_model,
        change={"threshold": 0.3},
        bad_change={"kind": "sideways"},
        bad_frames=lambda: MistakesView.from_frames(test_set=[1, 2, 3]),
    )
]
