"""Common-test cases of the slices view."""

from __future__ import annotations

import numpy as np
import pandas as pd
from view_case import ViewCase

from clarinb import metrics
from clarinb.views.slices import SlicesView
from tests.views.conftest import synthetic_test_set


def _from_frames() -> SlicesView:
    ts = synthetic_test_set(seed=3)
    inputs = pd.unique(ts["input_id"].astype(str))
    keys = pd.Series(np.array(["day", "night", "dusk"])[np.arange(len(inputs)) % 3], index=inputs)
    found = metrics.slice_metrics(ts, keys, n_resamples=50)
    return SlicesView.from_frames(slices=found.slices, whole=found.whole, by="time of day")


def _from_read_model(client) -> SlicesView:
    ev = client.evaluation("animals-mobile-on-v2")
    tagger = client.evaluation("scene-tagger-on-v2")
    return SlicesView.from_evaluation(ev, by="concept:night", labels_from=tagger, n_resamples=50)


CASES = [
    ViewCase(
        cls=SlicesView,
        from_frames=_from_frames,
        from_read_model=_from_read_model,
        change={"metric": "f1"},
        bad_change={"metric": "speed"},
        bad_frames=lambda: SlicesView.from_frames(slices=[1, 2], whole=pd.DataFrame()),
    )
]
