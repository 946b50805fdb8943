"""Common-test cases of the curve views: CurvesView and CompareView."""

from __future__ import annotations

from typing import Any

import pandas as pd
from view_case import ViewCase

from clarinb import metrics
from clarinb.views import CompareView, CurvesView
from tests.views.conftest import synthetic_test_set


def _curves() -> CurvesView:
    return CurvesView.from_frames(test_set=synthetic_test_set(seed=3), selection="all")


def _demo_classifiers(client: Any) -> list[Any]:
    found = []
    for row in client.evaluations().itertuples():
        ev = client.evaluation(row.id)
        if ev.kind == "classifier" and str(row.model_id).startswith("animals"):
            found.append(ev)
    return found[:2]


def _compare() -> CompareView:
    sets = {label: synthetic_test_set(seed=seed) for label, seed in (("old", 1), ("new", 2))}
    return CompareView.from_frames(
        per_concept={k: metrics.scores(ts) for k, ts in sets.items()},
        curves={k: metrics.curves(ts) for k, ts in sets.items()},
        matrices={k: metrics.confusion_matrix(ts) for k, ts in sets.items()},
    )


CASES = [
    ViewCase(
        cls=CurvesView,
        from_frames=_curves,
        from_read_model=lambda client: CurvesView.from_evaluation(_demo_classifiers(client)[0]),
        change={"selection": "top", "k": 2},
        bad_change={"threshold": 2.0},
        bad_frames=lambda: CurvesView.from_frames(roc=pd.DataFrame({"x": [1]}), pr=[1, 2]),
    ),
    ViewCase(
        cls=CompareView,
        from_frames=_compare,
        from_read_model=lambda client: CompareView.from_evaluations(_demo_classifiers(client)),
        change={"metric": "avg_precision"},
        bad_change={"baseline": "nobody"},
        bad_frames=lambda: CompareView.from_frames(per_concept={"a": [1], "b": "x"}),
    ),
]
