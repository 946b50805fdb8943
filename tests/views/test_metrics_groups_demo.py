"""The dataset views on the emulator's demo workspace (dataset ``wildlife``, versions v1-v3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clarinb import connect
from clarinb.emulator import serve
from clarinb.views import MetricsGroupsView, VersionDiffView


@pytest.fixture(scope="module")
def client() -> Iterator:
    with serve() as emu:
        yield connect(emulator=emu)


def test_metrics_groups_of_a_demo_version(client):
    view = MetricsGroupsView.from_dataset_version(client.dataset_version("wildlife", "v3"))
    totals = view.totals_
    assert totals["inputs_count"] > 500
    assert totals["bounding_boxes_count"] > 0
    assert totals["inputs_count"] >= totals["unlabeled_inputs_count"] > 0
    concepts = view.figure_.data[0]
    assert len(concepts.x) == 26
    assert list(concepts.y) == sorted(concepts.y, reverse=True)
    heat = view.figure_.data[-1]
    assert sum(map(sum, heat.z)) > 0
    assert view.imbalance_["ratio"] > 1
    pixels = next(t for t in view.figure_.data if t.name == "Pixels per input")
    assert len(set(pixels.width)) == 1
    assert len(pixels.x) > 1


def test_drill_into_a_demo_concept(client):
    view = MetricsGroupsView.from_dataset_version(client.dataset_version("wildlife", "v3"), top_n=5)
    assert view.widget_ is not None
    top = view.figure_.data[0].x[0]
    count = view.figure_.data[0].y[0]
    view.set(path=[top])
    assert view.level_ == f"/concept_id/{top}"
    assert view.totals_["inputs_count"] == count
    per_input = view._plot_widget.data[2]
    assert sum(per_input.y) == count  # every input of the concept has some number of concepts


def test_version_diff_of_demo_versions(client):
    view = VersionDiffView.from_dataset_versions(
        client.dataset_version("wildlife", "v1"), client.dataset_version("wildlife", "v3")
    )
    diff = view.diff_
    assert view.names == ("v1", "v3")
    assert (diff["delta"] == diff["b"] - diff["a"]).all()
    assert list(diff["delta"].abs()) == sorted(diff["delta"].abs(), reverse=True)
    assert view.figure_.data[2].y[0] == diff["delta"].iloc[0]
    inputs = VersionDiffView.from_dataset_versions(
        client.dataset_version("wildlife", "v1"),
        client.dataset_version("wildlife", "v2"),
        group_type="INPUT_TYPE",
    )
    changes = dict(zip(inputs.diff_["value"], inputs.diff_["change"], strict=True))
    assert changes.get("video") == "added"  # v1 has pictures only


def test_concepts_show_their_names_as_in_the_evaluation_views(client):
    version = client.dataset_version("wildlife", "v3")
    assert version.concept_names()["red-fox"] == "red fox"
    view = MetricsGroupsView.from_dataset_version(version, top_n=None)
    bars = view.figure_.data[0]
    assert "red-fox" in bars.x  # the bars keep the ids, which a click reads
    labels = list(view.figure_.layout.xaxis.ticktext)
    assert "red fox" in labels
    assert "red-fox" not in labels
    assert "red fox" in bars.customdata  # and the hover names it too
    drilled = view.set(path=["red-fox"])
    assert drilled.path == ("red-fox",)
    diff = VersionDiffView.from_dataset_versions(client.dataset_version("wildlife", "v2"), version)
    shown = set(diff.figure_.data[0].x)
    assert "red fox" in shown
    assert "red-fox" not in shown


def test_a_version_without_a_client_names_nothing():
    from clarinb import DatasetVersion

    version = DatasetVersion.from_dict({"id": "v1", "dataset_id": "ds", "status": {"code": 64015}})
    assert version.concept_names() == {}
