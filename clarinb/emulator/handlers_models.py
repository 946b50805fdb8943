"""Handlers for models, model types, consents, languages, model inputs and uploads."""

from __future__ import annotations

import base64
import binascii
import copy
from typing import Any

from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.errors import bad_request, not_found
from clarinb.emulator.handlers_searches import concept_index, matches_query
from clarinb.emulator.store import Item, new_id
from clarinb.emulator.wire import status, timestamp
from clarinb.emulator.writes import batch, check_action, ids_of, items_of, patch_batch

MODEL_TRAINED = 21100
MODEL_UPLOADING, MODEL_UPLOADED = 21104, 21100
_SORTS = ("name", "created_at", "modified_at", "num_inputs", "star_count")


def _trained(model: Item) -> bool:
    version = model.get("model_version") or {}
    return (version.get("status") or {}).get("code") == MODEL_TRAINED


def _text_match(model: Item, text: str) -> bool:
    text = text.lower()
    return any(text in str(model.get(k) or "").lower() for k in ("id", "name", "description"))


def _filtered(models: list[Item], name: str | None, type_id: str | None) -> list[Item]:
    if type_id:
        models = [m for m in models if m.get("model_type_id") == type_id]
    if name:
        models = [m for m in models if _text_match(m, name)]
    return models


@handles("V2_ListModels3")
def list_models(req: Request) -> Reply:
    """Models, filtered by type, trained state and text, sorted as asked."""
    text = req.q("search") or req.q("query") or req.q("name")
    models = _filtered(list(req.app.models), text, req.q("model_type_id"))
    if req.q_bool("trained_only"):
        models = [m for m in models if _trained(m)]
    key = next((s for s in _SORTS if req.q_bool(f"sort_by_{s}")), "modified_at")
    field = {"num_inputs": "version_count"}.get(key, key)
    models.sort(key=lambda m: str(m.get(field) or ""), reverse=not req.q_bool("sort_ascending"))
    return Reply({"models": paged(req, models)})


@handles("V2_PostModelsSearches2")
def search_models(req: Request) -> Reply:
    """Models matching ``model_query`` (name substring, model type)."""
    query = req.body.get("model_query") or {}
    models = _filtered(list(req.app.models), query.get("name"), query.get("model_type_id"))
    return Reply({"models": paged(req, models)})


@handles("V2_GetModel2")
def get_model(req: Request) -> Reply:
    """One model; ``version_id`` must name its version when given."""
    model = req.app.models.get(req.params["modelId"])
    version_id = req.q("version_id")
    if version_id and (model.get("model_version") or {}).get("id") != version_id:
        raise not_found("model version", f"{model['id']}/{version_id}")
    return Reply({"model": model})


@handles("V2_PostModels2")
def post_models(req: Request) -> Reply:
    """Create a model (``model``, or the first of ``models``)."""
    sent = req.body.get("model") or (
        items_of(req.body, "models")[0] if req.body.get("models") else None
    )
    if not isinstance(sent, dict):
        raise bad_request("the body needs a 'model' object")
    item = copy.deepcopy(sent)
    item.update(user_id=req.app.user_id, app_id=req.app.app_id)
    return Reply({"model": req.app.models.add(item)})


@handles("V2_PatchModels2")
def patch_models(req: Request) -> Reply:
    """Change models (merge, overwrite or remove)."""
    return patch_batch(req.body, req.app.models, "models")


@handles("V2_DeleteModels2")
def delete_models(req: Request) -> Reply:
    """Delete models by id, or all of them with ``delete_all``."""
    if req.body.get("delete_all"):
        req.app.models.clear()
        return Reply()
    return batch(ids_of(req.body), req.app.models.remove, None)


@handles("V2_DeleteModel2")
def delete_model(req: Request) -> Reply:
    """Delete one model."""
    req.app.models.remove(req.params["modelId"])
    return Reply()


@handles("V2_ListModelTypes2")
def list_model_types(req: Request) -> Reply:
    """Model types."""
    return Reply({"model_types": paged(req, list(req.app.model_types))})


@handles("V2_GetModelType2")
def get_model_type(req: Request) -> Reply:
    """One model type."""
    return Reply({"model_type": req.app.model_types.get(req.params["modelTypeId"])})


def _patch_strings(model: Item, key: str, values: Any, action: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise bad_request(f"the body needs a list of strings under {key!r}")
    current = list(model.get(key) or [])
    if action == "overwrite":
        current = list(values)
    elif action == "merge":
        current += [v for v in values if v not in current]
    else:
        current = [v for v in current if v not in values]
    model[key] = current
    model["modified_at"] = timestamp()
    return current


@handles("V2_PatchModelCheckConsents2")
def patch_check_consents(req: Request) -> Reply:
    """Change a model's check consents."""
    model = req.app.models.get(req.params["modelId"])
    action = check_action(req.body)
    values = _patch_strings(model, "check_consents", req.body.get("check_consents"), action)
    return Reply({"check_consents": values})


@handles("V2_PatchModelLanguages2")
def patch_languages(req: Request) -> Reply:
    """Change a model's languages."""
    model = req.app.models.get(req.params["modelId"])
    action = check_action(req.body)
    values = _patch_strings(model, "languages", req.body.get("languages"), action)
    return Reply({"languages": values})


@handles("V2_ListModelInputs2")
def list_model_inputs(req: Request) -> Reply:
    """Return inputs labelled with any of the model's concepts (its training data)."""
    model = req.app.models.get(req.params["modelId"])
    concepts = (((model.get("output_info") or {}).get("data") or {}).get("concepts")) or []
    ids = {c.get("id") for c in concepts if c.get("id")}
    index = concept_index(req.app)
    inputs = [
        item
        for item in req.app.inputs
        if any(matches_query(index, item, _concept_query(i)) for i in ids)
    ]
    return Reply({"inputs": paged(req, inputs)})


def _concept_query(concept_id: str) -> dict[str, Any]:
    return {"filters": [{"annotation": {"data": {"concepts": [{"id": concept_id, "value": 1}]}}}]}


@handles("V2_PostModelVersionsUpload")
def upload_model_version(req: Request) -> Reply:
    """One message of a model version upload: a config starts it, content parts fill it."""
    app = req.app
    config = req.body.get("upload_config")
    part = req.body.get("content_part")
    if isinstance(config, dict):
        model = app.models.get(str(config.get("model_id") or ""))
        version = copy.deepcopy(config.get("model_version") or {})
        version["id"] = version.get("id") or new_id()
        version.update(created_at=timestamp(), status=status(MODEL_UPLOADING, "Model uploading"))
        total = int(config.get("total_size") or 0)
        model["_upload"] = {"version": version, "remaining": total}
        return Reply({"model_version_id": version["id"], "bytes_remaining": total})
    if isinstance(part, dict):
        uploading = [m for m in app.models if "_upload" in m]
        if not uploading:
            raise bad_request("send an upload_config before content parts")
        model = uploading[-1]
        upload = model["_upload"]
        try:
            size = len(base64.b64decode(str(part.get("data") or ""), validate=True))
        except (binascii.Error, ValueError):
            raise bad_request("content_part.data is not base64") from None
        upload["remaining"] = max(0, upload["remaining"] - size)
        version = upload["version"]
        if upload["remaining"] == 0:
            version["status"] = status(MODEL_UPLOADED)
            model["model_version"] = version
            del model["_upload"]
        return Reply({"model_version_id": version["id"], "bytes_remaining": upload["remaining"]})
    raise bad_request("the body needs an upload_config or a content_part")
