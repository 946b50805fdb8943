"""Private helpers between :mod:`clarinb.frames` and the detection views.

The box table of the test-set browser, the checks of frames given to the
views, and IoU values rounded to 6 decimals so that 0.8 and 0.9 are exact keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb import frames
from clarinb.errors import InvalidArgumentError
from clarinb.frames._coerce import field

__all__ = ["BOX_COLUMNS", "boxes_frame", "check_metrics", "eval_body", "round_iou"]

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


def eval_body(ev: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the EvalMetrics object of a body that may be the response envelope."""
    if not isinstance(ev, Mapping):
        raise InvalidArgumentError(
            f"ev must be an EvalMetrics dict or its response body, not {validate.shown(ev)}."
        )
    inner = field(ev, "eval_metrics")
    if isinstance(inner, Mapping):
        return inner
    if isinstance(inner, list) and len(inner) == 1 and isinstance(inner[0], Mapping):
        return inner[0]
    return ev


def boxes_frame(ev: Mapping[str, Any]) -> pd.DataFrame:
    """One row per box of a region test set, columns :data:`BOX_COLUMNS`.

    Built from :func:`clarinb.frames.test_set_regions`; inputs with no box keep
    one row with ``kind`` ``"none"`` so that they can still be browsed.
    Coordinates stay normalised (0-1); ``width``/``height`` are NaN when the
    test set does not give them.

    Examples
    --------
    >>> ev = {"test_set": [{"input": {"id": "i1", "data": {"image": {"url": "u"}}}}]}
    >>> boxes_frame(ev)[["input_id", "kind"]].values.tolist()
    [['i1', 'none']]
    """
    regions = frames.test_set_regions(ev)
    inputs = frames.test_set_inputs(ev)
    regions = regions[
        regions[["top_row", "left_col", "bottom_row", "right_col"]].notna().all(axis=1)
    ]
    boxes = pd.DataFrame(
        {
            "input_id": regions["input_id"].astype(str),
            "kind": np.where(regions["ground_truth"], "ground truth", "predicted"),
            "concept_id": regions["concept_id"].astype(str),
            "score": regions["score"].astype(float),
            "top": regions["top_row"],
            "left": regions["left_col"],
            "bottom": regions["bottom_row"],
            "right": regions["right_col"],
        }
    )
    empty = inputs[~inputs["input_id"].isin(set(boxes["input_id"]))]
    boxes = pd.concat(
        [boxes, pd.DataFrame({"input_id": empty["input_id"].astype(str), "kind": "none"})],
        ignore_index=True,
    )
    info = inputs.drop_duplicates("input_id").astype({"width": "Float64", "height": "Float64"})
    merged = boxes.merge(info, on="input_id", how="left")
    merged["width"] = merged["width"].astype(float)
    merged["height"] = merged["height"].astype(float)
    merged["concept_id"] = merged["concept_id"].fillna("")
    order = {v: i for i, v in enumerate(inputs["input_id"].astype(str))}
    merged = merged.sort_values("input_id", key=lambda s: s.map(order), kind="stable")
    return merged[list(BOX_COLUMNS)].reset_index(drop=True)


def check_metrics(frame: Any) -> pd.DataFrame:
    """Validate a metrics-by-class frame given to a view; IoU rounded, area names filled."""
    hint = "build it with clarinb.frames.metrics_by_class()"
    validate.frame(frame, "the metrics frame", columns=["concept_id"], numeric=["iou"], hint=hint)
    validate.finite_columns(frame, "the metrics frame", ["iou", "avg_precision"], hint=hint)
    if "avg_precision" not in frame.columns:
        raise InvalidArgumentError(
            f"the metrics frame lacks the column(s) ['avg_precision']; {hint}."
        )
    out = frame.copy()
    if "area_name" not in out.columns:
        out["area_name"] = "all"
    out["area_name"] = out["area_name"].fillna("all").astype(str).replace("", "all")
    out["concept_id"] = out["concept_id"].astype(str)
    out["iou"] = round_iou(out["iou"])
    out["avg_precision"] = pd.to_numeric(out["avg_precision"], errors="coerce").astype(float)
    return out.reset_index(drop=True)
