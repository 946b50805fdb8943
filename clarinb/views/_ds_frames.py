"""The metrics-groups frame the dataset views draw: its columns, and the check of one given.

The frame itself is read from the API's bodies by
:func:`clarinb.frames.dataset_version_metrics_groups` (``matrices=True``), and
fetched by :class:`clarinb.DatasetVersion`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clarinb import _validate as validate
from clarinb import frames
from clarinb._enums import METRICS_GROUP_TYPE
from clarinb.errors import InvalidArgumentError
from clarinb.frames.datasets import COUNT_FIELDS

if TYPE_CHECKING:
    from clarinb.dataset_version import DatasetVersion

__all__ = [
    "COUNT_COLUMNS",
    "GROUP_TYPES",
    "MATRIX_COLUMN",
    "TOTAL_TYPE",
    "check_dataset_version",
    "check_groups_frame",
    "read_groups",
]

#: Every count of a DatasetVersionMetrics message, in message order.
COUNT_COLUMNS: tuple[str, ...] = COUNT_FIELDS
TOTAL_TYPE = METRICS_GROUP_TYPE[0]
GROUP_TYPES = tuple(METRICS_GROUP_TYPE.values())
#: Column holding each group's region-location matrix (2-D uint64 array or None).
MATRIX_COLUMN = "region_location_matrix"


def check_groups_frame(frame: Any) -> pd.DataFrame:
    """Validate a metrics-groups frame given to a view; return it with missing counts added."""
    hint = "build it with clarinb.frames.dataset_version_metrics_groups(body, matrices=True)"
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


def check_dataset_version(value: Any, name: str = "version") -> DatasetVersion:
    """Refuse anything but a :class:`clarinb.DatasetVersion` given to a view."""
    from clarinb.dataset_version import DatasetVersion  # noqa: PLC0415 - pandas-heavy

    if not isinstance(value, DatasetVersion):
        raise InvalidArgumentError(
            f"{name} must be a clarinb.DatasetVersion, not {validate.shown(value)}; get one "
            "with client.dataset_version(dataset_id, version_id) or DatasetVersion.from_dict()."
        )
    return value


def read_groups(groups: Any, name: str = "groups") -> pd.DataFrame:
    """Check raw metrics groups given to a view and read them with their matrices.

    Parameters
    ----------
    groups : list of dict, or a response body
        As :func:`clarinb.frames.dataset_version_metrics_groups` takes them.
    name : str
        The argument's name, for the error.

    Raises
    ------
    InvalidArgumentError
        When ``groups`` is neither a list nor a dict.
    ResponseFormatError
        When a group has the wrong shape.
    """
    if not isinstance(groups, Mapping | list | tuple):
        raise InvalidArgumentError(
            f"{name} must be a list of metrics groups or their response body, not "
            f"{validate.shown(groups)}; or build the view from a clarinb.DatasetVersion."
        )
    body = groups if isinstance(groups, Mapping) else list(groups)
    return frames.dataset_version_metrics_groups(body, matrices=True)
