"""Dropdowns, titles and tables show readable names, never raw API enum or field names."""

from __future__ import annotations

import re

import pytest

from clarinb.apps import DatasetVersionExplorer
from clarinb.views import MetricsGroupsView, VersionDiffView

_RAW = re.compile(r"^[A-Z][A-Z0-9_]{3,}$|_count$|NOT_SET")


@pytest.fixture(scope="module")
def versions(eval_demo):
    return eval_demo.dataset_version("wildlife", "v2"), eval_demo.dataset_version("wildlife", "v3")


def _labels(control) -> list[str]:
    return [o[0] if isinstance(o, tuple) else str(o) for o in control.options]


def _dropdown_labels(view) -> list[str]:
    view.widget_  # noqa: B018 - builds the controls
    return [
        label
        for control in view.controls_.values()
        if control is not None and hasattr(control, "options")
        for label in _labels(control)
    ]


def test_metrics_groups_dropdowns_are_readable(versions) -> None:
    labels = _dropdown_labels(MetricsGroupsView.from_dataset_version(versions[1]))
    assert "inputs" in labels
    assert [s for s in labels if _RAW.search(s)] == []


def test_version_diff_dropdowns_and_title_are_readable(versions) -> None:
    view = VersionDiffView.from_dataset_versions(*versions)
    labels = _dropdown_labels(view)
    assert "Whole version" in labels
    assert "Concepts" in labels
    assert [s for s in labels if _RAW.search(s)] == []
    assert view.figure_.layout.title.text.startswith("Concepts: v2 vs v3")
    # the values behind the labels stay the API's, so set() keeps taking them
    view.set(group_type="INPUT_TYPE")
    assert view.controls_["group_type"].value == "INPUT_TYPE"


def test_dataset_explorer_export_formats_are_readable(eval_demo) -> None:
    explorer = DatasetVersionExplorer(eval_demo, "wildlife")
    labels = _dropdown_labels(explorer)
    assert "COCO" in labels
    assert [s for s in labels if _RAW.search(s) and s != "COCO"] == []
