"""A detector's EvalMetrics computed from its test set, COCO style.

Conventions
-----------
* Objects are the ``ground_truth_annotation`` regions and detections the
  ``predicted_annotation`` regions (``bounding_box``, normalised), each named
  by its first concept; a detection's score is that concept's ``value``.
  Areas are in pixels of the input's ``image_info`` size.
* For every concept, IoU threshold in :data:`IOUS` (0.5, 0.55, ..., 0.95) and
  area range in :data:`AREAS` (all, small, medium, large; ``area_min`` and
  ``area_max`` in square pixels), detections are matched as the COCO
  evaluation does: by decreasing score, each to the unmatched object of the
  same concept and image with the highest IoU at or above the threshold,
  preferring objects inside the area range; objects outside the range, and
  detections matched to them or unmatched and outside it, are ignored.
* ``avg_precision`` is the mean of the interpolated precision at the 101
  recalls 0, 0.01, ..., 1 (``"NaN"`` without objects); the
  ``precision_recall_curve`` holds every fifth of those points (recall 0,
  0.05, ..., 1, to keep the body small), ``thresholds`` being the score at
  which each recall is first reached (0 when never reached).
  ``num_tot`` and ``num_pos`` are the objects in range, ``num_neg`` the
  false detections, ``f1`` the best F1 along the curve; ``roc_auc`` is 0
  (not defined for detection).
* ``metrics_by_area``: per area range and IoU, ``avg_precision`` is the mean
  over concepts with objects (mAP) and ``num_tot`` all objects.
* ``summary``: ``mean_avg_precision_iou_50`` is the mAP at IoU 0.5 over all
  areas, ``mean_avg_precision_iou_range`` the mean over the ten IoUs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from clarinb.emulator.demo._classify import wire_float
from clarinb.emulator.demo._matching import AREAS, Box, Image, image, match, prepare
from clarinb.emulator.wire import Sealed

__all__ = ["AREAS", "CURVE_STEP", "IOUS", "RECALLS", "detector_metrics"]

#: IoU thresholds, exact decimals.
IOUS: tuple[float, ...] = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
#: Recall levels of the interpolated precision.
#: Recall levels as COCO's evaluation computes them (``linspace``, not rounded: 0.07 is
#: 0.07000000000000001 there, and a recall of exactly 0.07 does not reach it).
RECALLS = np.linspace(0.0, 1.0, 101)
#: Every how many recall levels a stored curve keeps a point (5: 0, 0.05, ..., 1).
CURVE_STEP = 5


def _regions(annotation: dict[str, Any] | None) -> list[tuple[str, Box, float, str]]:
    out = []
    for region in ((annotation or {}).get("data") or {}).get("regions") or ():
        b = region["region_info"]["bounding_box"]
        c = region["data"]["concepts"][0]
        box = (
            b.get("top_row", 0.0),
            b.get("left_col", 0.0),
            b.get("bottom_row", 0.0),
            b.get("right_col", 0.0),
        )
        out.append((c["id"], box, float(c.get("value", 0.0)), c.get("name", c["id"])))
    return out


_SHOWN_RECALLS = np.round(RECALLS[::CURVE_STEP], 2).tolist()


def _curve(scores: np.ndarray, tp: np.ndarray, n_obj: int) -> tuple[float, float, dict]:
    """AP, best F1 and the stored curve of detections (any order) against ``n_obj`` objects."""
    n = len(scores)
    if n == 0:
        zeros = [0.0] * len(_SHOWN_RECALLS)
        return (
            0.0,
            0.0,
            {"recall": list(_SHOWN_RECALLS), "precision": zeros, "thresholds": list(zeros)},
        )
    order = np.argsort(-scores, kind="mergesort")
    scores, tp = scores[order], tp[order]
    tps = np.cumsum(tp)
    recall = tps / n_obj
    envelope = np.maximum.accumulate((tps / np.arange(1, n + 1))[::-1])[::-1]
    idx = np.searchsorted(recall, RECALLS, side="left")
    reached = idx < n
    idx = np.minimum(idx, n - 1)
    q = np.where(reached, envelope[idx], 0.0)
    thr = np.where(reached, scores[idx], 0.0)
    f1 = float((2.0 * tps / (np.arange(1, n + 1) + n_obj)).max())  # 2TP / (2TP + FP + FN)
    curve = {
        "recall": list(_SHOWN_RECALLS),
        "precision": q[::CURVE_STEP].tolist(),
        "thresholds": thr[::CURVE_STEP].tolist(),
    }
    return float(q.mean()), f1, curve


def _class_item(
    cid: str, name: str, scores: np.ndarray, tp: np.ndarray, n_obj: int
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "num_pos": n_obj,
        "num_neg": int((~tp).sum()),
        "num_tot": n_obj,
        "roc_auc": 0.0,
        "f1": 0.0,
        "concept": {"id": cid, "name": name, "value": 1.0},
    }
    value = float("nan")
    if n_obj:
        value, item["f1"], item["precision_recall_curve"] = _curve(scores, tp, n_obj)
    if value != 0:  # proto3 JSON leaves 0 out (NaN stays, as "NaN")
        item["avg_precision"] = wire_float(value)
    item["_ap"] = value
    return item


def detector_metrics(entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Compute a detector's EvalMetrics parts from its test set.

    Parameters
    ----------
    entries : sequence of dict
        EvalTestSetEntry dicts with ``ground_truth_annotation`` and ``predicted_annotation``.

    Returns
    -------
    dict
        ``summary``, ``metrics_by_class``, ``metrics_by_area`` and ``test_set``.
    """
    names: dict[str, str] = {}
    per: dict[str, list[Image]] = {}
    for entry in entries:
        info = entry["input"].get("data", {}).get("image", {}).get("image_info") or {}
        px = float(info.get("width", 1)) * float(info.get("height", 1))
        boxes: dict[str, tuple[list[Box], list[tuple[Box, float]]]] = {}
        for cid, box, _, name in _regions(entry.get("ground_truth_annotation")):
            names.setdefault(cid, name)
            boxes.setdefault(cid, ([], []))[0].append(box)
        found = _regions(entry.get("predicted_annotation"))
        for cid, box, s, name in sorted(found, key=lambda d: -d[2]):
            names.setdefault(cid, name)
            boxes.setdefault(cid, ([], []))[1].append((box, s))
        for cid, (gts, dts) in boxes.items():
            per.setdefault(cid, []).append(image(gts, dts, px))
    by_class: list[dict[str, Any]] = []
    ap: dict[tuple[str, float, str], float] = {}
    for cid, images in per.items():
        n_obj = [sum(image[4][k] for image in images) for k in range(len(AREAS))]
        prep = prepare(images)
        for thr in IOUS:
            for k, (scores, tp) in enumerate(match(prep, thr)):
                area_name, lo, hi = AREAS[k]
                item = _class_item(cid, names[cid], scores, tp.astype(bool), n_obj[k])
                ap[cid, thr, area_name] = item.pop("_ap")
                item.update(area_name=area_name, iou=thr)
                if lo:
                    item["area_min"] = lo
                item["area_max"] = hi
                by_class.append(item)
    objects = {
        name: sum(image[4][k] for v in per.values() for image in v)
        for k, (name, _, _) in enumerate(AREAS)
    }
    by_area = []
    for thr in IOUS:
        for area_name, lo, hi in AREAS:
            values = np.array([ap[c, thr, area_name] for c in per])
            kept_values = values[~np.isnan(values)]
            total = objects[area_name]
            item = {
                "num_pos": total,
                "num_neg": 0,
                "num_tot": total,
                "roc_auc": 0.0,
                "f1": 0.0,
                "avg_precision": wire_float(
                    kept_values.mean() if len(kept_values) else float("nan")
                ),
                "area_name": area_name,
                "area_max": hi,
                "iou": thr,
            }
            if lo:
                item["area_min"] = lo
            if item["avg_precision"] == 0:
                del item["avg_precision"]
            by_area.append(item)
    maps = [np.nanmean([ap[c, t, "all"] for c in per]) for t in IOUS]
    summary = {
        "macro_avg_roc_auc": 0.0,
        "macro_std_roc_auc": 0.0,
        "macro_avg_f1_score": 0.0,
        "macro_std_f1_score": 0.0,
        "macro_avg_precision": 0.0,
        "macro_avg_recall": 0.0,
        "mean_avg_precision_iou_50": float(maps[0]),
        "mean_avg_precision_iou_range": float(np.mean(maps)),
    }
    return {
        "summary": summary,
        "metrics_by_class": by_class,
        "metrics_by_area": by_area,
        "test_set": Sealed(entries),  # never changed: rendered once
    }
