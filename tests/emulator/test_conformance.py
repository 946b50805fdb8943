"""Every one of the 50 operations through clarinb.Client, checked against clarifai-grpc."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from tiny import APP, DATASET, USER, png, tiny_workspace
from wire_check import canonical, parse_request, parse_response, wire_differences

from clarinb import connect
from clarinb._wire import to_snake
from clarinb.api.endpoints import ENDPOINTS, EVALUATION_FIELD_FLAGS
from clarinb.emulator import Emulator, serve
from clarinb.emulator.dispatch import Seen

SCOPE = {"user_id": USER, "app_id": APP}
NEW_INPUT = {
    "id": "new-1",
    "data": {"image": {"base64": base64.b64encode(png()).decode()}, "concepts": [{"id": "cat"}]},
}

# (operation, keyword arguments of Client.call), in an order where each call has what it needs.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("V2_ListInputs2", {"query": {"perPage": 5}}),
    ("V2_GetInput2", {"inputId": "in-01"}),
    ("V2_PostInputs2", {"body": {"inputs": [NEW_INPUT]}}),
    (
        "V2_PatchInputs2",
        {
            "body": {
                "action": "merge",
                "inputs": [{"id": "new-1", "data": {"metadata": {"checked": True}}}],
            }
        },
    ),
    ("V2_GetInputCount2", {}),
    ("V2_StreamInputs2", {"query": {"perPage": 3, "lastId": "in-03"}}),
    ("V2_GetInputVideoManifest2", {"inputId": "video-1"}),
    ("V2_GetAnnotation2", {"inputId": "in-02", "annotationId": "ann-02"}),
    (
        "V2_PostInputsSearches2",
        {
            "body": {
                "searches": [
                    {
                        "query": {
                            "filters": [
                                {"annotation": {"data": {"concepts": [{"id": "dog", "value": 1}]}}}
                            ]
                        }
                    }
                ],
                "pagination": {"page": 1, "per_page": 10},
            }
        },
    ),
    (
        "V2_PatchInputsSearches2",
        {"body": {"action": "overwrite", "searches": [{"id": "saved-cats", "name": "all cats"}]}},
    ),
    (
        "V2_PostInputsDataSources2",
        {
            "body": {
                "data_sources": [
                    {"inputs_add_job_id": "ds-job", "url": {"url": "https://example.com/pets.zip"}}
                ]
            }
        },
    ),
    (
        "V2_PostInputsUploads2",
        {
            "body": {
                "inputs_uploads": [
                    {
                        "inputs_add_job_id": "up-job",
                        "upload": {"content_name": "pets.zip", "content_length": "10"},
                    }
                ]
            }
        },
    ),
    ("V2_ListInputsAddJobs2", {}),
    ("V2_GetInputsAddJob2", {"id": "ds-job"}),
    ("V2_CancelInputsAddJob2", {"id": "up-job"}),
    ("V2_ListInputsExtractionJobs2", {}),
    ("V2_GetInputsExtractionJob2", {"inputsExtractionJobId": "ext-1"}),
    ("V2_CancelInputsExtractionJobs2", {"body": {"ids": ["ext-1"]}}),
    ("V2_ListDatasetVersions2", {"datasetId": DATASET}),
    ("V2_GetDatasetVersion2", {"datasetId": DATASET, "datasetVersionId": "v1"}),
    (
        "V2_PostDatasetVersions2",
        {
            "datasetId": DATASET,
            "body": {"dataset_versions": [{"id": "v2", "description": "second"}]},
        },
    ),
    (
        "V2_PatchDatasetVersions2",
        {
            "datasetId": DATASET,
            "body": {
                "action": "overwrite",
                "dataset_versions": [{"id": "v2", "description": "renamed"}],
            },
        },
    ),
    (
        "V2_ListDatasetVersionMetricsGroups2",
        {"datasetId": DATASET, "datasetVersionId": "v1", "query": {"types": ["CONCEPT_ID"]}},
    ),
    (
        "V2_PutDatasetVersionExports2",
        {
            "datasetId": DATASET,
            "datasetVersionId": "v1",
            "body": {"exports": [{"format": "CLARIFAI_DATA_JSON"}]},
        },
    ),
    ("V2_ListEvaluations3", {}),
    (
        "V2_GetEvaluation2",
        {
            "evaluationId": "eval-1",
            "query": dict.fromkeys(EVALUATION_FIELD_FLAGS, True),
        },
    ),
    (
        "V2_PostEvaluations2",
        {
            "body": {
                "eval_metrics": [
                    {
                        "id": "eval-2",
                        "model": {"id": "pet-classifier"},
                        "ground_truth_dataset": {"id": DATASET, "version": {"id": "v1"}},
                    }
                ]
            }
        },
    ),
    ("V2_ListLabelOrders2", {}),
    ("V2_GetLabelOrder2", {"labelOrderId": "lo-1"}),
    ("V2_PostLabelOrders2", {"body": {"label_orders": [{"id": "lo-2", "name": "More pets"}]}}),
    (
        "V2_PatchLabelOrders2",
        {"body": {"action": "merge", "label_orders": [{"id": "lo-2", "name": "Most pets"}]}},
    ),
    ("V2_ListModels3", {"query": {"modelTypeId": "visual-classifier"}}),
    ("V2_GetModel2", {"modelId": "pet-classifier", "query": {"versionId": "mv-1"}}),
    (
        "V2_PostModels2",
        {"body": {"model": {"id": "spare", "name": "Spare", "model_type_id": "visual-classifier"}}},
    ),
    (
        "V2_PatchModels2",
        {"body": {"action": "merge", "models": [{"id": "spare", "description": "kept"}]}},
    ),
    (
        "V2_PostModelsSearches2",
        {"body": {"model_query": {"name": "pet"}, "pagination": {"page": 1, "per_page": 5}}},
    ),
    ("V2_ListModelTypes2", {}),
    ("V2_GetModelType2", {"modelTypeId": "visual-detector"}),
    (
        "V2_PatchModelCheckConsents2",
        {
            "modelId": "pet-classifier",
            "body": {"action": "overwrite", "check_consents": ["no-faces"]},
        },
    ),
    (
        "V2_PatchModelLanguages2",
        {"modelId": "pet-classifier", "body": {"action": "merge", "languages": ["en"]}},
    ),
    ("V2_ListModelInputs2", {"modelId": "pet-classifier"}),
    (
        "V2_PostModelVersionsUpload",
        {
            "body": {
                "upload_config": {
                    "model_id": "spare",
                    "total_size": "4",
                    "model_version": {"id": "up-1"},
                }
            }
        },
    ),
    ("V2_DeleteAnnotation2", {"inputId": "in-03", "annotationId": "ann-03"}),
    ("V2_DeleteAnnotations2", {"body": {"ids": ["ann-04"], "input_ids": ["in-04"]}}),
    ("V2_DeleteInput2", {"inputId": "in-05"}),
    ("V2_DeleteInputs2", {"body": {"ids": ["in-06", "in-07"]}}),
    ("V2_DeleteDatasetVersions2", {"datasetId": DATASET, "body": {"dataset_version_ids": ["v2"]}}),
    ("V2_DeleteLabelOrders2", {"body": {"ids": ["lo-2"]}}),
    ("V2_DeleteModel2", {"modelId": "spare"}),
    ("V2_DeleteModels2", {"body": {"ids": ["pet-classifier"]}}),
]


@pytest.fixture(scope="module")
def recording() -> Iterator[tuple[Emulator, list[Seen]]]:
    seen: list[Seen] = []
    with serve(data=tiny_workspace()) as emulator:
        emulator.on_request = seen.append
        yield emulator, seen


def test_calls_cover_every_operation() -> None:
    assert sorted(op for op, _ in CALLS) == sorted(ENDPOINTS)


@pytest.mark.parametrize(("operation", "kwargs"), CALLS, ids=[op for op, _ in CALLS])
def test_operation_answers_in_the_services_format(
    recording: tuple[Emulator, list[Seen]],
    operation: str,
    kwargs: dict[str, Any],
) -> None:
    emulator, seen = recording
    endpoint = ENDPOINTS[operation]
    with connect(emulator=emulator, max_retries=0) as client:
        response = client.call(operation, **kwargs)
    assert response["status"]["code"] == 10000, response["status"]
    message = parse_response(endpoint, response)
    assert wire_differences(response, canonical(message)) == []
    sent = [s for s in seen if s.endpoint.operation_id == operation]
    assert sent, "the emulator saw no request"
    request = canonical(parse_request(endpoint, sent[-1]))
    assert request.get("user_app_id", SCOPE) == SCOPE
    for name in endpoint.path_params:
        assert request[to_snake(name)] == kwargs[name]
    if endpoint.list_key and endpoint.method == "GET":
        assert response.get(endpoint.list_key), f"{operation} returned no items"
