from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from wire_check import parse_response

from clarinb.api.endpoints import ENDPOINTS
from clarinb.errors import ApiError, NotFoundError

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_post_generates_ids_and_rfc3339_timestamps(client: Any) -> None:
    out = client.call("V2_PostLabelOrders2", body={"label_orders": [{"name": "a"}, {"name": "b"}]})
    orders = out["label_orders"]
    assert len(orders) == 2
    assert orders[0]["id"] != orders[1]["id"]
    for order in orders:
        assert HEX32.match(order["id"])
        assert order["created_at"].endswith("Z")
        assert pd.Timestamp(order["created_at"]) == pd.Timestamp(order["modified_at"])
        assert order["status"]["code"] == 55001
    got = client.call("V2_GetLabelOrder2", labelOrderId=orders[0]["id"])["label_order"]
    assert got["name"] == "a"


def test_duplicate_id_is_refused(client: Any) -> None:
    with pytest.raises(ApiError) as err:
        client.call("V2_PostInputs2", body={"inputs": [{"id": "in-00", "data": {}}]})
    assert err.value.http_status == 409
    assert err.value.code == 30100


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("V2_GetInput2", {"inputId": "nope"}, 30102),
        ("V2_GetModel2", {"modelId": "nope"}, 21200),
        ("V2_GetLabelOrder2", {"labelOrderId": "nope"}, 11101),
        ("V2_GetEvaluation2", {"evaluationId": "nope"}, 11101),
        ("V2_GetDatasetVersion2", {"datasetId": "pets", "datasetVersionId": "nope"}, 11101),
    ],
)
def test_missing_ids_are_not_found(
    client: Any, operation: str, params: dict[str, str], code: int
) -> None:
    with pytest.raises(NotFoundError) as err:
        client.call(operation, **params)
    assert err.value.http_status == 404
    assert err.value.code == code


def test_partly_failing_batch_is_mixed_status(client: Any) -> None:
    out = client.call("V2_DeleteInputs2", body={"ids": ["in-00", "missing"]})
    assert out["status"]["code"] == 10010
    assert "missing" in out["status"]["details"]
    with pytest.raises(NotFoundError):
        client.call("V2_GetInput2", inputId="in-00")
    created = client.call(
        "V2_PostInputs2",
        body={"inputs": [{"id": "fresh", "data": {}}, {"id": "in-01", "data": {}}]},
    )
    assert created["status"]["code"] == 10010
    assert [i["id"] for i in created["inputs"]] == ["fresh", "in-01"]
    assert [i["status"]["code"] for i in created["inputs"]] == [30001, 30100]
    parse_response(ENDPOINTS["V2_PostInputs2"], created)


def test_wholly_failing_batch_is_the_error(client: Any) -> None:
    with pytest.raises(NotFoundError):
        client.call("V2_DeleteLabelOrders2", body={"ids": ["x", "y"]})


def _input(client: Any, ident: str) -> dict[str, Any]:
    return client.call("V2_GetInput2", inputId=ident)["input"]


def test_patch_merge_overwrite_remove(client: Any) -> None:
    before = _input(client, "in-01")
    client.call(
        "V2_PatchInputs2",
        body={
            "action": "merge",
            "inputs": [
                {
                    "id": "in-01",
                    "data": {"metadata": {"reviewed": True}, "concepts": [{"id": "cat"}]},
                }
            ],
        },
    )
    merged = _input(client, "in-01")
    assert merged["data"]["metadata"] == {"shot": 1, "source": "tiny", "reviewed": True}
    assert merged["data"]["concepts"] == [{"id": "cat", "value": 1.0}]
    assert pd.Timestamp(merged["modified_at"]) > pd.Timestamp(before["modified_at"])
    client.call(
        "V2_PatchInputs2",
        body={
            "action": "remove",
            "inputs": [
                {"id": "in-01", "data": {"metadata": {"shot": 1}, "concepts": [{"id": "cat"}]}}
            ],
        },
    )
    removed = _input(client, "in-01")
    assert removed["data"]["metadata"] == {"source": "tiny", "reviewed": True}
    assert "concepts" not in removed["data"]
    client.call(
        "V2_PatchInputs2",
        body={
            "action": "overwrite",
            "inputs": [{"id": "in-01", "data": {"metadata": {"only": 1}}}],
        },
    )
    assert _input(client, "in-01")["data"] == {"metadata": {"only": 1}}


def test_patch_with_a_bad_action_is_refused(client: Any) -> None:
    with pytest.raises(ApiError) as err:
        client.call(
            "V2_PatchLabelOrders2", body={"action": "replace", "label_orders": [{"id": "lo-1"}]}
        )
    assert err.value.http_status == 400
    assert "merge" in err.value.details


def test_dataset_versions_only_take_overwrite(client: Any) -> None:
    with pytest.raises(ApiError):
        client.call(
            "V2_PatchDatasetVersions2",
            datasetId="pets",
            body={"action": "merge", "dataset_versions": [{"id": "v1"}]},
        )


def test_posted_base64_image_is_served(client: Any, emu: Any) -> None:
    import base64

    import requests
    from tiny import png

    data = base64.b64encode(png(3, 3)).decode()
    out = client.call(
        "V2_PostInputs2", body={"inputs": [{"id": "up", "data": {"image": {"base64": data}}}]}
    )
    url = out["inputs"][0]["data"]["image"]["url"]
    assert url == f"{emu.url}/media/up.png"
    assert out["inputs"][0]["status"]["code"] == 30001
    assert _input(client, "up")["status"]["code"] == 30000
    got = requests.get(url, headers={"Authorization": f"Key {emu.pat}"}, timeout=5)
    assert got.content == png(3, 3)


def test_delete_input_removes_its_annotations(client: Any) -> None:
    client.call("V2_DeleteInput2", inputId="in-02")
    with pytest.raises(NotFoundError):
        client.call("V2_GetAnnotation2", inputId="in-02", annotationId="ann-02")


def test_searches_filter_by_concept_id_and_metadata(client: Any) -> None:
    def hits(flt: dict[str, Any]) -> list[str]:
        out = client.call(
            "V2_PostInputsSearches2", body={"searches": [{"query": {"filters": [flt]}}]}
        )
        return [h["input"]["id"] for h in out["hits"]]

    assert hits({"annotation": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}) == [
        "in-00",
        "in-03",
        "in-06",
        "in-09",
    ]
    assert hits({"input": {"id": "in-05"}}) == ["in-05"]
    assert hits({"input": {"data": {"metadata": {"shot": 7}}}}) == ["in-07"]
    negated = hits(
        {"negate": True, "annotation": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}
    )
    assert len(negated) == 13 - 4
    saved = client.call("V2_PostInputsSearches2", body={"searches": [{"id": "saved-cats"}]})
    assert len(saved["hits"]) == 4
    count = client.call(
        "V2_PostInputsSearches2", body={"only_count": True, "searches": [{"id": "saved-cats"}]}
    )
    assert count["hit_counts"][0]["estimated_total"] == "4"
