"""Dataset versions and their metrics groups, with exact 64-bit counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clarinb._enums import METRICS_GROUP_TYPE, REQUEST_ORIGIN, VISIBILITY
from clarinb._wire import METRICS_COUNT_FIELDS, to_snake
from clarinb.errors import ResponseFormatError
from clarinb.frames._coerce import (
    bad,
    enum_name,
    envelope,
    field,
    integer,
    items,
    obj,
    status,
    text,
    timestamps,
    uint64_array,
)

__all__ = [
    "COUNT_FIELDS",
    "dataset_version_metrics_groups",
    "dataset_versions",
    "region_location_matrix",
]

#: The count fields of DatasetVersionMetrics, each a nullable Int64 column (signed, so that
#: the difference of two versions' counts can go below 0).
COUNT_FIELDS = METRICS_COUNT_FIELDS


def _list(body: Any, key: str, what: str) -> tuple[list[Any], str]:
    """Return the items of a list response (a missing key is an empty list) or a bare list."""
    if isinstance(body, dict) and field(body, key) is None:
        return [], key
    return items(envelope(body, key, what), key), key


def _count(value: Any, path: str) -> int | None:
    return None if value is None else integer(value, path, lo=0)


def dataset_version_metrics_groups(groups: Any, *, matrices: bool = False) -> pd.DataFrame:
    """One row per metrics group of a dataset version, in body order.

    Parameters
    ----------
    groups : dict or list
        A ListDatasetVersionMetricsGroups response or its
        ``dataset_version_metrics_groups`` list.
    matrices : bool
        Add a ``region_location_matrix`` column: each group's matrix as a 2-D
        uint64 array (rows top to bottom), or None when it has none.

    Returns
    -------
    pandas.DataFrame
        ``parent_path``, ``type`` (the enum name, also when the body sends a
        number), ``value`` (the bucket key as a Python value: string, number
        or None) and one nullable ``Int64`` column per count field of
        :data:`COUNT_FIELDS` (exact above 2**53; ``<NA>`` where the body
        leaves a count unset).  One group's region location matrix is read
        as a frame by :func:`region_location_matrix`.

    Raises
    ------
    ResponseFormatError
        When a group or a count has the wrong shape.

    Examples
    --------
    >>> from clarinb import frames
    >>> body = {"dataset_version_metrics_groups": [
    ...     {"type": 10, "value": "cat", "metrics": {"inputs_count": "9007199254740993"}}]}
    >>> row = frames.dataset_version_metrics_groups(body).iloc[0]
    >>> row["type"], row["value"], int(row["inputs_count"])
    ('CONCEPT_ID', 'cat', 9007199254740993)
    """
    entries, path = _list(groups, "dataset_version_metrics_groups", "metrics groups")
    parents, types, values = [], [], []
    counts: dict[str, list[int | None]] = {k: [] for k in COUNT_FIELDS}
    grids: list[np.ndarray | None] = []
    for i, raw in enumerate(entries):
        p = f"{path}[{i}]"
        group = obj(raw, p)
        parents.append(text(field(group, "parent_path"), f"{p}.parent_path"))
        types.append(enum_name(field(group, "type"), METRICS_GROUP_TYPE, f"{p}.type"))
        values.append(group.get("value"))
        metrics = obj(field(group, "metrics"), f"{p}.metrics")
        for key in COUNT_FIELDS:
            counts[key].append(_count(field(metrics, key), f"{p}.metrics.{key}"))
        if matrices:
            where = f"{p}.metrics.region_location_matrix"
            raw_grid = field(metrics, "region_location_matrix")
            grid = None if raw_grid is None else _grid(obj(raw_grid, where), where)
            grids.append(grid if grid is not None and grid.size else None)
    data: dict[str, Any] = {
        "parent_path": pd.array(parents, dtype="str"),
        "type": pd.array(types, dtype="str"),
        "value": pd.array(values, dtype=object),
    }
    for key, column in counts.items():
        data[key] = pd.array(column, dtype="Int64")
    frame = pd.DataFrame(data)
    if matrices:
        frame["region_location_matrix"] = pd.Series(grids, dtype=object, index=frame.index)
    return frame


def _grid(matrix: dict[str, Any], path: str) -> np.ndarray:
    """Read a MatrixUint64 (``n_cols`` and row-major ``data``) as a 2-D uint64 array."""
    n_cols = integer(field(matrix, "n_cols"), f"{path}.n_cols", lo=0, hi=2**31)
    data = uint64_array(field(matrix, "data"), f"{path}.data")
    if n_cols == 0 or len(data) % n_cols:
        if n_cols == 0 and len(data) == 0:
            return np.zeros((0, 0), dtype=np.uint64)
        raise bad(f"{path}.n_cols", f"a divisor of the {len(data)} data values", n_cols)
    return data.reshape(-1, n_cols)


def _matrix_of(body: Any) -> tuple[dict[str, Any], str]:
    """Find a MatrixUint64 in a matrix, metrics, group, or groups body."""
    if isinstance(body, dict) and field(body, "n_cols") is not None:
        return body, "region_location_matrix"
    if isinstance(body, dict) and field(body, "region_location_matrix") is not None:
        return obj(field(body, "region_location_matrix"), "region_location_matrix"), (
            "region_location_matrix"
        )
    if isinstance(body, dict) and isinstance(field(body, "metrics"), dict):
        return _matrix_of(field(body, "metrics"))
    entries, path = _list(body, "dataset_version_metrics_groups", "metrics groups")
    found = []
    for i, raw in enumerate(entries):
        group = obj(raw, f"{path}[{i}]")
        metrics = obj(field(group, "metrics"), f"{path}[{i}].metrics")
        matrix = field(metrics, "region_location_matrix")
        if matrix is not None:
            total = field(group, "type") in (None, 0, "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET")
            found.append((not total, i, matrix))
    if not found:
        raise ResponseFormatError(
            "the body has no region_location_matrix (the version's total group carries it)"
        )
    _, i, matrix = min(found, key=lambda t: (t[0], t[1]))
    return obj(matrix, f"{path}[{i}].metrics.region_location_matrix"), (
        f"{path}[{i}].metrics.region_location_matrix"
    )


def region_location_matrix(body: Any) -> pd.DataFrame:
    """Regions counted per cell of a grid over the image, as a frame.

    Parameters
    ----------
    body : dict or list
        The MatrixUint64 itself, a DatasetVersionMetrics or group holding one,
        or a metrics-groups response (its total group's matrix is used, else
        the first group that has one).

    Returns
    -------
    pandas.DataFrame
        uint64 counts; index ``row`` (top to bottom), columns ``col`` (left to right).

    Raises
    ------
    ResponseFormatError
        When there is no matrix, or its data does not fill whole rows.
    """
    grid = _grid(*_matrix_of(body))
    if not grid.size:
        return pd.DataFrame(grid)
    return pd.DataFrame(
        grid,
        index=pd.RangeIndex(grid.shape[0], name="row"),
        columns=pd.RangeIndex(grid.shape[1], name="col"),
    )


def dataset_versions(body: Any) -> pd.DataFrame:
    """One row per dataset version of a ListDatasetVersions (or GetDatasetVersion) response.

    Parameters
    ----------
    body : dict or list
        The response, its ``dataset_versions`` list, or one DatasetVersion
        (also inside a ``dataset_version`` envelope).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``dataset_id``, ``description``, ``code``, ``code_name``
        (the version's processing status), ``request_origin`` (enum name),
        ``visibility`` (enum name), ``inputs_count`` (nullable UInt64, from
        the version's metrics map when it has one entry or an entry with
        that count), ``export_formats`` (list of formats with an export),
        ``created_at``, ``modified_at`` (UTC datetimes), ``app_id``, ``user_id``.

    Raises
    ------
    ResponseFormatError
        When a version or one of its fields has the wrong shape.
    """
    if isinstance(body, dict) and field(body, "dataset_version") is not None:
        entries: list[Any] = [field(body, "dataset_version")]
        path = "dataset_version"
    elif isinstance(body, dict) and field(body, "dataset_versions") is None and "id" in body:
        entries, path = [body], "dataset_version"
    else:
        entries, path = _list(body, "dataset_versions", "dataset versions")
    rows, created, modified = [], [], []
    for i, raw in enumerate(entries):
        p = f"{path}[{i}]"
        v = obj(raw, p)
        code, name, _ = status(field(v, "status"), f"{p}.status")
        metrics = obj(field(v, "metrics"), f"{p}.metrics")
        inputs = [
            _count(field(obj(m, f"{p}.metrics.{k}"), "inputs_count"), f"{p}.metrics.{k}")
            for k, m in metrics.items()
        ]
        known = [n for n in inputs if n is not None]
        export_info = obj(field(v, "export_info"), f"{p}.export_info")
        visibility = obj(field(v, "visibility"), f"{p}.visibility")
        rows.append(
            {
                "id": text(field(v, "id"), f"{p}.id"),
                "dataset_id": text(field(v, "dataset_id"), f"{p}.dataset_id"),
                "description": text(field(v, "description"), f"{p}.description"),
                "code": code,
                "code_name": name,
                "request_origin": enum_name(
                    field(v, "request_origin"), REQUEST_ORIGIN, f"{p}.request_origin"
                ),
                "visibility": enum_name(
                    field(visibility, "gettable"), VISIBILITY, f"{p}.visibility.gettable"
                ),
                "inputs_count": max(known) if known else None,
                "export_formats": [to_snake(k) for k, e in export_info.items() if e],
                "app_id": text(field(v, "app_id"), f"{p}.app_id"),
                "user_id": text(field(v, "user_id"), f"{p}.user_id"),
            }
        )
        created.append(field(v, "created_at"))
        modified.append(field(v, "modified_at"))
    columns = [
        "id",
        "dataset_id",
        "description",
        "code",
        "code_name",
        "request_origin",
        "visibility",
        "inputs_count",
        "export_formats",
        "app_id",
        "user_id",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["code"] = frame["code"].astype(np.int64)
    frame["inputs_count"] = pd.array(list(frame["inputs_count"]), dtype="UInt64")
    frame.insert(9, "created_at", timestamps(created, f"{path}[].created_at").to_numpy())
    frame.insert(10, "modified_at", timestamps(modified, f"{path}[].modified_at").to_numpy())
    return frame
