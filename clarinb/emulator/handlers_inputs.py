"""Handlers for inputs, their annotations, counts, streaming and video manifests."""

from __future__ import annotations

import base64
import binascii
import copy
from typing import Any

from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.errors import ServiceError, bad_request, not_found
from clarinb.emulator.store import App, Item, new_id
from clarinb.emulator.wire import status
from clarinb.emulator.writes import apply_patch, batch, check_action, ids_of, items_of

__all__ = ["default_concept_values", "input_status_code"]

STREAM_PER_PAGE = 20
INPUT_SUCCESS, INPUT_PENDING, INPUT_FAILED, INPUT_IN_PROGRESS = 30000, 30001, 30002, 30003


def input_status_code(item: Item) -> int:
    """Return the processing status code of an input (success when unset)."""
    return int((item.get("status") or {}).get("code") or INPUT_SUCCESS)


def default_concept_values(data: dict[str, Any]) -> None:
    """Give concepts sent without ``value`` the value 1 (``cl_default_float``)."""
    for concept in data.get("concepts") or []:
        if isinstance(concept, dict) and "value" not in concept:
            concept["value"] = 1.0
    for region in data.get("regions") or []:
        if isinstance(region, dict):
            default_concept_values(region.get("data") or {})


def _store_media(app: App, ident: str, data: dict[str, Any]) -> None:
    image = data.get("image")
    if isinstance(image, dict) and image.get("base64"):
        try:
            app.images[ident] = base64.b64decode(image.pop("base64"), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(f"input {ident!r}: data.image.base64 is not base64", 30104) from None
        image["url"] = f"/media/{ident}.png"


@handles("V2_PostInputs2")
def post_inputs(req: Request) -> Reply:
    """Create inputs; the reply shows them pending, as the service does."""
    app = req.app

    def create(sent: Item) -> Item:
        item = copy.deepcopy(sent)
        ident = str(item.get("id") or new_id())
        if ident in app.inputs:
            raise ServiceError(409, 30100, "Input already exists", f"input {ident!r} exists")
        item["id"] = ident
        data = item.setdefault("data", {})
        default_concept_values(data)
        _store_media(app, ident, data)
        item["status"] = status(INPUT_SUCCESS, "Download complete")
        app.inputs.add(item)
        shown = copy.deepcopy(item)
        shown["status"] = status(INPUT_PENDING, "Download pending")
        return shown

    reply = batch(items_of(req.body, "inputs"), create, "inputs")
    job_id = req.body.get("inputs_add_job_id")
    if job_id and reply.code == 10000 and job_id not in app.inputs_add_jobs:
        count = str(len(reply.body["inputs"]))
        job = {"id": job_id, "status": status(64002, "Job completed")}
        job["progress"] = {"success_count": count}
        app.inputs_add_jobs.add(job)
    return reply


@handles("V2_ListInputs2")
def list_inputs(req: Request) -> Reply:
    """Return inputs, filtered by ``ids`` and ``status.code``."""
    items = list(req.app.inputs)
    wanted = set(req.q_list("ids"))
    if wanted:
        items = [i for i in items if i["id"] in wanted]
    code = req.q("status.code")
    if code:
        items = [i for i in items if str(input_status_code(i)) == code]
    return Reply({"inputs": paged(req, items)})


@handles("V2_GetInput2")
def get_input(req: Request) -> Reply:
    """One input."""
    return Reply({"input": req.app.inputs.get(req.params["inputId"])})


@handles("V2_PatchInputs2")
def patch_inputs(req: Request) -> Reply:
    """Merge, overwrite or remove fields of inputs."""
    action = check_action(req.body)

    def change(sent: Item) -> Item:
        target = req.app.inputs.get(str(sent.get("id", "")))
        default_concept_values(sent.get("data") or {})
        return apply_patch(target, sent, action)

    return batch(items_of(req.body, "inputs"), change, "inputs")


def _delete_input(app: App, ident: str) -> None:
    app.inputs.remove(ident)
    app.images.pop(ident, None)
    for annotation in app.annotations:
        if annotation.get("input_id") == ident:
            app.annotations.remove(annotation["id"])


@handles("V2_DeleteInputs2")
def delete_inputs(req: Request) -> Reply:
    """Delete inputs by id (and their annotations)."""
    return batch(ids_of(req.body), lambda i: _delete_input(req.app, i), None)


@handles("V2_DeleteInput2")
def delete_input(req: Request) -> Reply:
    """Delete one input."""
    _delete_input(req.app, req.params["inputId"])
    return Reply()


@handles("V2_GetInputCount2")
def input_count(req: Request) -> Reply:
    """How many inputs are processed, pending, failed or processing."""
    codes = [input_status_code(i) for i in req.app.inputs]
    counts = {
        "processed": codes.count(INPUT_SUCCESS),
        "to_process": codes.count(INPUT_PENDING),
        "errors": codes.count(INPUT_FAILED),
        "processing": codes.count(INPUT_IN_PROGRESS),
    }
    return Reply({"counts": counts})


@handles("V2_StreamInputs2")
def stream_inputs(req: Request) -> Reply:
    """Return inputs in id order after the ``last_id`` cursor."""
    descending = req.q_bool("descending")
    items = sorted(req.app.inputs, key=lambda i: i["id"], reverse=descending)
    last = req.q("last_id")
    if last:
        items = [i for i in items if (i["id"] < last if descending else i["id"] > last)]
    per_page = req.q_int("per_page", STREAM_PER_PAGE)
    if per_page < 1:
        raise bad_request(f"per_page must be at least 1, not {per_page}")
    return Reply({"inputs": items[: min(per_page, 1000)]})


@handles("V2_GetInputVideoManifest2")
def video_manifest(req: Request) -> Reply:
    """Return the URL of a video input's DASH manifest."""
    item = req.app.inputs.get(req.params["inputId"])
    if not (item.get("data") or {}).get("video"):
        raise ServiceError(400, 31104, "Not a video input", f"input {item['id']!r} has no video")
    return Reply({"manifest_url": f"{req.base_url}/media/{item['id']}/manifest.mpd"})


def _annotation(app: App, input_id: str, annotation_id: str) -> Item:
    app.inputs.get(input_id)
    found = app.annotations.find(annotation_id)
    if found is None or found.get("input_id") != input_id:
        raise not_found("annotation", annotation_id)
    return found


@handles("V2_GetAnnotation2")
def get_annotation(req: Request) -> Reply:
    """One annotation of an input."""
    return Reply(
        {"annotation": _annotation(req.app, req.params["inputId"], req.params["annotationId"])}
    )


@handles("V2_DeleteAnnotation2")
def delete_annotation(req: Request) -> Reply:
    """Delete one annotation of an input."""
    found = _annotation(req.app, req.params["inputId"], req.params["annotationId"])
    req.app.annotations.remove(found["id"])
    return Reply()


@handles("V2_DeleteAnnotations2")
def delete_annotations(req: Request) -> Reply:
    """Delete annotations by (id, input id) pairs, or all annotations of inputs."""
    input_ids = ids_of(req.body, "input_ids")
    ids = req.body.get("ids") or []
    app = req.app
    if ids:
        if len(ids) != len(input_ids):
            raise bad_request("ids and input_ids must have the same length")
        pairs = list(zip(ids, input_ids, strict=True))
        return batch(
            pairs,
            lambda p: app.annotations.remove(_annotation(app, p[1], p[0])["id"]),
            None,
        )

    def clear(input_id: str) -> None:
        app.inputs.get(input_id)
        for annotation in app.annotations:
            if annotation.get("input_id") == input_id:
                app.annotations.remove(annotation["id"])

    return batch(input_ids, clear, None)
