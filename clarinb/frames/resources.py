"""Flat frames of the app's resources: inputs, models, model types, label orders, add jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from clarinb._enums import EVALUATION_TYPE, VISIBILITY
from clarinb.frames._coerce import (
    boolean,
    enum_name,
    envelope,
    field,
    integer,
    items,
    number,
    obj,
    status,
    text,
    timestamps,
)

__all__ = ["input_add_jobs", "inputs", "label_orders", "model_types", "models"]

TASK_TYPE = {
    0: "TYPE_NOT_SET",
    1: "CONCEPTS_CLASSIFICATION",
    2: "BOUNDING_BOX_DETECTION",
    3: "POLYGON_DETECTION",
}

Row = tuple[dict[str, Any], dict[str, Any]]  # plain columns, timestamp columns


def _entries(body: Any, list_key: str, single_key: str) -> tuple[list[Any], str]:
    if isinstance(body, list):
        return body, list_key
    if isinstance(body, dict):
        if field(body, list_key) is not None:
            return items(field(body, list_key), list_key), list_key
        if field(body, single_key) is not None:
            return [field(body, single_key)], single_key
        if "id" in body:
            return [body], single_key
        return [], list_key
    return items(envelope(body, list_key, list_key), list_key), list_key


def _frame(
    body: Any,
    list_key: str,
    single_key: str,
    columns: list[str],
    read: Callable[[dict[str, Any], str], Row],
) -> pd.DataFrame:
    entries, path = _entries(body, list_key, single_key)
    rows, stamps = [], []
    for i, raw in enumerate(entries):
        plain, times = read(obj(raw, f"{path}[{i}]"), f"{path}[{i}]")
        rows.append(plain)
        stamps.append(times)
    frame = pd.DataFrame(rows, columns=columns)
    if "code" in frame:
        frame["code"] = frame["code"].astype(np.int64)
    for name in [c for c in columns if c.endswith(("_at", "_time"))]:
        values = [s.get(name) for s in stamps]
        frame[name] = timestamps(values, f"{path}[].{name}").to_numpy()
    return frame


def _stamps(d: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: field(d, n) for n in names}


def _concept_ids(value: Any, path: str, *, positive: bool | None = None) -> list[str]:
    out = []
    for j, raw in enumerate(items(value, path)):
        c = obj(raw, f"{path}[{j}]")
        is_positive = number(field(c, "value"), f"{path}[{j}].value") > 0
        if positive is None or is_positive == positive:
            out.append(text(field(c, "id"), f"{path}[{j}].id"))
    return out


def _input(raw: dict[str, Any], p: str) -> Row:
    d = field(raw, "input") if field(raw, "input") is not None else raw  # dataset_inputs wrap
    d = obj(d, f"{p}.input")
    code, name, _ = status(field(d, "status"), f"{p}.status")
    data = obj(field(d, "data"), f"{p}.data")
    image = obj(field(data, "image"), f"{p}.data.image")
    info = obj(field(image, "image_info"), f"{p}.data.image.image_info")
    text_obj = obj(field(data, "text"), f"{p}.data.text")
    width, height = field(info, "width"), field(info, "height")
    return (
        {
            "id": text(field(d, "id"), f"{p}.id"),
            "code": code,
            "code_name": name,
            "image_url": text(field(image, "url"), f"{p}.data.image.url"),
            "width": None if width is None else integer(width, f"{p}.data.image.image_info.width"),
            "height": None
            if height is None
            else integer(height, f"{p}.data.image.image_info.height"),
            "text": text(field(text_obj, "raw"), f"{p}.data.text.raw"),
            "concepts": _concept_ids(field(data, "concepts"), f"{p}.data.concepts", positive=True),
            "negative_concepts": _concept_ids(
                field(data, "concepts"), f"{p}.data.concepts", positive=False
            ),
            "regions": len(items(field(data, "regions"), f"{p}.data.regions")),
            "dataset_ids": [
                text(x, f"{p}.dataset_ids[{j}]")
                for j, x in enumerate(items(field(d, "dataset_ids"), f"{p}.dataset_ids"))
            ],
            "metadata": obj(field(data, "metadata"), f"{p}.data.metadata"),
        },
        _stamps(d, "created_at", "modified_at"),
    )


def inputs(body: Any) -> pd.DataFrame:
    """One row per input of a ListInputs / ListDatasetInputs / GetInput response.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``code``, ``code_name`` (the input's status), ``image_url``,
        ``width``, ``height`` (nullable Int64), ``text`` (raw text inputs),
        ``concepts`` (ids labelled positive: value above 0),
        ``negative_concepts`` (value 0, also when omitted as proto3 does),
        ``regions`` (how many), ``dataset_ids``, ``metadata`` (the input's
        metadata object as a dict, ``{}`` when it has none), ``created_at``,
        ``modified_at``.

    Raises
    ------
    ResponseFormatError
        When an input or one of its fields has the wrong shape.
    """
    columns = [
        "id",
        "code",
        "code_name",
        "image_url",
        "width",
        "height",
        "text",
        "concepts",
        "negative_concepts",
        "regions",
        "dataset_ids",
        "metadata",
        "created_at",
        "modified_at",
    ]
    if isinstance(body, dict) and field(body, "dataset_inputs") is not None:
        body = {"inputs": field(body, "dataset_inputs")}
    frame = _frame(body, "inputs", "input", columns, _input)
    return frame.astype({"width": "Int64", "height": "Int64", "regions": np.int64})


def _model(d: dict[str, Any], p: str) -> Row:
    version = obj(field(d, "model_version"), f"{p}.model_version")
    code, name, _ = status(field(version, "status"), f"{p}.model_version.status")
    output = obj(field(d, "output_info"), f"{p}.output_info")
    out_data = obj(field(output, "data"), f"{p}.output_info.data")
    visibility = obj(field(d, "visibility"), f"{p}.visibility")
    return (
        {
            "id": text(field(d, "id"), f"{p}.id"),
            "name": text(field(d, "name"), f"{p}.name"),
            "model_type_id": text(field(d, "model_type_id"), f"{p}.model_type_id"),
            "model_version_id": text(field(version, "id"), f"{p}.model_version.id"),
            "code": code,
            "code_name": name,
            "description": text(field(d, "description"), f"{p}.description"),
            "concepts": _concept_ids(field(out_data, "concepts"), f"{p}.output_info.data.concepts"),
            "visibility": enum_name(
                field(visibility, "gettable"), VISIBILITY, f"{p}.visibility.gettable"
            ),
            "app_id": text(field(d, "app_id"), f"{p}.app_id"),
            "user_id": text(field(d, "user_id"), f"{p}.user_id"),
        },
        _stamps(d, "created_at", "modified_at"),
    )


def models(body: Any) -> pd.DataFrame:
    """One row per model of a ListModels / GetModel response.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``model_type_id``, ``model_version_id``, ``code``,
        ``code_name`` (the version's status), ``description``, ``concepts``
        (the output concepts' ids), ``visibility``, ``app_id``, ``user_id``,
        ``created_at``, ``modified_at``.

    Raises
    ------
    ResponseFormatError
        When a model or one of its fields has the wrong shape.
    """
    columns = [
        "id",
        "name",
        "model_type_id",
        "model_version_id",
        "code",
        "code_name",
        "description",
        "concepts",
        "visibility",
        "app_id",
        "user_id",
        "created_at",
        "modified_at",
    ]
    return _frame(body, "models", "model", columns, _model)


def _strings(value: Any, path: str) -> list[str]:
    return [text(x, f"{path}[{j}]") for j, x in enumerate(items(value, path))]


def _model_type(d: dict[str, Any], p: str) -> Row:
    return (
        {
            "id": text(field(d, "id"), f"{p}.id"),
            "title": text(field(d, "title"), f"{p}.title"),
            "description": text(field(d, "description"), f"{p}.description"),
            "input_fields": _strings(field(d, "input_fields"), f"{p}.input_fields"),
            "output_fields": _strings(field(d, "output_fields"), f"{p}.output_fields"),
            "trainable": boolean(field(d, "trainable"), f"{p}.trainable"),
            "creatable": boolean(field(d, "creatable"), f"{p}.creatable"),
            "internal_only": boolean(field(d, "internal_only"), f"{p}.internal_only"),
            "evaluation_type": enum_name(
                field(d, "evaluation_type"), EVALUATION_TYPE, f"{p}.evaluation_type"
            ),
        },
        {},
    )


def model_types(body: Any) -> pd.DataFrame:
    """One row per model type of a ListModelTypes response.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``title``, ``description``, ``input_fields``,
        ``output_fields`` (lists), ``trainable``, ``creatable``,
        ``internal_only`` (bool), ``evaluation_type`` (enum name:
        Classification, Detection, ...).

    Raises
    ------
    ResponseFormatError
        When a model type or one of its fields has the wrong shape.
    """
    columns = [
        "id",
        "title",
        "description",
        "input_fields",
        "output_fields",
        "trainable",
        "creatable",
        "internal_only",
        "evaluation_type",
    ]
    return _frame(body, "model_types", "model_type", columns, _model_type)


def _label_order(d: dict[str, Any], p: str) -> Row:
    code, name, _ = status(field(d, "status"), f"{p}.status")
    task = obj(field(d, "task"), f"{p}.task")
    return (
        {
            "id": text(field(d, "id"), f"{p}.id"),
            "name": text(field(d, "name"), f"{p}.name"),
            "code": code,
            "code_name": name,
            "auto_release": boolean(field(d, "auto_release"), f"{p}.auto_release"),
            "allow_empty_tag": boolean(field(d, "allow_empty_tag"), f"{p}.allow_empty_tag"),
            "task_id": text(field(task, "id"), f"{p}.task.id"),
            "task_type": enum_name(field(task, "type"), TASK_TYPE, f"{p}.task.type"),
            "concept_ids": _strings(field(task, "concept_ids"), f"{p}.task.concept_ids"),
        },
        _stamps(d, "desired_fulfill_time", "estimate_fulfill_time", "created_at", "modified_at"),
    )


def label_orders(body: Any) -> pd.DataFrame:
    """One row per label order of a ListLabelOrders / GetLabelOrder response.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``code``, ``code_name``, ``auto_release``,
        ``allow_empty_tag``, ``task_id``, ``task_type`` (enum name),
        ``concept_ids``, ``desired_fulfill_time``, ``estimate_fulfill_time``,
        ``created_at``, ``modified_at``.

    Raises
    ------
    ResponseFormatError
        When a label order or one of its fields has the wrong shape.
    """
    columns = [
        "id",
        "name",
        "code",
        "code_name",
        "auto_release",
        "allow_empty_tag",
        "task_id",
        "task_type",
        "concept_ids",
        "desired_fulfill_time",
        "estimate_fulfill_time",
        "created_at",
        "modified_at",
    ]
    return _frame(body, "label_orders", "label_order", columns, _label_order)


PROGRESS = ("pending_count", "in_progress_count", "success_count", "failed_count")


def _add_job(d: dict[str, Any], p: str) -> Row:
    code, name, _ = status(field(d, "status"), f"{p}.status")
    progress = obj(field(d, "progress"), f"{p}.progress")
    row: dict[str, Any] = {"id": text(field(d, "id"), f"{p}.id"), "code": code, "code_name": name}
    for key in PROGRESS:
        row[key] = integer(field(progress, key), f"{p}.progress.{key}", lo=0)
    return row, _stamps(d, "created_at", "modified_at")


def input_add_jobs(body: Any) -> pd.DataFrame:
    """One row per inputs-add job of a ListInputsAddJobs / GetInputsAddJob response.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``code``, ``code_name``, the progress counts
        ``pending_count``, ``in_progress_count``, ``success_count``,
        ``failed_count`` (Int64: signed, so differences of counts can go below
        0), ``created_at``, ``modified_at``.

    Raises
    ------
    ResponseFormatError
        When a job or one of its fields has the wrong shape.
    """
    columns = ["id", "code", "code_name", *PROGRESS, "created_at", "modified_at"]
    frame = _frame(body, "inputs_add_jobs", "inputs_add_job", columns, _add_job)
    for key in PROGRESS:
        frame[key] = pd.array(list(frame[key]), dtype="Int64")
    return frame
