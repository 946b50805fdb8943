"""Private: the checks of metrics frames given to the detection views.

IoU values are rounded to 6 decimals so that 0.8 and 0.9 are exact keys.
The frames themselves are built by :mod:`clarinb.frames` (through
:class:`clarinb.Evaluation`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError

__all__ = ["check_metrics", "round_iou"]


def round_iou(values: Any) -> Any:
    """Round IoU thresholds to 6 decimals so they compare exactly with 0.8, 0.9, ..."""
    return np.round(np.asarray(values, dtype=float), 6)


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
