"""Common-test case of the multi-label group: MultiLabelConfusionView."""

from __future__ import annotations

import pandas as pd
from view_case import ViewCase

from clarinb.views import MultiLabelConfusionView
from tests.views.conftest import multi_label_test_set

#: The multi-label classifier of the demo workspace.
DEMO = "scene-tagger-on-v2"

CASES = [
    ViewCase(
        cls=MultiLabelConfusionView,
        from_frames=lambda: MultiLabelConfusionView.from_frames(test_set=multi_label_test_set()),
        from_read_model=lambda client: MultiLabelConfusionView.from_evaluation(
            client.evaluation(DEMO)
        ),
        change={"threshold": 0.8},
        bad_change={"threshold": "high"},
        bad_frames=lambda: MultiLabelConfusionView.from_frames(
            test_set=pd.DataFrame({"score": [0.5]})
        ),
    ),
]
