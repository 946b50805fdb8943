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

from clarinb import _validate as validate
from clarinb import frames
from clarinb._enums import METRICS_GROUP_TYPE
from clarinb._wire import code_name, code_of_name
from clarinb.errors import InvalidArgumentError, ResponseFormatError
from clarinb.frames.datasets import COUNT_FIELDS

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
COUNT_COLUMNS: tuple[str, ...] = COUNT_FIELDS
TOTAL_TYPE = METRICS_GROUP_TYPE[0]
GROUP_TYPES = tuple(METRICS_GROUP_TYPE.values())
#: Column holding each group's region-location matrix (2-D int array or None).
MATRIX_COLUMN = "region_location_matrix"
_OPERATION = "V2_ListDatasetVersionMetricsGroups2"


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
    """Metrics groups as :func:`clarinb.frames.dataset_version_metrics_groups`, plus matrices.

    Parameters
    ----------
    groups : list of dict, or a response envelope
        The groups (snake_case or camelCase keys, counts as strings or ints).

    Returns
    -------
    pandas.DataFrame
        The frames function's columns (``parent_path``, ``type``, ``value`` and
        the counts) and ``region_location_matrix``: each group's matrix as a
        2-D array, or None.

    Examples
    --------
    >>> groups_frame([{"type": "CONCEPT_ID", "value": "cat",
    ...                "metrics": {"inputs_count": "3"}}])[["type", "value", "inputs_count"]]
             type value  inputs_count
    0  CONCEPT_ID   cat             3
    """
    if not isinstance(groups, Mapping | list | tuple):
        raise InvalidArgumentError(
            f"groups must be a list of metrics groups or their response body, not "
            f"{validate.shown(groups)}; fetch them with "
            "client.dataset_version_metrics(dataset_id, version_id)."
        )
    items = groups if isinstance(groups, Mapping) else list(groups)
    frame = frames.dataset_version_metrics_groups(items)
    if isinstance(items, Mapping):
        raw = items.get("dataset_version_metrics_groups", items.get("datasetVersionMetricsGroups"))
        items = list(raw or [])
    matrices = []
    for group in items:
        metrics = group.get("metrics") or {}
        matrices.append(
            parse_matrix(metrics.get(MATRIX_COLUMN, metrics.get("regionLocationMatrix")))
        )
    frame[MATRIX_COLUMN] = pd.Series(matrices, dtype=object, index=frame.index)
    return frame


def check_groups_frame(frame: Any) -> pd.DataFrame:
    """Validate a metrics-groups frame given to a view; return it with missing counts added."""
    hint = "build it with clarinb.frames.dataset_version_metrics_groups()"
    counts = [c for c in COUNT_COLUMNS if isinstance(frame, pd.DataFrame) and c in frame.columns]
    validate.frame(
        frame,
        "the metrics-groups frame",
        columns=["parent_path", "type", "value"],
        numeric=counts,
        hint=hint,
    )
    validate.finite_columns(frame, "the metrics-groups frame", counts, hint=hint)
    out = frame.copy()
    for col in counts:
        if not pd.api.types.is_numeric_dtype(out[col].dtype):
            out[col] = pd.to_numeric(out[col]).astype("Float64")
        if (out[col].fillna(0) < 0).any():
            raise InvalidArgumentError(
                f"the metrics-groups frame's column {col!r} holds negative counts; {hint}."
            )
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
    validate.string(dataset_id, "dataset_id")
    validate.string(version_id, "version_id")
    validate.client(client, needs=("paginate",))
    return list(
        client.paginate(
            _OPERATION, per_page=1000, datasetId=dataset_id, datasetVersionId=version_id
        )
    )


def _status(raw: Any) -> tuple[int | None, str]:
    code = (raw or {}).get("code") if isinstance(raw, Mapping) else None
    if isinstance(code, str) and not code.isdigit():
        return code_of_name(code) or None, code
    if code is None:
        return None, ""
    number = int(code)
    return number, code_name(number) or str(number)


def versions_frame(versions: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Tabulate dataset versions: id, status code and name, creation time, description.

    Read through :func:`clarinb.frames.dataset_versions`.

    Examples
    --------
    >>> versions_frame([{"id": "v1", "status": {"code": 64015}}])["status"].tolist()
    ['DATASET_VERSION_READY']
    """
    full = frames.dataset_versions({"dataset_versions": list(versions)})
    frame = pd.DataFrame(
        {
            "id": full["id"].astype(str),
            "status_code": full["code"].astype("Int64"),
            "status": full["code_name"].astype(str),
            "created_at": full["created_at"],
            "description": full["description"].astype(str),
        }
    )
    return frame.reset_index(drop=True)


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
