"""Private adapters from a detector's EvalMetrics dict to the frames the detection views draw.

``metrics_by_class``, ``pr_curves`` and the region-level test set, with IoU
values rounded to 6 decimals so that 0.8 and 0.9 are exact keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb.errors import InvalidArgumentError, ResponseFormatError

__all__ = [
    "BOX_COLUMNS",
    "METRIC_COLUMNS",
    "check_metrics",
    "eval_body",
    "metrics_by_class",
    "pr_curves",
    "region_test_set",
    "round_iou",
]

METRIC_COLUMNS = (
    "concept_id",
    "concept_name",
    "area_name",
    "area_min",
    "area_max",
    "iou",
    "num_pos",
    "num_neg",
    "num_tot",
    "roc_auc",
    "f1",
    "avg_precision",
)
BOX_COLUMNS = (
    "input_id",
    "image_url",
    "width",
    "height",
    "kind",
    "concept_id",
    "score",
    "top",
    "left",
    "bottom",
    "right",
)


def round_iou(values: Any) -> Any:
    """Round IoU thresholds to 6 decimals so they compare exactly with 0.8, 0.9, ..."""
    return np.round(np.asarray(values, dtype=float), 6)


def _get(d: Mapping[str, Any], snake: str) -> Any:
    if snake in d:
        return d[snake]
    camel = "".join(w.capitalize() if i else w for i, w in enumerate(snake.split("_")))
    return d.get(camel)


def _float(raw: Any, where: str) -> float:
    if raw is None:
        return 0.0
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ResponseFormatError(f"{where} is {raw!r}, not a number") from None


def eval_body(ev: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the EvalMetrics object of a body that may be the response envelope."""
    if not isinstance(ev, Mapping):
        raise InvalidArgumentError(f"expected an EvalMetrics dict, not {type(ev).__name__}.")
    inner = _get(ev, "eval_metrics")
    if isinstance(inner, Mapping):
        return inner
    if isinstance(inner, list) and len(inner) == 1 and isinstance(inner[0], Mapping):
        return inner[0]
    return ev


def _entries(ev: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = _get(eval_body(ev), key) or []
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise ResponseFormatError(f"{key} is not a list of objects")
    return items


def metrics_by_class(ev: Mapping[str, Any], key: str = "metrics_by_class") -> pd.DataFrame:
    """One row per (concept, IoU, area) entry, columns :data:`METRIC_COLUMNS`.

    Examples
    --------
    >>> ev = {"metrics_by_class": [{"concept": {"id": "cat"}, "iou": 0.8,
    ...                             "area_name": "all", "avg_precision": 0.5}]}
    >>> metrics_by_class(ev)[["concept_id", "iou", "avg_precision"]].values.tolist()
    [['cat', 0.8, 0.5]]
    """
    rows = []
    for i, entry in enumerate(_entries(ev, key)):
        concept = _get(entry, "concept") or {}
        where = f"{key}[{i}]"
        row: dict[str, Any] = {
            "concept_id": str(concept.get("id") or ""),
            "concept_name": str(concept.get("name") or concept.get("id") or ""),
            "area_name": str(_get(entry, "area_name") or "all"),
        }
        for col in METRIC_COLUMNS[3:]:
            row[col] = _float(_get(entry, col), f"{where}.{col}")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(METRIC_COLUMNS))
    frame["iou"] = round_iou(frame["iou"])
    return frame


def pr_curves(ev: Mapping[str, Any], key: str = "metrics_by_class") -> pd.DataFrame:
    """Long frame of the PR curves: concept_id, area_name, iou, threshold, precision, recall."""
    parts = []
    for i, entry in enumerate(_entries(ev, key)):
        curve = _get(entry, "precision_recall_curve") or {}
        precision = [_float(v, f"{key}[{i}] precision") for v in curve.get("precision") or []]
        recall = [_float(v, f"{key}[{i}] recall") for v in curve.get("recall") or []]
        thresholds = [_float(v, f"{key}[{i}] thresholds") for v in curve.get("thresholds") or []]
        if len(recall) != len(precision):
            raise ResponseFormatError(f"{key}[{i}]: precision and recall differ in length")
        thresholds = (thresholds + [np.nan] * len(precision))[: len(precision)]
        parts.append(
            pd.DataFrame(
                {
                    "concept_id": str((_get(entry, "concept") or {}).get("id") or ""),
                    "area_name": str(_get(entry, "area_name") or "all"),
                    "iou": _float(_get(entry, "iou"), f"{key}[{i}].iou"),
                    "threshold": thresholds,
                    "precision": precision,
                    "recall": recall,
                }
            )
        )
    columns = ["concept_id", "area_name", "iou", "threshold", "precision", "recall"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    frame["iou"] = round_iou(frame["iou"])
    return frame[columns]


def _regions(entry: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    annotation = _get(entry, key) or {}
    data = annotation.get("data") or {}
    return list(data.get("regions") or [])


def region_test_set(ev: Mapping[str, Any]) -> pd.DataFrame:
    """One row per box of the test set, columns :data:`BOX_COLUMNS` (coordinates normalised 0-1).

    Inputs with no box keep one row with ``kind`` ``"none"`` so that they can be browsed.
    """
    rows: list[dict[str, Any]] = []
    for i, entry in enumerate(_entries(ev, "test_set")):
        item = _get(entry, "input") or {}
        image = (item.get("data") or {}).get("image") or {}
        info = _get(image, "image_info") or {}
        base = {
            "input_id": str(item.get("id") or f"#{i}"),
            "image_url": str(image.get("url") or ""),
            "width": _float(info.get("width"), f"test_set[{i}] width") or np.nan,
            "height": _float(info.get("height"), f"test_set[{i}] height") or np.nan,
        }
        found = False
        for kind, key in (
            ("ground truth", "ground_truth_annotation"),
            ("predicted", "predicted_annotation"),
        ):
            for region in _regions(entry, key):
                box = _get(_get(region, "region_info") or {}, "bounding_box")
                if not box:
                    continue
                concepts = (region.get("data") or {}).get("concepts") or [{}]
                score = concepts[0].get("value")
                rows.append(
                    {
                        **base,
                        "kind": kind,
                        "concept_id": str(concepts[0].get("id") or ""),
                        "score": 1.0 if score is None else _float(score, "region score"),
                        **{
                            side: _float(_get(box, f"{side}_{suffix}"), f"test_set[{i}] box")
                            for side, suffix in (
                                ("top", "row"),
                                ("left", "col"),
                                ("bottom", "row"),
                                ("right", "col"),
                            )
                        },
                    }
                )
                found = True
        if not found:
            rows.append({**base, "kind": "none", "concept_id": "", "score": np.nan})
    return pd.DataFrame(rows, columns=list(BOX_COLUMNS))


def check_metrics(frame: Any) -> pd.DataFrame:
    """Validate a metrics-by-class frame given to a view; IoU rounded, area names filled."""
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgumentError(
            f"expected a metrics_by_class DataFrame, not {type(frame).__name__}."
        )
    missing = [c for c in ("concept_id", "iou", "avg_precision") if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(f"the metrics frame lacks columns {missing}.")
    out = frame.copy()
    if "area_name" not in out.columns:
        out["area_name"] = "all"
    out["area_name"] = out["area_name"].fillna("all").astype(str).replace("", "all")
    out["concept_id"] = out["concept_id"].astype(str)
    out["iou"] = round_iou(out["iou"])
    out["avg_precision"] = pd.to_numeric(out["avg_precision"], errors="coerce").astype(float)
    return out.reset_index(drop=True)
