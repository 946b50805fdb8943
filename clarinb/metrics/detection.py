"""A detector's mean average precision, COCO-style, from its per-class AP.

The per-class AP comes from the service (:func:`clarinb.frames.metrics_by_class`);
this module checks such a frame, averages it, and reads the mAPs the
evaluation's summary reports so that both can be shown side by side.  IoU
thresholds are rounded to 6 decimals so that 0.8 and 0.9 are exact keys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.frames._coerce import field, number

__all__ = ["class_order", "main_area", "mean_ap", "metrics_frame", "reported_map", "round_iou"]


def round_iou(values: Any) -> Any:
    """Round IoU thresholds to 6 decimals so they compare exactly with 0.8, 0.9, ..."""
    return np.round(np.asarray(values, dtype=float), 6)


def main_area(areas: Sequence[str]) -> str:
    """Return the area range a summary is taken over: ``"all"`` when present, else the first."""
    return "all" if "all" in areas else (areas[0] if areas else "all")


def class_order(metrics: pd.DataFrame, *, area: str, iou: float) -> list[str]:
    """Order the classes by AP at one area range and IoU, best first (NaN and missing last).

    Parameters
    ----------
    metrics : pandas.DataFrame
        As :func:`metrics_frame` returns it.
    area : str
        The area range.
    iou : float
        The IoU threshold.

    Returns
    -------
    list of str
        Every ``concept_id`` of ``metrics``; ties keep their first-seen order.

    Examples
    --------
    >>> m = pd.DataFrame({"concept_id": ["a", "b"], "iou": 0.5, "area_name": "all",
    ...                   "avg_precision": [0.2, 0.9]})
    >>> class_order(m, area="all", iou=0.5)
    ['b', 'a']
    """
    concepts = pd.Index(pd.unique(metrics["concept_id"].astype(str)))
    rows = metrics[(metrics["area_name"] == area) & (round_iou(metrics["iou"]) == round_iou(iou))]
    ap = rows.drop_duplicates("concept_id").set_index("concept_id")["avg_precision"]
    values = ap.reindex(concepts).to_numpy(dtype=float)
    order = np.argsort(np.where(np.isnan(values), np.inf, -values), kind="stable")
    return [str(c) for c in concepts[order]]


def metrics_frame(frame: Any) -> pd.DataFrame:
    """Check a metrics-by-class frame; return a copy with IoU rounded and area names filled.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``concept_id``, ``iou``, ``avg_precision`` and optionally ``area_name``
        (missing or empty: ``"all"``), as :func:`clarinb.frames.metrics_by_class`.

    Raises
    ------
    InvalidArgumentError
        When it is not such a frame or holds non-finite IoU or AP.
    """
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


def mean_ap(metrics: pd.DataFrame, area: str | None = None) -> dict[str, float]:
    """COCO-style mean average precision from per-class AP.

    Classes with no ground-truth objects (``num_tot`` 0, when the column is
    there) are left out, as COCO does.

    Parameters
    ----------
    metrics : pandas.DataFrame
        Per (concept, IoU, area) ``avg_precision``, as :func:`clarinb.frames.metrics_by_class`.
    area : str, optional
        Area range; ``"all"`` when present, else the first.

    Returns
    -------
    dict
        ``"mAP@0.5"``: mean AP over classes at IoU 0.5; ``"mAP@[.5:.95]"``: the
        mean over the IoU thresholds from 0.5 to 0.95 of the mean over classes.
        NaN when there are no such rows.

    Raises
    ------
    InvalidArgumentError
        When ``metrics`` is not a metrics-by-class frame (see :func:`metrics_frame`).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"concept_id": ["a", "b", "a", "b"], "iou": [0.5, 0.5, 0.75, 0.75],
    ...                   "area_name": "all", "avg_precision": [0.8, 0.6, 0.4, 0.2]})
    >>> {k: round(v, 3) for k, v in mean_ap(m).items()}
    {'mAP@0.5': 0.7, 'mAP@[.5:.95]': 0.5}
    """
    frame = metrics_frame(metrics)
    area = area or main_area(list(dict.fromkeys(frame["area_name"])))
    rows = frame[frame["area_name"] == area]
    if "num_tot" in rows.columns:
        has_truth = pd.to_numeric(rows["num_tot"], errors="coerce").fillna(0) > 0
        if has_truth.any():
            rows = rows[has_truth]
    per_iou = rows.groupby("iou")["avg_precision"].mean()
    at_50 = per_iou.get(0.5, math.nan)
    in_range = per_iou[(per_iou.index >= 0.5) & (per_iou.index <= 0.95)]
    return {
        "mAP@0.5": float(at_50),
        "mAP@[.5:.95]": float(in_range.mean()) if len(in_range) else math.nan,
    }


def reported_map(summary: Mapping[str, Any]) -> dict[str, float]:
    """Read the mAPs a MetricsSummary reports, named ``"reported mAP@0.5"`` and so on.

    An omitted or null value is proto3's 0, a true 0 for a detector; an empty
    summary gives an empty dict.

    Raises
    ------
    InvalidArgumentError
        When a value is not a number.

    Examples
    --------
    >>> reported_map({"mean_avg_precision_iou_50": 0.5})
    {'reported mAP@0.5': 0.5, 'reported mAP@[.5:.95]': 0.0}
    """
    if not summary:
        return {}
    out = {}
    for key, name in (
        ("mean_avg_precision_iou_50", "reported mAP@0.5"),
        ("mean_avg_precision_iou_range", "reported mAP@[.5:.95]"),
    ):
        try:
            out[name] = number(field(summary, key), f"summary.{key}")
        except ResponseFormatError as err:
            raise InvalidArgumentError(f"{err}; pass the evaluation's summary as it came") from None
    return out
