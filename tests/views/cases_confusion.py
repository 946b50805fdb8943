"""Common-test cases of the confusion group: ConfusionMatrixView and ThresholdView."""

from __future__ import annotations

import pandas as pd
from view_case import ViewCase

from clarinb.views import ConfusionMatrixView, ThresholdView
from tests.views.conftest import synthetic_test_set

#: A classifier of the demo workspace with a test set.
DEMO = "animals-base-on-v2"


def _matrix() -> pd.DataFrame:
    return pd.DataFrame([[8, 2, 0], [1, 9, 3], [0, 4, 7]], index=list("abc"), columns=list("abc"))


CASES = [
    ViewCase(
        cls=ConfusionMatrixView,
        id="matrix",
        from_frames=lambda: ConfusionMatrixView.from_frames(matrix=_matrix()),
        from_read_model=lambda client: ConfusionMatrixView.from_evaluation(client.evaluation(DEMO)),
        change={"normalize": "true"},
        bad_change={"normalize": "rows"},
        bad_frames=lambda: ConfusionMatrixView.from_frames(matrix=[[1, 2], [3, 4]]),
    ),
    ViewCase(
        cls=ConfusionMatrixView,
        id="test_set",
        from_frames=lambda: ConfusionMatrixView.from_frames(
            test_set=synthetic_test_set(n_concepts=5, n_inputs=60)
        ),
        from_read_model=lambda client: ConfusionMatrixView.from_evaluation(
            client.evaluation(DEMO), threshold=0.5
        ),
        change={"threshold": 0.6},
        bad_change={"threshold": 1.5},
        bad_frames=lambda: ConfusionMatrixView.from_frames(test_set={"input_id": ["a"]}),
    ),
    ViewCase(
        cls=ThresholdView,
        from_frames=lambda: ThresholdView.from_frames(
            test_set=synthetic_test_set(n_concepts=5, n_inputs=60)
        ),
        from_read_model=lambda client: ThresholdView.from_evaluation(client.evaluation(DEMO)),
        change={"threshold": 0.8},
        bad_change={"overrides": {"zebra": 0.3}},
        bad_frames=lambda: ThresholdView.from_frames(test_set=pd.DataFrame({"score": [0.5]})),
    ),
]
