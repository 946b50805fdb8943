from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from clarinb import connect
from clarinb.api.endpoints import EVALUATION_FIELD_FLAGS
from clarinb.emulator import Emulator, lifecycle, serve
from clarinb.emulator.demo import evaluate, metrics_groups, run_evaluation

ALL_FIELDS = dict.fromkeys(EVALUATION_FIELD_FLAGS, True)


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """States move only on reads, never by the clock, so the sequence is exact."""
    monkeypatch.setattr(lifecycle, "STEP_SECONDS", 1e9)


@pytest.fixture(scope="module")
def demo() -> Iterator[Emulator]:
    with serve() as emulator:
        yield emulator


@pytest.fixture
def dclient(demo: Emulator) -> Iterator[Any]:
    with connect(emulator=demo, max_retries=0) as client:
        yield client


def _post_eval(client: Any, model: str, dataset: str, version: str) -> str:
    body = {
        "eval_metrics": [
            {
                "model": {"id": model},
                "ground_truth_dataset": {"id": dataset, "version": {"id": version}},
            }
        ]
    }
    out = client.call("V2_PostEvaluations2", body=body)["eval_metrics"][0]
    assert out["status"]["code"] == 21303
    assert "summary" not in out
    return out["id"]


def test_evaluation_moves_queued_evaluating_evaluated(slow_clock: None, dclient: Any) -> None:
    ident = _post_eval(dclient, "animals-base", "wildlife", "v2")
    codes = [
        dclient.call("V2_GetEvaluation2", evaluationId=ident)["eval_metrics"]["status"]["code"]
        for _ in range(3)
    ]
    assert codes == [21301, 21300, 21300]
    full = dclient.call("V2_GetEvaluation2", evaluationId=ident, query=ALL_FIELDS)["eval_metrics"]
    recomputed = evaluate(full["test_set"], kind="classifier")
    assert full["summary"] == pytest.approx(recomputed["summary"])

    def cells(matrix: dict[str, Any]) -> list[tuple[str, str, float]]:
        return [(c["actual"], c["predicted"], c["value"]) for c in matrix["matrix"]]

    assert cells(full["confusion_matrix"]) == cells(recomputed["confusion_matrix"])
    assert len(full["binary_metrics"]) == len(recomputed["binary_metrics"])
    light = dclient.call("V2_GetEvaluation2", evaluationId=ident)["eval_metrics"]
    assert "test_set" not in light
    assert "binary_metrics" not in light
    assert "summary" in light


def test_posted_evaluation_uses_the_versions_current_labels(
    slow_clock: None, demo: Emulator, dclient: Any
) -> None:
    ident = _post_eval(dclient, "animals-large", "wildlife", "v3")
    for _ in range(2):
        got = dclient.call("V2_GetEvaluation2", evaluationId=ident)["eval_metrics"]
    app = demo.store.home
    inputs = [i for i in app.inputs if "wildlife" in i.get("dataset_ids", [])]
    ids = {i["id"] for i in inputs}
    expected = run_evaluation(
        "animals-large", inputs, [a for a in app.annotations if a["input_id"] in ids]
    )
    assert got["summary"] == pytest.approx(expected["summary"])


def test_evaluation_without_labels_fails(slow_clock: None, dclient: Any) -> None:
    ident = _post_eval(dclient, "animals-large", "new-uploads", "v1")
    for _ in range(2):
        status = dclient.call("V2_GetEvaluation2", evaluationId=ident)["eval_metrics"]["status"]
    assert status["code"] == 21315
    listed = dclient.call("V2_ListEvaluations3")["eval_metrics"]
    assert ident not in [e["id"] for e in listed]
    shown = dclient.call("V2_ListEvaluations3", query={"showFailedMetrics": True})["eval_metrics"]
    assert ident in [e["id"] for e in shown]


def test_evaluation_moves_on_by_itself(monkeypatch: pytest.MonkeyPatch, dclient: Any) -> None:
    monkeypatch.setattr(lifecycle, "STEP_SECONDS", 0.0)
    ident = _post_eval(dclient, "animals-mobile", "wildlife", "v2")
    got = dclient.call("V2_GetEvaluation2", evaluationId=ident)["eval_metrics"]
    assert got["status"]["code"] == 21300
    assert "summary" in got


