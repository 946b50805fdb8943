"""Every reply the emulator can give, in every state, parses strictly into its response message.

The walks take each resource through its whole lifecycle (evaluations,
dataset versions with their metrics groups, exports, jobs, model uploads,
saved searches), with error and MIXED_STATUS replies on the way, and every
fault kind; each raw reply is parsed with unknown fields rejected
(``wire_check.parse_raw``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from tiny import tiny_workspace
from wire_check import parse_raw

from clarinb.api.endpoints import ENDPOINTS, EVALUATION_FIELD_FLAGS
from clarinb.emulator import Emulator, lifecycle, serve
from clarinb.emulator.faults import KINDS

WILDLIFE = "wildlife"
EVERY_PART = "&".join(f"{flag}=true" for flag in EVALUATION_FIELD_FLAGS)


class Strict:
    """Raw HTTP on the emulator's full-form routes; every reply parsed strictly."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.base = f"{emu.url}/v2/users/{emu.user_id}/apps/{emu.app_id}"
        self.headers = {"Authorization": f"Key {emu.pat}"}
        self.parsed = 0

    def __call__(
        self,
        operation: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        query: str = "",
        code: int = 10000,
    ) -> dict[str, Any]:
        method = ENDPOINTS[operation].method
        url = self.base + path + (f"?{query}" if query else "")
        reply = requests.request(
            method, url, headers=self.headers, timeout=30, json=body if body is not None else None
        )
        parse_raw(ENDPOINTS[operation], reply.text)
        self.parsed += 1
        out: dict[str, Any] = reply.json()
        assert out["status"]["code"] == code, (operation, out["status"])
        return out


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> Iterator[Strict]:
    """The demo emulator, its resources moving one state per read."""
    monkeypatch.setattr(lifecycle, "STEP_SECONDS", 1e9)
    with serve() as emu:
        yield Strict(emu)


def _post_evaluation(strict: Strict, model: str, dataset: str, version: str) -> str:
    body = {
        "eval_metrics": [
            {
                "model": {"id": model},
                "ground_truth_dataset": {"id": dataset, "version": {"id": version}},
            }
        ]
    }
    posted = strict("V2_PostEvaluations2", "/evaluations", body)["eval_metrics"][0]
    assert posted["status"]["code"] == 21303
    return str(posted["id"])


def test_evaluation_lifecycles(strict: Strict) -> None:
    for model, dataset, version, states in [
        ("animals-base", WILDLIFE, "v2", [21301, 21300, 21300]),
        ("animals-detector", WILDLIFE, "v3", [21301, 21300]),
        ("animals-large", "new-uploads", "v1", [21301, 21315, 21315]),
    ]:
        ident = _post_evaluation(strict, model, dataset, version)
        seen = []
        for _ in states:
            got = strict("V2_GetEvaluation2", f"/evaluations/{ident}", query=EVERY_PART)
            seen.append(got["eval_metrics"]["status"]["code"])
            strict("V2_ListEvaluations3", "/evaluations", query="show_failed_metrics=true")
        assert seen == states
    strict("V2_GetEvaluation2", "/evaluations/nothing", code=11101)
    mixed = {
        "eval_metrics": [
            {
                "model": {"id": "animals-base"},
                "ground_truth_dataset": {"id": WILDLIFE, "version": {"id": "v1"}},
            },
            {
                "id": "bad",
                "model": {"id": "nothing"},
                "ground_truth_dataset": {"id": WILDLIFE, "version": {"id": "v1"}},
            },
        ]
    }
    strict("V2_PostEvaluations2", "/evaluations", mixed, code=10010)


def test_dataset_version_lifecycle_with_groups_and_exports(strict: Strict) -> None:
    path = f"/datasets/{WILDLIFE}/versions"
    posted = strict("V2_PostDatasetVersions2", path, {"dataset_versions": [{"description": "new"}]})
    vid = posted["dataset_versions"][0]["id"]
    assert posted["dataset_versions"][0]["status"]["code"] == 64005
    one = f"{path}/{vid}"
    states = []
    for _ in range(2):
        states.append(strict("V2_GetDatasetVersion2", one)["dataset_version"]["status"]["code"])
        strict("V2_ListDatasetVersions2", path)
    assert states == [64010, 64015]
    pending = strict("V2_PostDatasetVersions2", path, {"dataset_versions": [{}]})
    early = f"{path}/{pending['dataset_versions'][0]['id']}/metrics"
    assert (
        strict("V2_ListDatasetVersionMetricsGroups2", early)["dataset_version_metrics_groups"] == []
    )
    groups = strict("V2_ListDatasetVersionMetricsGroups2", f"{one}/metrics", query="per_page=1000")
    assert groups["dataset_version_metrics_groups"]
    exports = {
        "exports": [{"format": f} for f in ("CLARIFAI_DATA_PROTOBUF", "CLARIFAI_DATA_JSON", "COCO")]
    }
    first = strict("V2_PutDatasetVersionExports2", f"{one}/exports", exports)["exports"]
    again = strict("V2_PutDatasetVersionExports2", f"{one}/exports", exports)["exports"]
    assert [e["status"]["code"] for e in first + again] == [64201] * 3 + [64200] * 3
    shown = strict("V2_GetDatasetVersion2", one)["dataset_version"]
    assert set(shown["export_info"]) == {"clarifai_data_protobuf", "clarifai_data_json", "coco"}
    strict(
        "V2_PatchDatasetVersions2",
        path,
        {
            "action": "overwrite",
            "dataset_versions": [{"id": vid, "description": "x"}, {"id": "v9"}],
        },
        code=10010,
    )
    strict("V2_DeleteDatasetVersions2", path, {"dataset_version_ids": [vid]})
    strict("V2_GetDatasetVersion2", one, code=11101)


