"""The demo's smaller resources: models, model types, label orders, jobs, searches.

Data-making code; everything in wire form, enums as numbers.
"""

from __future__ import annotations

import hashlib
from typing import Any

from clarinb.emulator.demo._catalog import APP_ID, USER_ID, concept, timestamp
from clarinb.emulator.demo._predict import MODELS

__all__ = [
    "inputs_add_jobs",
    "inputs_extraction_jobs",
    "label_orders",
    "model",
    "model_types",
    "searches",
    "version_id",
]


def _private() -> dict[str, int]:
    """Return a fresh Visibility (PRIVATE): resources never share a mutable object."""
    return {"gettable": 10}


def version_id(model_id: str) -> str:
    """Return the (deterministic, 32 hex digit) id of a demo model's version.

    Parameters
    ----------
    model_id : str

    Returns
    -------
    str
    """
    return hashlib.md5(f"{model_id}/1".encode()).hexdigest()


def model(model_id: str, index: int) -> dict[str, Any]:
    """Return the Model resource of a demo model, with its trained version.

    Parameters
    ----------
    model_id : str
        A key of ``MODELS``.
    index : int
        Its position (sets its creation time).

    Returns
    -------
    dict
    """
    spec = MODELS[model_id]
    created, trained = timestamp(600 + 60 * index), timestamp(630 + 60 * index)

    def output_info() -> dict[str, Any]:
        concepts = [concept(c, 1.0, app_id=APP_ID) for c in spec.concepts]
        # min_value is always sent (cl_show_if_empty).
        return {
            "data": {"concepts": concepts},
            "output_config": {"max_concepts": 20, "min_value": 0.0},
        }

    version = {
        "id": version_id(model_id),
        "created_at": created,
        "status": {"code": 21100, "description": "Model is trained and ready"},
        "active_concept_count": len(spec.concepts),
        "total_input_count": 640,
        "completed_at": trained,
        "description": "first trained version",
        "visibility": _private(),
        "app_id": APP_ID,
        "user_id": USER_ID,
        "modified_at": trained,
        "output_info": output_info(),
    }
    return {
        "id": model_id,
        "name": model_id,
        "created_at": created,
        "modified_at": trained,
        "app_id": APP_ID,
        "output_info": output_info(),
        "model_version": version,
        "user_id": USER_ID,
        "model_type_id": spec.model_type_id,
        "visibility": _private(),
        "description": spec.description,
        "version_count": 1,
    }


def _type(type_id: str, title: str, evaluation_type: int, outputs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": type_id,
        "title": title,
        "description": f"{title} model.",
        "input_fields": ["image"] if type_id.startswith("visual") else ["text"],
        "output_fields": outputs,
        "trainable": True,
        "creatable": True,
        "model_type_fields": [
            {
                "path": "output_info.data",
                "field_type": 4,
                "description": "The concepts the model predicts.",
                "required": True,
            },
            {
                "path": "output_info.output_config.max_concepts",
                "field_type": 3,
                "default_value": 20,
                "description": "Most concepts returned per input.",
            },
        ],
    }
    if evaluation_type:
        out["evaluation_type"] = evaluation_type
    return out


def model_types() -> list[dict[str, Any]]:
    """Return the ModelTypes the demo knows (classifier, detector, embedder, text classifier).

    Returns
    -------
    list of dict
    """
    return [
        _type("visual-classifier", "Visual Classifier", 1, ["concepts"]),
        _type("visual-detector", "Visual Detector", 2, ["regions[...].region_info.bounding_box"]),
        _type("visual-embedder", "Visual Embedder", 0, ["embeddings"]),
        _type("text-classifier", "Text Classifier", 1, ["concepts"]),
    ]


def label_orders() -> list[dict[str, Any]]:
    """Return two label orders: a finished relabelling and boxes still in progress.

    Returns
    -------
    list of dict
    """
    orders = (
        ("relabel-canines", "Check canine labels", 55003, 1, ["husky", "wolf", "malamute"]),
        ("box-corvids", "Draw boxes on crows and ravens", 55002, 2, ["crow", "raven"]),
    )
    out: list[dict[str, Any]] = []
    for i, (oid, name, code, task_type, concepts) in enumerate(orders):
        created = timestamp(900 + 120 * i)
        out.append(
            {
                "id": oid,
                "name": name,
                "status": {
                    "code": code,
                    "description": "Label order "
                    + ("completed" if code == 55003 else "in progress"),
                },
                "desired_fulfill_time": timestamp(900 + 120 * i + 2880),
                "estimate_fulfill_time": timestamp(900 + 120 * i + 1440),
                "task": {
                    "id": f"task-{oid}",
                    "created_at": created,
                    "modified_at": created,
                    "type": task_type,
                    "description": name,
                    "concept_ids": concepts,
                    "name": name,
                    "app_id": APP_ID,
                    "user_id": USER_ID,
                    "label_order_id": oid,
                },
                "created_at": created,
                "modified_at": created,
            }
        )
    out[0]["auto_release"] = True  # proto3 JSON leaves false out
    return out


def inputs_add_jobs(n_images: int) -> list[dict[str, Any]]:
    """Return the finished job that uploaded the demo inputs.

    Parameters
    ----------
    n_images : int
        Inputs it added (the images and the video).

    Returns
    -------
    list of dict
    """
    return [
        {
            "id": "upload-wildlife",
            "progress": {"success_count": str(n_images)},
            "created_at": timestamp(0),
            "modified_at": timestamp(330),
            "status": {"code": 64002, "description": "Job completed"},
            "extraction_jobs": inputs_extraction_jobs(n_images),
        }
    ]


def inputs_extraction_jobs(n_images: int) -> list[dict[str, Any]]:
    """Return the finished extraction of the uploaded archive.

    Parameters
    ----------
    n_images : int
        Inputs extracted (all images but one video).

    Returns
    -------
    list of dict
    """
    return [
        {
            "status": {"code": 64002, "description": "Job completed"},
            "id": "extract-wildlife-archive",
            "url": "/media/wildlife-archive.zip",
            "progress": {
                "image_inputs_count": str(n_images - 1),
                "video_inputs_count": "1",
                "completed_archives_count": "1",
            },
            "created_at": timestamp(1),
            "modified_at": timestamp(329),
        }
    ]


def searches() -> list[dict[str, Any]]:
    """Return saved searches: by concept, by metadata, and a negated concept filter.

    Returns
    -------
    list of dict
    """
    specs = (
        (
            "wolves",
            "Inputs labelled wolf",
            {"annotation": {"data": {"concepts": [concept("wolf", 1.0)]}}},
        ),
        (
            "snowy-scenes",
            "Snow scenes",
            {"annotation": {"data": {"concepts": [concept("snow", 1.0)]}}},
        ),
        (
            "camera-shots",
            "From the trail cameras",
            {"input": {"data": {"metadata": {"source": "trail-cam"}}}},
        ),
    )
    out = []
    for i, (sid, name, flt) in enumerate(specs):
        when = timestamp(1000 + 10 * i)
        out.append(
            {
                "query": {"filters": [flt]},
                "id": sid,
                "application_id": APP_ID,
                "name": name,
                "created_at": when,
                "modified_at": when,
                "save": True,
                "visibility": _private(),
            }
        )
    return out
