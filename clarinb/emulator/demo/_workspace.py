"""Assembling the demo workspace from the generated facts.

Data-making code.  Dataset ``wildlife`` has three versions:

* ``v1``: the first :data:`N_V1` images, original labels, no ``beaver``;
* ``v2``: all images and the video, original labels (about 5% name a
  look-alike); the shared version every demo model is evaluated on;
* ``v3``: the same inputs relabelled (the labels fixed); the workspace's
  current annotations are this version's.

Each dataset version carries ``_input_ids``, the ids of its inputs: private
to the emulator (keys starting with ``_`` are never sent), so that it lists
and evaluates a version's own inputs.

Dataset ``new-uploads`` holds the unlabelled pictures; its version ``v1`` is
what the failed evaluation (21315 MODEL_EVALUATION_NEED_LABELS) ran on.
"""

from __future__ import annotations

import gc
from typing import Any

from clarinb.emulator.demo._catalog import APP_ID, DATASET_ID, USER_ID, timestamp
from clarinb.emulator.demo._dataset import (
    image_inputs,
    images,
    label_annotations,
    video_annotation,
    video_input,
)
from clarinb.emulator.demo._evaluate import EvaluationFailed, run_evaluation
from clarinb.emulator.demo._facts import N_IMAGES, N_V1, pictures
from clarinb.emulator.demo._groups import metrics_groups
from clarinb.emulator.demo._labels import read_labels
from clarinb.emulator.demo._predict import MODELS
from clarinb.emulator.demo._resources import (
    inputs_add_jobs,
    inputs_extraction_jobs,
    label_orders,
    model,
    model_types,
    searches,
    version_id,
)

__all__ = ["EVALUATED_VERSION", "FORMAT", "UPLOADS_ID", "build_workspace"]

FORMAT = "clarinb-workspace/1"
UPLOADS_ID = "new-uploads"
#: The dataset version the demo models are evaluated on.
EVALUATED_VERSION = "v2"
_VERSIONS = (
    ("v1", "First 400 pictures, original labels.", 700),
    ("v2", "All pictures and the video, original labels; adds beaver.", 760),
    ("v3", "Same inputs as v2, look-alike labels fixed.", 820),
)


def _dataset(dataset_id: str, description: str, minutes: float) -> dict[str, Any]:
    return {
        "id": dataset_id,
        "created_at": timestamp(minutes),
        "modified_at": timestamp(minutes),
        "app_id": APP_ID,
        "user_id": USER_ID,
        "description": description,
        "visibility": {"gettable": 10},
    }


def _version(
    dataset_id: str, vid: str, description: str, minutes: float, members: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": vid,
        "created_at": timestamp(minutes),
        "modified_at": timestamp(minutes + 5),
        "app_id": APP_ID,
        "user_id": USER_ID,
        "dataset_id": dataset_id,
        "status": {"code": 64015, "description": "Dataset version ready"},
        "description": description,
        "visibility": {"gettable": 10},
        "request_origin": 1,
        "_input_ids": [i["id"] for i in members],
    }


def _evaluation(eval_id: str, model_id: str, dataset_id: str, vid: str) -> dict[str, Any]:
    return {
        "status": {"code": 21300, "description": "Model is evaluated"},
        "user_id": USER_ID,
        "app_id": APP_ID,
        "id": eval_id,
        "model": {
            "id": model_id,
            "app_id": APP_ID,
            "user_id": USER_ID,
            "model_type_id": MODELS[model_id].model_type_id,
            "model_version": {"id": version_id(model_id)},
        },
        "ground_truth_dataset": {
            "id": dataset_id,
            "app_id": APP_ID,
            "user_id": USER_ID,
            "version": {"id": vid},
        },
    }


def build_workspace(seed: int = 0) -> dict[str, Any]:
    """Build the demo workspace, the same for the same seed.

    Parameters
    ----------
    seed : int
        Seed of every generator.

    Returns
    -------
    dict
        The ``clarinb-workspace/1`` dict (see the package docstring).
    """
    # Nothing built here forms a cycle; pausing the cyclic collector while
    # half a million objects are made saves about a tenth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(seed)
    finally:
        if collecting:
            gc.enable()


def _build(seed: int) -> dict[str, Any]:
    pics = pictures(seed)
    v1_pics = pics[:N_V1]
    old_inputs = image_inputs(pics, relabelled=False)
    new_inputs = image_inputs(pics, relabelled=True)
    video = video_input(N_IMAGES)
    video_ann = video_annotation()
    old_ann = label_annotations(pics, relabelled=False)
    new_ann = label_annotations(pics, relabelled=True)
    content = {
        "v1": (old_inputs[:N_V1], label_annotations(v1_pics, relabelled=False)),
        "v2": ([*old_inputs, video], [*old_ann, video_ann]),
        "v3": ([*new_inputs, video], [*new_ann, video_ann]),
    }
    unlabelled = [i for i, p in zip(new_inputs, pics, strict=True) if not p.labelled]
    for inp in unlabelled:
        inp["dataset_ids"] = [DATASET_ID, UPLOADS_ID]
    groups = {f"{DATASET_ID}/{vid}": metrics_groups(*content[vid]) for vid, _, _ in _VERSIONS}
    groups[f"{UPLOADS_ID}/v1"] = metrics_groups(unlabelled, [])

    evaluations = []
    shared_inputs, shared_ann = content[EVALUATED_VERSION]
    truth, seen = read_labels(shared_ann), read_labels(new_ann)
    for model_id in MODELS:
        body = _evaluation(
            f"{model_id}-on-{EVALUATED_VERSION}", model_id, DATASET_ID, EVALUATED_VERSION
        )
        body.update(run_evaluation(model_id, shared_inputs, truth, seed=seed, shown=seen))
        evaluations.append(body)
    failed = _evaluation("animals-large-on-new-uploads", "animals-large", UPLOADS_ID, "v1")
    try:
        run_evaluation("animals-large", unlabelled, [], seed=seed)
    except EvaluationFailed as exc:
        failed["status"] = {"code": exc.code, "description": exc.description}
    evaluations.append(failed)

    return {
        "format": FORMAT,
        "seed": seed,
        "user_id": USER_ID,
        "app_id": APP_ID,
        "datasets": [
            _dataset(DATASET_ID, "Wild and domestic animals in their habitats.", 690),
            _dataset(UPLOADS_ID, "Pictures uploaded from the field, not yet labelled.", 1100),
        ],
        "dataset_versions": [
            *(_version(DATASET_ID, vid, d, m, content[vid][0]) for vid, d, m in _VERSIONS),
            _version(UPLOADS_ID, "v1", "Everything uploaded so far.", 1110, unlabelled),
        ],
        "metrics_groups": groups,
        "inputs": [*new_inputs, video],
        "annotations": [*new_ann, video_ann],
        "models": [model(m, i) for i, m in enumerate(MODELS)],
        "model_types": model_types(),
        "evaluations": evaluations,
        "label_orders": label_orders(),
        "inputs_add_jobs": inputs_add_jobs(N_IMAGES + 1),
        "inputs_extraction_jobs": inputs_extraction_jobs(N_IMAGES + 1),
        "searches": searches(),
        "images": images(pics),
    }