def test_jobs_uploads_and_saved_searches(strict: Strict) -> None:
    source = {
        "data_sources": [{"inputs_add_job_id": "j1", "url": {"url": "https://example.com/a.zip"}}]
    }
    assert strict("V2_PostInputsDataSources2", "/inputs/data_sources", source)["inputs_add_jobs"]
    states = [
        strict("V2_GetInputsAddJob2", "/inputs/jobs/add/j1")["inputs_add_job"]["status"]["code"]
        for _ in range(3)
    ]
    assert states == [64001, 64002, 64002]
    strict("V2_ListInputsAddJobs2", "/inputs/jobs/add")
    extraction = strict("V2_ListInputsExtractionJobs2", "/inputs/jobs/extraction")
    for job in extraction["inputs_extraction_jobs"]:
        strict("V2_GetInputsExtractionJob2", f"/inputs/jobs/extraction/{job['id']}")
    upload = {"inputs_uploads": [{"inputs_add_job_id": "j2", "upload": {"content_name": "b.zip"}}]}
    strict("V2_PostInputsUploads2", "/inputs/uploads", upload)
    cancelled = strict("V2_CancelInputsAddJob2", "/inputs/jobs/add/j2", {})
    assert cancelled["inputs_add_job"]["status"]["code"] == 64004
    model = strict("V2_ListModels3", "/models")["models"][0]["id"]
    config = {
        "upload_config": {"model_id": model, "total_size": "3", "model_version": {"id": "u1"}}
    }
    strict("V2_PostModelVersionsUpload", "/models/versions/upload", config)
    strict(
        "V2_PostModelVersionsUpload", "/models/versions/upload", {"content_part": {"data": "AAEC"}}
    )
    got = strict("V2_GetModel2", f"/models/{model}")["model"]["model_version"]
    assert got["id"] == "u1"
    search = {
        "id": "mine",
        "save": True,
        "query": {"filters": [{"input": {"dataset_ids": [WILDLIFE]}}]},
    }
    strict("V2_PostInputsSearches2", "/inputs/searches", {"searches": [search]})
    strict(
        "V2_PatchInputsSearches2",
        "/inputs/searches",
        {"action": "merge", "searches": [{"id": "mine", "name": "Mine"}]},
    )
    strict("V2_PostInputsSearches2", "/inputs/searches", {"searches": [{"id": "mine"}]})


def test_errors_and_scopes(strict: Strict) -> None:
    strict("V2_GetInput2", "/inputs/nothing", code=30102)
    strict("V2_GetModel2", "/models/nothing", code=21200)
    strict("V2_PostInputs2", "/inputs", {"inputs": [], "colour": "red"}, code=11102)
    listed = strict("V2_ListInputs2", "/inputs", query="per_page=1")["inputs"][0]["id"]
    strict("V2_DeleteInput2", f"/inputs/{listed}", {"user_app_id": {"user_id": "me"}})
    strict("V2_DeleteInput2", f"/inputs/{listed}", code=30102)
    strict.base = f"{strict.emu.url}/v2/users/{strict.emu.user_id}/apps/nowhere"
    strict("V2_ListInputs2", "/inputs", code=11101)
    strict("V2_PostInputs2", "/inputs", {"inputs": [{"id": "x", "data": {}}]}, code=11101)
    assert strict.parsed >= 8


def _comparable(text: str, base_url: str) -> str:
    """The reply without what differs between two emulators: request id and address."""
    return re.sub(r'"req_id":"[0-9a-f]*"', '"req_id":""', text).replace(base_url, "BASE")


@pytest.mark.parametrize("kind", KINDS)
def test_every_fault_reply_parses_or_is_no_reply(kind: str) -> None:
    operations = [
        ("V2_ListInputs2", "/v2/inputs"),
        ("V2_GetEvaluation2", "/v2/evaluations/eval-1?fields.test_set=true"),
        ("V2_ListDatasetVersionMetricsGroups2", "/v2/datasets/pets/versions/v1/metrics"),
    ]
    with serve(data=tiny_workspace(), faults=f"rate=1,kinds={kind},retry_after=0") as emu:
        headers = {"Authorization": f"Key {emu.pat}"}
        for operation, path in operations:
            if kind == "drop":
                with pytest.raises(requests.ConnectionError):
                    requests.get(emu.url + path, headers=headers, timeout=5)
                continue
            reply = requests.get(emu.url + path, headers=headers, timeout=5)
            if kind != "truncate":
                parse_raw(ENDPOINTS[operation], reply.text)
                assert reply.json()["status"]["code"] in (11005, 98004, 40031)
                continue
            with pytest.raises(json.JSONDecodeError):
                json.loads(reply.text)
            with serve(data=tiny_workspace(), pat=emu.pat) as clean:
                whole = requests.get(clean.url + path, headers=headers, timeout=5).text
                start = _comparable(whole, clean.url)
            parse_raw(ENDPOINTS[operation], whole)
            half = _comparable(reply.text, emu.url).rsplit('"', 1)[0]
            assert half
            assert start.startswith(half)
