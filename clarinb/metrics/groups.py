"""A dataset version's metrics groups as a frame: its check, its levels, their totals.

The groups come from :func:`clarinb.frames.dataset_version_metrics_groups`
(``matrices=True``), fetched by :class:`clarinb.DatasetVersion`.  A *level* is
one parent path: the top level holds the whole version's groups, and the
groups of one concept's inputs lie under a longer path naming that concept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb._enums import METRICS_GROUP_TYPE
from clarinb.errors import InvalidArgumentError
from clarinb.frames.datasets import COUNT_FIELDS

__all__ = [
    "COUNT_COLUMNS",
    "GROUP_TYPES",
    "MATRIX_COLUMN",
    "TOTAL_TYPE",
    "child_path",
    "groups_frame",
    "level_matrix",
    "level_paths",
    "root_path",
    "totals",
]

#: Every count of a DatasetVersionMetrics message, in message order.
COUNT_COLUMNS: tuple[str, ...] = COUNT_FIELDS
#: The type of a level's total group (the enum's unset value).
TOTAL_TYPE = METRICS_GROUP_TYPE[0]
GROUP_TYPES = tuple(METRICS_GROUP_TYPE.values())
#: Column holding each group's region-location matrix (2-D uint64 array or None).
MATRIX_COLUMN = "region_location_matrix"
_SEPARATORS = re.compile(r"[/:=|]")
_HINT = "build it with clarinb.frames.dataset_version_metrics_groups(body, matrices=True)"


def groups_frame(frame: Any, name: str = "the metrics-groups frame") -> pd.DataFrame:
    """Check a metrics-groups frame; return a copy with every count column and the matrices.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``parent_path``, ``type``, ``value`` and some count columns of
        :data:`COUNT_COLUMNS`, optionally ``region_location_matrix``.
    name : str
        What the frame is called in errors.

    Raises
    ------
    InvalidArgumentError
        When it is not such a frame, or holds non-finite or negative counts.
    """
    counts = [c for c in COUNT_COLUMNS if isinstance(frame, pd.DataFrame) and c in frame.columns]
    validate.frame(
        frame, name, columns=["parent_path", "type", "value"], numeric=counts, hint=_HINT
    )
    validate.finite_columns(frame, name, counts, hint=_HINT)
    out = frame.copy()
    for col in counts:
        if not pd.api.types.is_numeric_dtype(out[col].dtype):
            out[col] = pd.to_numeric(out[col]).astype("Float64")
        if (out[col].fillna(0) < 0).any():
            raise InvalidArgumentError(f"{name}'s column {col!r} holds negative counts; {_HINT}.")
    out["parent_path"] = out["parent_path"].fillna("").astype(str)
    out["type"] = out["type"].fillna(TOTAL_TYPE).astype(str)
    for col in COUNT_COLUMNS:
        if col not in out.columns:
            out[col] = pd.array([None] * len(out), dtype="Int64")
    if MATRIX_COLUMN not in out.columns:
        out[MATRIX_COLUMN] = pd.Series([None] * len(out), dtype=object, index=out.index)
    return out.reset_index(drop=True)


def root_path(frame: pd.DataFrame) -> str:
    """Return the parent path of the top-level groups (the shortest of a total group)."""
    paths = frame.loc[frame["type"] == TOTAL_TYPE, "parent_path"]
    if paths.empty:
        paths = frame["parent_path"]
    if paths.empty:
        return ""
    return str(min(paths.unique(), key=lambda p: (len(p), p)))


def child_path(frame: pd.DataFrame, level: str, concept_id: str) -> str:
    """Return the parent path of the groups describing ``concept_id``'s inputs.

    A concept's groups are those whose parent path names the concept as one of
    its segments (``/``, ``:``, ``=`` or ``|`` separated) and is longer than the
    current level; the shortest such path wins.

    Raises
    ------
    InvalidArgumentError
        When no group lies under that concept.
    """
    candidates = [
        p
        for p in frame["parent_path"].unique()
        if p != level
        and p.startswith(level)
        and (p == concept_id or concept_id in [s.strip() for s in _SEPARATORS.split(p)])
    ]
    if not candidates:
        known = sorted(
            str(v)
            for v in frame.loc[
                (frame["parent_path"] == level) & (frame["type"] == "CONCEPT_ID"), "value"
            ].head(10)
        )
        raise InvalidArgumentError(
            f"no metrics groups lie under concept {concept_id!r}; concepts at this level "
            f"include {known}."
        )
    return min(candidates, key=lambda p: (len(p), p))


def level_paths(frame: pd.DataFrame, path: Sequence[str]) -> list[str]:
    """Return the parent paths from the top level down through the concepts of ``path``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`groups_frame`.
    path : sequence of str
        Concept ids drilled into, outermost first.

    Returns
    -------
    list of str
        ``len(path) + 1`` parent paths; the last is the level shown.

    Raises
    ------
    InvalidArgumentError
        When no group lies under one of the concepts.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"parent_path": ["", "/concept_id/cat"], "type": "CONCEPT_ID",
    ...                   "value": ["cat", "kitten"]})
    >>> level_paths(f, ["cat"])
    ['', '/concept_id/cat']
    """
    levels = [root_path(frame)]
    for concept in path:
        levels.append(child_path(frame, levels[-1], str(concept)))
    return levels


def totals(
    level_rows: pd.DataFrame,
    fallback: Mapping[str, object] | None = None,
    columns: Sequence[str] = COUNT_COLUMNS,
) -> dict[str, int | None]:
    """Count a level: its total group's counts, else ``fallback``'s, else input-type sums.

    A count no group gives is ``None`` (not applicable), never 0.
    """
    total = level_rows[level_rows["type"] == TOTAL_TYPE]
    out: dict[str, int | None] = {}
    for col in columns:
        value: object = None
        if not total.empty:
            value = total[col].iloc[0]
        elif fallback is not None:
            value = fallback.get(col)
        else:
            by_type = level_rows.loc[level_rows["type"] == "INPUT_TYPE", col].dropna()
            value = by_type.sum() if not by_type.empty else None
        out[col] = None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]
    return out


def level_matrix(
    level_rows: pd.DataFrame, fallback: Mapping[str, object] | None = None
) -> np.ndarray | None:
    """Return the region-location matrix of a level (its total group's, else the fallback's)."""
    total = level_rows[level_rows["type"] == TOTAL_TYPE]
    for matrix in total[MATRIX_COLUMN]:
        if matrix is not None:
            return np.asarray(matrix)
    if fallback is not None and fallback.get(MATRIX_COLUMN) is not None:
        return np.asarray(fallback[MATRIX_COLUMN])
    return None
