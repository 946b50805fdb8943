"""Handlers for dataset versions, their metrics groups and exports."""

from __future__ import annotations

import copy
import json
from typing import Any

from clarinb._enums import EXPORT_FORMAT, METRICS_GROUP_TYPE
from clarinb.emulator import media
from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.errors import bad_request
from clarinb.emulator.lifecycle import advance, start
from clarinb.emulator.store import App, Item, new_id
from clarinb.emulator.writes import apply_patch, batch, check_action, ids_of, items_of

VERSION_STEPS = (64005, 64010, 64015)
EXPORT_STEPS = (64201, 64200)
EXPORT_KEYS = {1: "clarifai_data_protobuf", 2: "coco", 3: "clarifai_data_json"}
_FORMAT_BY_NAME = {name: number for number, name in EXPORT_FORMAT.items()}
_TYPE_BY_NAME = {name: number for number, name in METRICS_GROUP_TYPE.items()}


def _groups_key(dataset_id: str, version_id: str) -> str:
    return f"{dataset_id}/{version_id}"


def _finish_version(app: App, version: Item) -> None:
    from clarinb.emulator.demo import metrics_groups  # noqa: PLC0415 - the demo is heavy

    ids = set(version.get("_input_ids", ()))
    inputs = [i for i in app.inputs if i["id"] in ids]
    annotations = [a for a in app.annotations if a.get("input_id") in ids]
    app.metrics_groups[_groups_key(version["dataset_id"], version["id"])] = metrics_groups(
        inputs, annotations
    )


def _show(app: App, version: Item) -> Item:
    advance(version, lambda v: _finish_version(app, v))
    for export in (version.get("export_info") or {}).values():
        advance(export)
    return version


@handles("V2_ListDatasetVersions2")
def list_versions(req: Request) -> Reply:
    """Versions of a dataset, newest first."""
    req.app.datasets.get(req.params["datasetId"])
    versions = list(reversed(req.app.versions_of(req.params["datasetId"])))
    return Reply({"dataset_versions": [_show(req.app, v) for v in paged(req, versions)]})


@handles("V2_GetDatasetVersion2")
def get_version(req: Request) -> Reply:
    """One dataset version."""
    version = req.app.version(req.params["datasetId"], req.params["datasetVersionId"])
    return Reply({"dataset_version": _show(req.app, version)})


@handles("V2_PostDatasetVersions2")
def post_versions(req: Request) -> Reply:
    """Create versions; each snapshots the dataset's inputs and is processed on later reads."""
    app = req.app
    dataset_id = req.params["datasetId"]
    app.datasets.get(dataset_id)

    def create(sent: Item) -> Item:
        version = copy.deepcopy(sent)
        version["id"] = str(version.get("id") or new_id())
        version.update(dataset_id=dataset_id, user_id=app.user_id, app_id=app.app_id)
        version.setdefault("request_origin", 1)
        members = [i["id"] for i in app.inputs if dataset_id in (i.get("dataset_ids") or [])]
        version["_input_ids"] = members
        start(version, VERSION_STEPS)
        return app.add_version(version)

    return batch(items_of(req.body, "dataset_versions"), create, "dataset_versions")


@handles("V2_PatchDatasetVersions2")
def patch_versions(req: Request) -> Reply:
    """Overwrite fields of versions (the only action the service supports)."""
    action = check_action(req.body, ("overwrite",))
    dataset_id = req.params["datasetId"]

    def change(sent: Item) -> Item:
        return apply_patch(req.app.version(dataset_id, str(sent.get("id", ""))), sent, action)

    return batch(items_of(req.body, "dataset_versions"), change, "dataset_versions")


@handles("V2_DeleteDatasetVersions2")
def delete_versions(req: Request) -> Reply:
    """Delete versions by id, with their metrics groups."""
    app = req.app
    dataset_id = req.params["datasetId"]

    def remove(version_id: str) -> None:
        app.version(dataset_id, version_id)
        app.dataset_versions.remove(app.version_key(dataset_id, version_id))
        app.metrics_groups.pop(_groups_key(dataset_id, version_id), None)

    return batch(ids_of(req.body, "dataset_version_ids"), remove, None)


def _format(value: Any) -> int:
    number = _FORMAT_BY_NAME.get(value, value) if isinstance(value, str) else value
    if number not in EXPORT_KEYS:
        names = ", ".join(EXPORT_FORMAT[n] for n in EXPORT_KEYS)
        raise bad_request(f"export format must be one of {names}, not {value!r}")
    return int(number)


@handles("V2_PutDatasetVersionExports2")
def put_exports(req: Request) -> Reply:
    """Start (or, when repeated, poll) exports of a version, one per format."""
    app = req.app
    dataset_id, version_id = req.params["datasetId"], req.params["datasetVersionId"]
    version = _show(app, app.version(dataset_id, version_id))
    info = version.setdefault("export_info", {})
    exports = []
    for sent in items_of(req.body, "exports"):
        number = _format(sent.get("format"))
        key = EXPORT_KEYS[number]
        if key in info:
            exports.append(advance(info[key]))
            continue
        record = start({"format": number}, EXPORT_STEPS)
        record["url"] = f"/media/exports/{dataset_id}/{version_id}/{key}.zip"
        record["size"] = len(media.export_archive(app, version, number))
        info[key] = record
        exports.append(record)
    return Reply({"exports": exports})


def _type_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if value not in _TYPE_BY_NAME:
        raise bad_request(
            f"unknown metrics group type {value!r}; use one of {', '.join(_TYPE_BY_NAME)}"
        )
    return _TYPE_BY_NAME[value]


def _value_matches(value: Any, wanted: list[str]) -> bool:
    return any(w in (str(value), json.dumps(value)) for w in wanted)


@handles("V2_ListDatasetVersionMetricsGroups2")
def list_metrics_groups(req: Request) -> Reply:
    """Metrics groups of a version, filtered by parent path, type and value (each OR-ed)."""
    dataset_id, version_id = req.params["datasetId"], req.params["datasetVersionId"]
    _show(req.app, req.app.version(dataset_id, version_id))
    groups = list(req.app.metrics_groups.get(_groups_key(dataset_id, version_id), []))
    paths = req.q_list("parent_paths")
    if paths:
        groups = [g for g in groups if g.get("parent_path", "") in paths]
    types = {_type_number(t) for t in req.q_list("types")}
    if types:
        groups = [g for g in groups if int(g.get("type") or 0) in types]
    values = req.q_list("values")
    if values:
        groups = [g for g in groups if _value_matches(g.get("value"), values)]
    return Reply({"dataset_version_metrics_groups": paged(req, groups)})
