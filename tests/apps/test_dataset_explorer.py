"""DatasetVersionExplorer against a scripted client: versions, status polling, exports."""

from __future__ import annotations

import pandas as pd
import pytest

from clarinb.apps import DatasetVersionExplorer
from clarinb.apps._dataset_panels import exports_html
from clarinb.dataset_version import status_label
from clarinb.errors import InvalidArgumentError
from clarinb.views import MetricsGroupsView, VersionDiffView

STEPS = [64005, 64010, 64015]  # pending -> in progress -> ready
EXPORT_STEPS = [64201, 64203, 64200]


class ScriptedClient:
    """Answers the dataset-version operations; each list call advances new versions one step."""

    def __init__(self) -> None:
        self.versions = [
            {"id": "v1", "status": {"code": 64015}, "created_at": "2026-01-01T00:00:00Z"},
            {"id": "v0", "status": {"code": 64020}, "created_at": "2025-01-01T00:00:00Z"},
        ]
        self.steps: dict[str, int] = {}
        self.export_steps = 0
        self.frozen: set[str] = set()
        self.calls: list[str] = []

    def paginate(self, operation: str, **params):
        self.calls.append(operation)
        if operation == "V2_ListDatasetVersions2":
            assert params["datasetId"] == "ds"
            for version in self.versions:
                if version["id"] in self.steps and version["id"] not in self.frozen:
                    step = min(self.steps[version["id"]] + 1, len(STEPS) - 1)
                    self.steps[version["id"]] = step
                    version["status"] = {"code": STEPS[step]}
            return iter(self.versions)
        if operation == "V2_ListDatasetVersionMetricsGroups2":
            return iter(
                [
                    {"value": "total", "metrics": {"inputs_count": "12"}},
                    {"type": "CONCEPT_ID", "value": "cat", "metrics": {"inputs_count": "12"}},
                ]
            )
        if operation == "V2_ListModels3":  # the concept names
            concepts = [{"id": "cat", "name": "house cat"}]
            return iter([{"id": "m", "output_info": {"data": {"concepts": concepts}}}])
        raise AssertionError(operation)

    def call(self, operation: str, **params):
        self.calls.append(operation)
        if operation == "V2_PostDatasetVersions2":
            new = {
                "id": "v2",
                "status": {"code": 64005},
                "created_at": "2026-02-01T00:00:00Z",
                "description": params["body"]["dataset_versions"][0]["description"],
            }
            self.versions.insert(0, new)
            self.steps["v2"] = -1
            return {"dataset_versions": [new]}
        if operation == "V2_PutDatasetVersionExports2":
            code = EXPORT_STEPS[min(self.export_steps, 2)]
            self.export_steps += 1
            fmt = params["body"]["exports"][0]["format"]
            url = "https://data.example/export.zip" if code == 64200 else ""
            return {
                "exports": [{"format": fmt, "status": {"code": code}, "url": url, "size": "99"}]
            }
        raise AssertionError(operation)


@pytest.fixture
def client() -> ScriptedClient:
    return ScriptedClient()


def test_status_labels():
    assert [status_label(c) for c in (64005, 64010, 64015, 64020, None)] == [
        "pending",
        "in progress",
        "ready",
        "failed",
        "unknown",
    ]


def test_versions_listed_newest_first(client):
    explorer = DatasetVersionExplorer(client, "ds")
    assert explorer.versions_["id"].tolist() == ["v1", "v0"]
    assert explorer.versions_["state"].tolist() == ["ready", "failed"]
    assert explorer.version_id == "v1"
    assert list(explorer.figure_.data[0].cells.values[1]) == ["ready", "failed"]
    with pytest.raises(InvalidArgumentError, match="version_id"):
        explorer.set(version_id="v9")


