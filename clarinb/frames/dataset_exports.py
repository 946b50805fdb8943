"""Dataset-version exports, and the state (pending, ready...) of a version or export status."""

from __future__ import annotations

from typing import Any

import pandas as pd

from clarinb._enums import EXPORT_FORMAT
from clarinb.frames._coerce import UINT64_MAX, enum_name, field, integer, items, obj, status, text

__all__ = ["STATES", "dataset_version_exports", "status_label"]

#: Dataset-version and export status codes -> the state they are in.
STATES: dict[int, str] = {
    64005: "pending",
    64010: "in progress",
    64015: "ready",
    64020: "failed",
    64025: "failed",
    64030: "failed",
    64200: "ready",
    64201: "pending",
    64202: "failed",
    64203: "in progress",
    64204: "failed",
}


def status_label(code: Any) -> str:
    """Map a dataset-version or export status code to pending, in progress, ready or failed.

    Parameters
    ----------
    code : int or None
        The status code (``None`` or NA when unknown).

    Returns
    -------
    str
        ``"pending"``, ``"in progress"``, ``"ready"``, ``"failed"`` or
        ``"unknown"`` (no code, or one that is not a version or export status).

    Examples
    --------
    >>> status_label(64010), status_label(64015), status_label(64202)
    ('in progress', 'ready', 'failed')
    """
    if code is None or pd.isna(code):
        return "unknown"
    return STATES.get(int(code), "unknown")


def dataset_version_exports(body: Any) -> pd.DataFrame:
    """One row per DatasetVersionExport of a PutDatasetVersionExports response.

    Parameters
    ----------
    body : dict or list
        The response (its ``exports`` list) or the list itself.

    Returns
    -------
    pandas.DataFrame
        ``format`` (enum name), ``status_code`` (Int64), ``status`` (code name),
        ``state`` (see :func:`status_label`), ``url`` and ``size`` (bytes,
        nullable UInt64; ``<NA>`` while the export is not built).

    Raises
    ------
    ResponseFormatError
        When an export or one of its fields has the wrong shape.

    Examples
    --------
    >>> body = {"exports": [{"format": 2, "status": {"code": 64200}, "size": "10"}]}
    >>> dataset_version_exports(body)[["format", "state", "size"]].values.tolist()
    [['COCO', 'ready', 10]]
    """
    raw = field(body, "exports") if isinstance(body, dict) else body
    rows = []
    for i, entry in enumerate(items(raw, "exports")):
        p = f"exports[{i}]"
        export = obj(entry, p)
        code, name, _ = status(field(export, "status"), f"{p}.status")
        size = field(export, "size")
        rows.append(
            {
                "format": enum_name(field(export, "format"), EXPORT_FORMAT, f"{p}.format"),
                "status_code": code or None,
                "status": name,
                "state": status_label(code or None),
                "url": text(field(export, "url"), f"{p}.url"),
                "size": None if size is None else integer(size, f"{p}.size", lo=0, hi=UINT64_MAX),
            }
        )
    columns = ["format", "status_code", "status", "state", "url", "size"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["status_code"] = pd.array(list(frame["status_code"]), dtype="Int64")
    frame["size"] = pd.array(list(frame["size"]), dtype="UInt64")
    return frame
