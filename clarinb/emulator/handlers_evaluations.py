"""Handlers for model evaluations: list, get (with ``fields.*``) and create."""

from __future__ import annotations

import copy
from typing import Any

from clarinb.api.endpoints import EVALUATION_PARTS
from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.errors import bad_request
from clarinb.emulator.lifecycle import advance, start
from clarinb.emulator.store import App, Item
from clarinb.emulator.wire import status
from clarinb.emulator.writes import batch, items_of

EVAL_STEPS = (21303, 21301, 21300)
FAILED = range(21310, 21320)
HEAVY = EVALUATION_PARTS
_SORT_KEYS: dict[str, Any] = {
    "app_id": lambda e: e.get("app_id") or "",
    "roc_auc": lambda e: (e.get("summary") or {}).get("macro_avg_roc_auc") or 0.0,
    "f1": lambda e: (e.get("summary") or {}).get("macro_avg_f1_score") or 0.0,
    "mean_avg_precision": lambda e: (
        (e.get("summary") or {}).get("mean_avg_precision_iou_50") or 0.0
    ),
    "precision": lambda e: (e.get("summary") or {}).get("macro_avg_precision") or 0.0,
    "recall": lambda e: (e.get("summary") or {}).get("macro_avg_recall") or 0.0,
    "model_id": lambda e: (e.get("model") or {}).get("id") or "",
    "eval_dataset_id": lambda e: (e.get("ground_truth_dataset") or {}).get("id") or "",
    "train_dataset_id": lambda e: "",
}


def _code(evaluation: Item) -> int:
    return int((evaluation.get("status") or {}).get("code") or 0)


def _view(evaluation: Item, req: Request) -> Item:
    """Return the evaluation with only the heavy parts its ``fields.*`` flags ask for."""
    shown = {k: v for k, v in evaluation.items() if k not in HEAVY}
    for key in HEAVY:
        if req.q_bool(f"fields.{key}") and key in evaluation:
            shown[key] = evaluation[key]
    return shown


def _version_inputs(app: App, dataset_id: str, version: Item) -> list[Item]:
    ids = version.get("_input_ids")
    if ids is not None:
        wanted = set(ids)
        return [i for i in app.inputs if i["id"] in wanted]
    return [i for i in app.inputs if dataset_id in (i.get("dataset_ids") or [])]


def _compute(app: App, evaluation: Item, seed: int) -> None:
    """Fill an evaluation's metrics, or give it a failure status.

    Demo models predict afresh on the dataset version; any other model is
    scored from the predictions stored in its latest evaluation's test set.
    """
    from clarinb.emulator.demo import (  # noqa: PLC0415 - the demo is heavy
        MODELS,
        EvaluationFailed,
        evaluate,
        run_evaluation,
    )

    model_id = evaluation["model"]["id"]
    dataset = evaluation["ground_truth_dataset"]
    version = app.version(dataset["id"], dataset["version"]["id"])
    inputs = _version_inputs(app, dataset["id"], version)
    ids = {i["id"] for i in inputs}
    annotations = [a for a in app.annotations if a.get("input_id") in ids]
    try:
        if model_id in MODELS:
            evaluation.update(run_evaluation(model_id, inputs, annotations, seed=seed))
            return
        stored = [
            e
            for e in app.evaluations
            if e.get("test_set") and (e.get("model") or {}).get("id") == model_id
        ]
        entries = [e for e in (stored[-1]["test_set"] if stored else []) if e["input"]["id"] in ids]
        kind = "detector" if any("predicted_annotation" in e for e in entries) else "classifier"
        evaluation.update(evaluate(entries, kind=kind))
    except EvaluationFailed as exc:
        evaluation["status"] = status(exc.code, exc.description)


def _show(req: Request, evaluation: Item) -> Item:
    seed = req.store.seed
    return advance(evaluation, lambda e: _compute(req.app, e, seed))


@handles("V2_ListEvaluations3")
def list_evaluations(req: Request) -> Reply:
    """Return evaluations (light fields), filtered and sorted as asked."""
    evaluations = [_show(req, e) for e in req.app.evaluations]
    if not req.q_bool("show_failed_metrics"):
        evaluations = [e for e in evaluations if _code(e) not in FAILED]
    datasets = set(req.q_list("eval_dataset_ids"))
    if datasets:
        evaluations = [
            e for e in evaluations if (e.get("ground_truth_dataset") or {}).get("id") in datasets
        ]
    model_type = req.q("model_type_id")
    if model_type:
        types = {m["id"]: m.get("model_type_id") for m in req.app.models}
        evaluations = [
            e for e in evaluations if types.get((e.get("model") or {}).get("id")) == model_type
        ]
    # The service's default order is newest first; sort_by_created_at is the same order.
    key = next((k for k in _SORT_KEYS if req.q_bool(f"sort_by_{k}")), None)
    ascending = req.q_bool("sort_ascending")
    if key is None:
        evaluations = evaluations if ascending else evaluations[::-1]
    else:
        evaluations.sort(key=_SORT_KEYS[key], reverse=not ascending)
    page = paged(req, evaluations)
    return Reply({"eval_metrics": [_view(e, req) for e in page]} if page else {})


@handles("V2_GetEvaluation2")
def get_evaluation(req: Request) -> Reply:
    """One evaluation; the heavy parts only when their ``fields.*`` flag is true."""
    evaluation = _show(req, req.app.evaluations.get(req.params["evaluationId"]))
    return Reply({"eval_metrics": _view(evaluation, req)})


@handles("V2_PostEvaluations2")
def post_evaluations(req: Request) -> Reply:
    """Start evaluations of model versions on dataset versions."""
    app = req.app

    def create(sent: Item) -> Item:
        model_ref = sent.get("model") or {}
        model = app.models.get(str(model_ref.get("id") or ""))
        dataset = sent.get("ground_truth_dataset") or {}
        version_id = str((dataset.get("version") or {}).get("id") or "")
        if not dataset.get("id") or not version_id:
            raise bad_request("ground_truth_dataset needs an id and a version.id")
        app.version(str(dataset["id"]), version_id)
        evaluation = copy.deepcopy(sent)
        version = copy.deepcopy(model_ref.get("model_version") or model.get("model_version") or {})
        evaluation["model"] = {
            "id": model["id"],
            "app_id": app.app_id,
            "user_id": app.user_id,
            "model_version": {k: version[k] for k in ("id",) if k in version},
        }
        evaluation["ground_truth_dataset"] = {
            "id": dataset["id"],
            "app_id": app.app_id,
            "user_id": app.user_id,
            "version": {"id": version_id},
        }
        evaluation.update(user_id=app.user_id, app_id=app.app_id)
        for key in HEAVY:
            evaluation.pop(key, None)
        start(evaluation, EVAL_STEPS)
        return app.evaluations.add(evaluation)

    reply = batch(items_of(req.body, "eval_metrics"), create, "eval_metrics")
    reply.body["eval_metrics"] = [_view(e, req) for e in reply.body.get("eval_metrics", [])]
    return reply