def test_dataset_version_pending_in_progress_ready_then_groups(
    slow_clock: None, demo: Emulator, dclient: Any
) -> None:
    out = dclient.call(
        "V2_PostDatasetVersions2",
        datasetId="wildlife",
        body={"dataset_versions": [{"description": "fresh"}]},
    )
    version = out["dataset_versions"][0]
    assert version["status"]["code"] == 64005
    vid = version["id"]
    empty = dclient.call(
        "V2_ListDatasetVersionMetricsGroups2", datasetId="wildlife", datasetVersionId=vid
    )
    assert empty["dataset_version_metrics_groups"] == []
    code = dclient.call("V2_GetDatasetVersion2", datasetId="wildlife", datasetVersionId=vid)
    assert code["dataset_version"]["status"]["code"] == 64015
    groups = list(
        dclient.paginate(
            "V2_ListDatasetVersionMetricsGroups2",
            datasetId="wildlife",
            datasetVersionId=vid,
            per_page=1000,
        )
    )
    app = demo.store.home
    inputs = [i for i in app.inputs if "wildlife" in i.get("dataset_ids", [])]
    ids = {i["id"] for i in inputs}
    expected = metrics_groups(inputs, [a for a in app.annotations if a["input_id"] in ids])
    assert len(groups) == len(expected)
    assert groups[0]["metrics"]["inputs_count"] == expected[0]["metrics"]["inputs_count"]
    concept_groups = dclient.call(
        "V2_ListDatasetVersionMetricsGroups2",
        datasetId="wildlife",
        datasetVersionId=vid,
        query={"types": ["CONCEPT_ID"], "parentPaths": [""]},
    )
    assert {g["type"] for g in concept_groups["dataset_version_metrics_groups"]} == {10}


def test_exports_pending_then_success_and_downloadable(
    slow_clock: None, demo: Emulator, dclient: Any
) -> None:
    def put() -> dict[str, Any]:
        return dclient.call(
            "V2_PutDatasetVersionExports2",
            datasetId="wildlife",
            datasetVersionId="v1",
            body={"exports": [{"format": "CLARIFAI_DATA_JSON"}]},
        )["exports"][0]

    assert put()["status"]["code"] == 64201
    done = put()
    assert done["status"]["code"] == 64200
    assert int(done["size"]) > 0
    assert done["url"].startswith(demo.url)
    archive = requests.get(done["url"], headers={"Authorization": f"Key {demo.pat}"}, timeout=10)
    assert len(archive.content) == int(done["size"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        assert z.read("mimetype") == b"application/x.clarifai-data+json"
        batch = json.loads(z.read("batch-0.json"))
    version = demo.store.home.version("wildlife", "v1")
    members = version.get("_input_ids") or [
        i["id"] for i in demo.store.home.inputs if "wildlife" in i.get("dataset_ids", [])
    ]
    assert sorted(i["id"] for i in batch["inputs"]) == sorted(members)


def test_jobs_run_and_cancel(slow_clock: None, dclient: Any) -> None:
    out = dclient.call(
        "V2_PostInputsDataSources2",
        body={"data_sources": [{"url": {"url": "https://example.com/a.zip"}}]},
    )
    job = out["inputs_add_jobs"][0]
    assert job["status"]["code"] == 64000
    got = dclient.call("V2_GetInputsAddJob2", id=job["id"])["inputs_add_job"]
    assert got["status"]["code"] == 64001
    assert got["extraction_jobs"][0]["url"] == "https://example.com/a.zip"
    cancelled = dclient.call("V2_CancelInputsAddJob2", id=job["id"])["inputs_add_job"]
    assert cancelled["status"]["code"] == 64004


def test_video_manifest_is_served(dclient: Any, demo: Emulator) -> None:
    videos = [i for i in demo.store.home.inputs if "video" in i.get("data", {})]
    url = dclient.call("V2_GetInputVideoManifest2", inputId=videos[0]["id"])["manifest_url"]
    body = requests.get(url, headers={"Authorization": f"Key {demo.pat}"}, timeout=5)
    assert body.status_code == 200
    assert "<MPD" in body.text
