"""DatasetVersionExplorer against a scripted client: versions, status polling, exports."""

from __future__ import annotations

import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.views import DatasetVersionExplorer, MetricsGroupsView
from clarinb.views.dataset_explorer import status_label

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
    with pytest.raises(InvalidArgumentError, match="not a version"):
        explorer.select("v9")


def test_new_version_is_polled_until_ready(client):
    explorer = DatasetVersionExplorer(client, "ds", poll_interval=0, max_polls=10)
    box = explorer.widget_
    explorer.create_version("relabelled")
    assert explorer.version_id == "v2"
    assert explorer.state_ == "pending"
    assert "pending" in explorer._status.value
    explorer.poll()  # a background thread
    explorer._poller.join(30)
    assert explorer.state_ == "ready"
    assert explorer.polls_ == 2  # in progress, then ready: polling stopped there
    # once ready, the version's metrics groups are shown
    assert isinstance(explorer._metrics_view, MetricsGroupsView)
    assert explorer._metrics_view.totals_["inputs_count"] == 12
    assert box.children[-1].children[0] is explorer._metrics_view.widget_


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
    explorer.controls_["export"].click()
    explorer._poller.join(30)
    assert explorer.exports_["format"].tolist() == ["COCO"]
    assert explorer.exports_["state"].tolist() == ["ready"]
    assert client.export_steps == 3
    assert "available" in explorer._exports.value
    assert "example" not in explorer._exports.value  # the URL itself is not printed
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
