"""Common-test cases of the dataset views: ``MetricsGroupsView`` and ``VersionDiffView``."""

from __future__ import annotations

import pandas as pd
from view_case import ViewCase

from clarinb.views import MetricsGroupsView, VersionDiffView

DATASET = "wildlife"


def _groups(counts: dict[str, int]) -> pd.DataFrame:
    rows = [("", "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET", "total", sum(counts.values()))]
    rows += [("", "CONCEPT_ID", c, n) for c, n in counts.items()]
    rows += [(f"/concept_id/{c}", "CONCEPTS_COUNT", 1, n) for c, n in counts.items()]
    frame = pd.DataFrame(rows, columns=["parent_path", "type", "value", "inputs_count"])
    return frame.astype({"inputs_count": "Int64"})


CASES = [
    ViewCase(
        cls=MetricsGroupsView,
        from_frames=lambda: MetricsGroupsView.from_frames(groups=_groups({"cat": 6, "dog": 3})),
        from_read_model=lambda client: MetricsGroupsView.from_dataset_version(
            client.dataset_version(DATASET, "v3")
        ),
        change={"path": ["cat"]},
        bad_change={"top_n": 0},
        bad_frames=lambda: MetricsGroupsView.from_frames(groups=[1, 2]),
    ),
    ViewCase(
        cls=VersionDiffView,
        from_frames=lambda: VersionDiffView.from_frames(
            a=_groups({"cat": 6, "dog": 3}), b=_groups({"cat": 2, "eel": 5})
        ),
        from_read_model=lambda client: VersionDiffView.from_dataset_versions(
            client.dataset_version(DATASET, "v1"), client.dataset_version(DATASET, "v3")
        ),
        change={"top_n": 1},
        bad_change={"metric": "weight"},
        bad_frames=lambda: VersionDiffView.from_frames(a=_groups({"cat": 1}), b="groups"),
    ),
]
