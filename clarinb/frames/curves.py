"""ROC and precision-recall curves of an evaluation as long frames, one row per point."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import field, floats, items, number, obj, text
from clarinb.frames._parts import evaluation_of, part
from clarinb.frames.evaluations import IOU_DECIMALS

__all__ = ["SOURCES", "pr_curves", "roc_curves"]

#: The lists of an evaluation that hold curves.
SOURCES = ("binary_metrics", "metrics_by_class", "metrics_by_area")


def _entries(ev: Any, source: str | None) -> tuple[list[Any], str]:
    """Find the BinaryMetrics list to read curves from, and its path."""
    if source is not None:
        validate.choice(source, "source", SOURCES, hint="or None for the one the body has")
    if source is not None or isinstance(ev, list):
        value, path = part(ev, source or "binary_metrics")
        return items(value, path), path
    body = evaluation_of(ev)
    for key in ("binary_metrics", "metrics_by_class"):
        if field(body, key) is not None:
            value, path = part(body, key)
            return items(value, path), path
    raise ResponseFormatError(
        "the evaluation has no binary_metrics or metrics_by_class; fetch it with "
        "fields.binaryMetrics=true (classifiers) or fields.metricsByClass=true (detectors)"
    )


def _long(ev: Any, source: str | None, curve_key: str, arrays: dict[str, str]) -> pd.DataFrame:
    """Concatenate one curve per entry; ``arrays`` maps column -> field of the curve."""
    entries, path = _entries(ev, source)
    concept_ids: list[str] = []
    areas: list[str] = []
    ious: list[float] = []
    lengths: list[int] = []
    parts: dict[str, list[np.ndarray]] = {column: [] for column in arrays}
    present: set[str] = set()
    for i, raw in enumerate(entries):
        p = f"{path}[{i}]"
        e = obj(raw, p)
        concept = obj(field(e, "concept"), f"{p}.concept")
        curve = obj(field(e, curve_key), f"{p}.{curve_key}")
        got = {c: floats(field(curve, f), f"{p}.{curve_key}.{f}") for c, f in arrays.items()}
        n = max(len(a) for a in got.values())
        for column, given in got.items():
            values = given
            if len(values) == 0 and n:
                values = np.full(n, np.nan)  # an omitted (empty) array
            elif len(values) != n:
                raise ResponseFormatError(
                    f"{p}.{curve_key}: its arrays differ in length "
                    f"({', '.join(f'{arrays[c]}={len(a)}' for c, a in got.items())})"
                )
            elif n:
                present.add(column)
            parts[column].append(values)
        concept_ids.append(text(field(concept, "id"), f"{p}.concept.id"))
        areas.append(text(field(e, "area_name"), f"{p}.area_name"))
        ious.append(round(number(field(e, "iou"), f"{p}.iou"), IOU_DECIMALS))
        lengths.append(n)
    counts = np.array(lengths, dtype=np.intp)
    codes, uniques = pd.factorize(pd.Index(concept_ids, dtype=object))
    data: dict[str, Any] = {
        "concept_id": pd.Categorical.from_codes(
            np.repeat(codes, counts), categories=pd.Index(uniques, dtype=str)
        )
    }
    if any(areas) or any(ious):
        data["area_name"] = np.repeat(np.array(areas, dtype=object), counts)
        data["iou"] = np.repeat(np.array(ious, dtype=np.float64), counts)
    optional = {"fpr_per_image", "fpr_per_object"}
    for column, chunks in parts.items():
        if column in optional and column not in present:
            continue
        data[column] = np.concatenate(chunks) if chunks else np.array([], dtype=np.float64)
    frame = pd.DataFrame(data)
    if "area_name" in frame:
        frame["area_name"] = frame["area_name"].astype("str")
    return frame


def roc_curves(ev: Any, source: str | None = None) -> pd.DataFrame:
    """Every concept's ROC curve as a long frame, points in body order.

    Parameters
    ----------
    ev : dict or list
        An EvalMetrics dict, a GetEvaluation response, or a BinaryMetrics list.
    source : {"binary_metrics", "metrics_by_class", "metrics_by_area"}, optional
        Which list to read; by default ``binary_metrics`` when the body has
        it, else ``metrics_by_class`` (detectors).

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (categorical), ``area_name`` and ``iou`` (when the
        entries carry them: detector curves), ``threshold``, ``fpr``, ``tpr``,
        and ``fpr_per_image``/``fpr_per_object`` when any entry has them.  An
        array the body omits (proto3 drops empty ones) reads as NaN.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no curves, or a curve's arrays differ in length.
    InvalidArgumentError
        For a ``source`` other than those listed.
    """
    arrays = {
        "threshold": "thresholds",
        "fpr": "fpr",
        "tpr": "tpr",
        "fpr_per_image": "fpr_per_image",
        "fpr_per_object": "fpr_per_object",
    }
    return _long(ev, source, "roc_curve", arrays)


def pr_curves(ev: Any, source: str | None = None) -> pd.DataFrame:
    """Every concept's precision-recall curve as a long frame, points in body order.

    Parameters
    ----------
    ev : dict or list
        As for :func:`roc_curves`.
    source : str, optional
        As for :func:`roc_curves`.

    Returns
    -------
    pandas.DataFrame
        ``concept_id`` (categorical), ``area_name`` and ``iou`` (detector
        curves), ``threshold``, ``precision``, ``recall``.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no curves, or a curve's arrays differ in length.
    InvalidArgumentError
        For a ``source`` other than those listed.
    """
    arrays = {"threshold": "thresholds", "precision": "precision", "recall": "recall"}
    return _long(ev, source, "precision_recall_curve", arrays)
