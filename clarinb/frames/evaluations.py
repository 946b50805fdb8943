"""Evaluation lists and per-concept tables: summaries, binary metrics, label counts, trackers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb.frames._coerce import (
    bad,
    field,
    integer,
    items,
    number,
    obj,
    status,
    text,
)
from clarinb.frames._parts import part
from clarinb.frames.summary import SUMMARY_FIELDS, applies, model_kind

__all__ = [
    "BINARY_COLUMNS",
    "SUMMARY_FIELDS",
    "binary_metrics",
    "evaluations",
    "label_counts",
    "metrics_by_area",
    "metrics_by_class",
    "tracker_metrics",
]

#: Columns of :func:`binary_metrics`, :func:`metrics_by_class` and :func:`metrics_by_area`.
BINARY_COLUMNS = (
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

IOU_DECIMALS = 6


def _evaluation_list(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        raise bad("", "a list of evaluations or a ListEvaluations response", body)
    inner = field(body, "eval_metrics")
    if inner is None:  # an empty list response omits the key; a lone EvalMetrics has an id
        return [body] if field(body, "id") is not None else []
    return inner if isinstance(inner, list) else [inner]


def evaluations(body: Any) -> pd.DataFrame:
    """One row per evaluation of a ListEvaluations (or GetEvaluation) response.

    Parameters
    ----------
    body : dict or list
        The response envelope, its ``eval_metrics`` list, or one EvalMetrics.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``model_id``, ``model_version_id``, ``model_type_id``,
        ``dataset_id`` and ``dataset_version_id`` (the ground-truth dataset),
        ``code``, ``code_name``, ``description`` (the evaluation's status),
        every MetricsSummary field by its own name, ``user_id`` and
        ``app_id``.  A summary field that is 0 or omitted is NaN where it
        does not apply to the model's kind (a detector's ROC AUC, a
        classifier's mAP; see :mod:`clarinb.frames.summary`) and 0.0 where it
        does, as proto3 reads it; a non-zero value is always kept.  All summary fields
        are NaN when the evaluation has no summary (failed ones).  There is no
        creation time: EvalMetrics has none (the service lists newest first).

    Raises
    ------
    ResponseFormatError
        When the body or a field has the wrong shape; the message names it.

    Examples
    --------
    >>> from clarinb import frames
    >>> body = {"eval_metrics": [{"id": "ev1", "status": {"code": 21300},
    ...                           "summary": {"macro_avg_f1_score": 0.8}}]}
    >>> frames.evaluations(body)[["id", "code_name", "macro_avg_f1_score"]]
        id        code_name  macro_avg_f1_score
    0  ev1  MODEL_EVALUATED                 0.8
    """
    rows = []
    for i, raw in enumerate(_evaluation_list(body)):
        path = f"eval_metrics[{i}]"
        ev = obj(raw, path)
        model = obj(field(ev, "model"), f"{path}.model")
        version = obj(field(model, "model_version"), f"{path}.model.model_version")
        dataset = obj(field(ev, "ground_truth_dataset"), f"{path}.ground_truth_dataset")
        dversion = obj(field(dataset, "version"), f"{path}.ground_truth_dataset.version")
        summary = obj(field(ev, "summary"), f"{path}.summary")
        code, name, description = status(field(ev, "status"), f"{path}.status")
        row: dict[str, Any] = {
            "id": text(field(ev, "id"), f"{path}.id"),
            "model_id": text(field(model, "id"), f"{path}.model.id"),
            "model_version_id": text(field(version, "id"), f"{path}.model.model_version.id"),
            "model_type_id": text(field(model, "model_type_id"), f"{path}.model.model_type_id"),
            "dataset_id": text(field(dataset, "id"), f"{path}.ground_truth_dataset.id"),
            "dataset_version_id": text(
                field(dversion, "id"), f"{path}.ground_truth_dataset.version.id"
            ),
            "code": code,
            "code_name": name,
            "description": description,
        }
        kind = model_kind(ev)
        for key in SUMMARY_FIELDS:  # no summary at all (a failed evaluation): NaN
            value = number(field(summary, key), f"{path}.summary.{key}")
            blank = value == 0.0 and not applies(key, kind)  # omitted, or sent as its default
            row[key] = np.nan if blank or not summary else value
        row["user_id"] = text(field(ev, "user_id"), f"{path}.user_id")
        row["app_id"] = text(field(ev, "app_id"), f"{path}.app_id")
        rows.append(row)
    columns = [
        "id",
        "model_id",
        "model_version_id",
        "model_type_id",
        "dataset_id",
        "dataset_version_id",
        "code",
        "code_name",
        "description",
        *SUMMARY_FIELDS,
        "user_id",
        "app_id",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["code"] = frame["code"].astype(np.int64)
    for key in SUMMARY_FIELDS:
        frame[key] = frame[key].astype(np.float64)
    return frame


def _binary_rows(entries: list[Any], path: str) -> pd.DataFrame:
    rows = []
    for i, raw in enumerate(entries):
        p = f"{path}[{i}]"
        e = obj(raw, p)
        concept = obj(field(e, "concept"), f"{p}.concept")
        rows.append(
            (
                text(field(concept, "id"), f"{p}.concept.id"),
                text(field(concept, "name"), f"{p}.concept.name"),
                text(field(e, "area_name"), f"{p}.area_name"),
                number(field(e, "area_min"), f"{p}.area_min"),
                number(field(e, "area_max"), f"{p}.area_max"),
                round(number(field(e, "iou"), f"{p}.iou"), IOU_DECIMALS),
                integer(field(e, "num_pos"), f"{p}.num_pos"),
                integer(field(e, "num_neg"), f"{p}.num_neg"),
                integer(field(e, "num_tot"), f"{p}.num_tot"),
                number(field(e, "roc_auc"), f"{p}.roc_auc"),
                number(field(e, "f1"), f"{p}.f1"),
                number(field(e, "avg_precision"), f"{p}.avg_precision"),
            )
        )
    frame = pd.DataFrame(rows, columns=list(BINARY_COLUMNS))
    ints = dict.fromkeys(("num_pos", "num_neg", "num_tot"), np.int64)
    floats = dict.fromkeys(("area_min", "area_max", "iou", "roc_auc", "f1"), np.float64)
    return frame.astype({**ints, **floats, "avg_precision": np.float64})


def _binary_part(body: Any, key: str) -> pd.DataFrame:
    value, path = part(body, key)
    return _binary_rows(items(value, path), path)


def binary_metrics(ev: Any) -> pd.DataFrame:
    """Per-concept metrics of a classifier evaluation, one row per entry in body order.

    Parameters
    ----------
    ev : dict or list
        An EvalMetrics dict, a GetEvaluation response, or the
        ``binary_metrics`` list itself.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BINARY_COLUMNS`: ``concept_id``, ``concept_name``,
        ``area_name``, ``area_min``, ``area_max``, ``iou`` (rounded to 6
        decimals so that 0.8 and 0.9 work as keys), ``num_pos``, ``num_neg``,
        ``num_tot`` (int64), ``roc_auc``, ``f1``, ``avg_precision``.  Omitted
        values are 0, as proto3 reads them; ``"NaN"`` strings become NaN.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``binary_metrics`` (fetch it with
        ``fields.binaryMetrics=true``) or an entry has the wrong shape.
    """
    return _binary_part(ev, "binary_metrics")


def metrics_by_class(ev: Any) -> pd.DataFrame:
    """Per (concept, IoU, area) metrics of a detector evaluation; columns as :func:`binary_metrics`.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``metrics_by_class`` (``fields.metricsByClass=true``).
    """
    return _binary_part(ev, "metrics_by_class")


def metrics_by_area(ev: Any) -> pd.DataFrame:
    """Per (area, IoU) metrics of a detector evaluation; columns as :func:`binary_metrics`.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``metrics_by_area`` (``fields.metricsByArea=true``).
    """
    return _binary_part(ev, "metrics_by_area")


def label_counts(ev: Any) -> pd.DataFrame:
    """Ground-truth positives per concept.

    Parameters
    ----------
    ev : dict
        An EvalMetrics dict, a GetEvaluation response, or the
        ``label_counts`` (LabelDistribution) object.

    Returns
    -------
    pandas.DataFrame
        Columns ``concept_id``, ``concept_name``, ``count`` (int64), in body order.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``label_counts`` (``fields.labelCounts=true``).
    """
    value, path = part(ev, "label_counts", marker="positive_label_counts")
    dist = obj(value, path)
    path = f"{path}.positive_label_counts"
    rows = []
    for i, raw in enumerate(items(field(dist, "positive_label_counts"), path)):
        p = f"{path}[{i}]"
        entry = obj(raw, p)
        concept = obj(field(entry, "concept"), f"{p}.concept")
        name = text(field(concept, "name"), f"{p}.concept.name") or text(
            field(entry, "concept_name"), f"{p}.concept_name"
        )
        rows.append(
            (
                text(field(concept, "id"), f"{p}.concept.id"),
                name,
                integer(field(entry, "count"), f"{p}.count"),
            )
        )
    frame = pd.DataFrame(rows, columns=["concept_id", "concept_name", "count"])
    return frame.astype({"count": np.int64})


TRACKER_FIELDS = (
    "mot_mota",
    "mot_num_switches",
    "morse_frag",
    "avg_precision",
    "unique_switch_rate",
)


def tracker_metrics(ev: Any) -> pd.DataFrame:
    """Tracker metrics, one row per entry in body order.

    Returns
    -------
    pandas.DataFrame
        Columns ``concept_id`` (the entry's ``aiid``), ``mot_mota``,
        ``mot_num_switches`` (int64), ``morse_frag``, ``avg_precision``,
        ``unique_switch_rate``.

    Raises
    ------
    ResponseFormatError
        When the evaluation has no ``tracker_metrics`` or an entry has the wrong shape.
    """
    value, path = part(ev, "tracker_metrics")
    rows = []
    for i, raw in enumerate(items(value, path)):
        p = f"{path}[{i}]"
        e = obj(raw, p)
        row: dict[str, Any] = {"concept_id": text(field(e, "aiid"), f"{p}.aiid")}
        for key in TRACKER_FIELDS:
            if key == "mot_num_switches":
                row[key] = integer(field(e, key), f"{p}.{key}")
            else:
                row[key] = number(field(e, key), f"{p}.{key}")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["concept_id", *TRACKER_FIELDS])
    return frame.astype(
        {k: (np.int64 if k == "mot_num_switches" else np.float64) for k in TRACKER_FIELDS}
    )