def test_new_version_is_polled_until_ready(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=10)
    assert explorer.widget_ is not None
    explorer.create_version("relabelled")
    assert explorer.version_id == "v2"
    assert explorer.state_ == "pending"
    assert "pending" in explorer._status.value
    explorer.poll()  # a background thread
    explorer._poller.join(30)
    assert explorer.state_ == "ready"
    assert explorer.polls_ == 2  # in progress, then ready: polling stopped there
    # once ready, the version's metrics groups are shown
    metrics = explorer.views_["metrics"]
    assert isinstance(metrics, MetricsGroupsView)
    assert metrics.totals_["inputs_count"] == 12
    assert explorer._metrics.children[0] is metrics.widget_


def test_every_panel_follows_the_selected_version(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=10)
    assert explorer.widget_ is not None
    old = explorer.views_["metrics"]
    assert explorer._metrics.children[0] is old.widget_
    explorer.create_version("relabelled")
    # the new version is pending: its panel says so instead of showing v1's metrics
    assert "metrics" not in explorer.views_
    assert explorer._metrics.children[0] is not old.widget_
    assert "v2 is pending" in explorer._metrics.children[0].value
    assert explorer._picker.value == "v2"


def test_writes_ask_for_confirmation(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=10)
    assert explorer.widget_ is not None
    explorer.controls_["new version…"].click()
    assert "V2_PostDatasetVersions2" not in client.calls
    assert explorer._confirm.widget.layout.display == "flex"
    assert "Create a new version of ds" in explorer._confirm._question.value
    explorer._confirm.cancel()
    assert "V2_PostDatasetVersions2" not in client.calls
    explorer.controls_["new version…"].click()
    explorer._confirm.confirm()
    explorer._poller.join(30)
    assert client.calls.count("V2_PostDatasetVersions2") == 1
    assert explorer.version_id == "v2"


def test_polling_is_bounded(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=3)
    explorer.create_version()
    client.frozen.add("v2")  # stays pending for ever
    explorer.poll(background=False)
    assert explorer.polls_ == 3
    assert explorer.state_ == "pending"


def test_exports_requested_and_followed(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=10)
    assert explorer.widget_ is not None
    explorer.controls_["format"].value = "COCO"
    explorer.controls_["export…"].click()
    assert "V2_PutDatasetVersionExports2" not in client.calls
    explorer._confirm.confirm()
    explorer._poller.join(30)
    assert explorer.exports_["format"].tolist() == ["COCO"]
    assert explorer.exports_["state"].tolist() == ["ready"]
    assert client.export_steps == 3
    assert 'href="https://data.example/export.zip"' in explorer._exports.value
    assert ">download</a>" in explorer._exports.value
    with pytest.raises(InvalidArgumentError, match="formats"):
        explorer.export(["ZIP"])


def test_bad_arguments(client):
    with pytest.raises(InvalidArgumentError, match="dataset_id"):
        DatasetVersionExplorer(client, "")
    with pytest.raises(InvalidArgumentError, match="max_polls"):
        DatasetVersionExplorer(client, "ds", max_polls=0)


def test_html_lists_versions_and_exports(tmp_path, client):
    explorer = DatasetVersionExplorer(client, "ds", theme="dark")
    explorer.export(["COCO"])
    text = explorer.to_html(tmp_path / "versions.html").read_text()
    assert "Exports" in text
    assert "COCO" in text
    assert "v0" in text
    assert 'class="dark"' in text


def test_only_web_links_are_linked():
    row = {"format": "COCO", "state": "ready", "size": 1, "url": "javascript:alert(1)"}
    assert "href" not in str(exports_html(pd.DataFrame([row])))
    row["url"] = "https://data.example/x.zip"
    assert 'href="https://data.example/x.zip"' in str(exports_html(pd.DataFrame([row])))


def test_the_diff_opens_on_the_two_latest_ready_versions(client):
    client.versions.insert(
        0, {"id": "v3", "status": {"code": 64015}, "created_at": "2026-03-01T00:00:00Z"}
    )
    explorer = DatasetVersionExplorer(client, "ds")
    assert explorer.diff == ("v1", "v3")
    assert explorer.widget_ is not None
    assert isinstance(explorer.views_["diff"], VersionDiffView)
    assert (explorer._older.value, explorer._newer.value) == ("v1", "v3")
    with pytest.raises(InvalidArgumentError, match="two version ids"):
        explorer.set(diff="v1")
