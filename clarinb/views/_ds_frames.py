"""Private adapters from dataset-version response dicts to the frames the views draw.

The dataset views take pandas frames. These helpers build them from the raw
API bodies (for the ``from_client`` constructors) and fetch those bodies
through a client's generic :meth:`call` / :meth:`paginate`, so that the views
depend only on the endpoint table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from clarinb._enums import METRICS_GROUP_TYPE, STATUS_CODE
from clarinb.errors import InvalidArgumentError, ResponseFormatError

__all__ = [
    "COUNT_COLUMNS",
    "GROUP_TYPES",
    "MATRIX_COLUMN",
    "TOTAL_TYPE",
    "check_groups_frame",
    "exports_frame",
    "fetch_groups",
    "groups_frame",
    "parse_matrix",
    "versions_frame",
]

#: Every count of a DatasetVersionMetrics message, in message order.
COUNT_COLUMNS = (
    "inputs_count",
    "unlabeled_inputs_count",
    "inputs_with_metadata_count",
    "inputs_with_geo_count",
    "regions_count",
    "bounding_boxes_count",
    "polygons_count",
    "points_count",
    "masks_count",
    "region_inputs_count",
    "region_frames_count",
    "frames_count",
    "frame_inputs_count",
    "embeddings_count",
    "positive_input_tags_count",
    "positive_region_tags_count",
    "positive_frame_tags_count",
)
TOTAL_TYPE = METRICS_GROUP_TYPE[0]
GROUP_TYPES = tuple(METRICS_GROUP_TYPE.values())
#: Column holding each group's region-location matrix (2-D int array or None).
MATRIX_COLUMN = "region_location_matrix"
_OPERATION = "V2_ListDatasetVersionMetricsGroups2"


def _type_name(raw: Any) -> str:
    if raw is None:
        return TOTAL_TYPE
    if isinstance(raw, bool):
        raise ResponseFormatError(f"metrics group type {raw!r} is not an enum value")
    if isinstance(raw, int):
        return METRICS_GROUP_TYPE.get(raw, str(raw))
    if isinstance(raw, str):
        return METRICS_GROUP_TYPE.get(int(raw), raw) if raw.isdigit() else raw
    raise ResponseFormatError(f"metrics group type {raw!r} is not an enum value")


def _count(raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ResponseFormatError(f"{where} is {raw!r}, not an integer count") from None


def parse_matrix(raw: Any) -> np.ndarray | None:
    """Convert a ``MatrixUint64`` dict (``n_cols``, flat row-major ``data``) to a 2-D array.

    Parameters
    ----------
    raw : dict or None
        The message, with 64-bit numbers as strings or ints.

    Returns
    -------
    numpy.ndarray or None
        ``int64`` array of shape ``(len(data) // n_cols, n_cols)``; None when absent or empty.

    Examples
    --------
    >>> parse_matrix({"n_cols": "2", "data": ["3", "1", "0", "2"]}).tolist()
    [[3, 1], [0, 2]]
    """
    if not raw:
        return None
    if not isinstance(raw, Mapping):
        raise ResponseFormatError("region_location_matrix is not an object")
    n_cols = _count(raw.get("n_cols", raw.get("nCols")), "region_location_matrix.n_cols") or 0
    data = raw.get("data") or []
    if n_cols <= 0 or not data:
        return None
    if not isinstance(data, list) or len(data) % n_cols:
        raise ResponseFormatError("region_location_matrix.data is not a whole number of rows")
    values = [_count(v, "region_location_matrix.data") or 0 for v in data]
    return np.asarray(values, dtype=np.int64).reshape(-1, n_cols)


def groups_frame(groups: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> pd.DataFrame:
    """One row per DatasetVersionMetricsGroup: ``parent_path``, ``type``, ``value``, counts.

    Parameters
    ----------
    groups : list of dict, or a response envelope
        The groups (snake_case or camelCase keys, counts as strings or ints).

    Returns
    -------
    pandas.DataFrame
        ``parent_path`` (str), ``type`` (enum name), ``value`` (Python value),
        one nullable ``Int64`` column per count and ``region_location_matrix``
        (object: 2-D array or None).

    Examples
    --------
    >>> groups_frame([{"type": "CONCEPT_ID", "value": "cat",
    ...                "metrics": {"inputs_count": "3"}}])[["type", "value", "inputs_count"]]
             type value  inputs_count
    0  CONCEPT_ID   cat             3
    """
    if isinstance(groups, Mapping):
        key = next(
            (
                k
                for k in ("dataset_version_metrics_groups", "datasetVersionMetricsGroups")
                if k in groups
            ),
            None,
        )
        items: Any = groups.get(key) if key else [groups]
    else:
        items = list(groups)
    if items is None:
        items = []
    rows: dict[str, list[Any]] = {"parent_path": [], "type": [], "value": []}
    counts: dict[str, list[int | None]] = {c: [] for c in COUNT_COLUMNS}
    matrices: list[np.ndarray | None] = []
    for i, group in enumerate(items):
        if not isinstance(group, Mapping):
            raise ResponseFormatError(f"metrics group {i} is not an object")
        rows["parent_path"].append(str(group.get("parent_path", group.get("parentPath")) or ""))
        rows["type"].append(_type_name(group.get("type")))
        rows["value"].append(group.get("value"))
        metrics = group.get("metrics") or {}
        if not isinstance(metrics, Mapping):
            raise ResponseFormatError(f"metrics group {i}: metrics is not an object")
        for col in COUNT_COLUMNS:
            camel = "".join(w.capitalize() if j else w for j, w in enumerate(col.split("_")))
            counts[col].append(_count(metrics.get(col, metrics.get(camel)), f"group {i} {col}"))
        matrices.append(
            parse_matrix(metrics.get(MATRIX_COLUMN, metrics.get("regionLocationMatrix")))
        )
    frame = pd.DataFrame(
        {
            "parent_path": pd.Series(rows["parent_path"], dtype=object),
            "type": pd.Series(rows["type"], dtype=object),
            "value": pd.Series(rows["value"], dtype=object),
        }
    )
    for col in COUNT_COLUMNS:
        frame[col] = pd.array(counts[col], dtype="Int64")
    frame[MATRIX_COLUMN] = pd.Series(matrices, dtype=object)
    return frame


def check_groups_frame(frame: Any) -> pd.DataFrame:
    """Validate a metrics-groups frame given to a view; return it with missing counts added."""
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgumentError(
            f"expected a pandas DataFrame of metrics groups, not {type(frame).__name__}."
        )
    missing = [c for c in ("parent_path", "type", "value") if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(
            f"the metrics-groups frame lacks columns {missing}; build it with "
            "clarinb.frames.dataset_version_metrics_groups()."
        )
    out = frame.copy()
    out["parent_path"] = out["parent_path"].fillna("").astype(str)
    out["type"] = out["type"].fillna(TOTAL_TYPE).astype(str)
    for col in COUNT_COLUMNS:
        if col not in out.columns:
            out[col] = pd.array([None] * len(out), dtype="Int64")
    if MATRIX_COLUMN not in out.columns:
        out[MATRIX_COLUMN] = pd.Series([None] * len(out), dtype=object, index=out.index)
    return out.reset_index(drop=True)


def fetch_groups(client: Any, dataset_id: str, version_id: str) -> list[dict[str, Any]]:
    """Every metrics group of a dataset version, all pages."""
    for name, value in (("dataset_id", dataset_id), ("version_id", version_id)):
        if not isinstance(value, str) or not value:
            raise InvalidArgumentError(f"{name} must be a non-empty string, not {value!r}.")
    return list(
        client.paginate(
            _OPERATION, per_page=1000, datasetId=dataset_id, datasetVersionId=version_id
        )
    )


def _status(raw: Any) -> tuple[int | None, str]:
    code = (raw or {}).get("code") if isinstance(raw, Mapping) else None
    if isinstance(code, str) and not code.isdigit():
        number = next((k for k, v in STATUS_CODE.items() if v == code), None)
        return number, code
    if code is None:
        return None, ""
    number = int(code)
    return number, STATUS_CODE.get(number, str(number))


def versions_frame(versions: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Tabulate dataset versions: id, status code and name, creation time, description.

    Examples
    --------
    >>> versions_frame([{"id": "v1", "status": {"code": 64015}}])["status"].tolist()
    ['DATASET_VERSION_READY']
    """
    rows = []
    for v in versions:
        code, name = _status(v.get("status"))
        rows.append(
            {
                "id": str(v.get("id", "")),
                "status_code": code,
                "status": name,
                "created_at": v.get("created_at", v.get("createdAt")),
                "description": str(v.get("description") or ""),
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "status_code", "status", "created_at", "description"])
    frame["status_code"] = frame["status_code"].astype("Int64")
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    return frame


def exports_frame(exports: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per DatasetVersionExport: ``format``, ``status_code``, ``status``, ``url``, ``size``.

    Examples
    --------
    >>> exports_frame([{"format": 2, "status": {"code": 64200}, "size": "10"}])["format"].tolist()
    ['COCO']
    """
    from clarinb._enums import EXPORT_FORMAT  # noqa: PLC0415

    rows = []
    for e in exports:
        fmt = e.get("format")
        if isinstance(fmt, int) or (isinstance(fmt, str) and fmt.isdigit()):
            fmt = EXPORT_FORMAT.get(int(fmt), str(fmt))
        code, name = _status(e.get("status"))
        rows.append(
            {
                "format": str(fmt or ""),
                "status_code": code,
                "status": name,
                "url": str(e.get("url") or ""),
                "size": _count(e.get("size"), "export size"),
            }
        )
    frame = pd.DataFrame(rows, columns=["format", "status_code", "status", "url", "size"])
    frame["status_code"] = frame["status_code"].astype("Int64")
    frame["size"] = frame["size"].astype("Int64")
    return frame
