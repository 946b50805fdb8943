from __future__ import annotations

import base64
from typing import Any

import pytest

from clarinb.errors import NotFoundError


def test_list_models_filters_and_searches(client: Any) -> None:
    client.call(
        "V2_PostModels2",
        body={"model": {"id": "boxes", "name": "Box finder", "model_type_id": "visual-detector"}},
    )
    ids = [m["id"] for m in client.call("V2_ListModels3")["models"]]
    assert sorted(ids) == ["boxes", "pet-classifier"]
    detectors = client.call("V2_ListModels3", query={"modelTypeId": "visual-detector"})["models"]
    assert [m["id"] for m in detectors] == ["boxes"]
    trained = client.call("V2_ListModels3", query={"trainedOnly": True})["models"]
    assert [m["id"] for m in trained] == ["pet-classifier"]
    found = client.call("V2_PostModelsSearches2", body={"model_query": {"name": "box"}})["models"]
    assert [m["id"] for m in found] == ["boxes"]
    by_name = client.call("V2_ListModels3", query={"sortByName": True, "sortAscending": True})
    assert [m["id"] for m in by_name["models"]] == ["boxes", "pet-classifier"]


def test_get_model_checks_the_version(client: Any) -> None:
    assert client.call("V2_GetModel2", modelId="pet-classifier", query={"versionId": "mv-1"})
    with pytest.raises(NotFoundError):
        client.call("V2_GetModel2", modelId="pet-classifier", query={"versionId": "other"})


def test_consents_and_languages_follow_the_action(client: Any) -> None:
    def consents(action: str, values: list[str]) -> list[str]:
        body = {"action": action, "check_consents": values}
        out = client.call("V2_PatchModelCheckConsents2", modelId="pet-classifier", body=body)
        return list(out["check_consents"])

    assert consents("merge", ["a", "b"]) == ["a", "b"]
    assert consents("merge", ["b", "c"]) == ["a", "b", "c"]
    assert consents("remove", ["a"]) == ["b", "c"]
    assert consents("overwrite", ["z"]) == ["z"]
    languages = client.call(
        "V2_PatchModelLanguages2",
        modelId="pet-classifier",
        body={"action": "merge", "languages": ["en", "fr"]},
    )
    assert languages["languages"] == ["en", "fr"]
    model = client.call("V2_GetModel2", modelId="pet-classifier")["model"]
    assert model["check_consents"] == ["z"]
    assert model["languages"] == ["en", "fr"]


def test_model_version_upload_counts_down_to_a_new_version(client: Any) -> None:
    start = client.call(
        "V2_PostModelVersionsUpload",
        body={
            "upload_config": {
                "model_id": "pet-classifier",
                "total_size": "6",
                "model_version": {"id": "mv-2"},
            }
        },
    )
    assert start["model_version_id"] == "mv-2"
    assert start["bytes_remaining"] == "6"
    for chunk, left in ((b"abc", "3"), (b"def", None)):
        part = {"content_part": {"data": base64.b64encode(chunk).decode(), "part_number": 1}}
        out = client.call("V2_PostModelVersionsUpload", body=part)
        assert out.get("bytes_remaining") == left
    model = client.call("V2_GetModel2", modelId="pet-classifier")["model"]
    assert model["model_version"]["id"] == "mv-2"


def test_model_inputs_are_those_labelled_with_its_concepts(client: Any) -> None:
    inputs = client.call("V2_ListModelInputs2", modelId="pet-classifier")["inputs"]
    assert len(inputs) == 12


def test_delete_all_models(client: Any) -> None:
    client.call("V2_DeleteModels2", body={"delete_all": True})
    assert client.call("V2_ListModels3")["models"] == []


def test_stream_descending(client: Any) -> None:
    out = client.call(
        "V2_StreamInputs2", query={"descending": True, "perPage": 3, "lastId": "in-05"}
    )
    assert [i["id"] for i in out["inputs"]] == ["in-04", "in-03", "in-02"]
