"""The demo workspace as served: every evaluation and metrics group in the service's format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from wire_check import canonical, parse_response, wire_differences

from clarinb import connect
from clarinb.api.endpoints import ENDPOINTS, EVALUATION_FIELD_FLAGS
from clarinb.emulator import Emulator, serve

ALL_FIELDS = dict.fromkeys(EVALUATION_FIELD_FLAGS, True)


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Emulator, Any]]:
    with serve() as emulator, connect(emulator=emulator, max_retries=0) as client:
        yield emulator, client


def _check(operation: str, body: dict[str, Any]) -> None:
    message = parse_response(ENDPOINTS[operation], body)
    assert wire_differences(body, canonical(message)) == []


def test_every_demo_evaluation_with_every_field(demo: tuple[Emulator, Any]) -> None:
    _, client = demo
    listed = client.call("V2_ListEvaluations3", query={"showFailedMetrics": True})
    _check("V2_ListEvaluations3", listed)
    assert len(listed["eval_metrics"]) >= 6
    endpoint = ENDPOINTS["V2_GetEvaluation2"]
    compared: set[tuple[str, int]] = set()
    for evaluation in listed["eval_metrics"]:
        full = client.call("V2_GetEvaluation2", evaluationId=evaluation["id"], query=ALL_FIELDS)
        message = parse_response(endpoint, full)
        kind = (evaluation["model"].get("model_type_id", ""), evaluation["status"]["code"])
        if kind not in compared:  # the canonical comparison is slow: once per kind
            compared.add(kind)
            assert wire_differences(full, canonical(message)) == []
        if full["eval_metrics"]["status"]["code"] == 21300:
            assert full["eval_metrics"]["test_set"]
    assert len(compared) >= 3


def test_every_demo_version_and_its_metrics_groups(demo: tuple[Emulator, Any]) -> None:
    emulator, client = demo
    for version in emulator.store.home.dataset_versions:
        params = {"datasetId": version["dataset_id"], "datasetVersionId": version["id"]}
        _check("V2_GetDatasetVersion2", client.call("V2_GetDatasetVersion2", **params))
        groups = client.call(
            "V2_ListDatasetVersionMetricsGroups2", query={"perPage": 1000}, **params
        )
        _check("V2_ListDatasetVersionMetricsGroups2", groups)
        assert groups["dataset_version_metrics_groups"]


def test_demo_images_are_absolute_and_served(demo: tuple[Emulator, Any]) -> None:
    import requests

    emulator, client = demo
    inputs = client.call("V2_ListInputs2", query={"perPage": 1000})
    _check("V2_ListInputs2", inputs)
    urls = [i["data"]["image"]["url"] for i in inputs["inputs"] if "image" in i["data"]]
    assert urls
    assert all(u.startswith(emulator.url + "/media/") for u in urls)
    got = requests.get(urls[0], headers={"Authorization": f"Key {emulator.pat}"}, timeout=5)
    assert got.status_code == 200
    assert got.content.startswith(b"\x89PNG")
