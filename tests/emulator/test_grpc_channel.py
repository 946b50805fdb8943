"""All 50 operations through Clarifai's own JSON client, on the demo workspace's real ids.

Each scenario lists first and then gets, patches or deletes what was listed,
or creates and then deletes; resources move through their lifecycles
(posted evaluations, new dataset versions, exports); batches where only some
items succeed answer MIXED_STATUS; missing resources answer their not-found
code; lists are paged.  Every reply is parsed strictly (``grpc_json``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from grpc_json import JsonClient

from clarinb.api.endpoints import ENDPOINTS, EVALUATION_FIELD_FLAGS
from clarinb.emulator import lifecycle, serve

MIXED = 10010
NOT_FOUND = 11101
WILDLIFE = "wildlife"
ALL_FIELDS = {"fields": {flag.split(".", 1)[1]: True for flag in EVALUATION_FIELD_FLAGS}}

Scenario = Callable[[JsonClient], None]
SCENARIOS: dict[str, Scenario] = {}


def scenario(operation: str) -> Callable[[Scenario], Scenario]:
    """Register the scenario that exercises ``operation``."""

    def register(fn: Scenario) -> Scenario:
        SCENARIOS[operation] = fn
        return fn

    return register


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[JsonClient]:
    """A fresh demo emulator (states move on reads only) and the JSON client on it."""
    monkeypatch.setattr(lifecycle, "STEP_SECONDS", 1e9)
    with serve() as emu:
        yield JsonClient(emu.url, emu.pat, emu.user_id, emu.app_id)


def _ids(items: Any) -> list[str]:
    return [item.id for item in items]


def _pages(api: JsonClient, operation: str, key: str, request: dict[str, Any], per_page: int):
    """Every item of a list operation, page by page, until a short page."""
    items: list[Any] = []
    page = 1
    while True:
        got = list(
            getattr(api.call(operation, {**request, "page": page, "per_page": per_page}), key)
        )
        items += got
        if len(got) < per_page:
            return items
        page += 1


# Dataset versions, their metrics groups and exports.


def _versions(api: JsonClient, dataset_id: str = WILDLIFE) -> list[str]:
    return _ids(api.call("V2_ListDatasetVersions2", {"dataset_id": dataset_id}).dataset_versions)


def _new_version(api: JsonClient, description: str = "fresh") -> str:
    out = api.call(
        "V2_PostDatasetVersions2",
        {"dataset_id": WILDLIFE, "dataset_versions": [{"description": description}]},
    )
    assert out.dataset_versions[0].status.code == 64005
    return str(out.dataset_versions[0].id)


@scenario("V2_ListDatasetVersions2")
def _list_versions(api: JsonClient) -> None:
    assert _versions(api) == ["v3", "v2", "v1"]
    paged = _pages(api, "V2_ListDatasetVersions2", "dataset_versions", {"dataset_id": WILDLIFE}, 2)
    assert _ids(paged) == ["v3", "v2", "v1"]
    api.call("V2_ListDatasetVersions2", {"dataset_id": "no-such-dataset"}, expect=NOT_FOUND)


@scenario("V2_GetDatasetVersion2")
def _get_version(api: JsonClient) -> None:
    for vid in _versions(api):
        got = api.call(
            "V2_GetDatasetVersion2", {"dataset_id": WILDLIFE, "dataset_version_id": vid}
        ).dataset_version
        assert got.id == vid
        assert got.status.code == 64015
    api.call(
        "V2_GetDatasetVersion2",
        {"dataset_id": WILDLIFE, "dataset_version_id": "v9"},
        expect=NOT_FOUND,
    )


@scenario("V2_PostDatasetVersions2")
def _post_version(api: JsonClient) -> None:
    vid = _new_version(api)
    where = {"dataset_id": WILDLIFE, "dataset_version_id": vid}
    codes = [api.call("V2_GetDatasetVersion2", where).dataset_version.status.code for _ in range(3)]
    assert codes == [64010, 64015, 64015]
    groups = api.call("V2_ListDatasetVersionMetricsGroups2", {**where, "per_page": 1000})
    assert groups.dataset_version_metrics_groups
    mixed = api.call(
        "V2_PostDatasetVersions2",
        {"dataset_id": WILDLIFE, "dataset_versions": [{"id": "v1"}, {"id": "v-new"}]},
        expect=MIXED,
    )
    assert [v.id for v in mixed.dataset_versions] == ["v1", "v-new"]
    assert mixed.dataset_versions[0].status.code != 64005
    api.call(
        "V2_DeleteDatasetVersions2",
        {"dataset_id": WILDLIFE, "dataset_version_ids": [vid, "v-new"]},
    )


@scenario("V2_PatchDatasetVersions2")
def _patch_versions(api: JsonClient) -> None:
    first = _versions(api)[0]
    patched = api.call(
        "V2_PatchDatasetVersions2",
        {
            "dataset_id": WILDLIFE,
            "action": "overwrite",
            "dataset_versions": [{"id": first, "description": "checked"}],
        },
    )
    assert patched.dataset_versions[0].description == "checked"
    got = api.call("V2_GetDatasetVersion2", {"dataset_id": WILDLIFE, "dataset_version_id": first})
    assert got.dataset_version.description == "checked"
    api.call(
        "V2_PatchDatasetVersions2",
        {
            "dataset_id": WILDLIFE,
            "action": "overwrite",
            "dataset_versions": [{"id": first, "description": "x"}, {"id": "v9"}],
        },
        expect=MIXED,
    )


@scenario("V2_DeleteDatasetVersions2")
def _delete_versions(api: JsonClient) -> None:
    vid = _new_version(api)
    api.call("V2_DeleteDatasetVersions2", {"dataset_id": WILDLIFE, "dataset_version_ids": [vid]})
    assert vid not in _versions(api)
    api.call(
        "V2_DeleteDatasetVersions2",
        {"dataset_id": WILDLIFE, "dataset_version_ids": [vid]},
        expect=NOT_FOUND,
    )
    other = _new_version(api)
    api.call(
        "V2_DeleteDatasetVersions2",
        {"dataset_id": WILDLIFE, "dataset_version_ids": [other, "v9"]},
        expect=MIXED,
    )


def _export(api: JsonClient, vid: str) -> Any:
    return api.call(
        "V2_PutDatasetVersionExports2",
        {
            "dataset_id": WILDLIFE,
            "dataset_version_id": vid,
            "exports": [{"format": "CLARIFAI_DATA_JSON"}, {"format": "COCO"}],
        },
    ).exports


@scenario("V2_PutDatasetVersionExports2")
def _exports(api: JsonClient) -> None:
    listed = _versions(api)
    assert [e.status.code for e in _export(api, listed[0])] == [64201, 64201]
    done = _export(api, listed[0])
    assert [e.status.code for e in done] == [64200, 64200]
    assert all(e.size > 0 and e.url.startswith("http") for e in done)
    fresh = _new_version(api)
    assert {e.status.code for e in _export(api, fresh)} == {64201}
    assert {e.status.code for e in _export(api, fresh)} == {64200}
    got = api.call("V2_GetDatasetVersion2", {"dataset_id": WILDLIFE, "dataset_version_id": fresh})
    assert got.dataset_version.export_info.clarifai_data_json.status.code == 64200
    api.call(
        "V2_PutDatasetVersionExports2",
        {"dataset_id": WILDLIFE, "dataset_version_id": "v9", "exports": [{"format": "COCO"}]},
        expect=NOT_FOUND,
    )


@scenario("V2_ListDatasetVersionMetricsGroups2")
def _metrics_groups(api: JsonClient) -> None:
    for vid in _versions(api):
        where = {"dataset_id": WILDLIFE, "dataset_version_id": vid}
        everything = _pages(
            api, "V2_ListDatasetVersionMetricsGroups2", "dataset_version_metrics_groups", where, 25
        )
        assert everything
        concepts = api.call(
            "V2_ListDatasetVersionMetricsGroups2",
            {**where, "types": ["CONCEPT_ID"], "per_page": 1000},
        ).dataset_version_metrics_groups
        assert concepts
        assert {g.type for g in concepts} == {10}
        assert len(concepts) < len(everything)


# Evaluations.


def _evaluations(api: JsonClient, **query: Any) -> Any:
    return api.call("V2_ListEvaluations3", query).eval_metrics


def _post_evaluation(api: JsonClient, model_id: str, dataset_id: str, version_id: str) -> str:
    out = api.call(
        "V2_PostEvaluations2",
        {
            "eval_metrics": [
                {
                    "model": {"id": model_id},
                    "ground_truth_dataset": {"id": dataset_id, "version": {"id": version_id}},
                }
            ]
        },
    )
    assert out.eval_metrics[0].status.code == 21303
    return str(out.eval_metrics[0].id)


def _read_evaluation(api: JsonClient, ident: str, fields: bool = False) -> Any:
    request = {"evaluation_id": ident, **(ALL_FIELDS if fields else {})}
    return api.call("V2_GetEvaluation2", request).eval_metrics


@scenario("V2_ListEvaluations3")
def _list_evaluations(api: JsonClient) -> None:
    everything = _evaluations(api, show_failed_metrics=True)
    assert len(everything) == 6
    succeeded = _evaluations(api)
    assert len(succeeded) == 5
    assert {e.status.code for e in succeeded} == {21300}
    paged = _pages(api, "V2_ListEvaluations3", "eval_metrics", {"show_failed_metrics": True}, 4)
    assert sorted(_ids(paged)) == sorted(_ids(everything))
    assert not api.call("V2_ListEvaluations3", {"page": 9, "per_page": 4}).eval_metrics
    best = _evaluations(api, sort_by_roc_auc=True)
    assert best[0].summary.macro_avg_roc_auc >= best[1].summary.macro_avg_roc_auc


@scenario("V2_GetEvaluation2")
def _get_evaluation(api: JsonClient) -> None:
    # Every part of one classifier, the detector and the failed evaluation; the rest light.
    heavy = ("animals-base", "animals-detector")
    for listed in _evaluations(api, show_failed_metrics=True):
        light = _read_evaluation(api, listed.id)
        assert light.id == listed.id
        assert not light.test_set
        if listed.model.id in heavy or listed.status.code != 21300:
            full = _read_evaluation(api, listed.id, fields=True)
            assert bool(full.test_set) == (full.status.code == 21300)
    api.call("V2_GetEvaluation2", {"evaluation_id": "no-such-evaluation"}, expect=NOT_FOUND)


@scenario("V2_PostEvaluations2")
def _post_evaluations(api: JsonClient) -> None:
    ident = _post_evaluation(api, "animals-base", WILDLIFE, "v2")
    codes = [_read_evaluation(api, ident).status.code for _ in range(3)]
    assert codes == [21301, 21300, 21300]
    full = _read_evaluation(api, ident, fields=True)
    assert full.test_set
    assert full.binary_metrics
    assert ident in _ids(_evaluations(api))
    failing = _post_evaluation(api, "animals-large", "new-uploads", "v1")
    codes = [_read_evaluation(api, failing).status.code for _ in range(2)]
    assert codes == [21301, 21315]
    fresh = _new_version(api)
    for _ in range(2):
        api.call("V2_GetDatasetVersion2", {"dataset_id": WILDLIFE, "dataset_version_id": fresh})
    detector = _post_evaluation(api, "animals-detector", WILDLIFE, fresh)
    for _ in range(2):
        _read_evaluation(api, detector)
    assert _read_evaluation(api, detector, fields=True).metrics_by_class
    mixed = api.call(
        "V2_PostEvaluations2",
        {
            "eval_metrics": [
                {
                    "model": {"id": "animals-base"},
                    "ground_truth_dataset": {"id": WILDLIFE, "version": {"id": "v1"}},
                },
                {
                    "id": "broken",
                    "model": {"id": "no-such-model"},
                    "ground_truth_dataset": {"id": WILDLIFE, "version": {"id": "v1"}},
                },
            ]
        },
        expect=MIXED,
    )
    assert mixed.eval_metrics[1].status.code == 21200


# Inputs.


def _inputs(api: JsonClient, per_page: int = 5) -> Any:
    return api.call("V2_ListInputs2", {"per_page": per_page}).inputs


def _post_text_inputs(api: JsonClient, *ids: str) -> None:
    api.call(
        "V2_PostInputs2",
        {
            "inputs": [
                {
                    "id": ident,
                    "data": {
                        "text": {"raw": f"note {ident}"},
                        "concepts": [{"id": "wolf", "value": 1}],
                    },
                }
                for ident in ids
            ]
        },
    )


@scenario("V2_ListInputs2")
def _list_inputs(api: JsonClient) -> None:
    everything = _pages(api, "V2_ListInputs2", "inputs", {}, 200)
    assert len(everything) == 641
    assert len(set(_ids(everything))) == 641
    picked = _ids(everything)[10:13]
    assert _ids(api.call("V2_ListInputs2", {"ids": picked}).inputs) == picked
    assert not api.call("V2_ListInputs2", {"page": 99, "per_page": 100}).inputs


@scenario("V2_GetInput2")
def _get_input(api: JsonClient) -> None:
    for listed in _inputs(api):
        assert api.call("V2_GetInput2", {"input_id": listed.id}).input == listed
    api.call("V2_GetInput2", {"input_id": "no-such-input"}, expect=30102)


@scenario("V2_PostInputs2")
def _post_inputs(api: JsonClient) -> None:
    _post_text_inputs(api, "note-1")
    got = api.call("V2_GetInput2", {"input_id": "note-1"}).input
    assert got.data.text.raw == "note note-1"
    assert [(c.id, c.value) for c in got.data.concepts] == [("wolf", 1.0)]
    mixed = api.call(
        "V2_PostInputs2",
        {"inputs": [{"id": "note-1", "data": {}}, {"id": "note-2", "data": {}}]},
        expect=MIXED,
    )
    assert [i.status.code for i in mixed.inputs] == [30100, 30001]
    api.call("V2_DeleteInputs2", {"ids": ["note-1", "note-2"]})


@scenario("V2_PatchInputs2")
def _patch_inputs(api: JsonClient) -> None:
    listed = _ids(_inputs(api, 2))
    patched = api.call(
        "V2_PatchInputs2",
        {
            "action": "merge",
            "inputs": [{"id": i, "data": {"metadata": {"checked": True}}} for i in listed],
        },
    )
    assert [i.data.metadata["checked"] for i in patched.inputs] == [True, True]
    assert api.call("V2_GetInput2", {"input_id": listed[0]}).input.data.metadata["checked"]
    api.call(
        "V2_PatchInputs2",
        {"action": "merge", "inputs": [{"id": listed[0]}, {"id": "no-such-input"}]},
        expect=MIXED,
    )


@scenario("V2_DeleteInputs2")
def _delete_inputs(api: JsonClient) -> None:
    _post_text_inputs(api, "gone-1", "gone-2", "gone-3")
    api.call("V2_DeleteInputs2", {"ids": ["gone-1", "gone-2"]})
    api.call("V2_GetInput2", {"input_id": "gone-1"}, expect=30102)
    api.call("V2_DeleteInputs2", {"ids": ["gone-3", "no-such-input"]}, expect=MIXED)
    api.call("V2_DeleteInputs2", {"ids": ["gone-3"]}, expect=30102)


@scenario("V2_DeleteInput2")
def _delete_input(api: JsonClient) -> None:
    listed = _inputs(api, 1)[0].id
    api.call("V2_DeleteInput2", {"input_id": listed})
    api.call("V2_GetInput2", {"input_id": listed}, expect=30102)
    api.call("V2_DeleteInput2", {"input_id": listed}, expect=30102)
    assert listed not in _ids(_inputs(api))


@scenario("V2_GetInputCount2")
def _input_count(api: JsonClient) -> None:
    counts = api.call("V2_GetInputCount2").counts
    assert counts.processed + counts.to_process + counts.errors + counts.processing == 641


@scenario("V2_StreamInputs2")
def _stream_inputs(api: JsonClient) -> None:
    seen: list[str] = []
    while True:
        request: dict[str, Any] = {"per_page": 100, **({"last_id": seen[-1]} if seen else {})}
        got = _ids(api.call("V2_StreamInputs2", request).inputs)
        seen += got
        if len(got) < 100:
            break
    assert len(seen) == 641
    assert seen == sorted(seen)


@scenario("V2_GetInputVideoManifest2")
def _video_manifest(api: JsonClient) -> None:
    everything = _pages(api, "V2_ListInputs2", "inputs", {}, 1000)
    videos = [i.id for i in everything if i.data.HasField("video")]
    assert videos
    for ident in videos:
        url = api.call("V2_GetInputVideoManifest2", {"input_id": ident}).manifest_url
        assert url.endswith(f"/media/{ident}/manifest.mpd")
    image = next(i.id for i in everything if i.data.HasField("image"))
    api.call("V2_GetInputVideoManifest2", {"input_id": image}, expect=31104)


# Annotations, reached from an evaluation's test set.


def _detector_test_set(api: JsonClient) -> Any:
    listed = _evaluations(api)
    detector = next(e for e in listed if e.model.id == "animals-detector")
    request = {"evaluation_id": detector.id, "fields": {"test_set": True}}
    return api.call("V2_GetEvaluation2", request).eval_metrics.test_set


@scenario("V2_GetAnnotation2")
def _get_annotation(api: JsonClient) -> None:
    entries = _detector_test_set(api)[:20]
    for entry in entries:
        truth = entry.ground_truth_annotation
        assert truth.id
        got = api.call(
            "V2_GetAnnotation2", {"input_id": entry.input.id, "annotation_id": truth.id}
        ).annotation
        assert got.input_id == entry.input.id
        region_ids = {r.id for r in truth.data.regions}
        assert {r.id for r in got.data.regions} <= region_ids
        assert entry.predicted_annotation.id
    api.call(
        "V2_GetAnnotation2",
        {"input_id": entries[0].input.id, "annotation_id": "no-such-annotation"},
        expect=NOT_FOUND,
    )


@scenario("V2_DeleteAnnotation2")
def _delete_annotation(api: JsonClient) -> None:
    entry = _detector_test_set(api)[0]
    where = {"input_id": entry.input.id, "annotation_id": entry.ground_truth_annotation.id}
    api.call("V2_DeleteAnnotation2", where)
    api.call("V2_GetAnnotation2", where, expect=NOT_FOUND)
    api.call("V2_DeleteAnnotation2", where, expect=NOT_FOUND)


@scenario("V2_DeleteAnnotations2")
def _delete_annotations(api: JsonClient) -> None:
    entries = _detector_test_set(api)[:3]
    pairs = [(e.ground_truth_annotation.id, e.input.id) for e in entries]
    api.call(
        "V2_DeleteAnnotations2",
        {"ids": [a for a, _ in pairs[:2]], "input_ids": [i for _, i in pairs[:2]]},
    )
    for annotation_id, input_id in pairs[:2]:
        api.call(
            "V2_GetAnnotation2",
            {"input_id": input_id, "annotation_id": annotation_id},
            expect=NOT_FOUND,
        )
    api.call(
        "V2_DeleteAnnotations2",
        {"ids": [pairs[2][0], pairs[0][0]], "input_ids": [pairs[2][1], pairs[0][1]]},
        expect=MIXED,
    )


# Input add jobs, extraction jobs, data sources and uploads.


def _data_source(api: JsonClient, job_id: str) -> Any:
    out = api.call(
        "V2_PostInputsDataSources2",
        {
            "data_sources": [
                {"inputs_add_job_id": job_id, "url": {"url": "https://example.com/more.zip"}}
            ]
        },
    )
    return out.inputs_add_jobs[0]


@scenario("V2_PostInputsDataSources2")
def _post_data_sources(api: JsonClient) -> None:
    job = _data_source(api, "more-animals")
    assert job.status.code == 64000
    got = api.call("V2_GetInputsAddJob2", {"id": job.id}).inputs_add_job
    assert got.status.code == 64001
    assert got.extraction_jobs[0].url == "https://example.com/more.zip"


@scenario("V2_PostInputsUploads2")
def _post_uploads(api: JsonClient) -> None:
    out = api.call(
        "V2_PostInputsUploads2",
        {
            "inputs_uploads": [
                {
                    "inputs_add_job_id": "upload-more",
                    "upload": {"content_name": "more.zip", "content_length": "2048"},
                }
            ]
        },
    )
    assert out.inputs_add_jobs[0].id == "upload-more"
    got = api.call("V2_GetInputsAddJob2", {"id": "upload-more"}).inputs_add_job
    assert got.uploads[0].content_length == 2048


@scenario("V2_ListInputsAddJobs2")
def _list_add_jobs(api: JsonClient) -> None:
    _data_source(api, "second-job")
    everything = _pages(api, "V2_ListInputsAddJobs2", "inputs_add_jobs", {}, 1)
    assert _ids(everything) == ["upload-wildlife", "second-job"]


@scenario("V2_GetInputsAddJob2")
def _get_add_job(api: JsonClient) -> None:
    for listed in api.call("V2_ListInputsAddJobs2").inputs_add_jobs:
        assert api.call("V2_GetInputsAddJob2", {"id": listed.id}).inputs_add_job.id == listed.id
    api.call("V2_GetInputsAddJob2", {"id": "no-such-job"}, expect=NOT_FOUND)


@scenario("V2_CancelInputsAddJob2")
def _cancel_add_job(api: JsonClient) -> None:
    job = _data_source(api, "to-cancel")
    cancelled = api.call("V2_CancelInputsAddJob2", {"id": job.id}).inputs_add_job
    assert cancelled.status.code == 64004
    assert {e.status.code for e in cancelled.extraction_jobs} == {64004}
    api.call("V2_CancelInputsAddJob2", {"id": "no-such-job"}, expect=NOT_FOUND)


@scenario("V2_ListInputsExtractionJobs2")
def _list_extraction_jobs(api: JsonClient) -> None:
    _data_source(api, "another")
    jobs = _pages(api, "V2_ListInputsExtractionJobs2", "inputs_extraction_jobs", {}, 1)
    assert len(jobs) == 2
    assert jobs[0].id == "extract-wildlife-archive"


@scenario("V2_GetInputsExtractionJob2")
def _get_extraction_job(api: JsonClient) -> None:
    for listed in api.call("V2_ListInputsExtractionJobs2").inputs_extraction_jobs:
        got = api.call("V2_GetInputsExtractionJob2", {"inputs_extraction_job_id": listed.id})
        assert got.inputs_extraction_job.id == listed.id
    api.call(
        "V2_GetInputsExtractionJob2", {"inputs_extraction_job_id": "nothing"}, expect=NOT_FOUND
    )


@scenario("V2_CancelInputsExtractionJobs2")
def _cancel_extraction_jobs(api: JsonClient) -> None:
    job = _data_source(api, "extract-me")
    ident = job.extraction_jobs[0].id if job.extraction_jobs else None
    listed = _ids(api.call("V2_ListInputsExtractionJobs2").inputs_extraction_jobs)
    ident = ident or listed[-1]
    out = api.call("V2_CancelInputsExtractionJobs2", {"ids": [ident]})
    assert out.inputs_extraction_jobs[0].status.code == 64004
    api.call("V2_CancelInputsExtractionJobs2", {"ids": [ident, "nothing"]}, expect=MIXED)


# Searches.


def _concept_search(concept_id: str) -> dict[str, Any]:
    return {
        "query": {
            "filters": [{"annotation": {"data": {"concepts": [{"id": concept_id, "value": 1}]}}}]
        }
    }


@scenario("V2_PostInputsSearches2")
def _post_searches(api: JsonClient) -> None:
    request = {"searches": [_concept_search("wolf")]}
    hits: list[Any] = []
    page = 1
    while True:
        got = api.call(
            "V2_PostInputsSearches2", {**request, "pagination": {"page": page, "per_page": 10}}
        ).hits
        hits += got
        if len(got) < 10:
            break
        page += 1
    assert len(hits) > 10
    assert len({h.input.id for h in hits}) == len(hits)
    counted = api.call("V2_PostInputsSearches2", {**request, "only_count": True})
    assert counted.hit_counts[0].estimated_total == len(hits)
    saved = api.call("V2_PostInputsSearches2", {"searches": [{"id": "wolves"}]}).hits
    assert saved
    api.call("V2_PostInputsSearches2", {"searches": [{"id": "nothing"}]}, expect=NOT_FOUND)


@scenario("V2_PatchInputsSearches2")
def _patch_searches(api: JsonClient) -> None:
    saved = api.call(
        "V2_PostInputsSearches2",
        {"searches": [{"id": "my-lynxes", **_concept_search("lynx"), "save": True}]},
    )
    assert saved.searches[0].id == "my-lynxes"
    patched = api.call(
        "V2_PatchInputsSearches2",
        {"action": "overwrite", "searches": [{"id": "my-lynxes", "name": "All lynxes"}]},
    )
    assert patched.searches[0].name == "All lynxes"
    again = api.call("V2_PostInputsSearches2", {"searches": [{"id": "my-lynxes"}]})
    assert {h.input.id for h in again.hits} == {h.input.id for h in saved.hits}
    api.call(
        "V2_PatchInputsSearches2",
        {"action": "merge", "searches": [{"id": "wolves", "name": "Wolves"}, {"id": "nothing"}]},
        expect=MIXED,
    )


# Label orders.


def _label_orders(api: JsonClient) -> list[str]:
    return _ids(api.call("V2_ListLabelOrders2").label_orders)


@scenario("V2_ListLabelOrders2")
def _list_label_orders(api: JsonClient) -> None:
    assert _label_orders(api) == ["relabel-canines", "box-corvids"]
    assert _ids(_pages(api, "V2_ListLabelOrders2", "label_orders", {}, 1)) == _label_orders(api)


@scenario("V2_GetLabelOrder2")
def _get_label_order(api: JsonClient) -> None:
    for ident in _label_orders(api):
        assert api.call("V2_GetLabelOrder2", {"label_order_id": ident}).label_order.id == ident
    api.call("V2_GetLabelOrder2", {"label_order_id": "nothing"}, expect=NOT_FOUND)


@scenario("V2_PostLabelOrders2")
def _post_label_orders(api: JsonClient) -> None:
    out = api.call("V2_PostLabelOrders2", {"label_orders": [{"id": "new-order", "name": "New"}]})
    assert out.label_orders[0].id == "new-order"
    assert "new-order" in _label_orders(api)
    api.call(
        "V2_PostLabelOrders2",
        {"label_orders": [{"id": "new-order"}, {"id": "newer-order"}]},
        expect=MIXED,
    )
    api.call("V2_DeleteLabelOrders2", {"ids": ["new-order", "newer-order"]})


@scenario("V2_PatchLabelOrders2")
def _patch_label_orders(api: JsonClient) -> None:
    first = _label_orders(api)[0]
    out = api.call(
        "V2_PatchLabelOrders2",
        {"action": "merge", "label_orders": [{"id": first, "name": "Renamed"}]},
    )
    assert out.label_orders[0].name == "Renamed"
    api.call(
        "V2_PatchLabelOrders2",
        {"action": "merge", "label_orders": [{"id": first}, {"id": "nothing"}]},
        expect=MIXED,
    )


@scenario("V2_DeleteLabelOrders2")
def _delete_label_orders(api: JsonClient) -> None:
    api.call("V2_PostLabelOrders2", {"label_orders": [{"id": "short-lived"}, {"id": "brief"}]})
    api.call("V2_DeleteLabelOrders2", {"ids": ["short-lived"]})
    api.call("V2_GetLabelOrder2", {"label_order_id": "short-lived"}, expect=NOT_FOUND)
    api.call("V2_DeleteLabelOrders2", {"ids": ["brief", "short-lived"]}, expect=MIXED)


# Models, model types and uploads.


def _models(api: JsonClient, **query: Any) -> list[str]:
    return _ids(api.call("V2_ListModels3", query).models)


def _post_model(api: JsonClient, ident: str) -> None:
    api.call(
        "V2_PostModels2",
        {"model": {"id": ident, "name": ident, "model_type_id": "visual-classifier"}},
    )


@scenario("V2_ListModels3")
def _list_models(api: JsonClient) -> None:
    everything = _models(api)
    assert len(everything) == 5
    assert sorted(_ids(_pages(api, "V2_ListModels3", "models", {}, 2))) == sorted(everything)
    detectors = _models(api, model_type_id="visual-detector")
    assert detectors == ["animals-detector"]


@scenario("V2_GetModel2")
def _get_model(api: JsonClient) -> None:
    for ident in _models(api):
        model = api.call("V2_GetModel2", {"model_id": ident}).model
        assert model.id == ident
        version = model.model_version.id
        assert api.call("V2_GetModel2", {"model_id": ident, "version_id": version}).model.id
    api.call("V2_GetModel2", {"model_id": "no-such-model"}, expect=21200)


@scenario("V2_PostModels2")
def _post_models(api: JsonClient) -> None:
    _post_model(api, "spare")
    assert "spare" in _models(api)
    api.call("V2_PostModels2", {"model": {"id": "spare"}}, expect=40010)
    api.call("V2_DeleteModel2", {"model_id": "spare"})


@scenario("V2_PatchModels2")
def _patch_models(api: JsonClient) -> None:
    first = _models(api)[0]
    out = api.call(
        "V2_PatchModels2",
        {"action": "merge", "models": [{"id": first, "description": "checked"}]},
    )
    assert out.models[0].description == "checked"
    api.call(
        "V2_PatchModels2",
        {"action": "merge", "models": [{"id": first}, {"id": "no-such-model"}]},
        expect=MIXED,
    )


@scenario("V2_DeleteModels2")
def _delete_models(api: JsonClient) -> None:
    _post_model(api, "spare-1")
    _post_model(api, "spare-2")
    api.call("V2_DeleteModels2", {"ids": ["spare-1"]})
    api.call("V2_GetModel2", {"model_id": "spare-1"}, expect=21200)
    api.call("V2_DeleteModels2", {"ids": ["spare-2", "spare-1"]}, expect=MIXED)
    assert len(_models(api)) == 5


@scenario("V2_DeleteModel2")
def _delete_model(api: JsonClient) -> None:
    _post_model(api, "spare")
    api.call("V2_DeleteModel2", {"model_id": "spare"})
    api.call("V2_DeleteModel2", {"model_id": "spare"}, expect=21200)
    last = _models(api)[-1]
    api.call("V2_DeleteModel2", {"model_id": last})
    assert last not in _models(api)


@scenario("V2_PostModelsSearches2")
def _search_models(api: JsonClient) -> None:
    found = api.call(
        "V2_PostModelsSearches2",
        {"model_query": {"name": "animals"}, "pagination": {"page": 1, "per_page": 10}},
    ).models
    assert len(found) == 4
    assert all("animals" in m.id for m in found)
    second = api.call(
        "V2_PostModelsSearches2",
        {"model_query": {"name": "animals"}, "pagination": {"page": 2, "per_page": 3}},
    ).models
    assert len(second) == 1


@scenario("V2_ListModelTypes2")
def _list_model_types(api: JsonClient) -> None:
    types = _ids(api.call("V2_ListModelTypes2").model_types)
    assert "visual-classifier" in types
    assert _ids(_pages(api, "V2_ListModelTypes2", "model_types", {}, 3)) == types


@scenario("V2_GetModelType2")
def _get_model_type(api: JsonClient) -> None:
    for listed in api.call("V2_ListModelTypes2").model_types:
        got = api.call("V2_GetModelType2", {"model_type_id": listed.id}).model_type
        assert got == listed
    api.call("V2_GetModelType2", {"model_type_id": "nothing"}, expect=NOT_FOUND)


@scenario("V2_PatchModelCheckConsents2")
def _patch_consents(api: JsonClient) -> None:
    first = _models(api)[0]
    out = api.call(
        "V2_PatchModelCheckConsents2",
        {"model_id": first, "action": "overwrite", "check_consents": ["no-faces"]},
    )
    assert list(out.check_consents) == ["no-faces"]
    assert list(api.call("V2_GetModel2", {"model_id": first}).model.check_consents) == ["no-faces"]


@scenario("V2_PatchModelLanguages2")
def _patch_languages(api: JsonClient) -> None:
    first = _models(api)[0]
    out = api.call(
        "V2_PatchModelLanguages2", {"model_id": first, "action": "merge", "languages": ["fr"]}
    )
    assert "fr" in out.languages
    api.call(
        "V2_PatchModelLanguages2",
        {"model_id": "no-such-model", "action": "merge", "languages": ["fr"]},
        expect=21200,
    )


@scenario("V2_ListModelInputs2")
def _list_model_inputs(api: JsonClient) -> None:
    for ident in _models(api, model_type_id="visual-classifier"):
        inputs = _pages(api, "V2_ListModelInputs2", "inputs", {"model_id": ident}, 100)
        assert inputs
        assert len(set(_ids(inputs))) == len(inputs)


@scenario("V2_PostModelVersionsUpload")
def _upload(api: JsonClient) -> None:
    model = _models(api)[0]
    scope = api.scope
    started = api.call(
        "V2_PostModelVersionsUpload",
        {
            "upload_config": {
                "user_app_id": scope,
                "model_id": model,
                "total_size": "4",
                "model_version": {"id": "uploaded-1"},
            }
        },
    )
    assert started.model_version_id == "uploaded-1"
    assert started.bytes_remaining == 4
    done = api.call(
        "V2_PostModelVersionsUpload", {"content_part": {"data": "AAECAw==", "part_number": 1}}
    )
    assert done.bytes_remaining == 0
    assert api.call("V2_GetModel2", {"model_id": model}).model.model_version.id == "uploaded-1"


def test_every_operation_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == sorted(ENDPOINTS)
    assert len(SCENARIOS) == 50


@pytest.mark.parametrize("operation", sorted(SCENARIOS))
def test_operation_through_clarifais_json_client(
    api: JsonClient, operation: str, capsys: pytest.CaptureFixture[str]
) -> None:
    SCENARIOS[operation](api)
    assert api.succeeded(operation), f"{operation} never answered SUCCESS"
    assert all(a.raw.startswith("{") for a in api.answers)
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")


def test_delete_sends_a_body_the_route_already_carries(api: JsonClient) -> None:
    """The JSON client sends ``{"user_app_id": ...}`` on DELETE; the route names the scope."""
    listed = _inputs(api, 1)[0].id
    api.call("V2_DeleteInput2", {"input_id": listed})
    sent = [a for a in api.answers if a.operation == "V2_DeleteInput2"]
    assert sent[-1].http_status == 200


def test_an_app_the_token_cannot_reach_is_not_found(api: JsonClient) -> None:
    other = {"user_id": api.scope["user_id"], "app_id": "someone-elses-app"}
    api.call("V2_ListInputs2", {"user_app_id": other}, expect=NOT_FOUND)
    api.call(
        "V2_PostInputs2",
        {"user_app_id": other, "inputs": [{"id": "planted", "data": {}}]},
        expect=NOT_FOUND,
    )
    api.call("V2_GetInput2", {"input_id": "planted"}, expect=30102)
