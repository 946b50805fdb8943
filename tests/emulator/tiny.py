"""A tiny workspace in the shared format, for emulator tests (imported as ``tiny``)."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

USER, APP, DATASET = "tiny-user", "tiny-app", "pets"
CONCEPTS = ("cat", "dog", "bird")
TS = "2024-05-01T10:00:00.000000Z"


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def concept(cid: str, value: float) -> dict[str, Any]:
    return {"id": cid, "name": cid, "value": value, "app_id": APP}


def tiny_workspace() -> dict[str, Any]:
    """A small workspace in the shared format, enough for every operation."""
    inputs, annotations, test_set = [], [], []
    for n in range(12):
        iid = f"in-{n:02d}"
        truth = CONCEPTS[n % 3]
        inputs.append(
            {
                "id": iid,
                "data": {
                    "image": {"url": f"/media/{iid}.png", "image_info": {"width": 2, "height": 2}},
                    "metadata": {"shot": n, "source": "tiny"},
                },
                "dataset_ids": [DATASET],
                "created_at": TS,
                "modified_at": TS,
                "status": {"code": 30000, "description": "Download complete"},
            }
        )
        annotations.append(
            {
                "id": f"ann-{n:02d}",
                "input_id": iid,
                "data": {
                    "concepts": [concept(truth, 1.0)],
                    "regions": [
                        {
                            "id": f"reg-{n:02d}",
                            "region_info": {
                                "bounding_box": {
                                    "top_row": 0.1,
                                    "left_col": 0.1,
                                    "bottom_row": 0.6,
                                    "right_col": 0.7,
                                }
                            },
                            "data": {"concepts": [concept(truth, 1.0)]},
                        }
                    ],
                },
                "created_at": TS,
                "modified_at": TS,
                "status": {"code": 24150, "description": "Annotation success"},
            }
        )
        scores = {c: (0.8 if c == truth else 0.1) for c in CONCEPTS}
        if n == 4:
            scores = {"cat": 0.3, "dog": 0.6, "bird": 0.1}
        test_set.append(
            {
                "input": {"id": iid, "data": {"image": {"url": f"/media/{iid}.png"}}},
                "predicted_concepts": [concept(c, scores[c]) for c in CONCEPTS],
                "ground_truth_concepts": [concept(c, 1.0 if c == truth else 0.0) for c in CONCEPTS],
            }
        )
    inputs.append(
        {
            "id": "video-1",
            "data": {"video": {"url": "/media/video-1.mp4"}},
            "dataset_ids": [DATASET],
            "created_at": TS,
            "modified_at": TS,
            "status": {"code": 30000, "description": "Download complete"},
        }
    )
    model_version = {
        "id": "mv-1",
        "created_at": TS,
        "status": {"code": 21100, "description": "Model is trained and ready"},
        "active_concept_count": 3,
        "total_input_count": 12,
    }
    model = {
        "id": "pet-classifier",
        "name": "Pet classifier",
        "created_at": TS,
        "modified_at": TS,
        "app_id": APP,
        "user_id": USER,
        "model_type_id": "visual-classifier",
        "model_version": model_version,
        "output_info": {"data": {"concepts": [concept(c, 1.0) for c in CONCEPTS]}},
    }
    version = {
        "id": "v1",
        "dataset_id": DATASET,
        "app_id": APP,
        "user_id": USER,
        "created_at": TS,
        "modified_at": TS,
        "status": {"code": 64015, "description": "Dataset version ready"},
        "request_origin": 1,
    }
    evaluation = {
        "id": "eval-1",
        "user_id": USER,
        "app_id": APP,
        "status": {"code": 21300, "description": "Model is evaluated"},
        "model": {
            "id": model["id"],
            "app_id": APP,
            "user_id": USER,
            "model_version": {"id": "mv-1"},
        },
        "ground_truth_dataset": {
            "id": DATASET,
            "app_id": APP,
            "user_id": USER,
            "version": {"id": "v1"},
        },
        "summary": {"macro_avg_roc_auc": 0.9, "macro_avg_f1_score": 0.8},
        "test_set": test_set,
    }
    return {
        "format": "clarinb-workspace/1",
        "user_id": USER,
        "app_id": APP,
        "datasets": [
            {"id": DATASET, "app_id": APP, "user_id": USER, "created_at": TS, "modified_at": TS}
        ],
        "dataset_versions": [version],
        "metrics_groups": {
            f"{DATASET}/v1": [
                {"parent_path": "", "value": "total", "metrics": {"inputs_count": "13"}},
                {"parent_path": "", "type": 10, "value": "cat", "metrics": {"inputs_count": "4"}},
            ]
        },
        "inputs": inputs,
        "annotations": annotations,
        "models": [model],
        "model_types": [
            {"id": "visual-classifier", "title": "Visual classifier", "evaluation_type": 1},
            {"id": "visual-detector", "title": "Visual detector", "evaluation_type": 2},
        ],
        "evaluations": [evaluation],
        "label_orders": [
            {
                "id": "lo-1",
                "name": "Label pets",
                "status": {"code": 55001, "description": "Label order pending"},
                "created_at": TS,
                "modified_at": TS,
            }
        ],
        "inputs_add_jobs": [
            {
                "id": "job-1",
                "status": {"code": 64002, "description": "Job completed"},
                "created_at": TS,
            }
        ],
        "inputs_extraction_jobs": [
            {
                "id": "ext-1",
                "url": "https://example.com/archive.zip",
                "status": {"code": 64002, "description": "Job completed"},
                "created_at": TS,
            }
        ],
        "searches": [
            {
                "id": "saved-cats",
                "name": "cats",
                "query": {
                    "filters": [{"annotation": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}]
                },
            }
        ],
        "images": {
            i["id"]: base64.b64encode(png()).decode() for i in inputs if "image" in i["data"]
        },
    }
