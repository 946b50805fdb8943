"""Private computations behind the metrics-groups charts: totals, bars, bins, imbalance."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.errors import InvalidArgumentError
from clarinb.views._ds_frames import COUNT_COLUMNS, MATRIX_COLUMN, TOTAL_TYPE

__all__ = [
    "BINNED_TYPES",
    "CARDS",
    "COUNT_TYPES",
    "bar_data",
    "bin_width",
    "binned_data",
    "child_path",
    "count_data",
    "imbalance",
    "level_matrix",
    "root_path",
    "totals",
]

#: The overview cards: label and count column.
CARDS = (
    ("inputs", "inputs_count"),
    ("unlabeled inputs", "unlabeled_inputs_count"),
    ("regions", "regions_count"),
    ("bounding boxes", "bounding_boxes_count"),
    ("polygons", "polygons_count"),
    ("points", "points_count"),
    ("masks", "masks_count"),
    ("embeddings", "embeddings_count"),
)
#: Group types whose value is a count of things per input (one bar per count).
COUNT_TYPES = (
    "CONCEPTS_COUNT",
    "BOUNDING_BOXES_COUNT",
    "POLYGONS_COUNT",
    "POINTS_COUNT",
    "MASKS_COUNT",
)
#: Group types whose value is the start of a bin of fixed width.
BINNED_TYPES = ("PIXELS_COUNT", "ASPECT_RATIO")
_SORTS = ("count", "name")
_SEPARATORS = re.compile(r"[/:=|]")


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


def _counts(rows: pd.DataFrame, metric: str) -> np.ndarray:
    validate.choice(metric, "metric", COUNT_COLUMNS)
    return rows[metric].astype("Float64").fillna(0).to_numpy(dtype=float)


def totals(
    level_rows: pd.DataFrame, fallback: Mapping[str, object] | None = None
) -> dict[str, int | None]:
    """Count the cards of a level: its total group, else ``fallback``, else input-type sums."""
    total = level_rows[level_rows["type"] == TOTAL_TYPE]
    out: dict[str, int | None] = {}
    for _, col in CARDS:
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


def bar_data(
    level_rows: pd.DataFrame,
    group_type: str,
    metric: str = "inputs_count",
    *,
    sort: str = "count",
    top_n: int | None = None,
    search: str = "",
) -> pd.DataFrame:
    """Labels and counts of a categorical group type, filtered, sorted and cut to ``top_n``.

    Returns
    -------
    pandas.DataFrame
        ``label`` (str) and ``count`` (float), biggest first when ``sort="count"``.
    """
    validate.choice(sort, "sort", _SORTS)
    validate.positive_int(top_n, "top_n", or_none=True)
    validate.text(search, "search")
    rows = level_rows[level_rows["type"] == group_type]
    data = pd.DataFrame(
        {"label": rows["value"].astype(str).to_numpy(), "count": _counts(rows, metric)}
    )
    if search:
        data = data[data["label"].str.contains(search, case=False, regex=False)]
    if sort == "count":
        data = data.sort_values(["count", "label"], ascending=[False, True], kind="stable")
    else:
        data = data.sort_values("label", kind="stable")
    if top_n is not None:
        data = data.head(top_n)
    return data.reset_index(drop=True)


def count_data(
    level_rows: pd.DataFrame, group_type: str, metric: str = "inputs_count"
) -> pd.DataFrame:
    """``value`` (number per input) and ``count`` of a count-valued group type, by value."""
    rows = level_rows[level_rows["type"] == group_type]
    data = pd.DataFrame(
        {
            "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float),
            "count": _counts(rows, metric),
        }
    ).dropna(subset=["value"])
    return data.groupby("value", as_index=False)["count"].sum().sort_values("value")


def bin_width(starts: np.ndarray) -> float:
    """Read the bin width from the data: the smallest gap between distinct bin starts.

    Examples
    --------
    >>> bin_width(np.array([0.5, 0.7, 0.6, 1.2]))
    0.1
    """
    unique = np.unique(np.asarray(starts, dtype=float))
    if unique.size < 2:
        return 1.0
    gap = float(np.diff(unique).min())
    # bin starts are decimal multiples of the width: round away float noise
    digits = max(0, 12 - math.floor(math.log10(abs(gap))) - 1)
    return round(gap, min(digits, 15))


def binned_data(
    level_rows: pd.DataFrame, group_type: str, metric: str = "inputs_count"
) -> pd.DataFrame:
    """Bin ``start``, ``end``, ``center``, ``width`` and ``count`` of a binned group type."""
    data = count_data(level_rows, group_type, metric).rename(columns={"value": "start"})
    width = bin_width(data["start"].to_numpy())
    data["end"] = data["start"] + width
    data["center"] = (data["start"] + width / 2).round(12)
    data["width"] = width
    return data.reset_index(drop=True)


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


def imbalance(counts: np.ndarray | pd.Series) -> dict[str, float]:
    """Class-imbalance indicators of per-concept counts.

    Parameters
    ----------
    counts : array-like
        One count per concept; zeros are ignored.

    Returns
    -------
    dict
        ``classes``; ``ratio``: largest over smallest count (1 is balanced);
        ``entropy``: Shannon entropy over ``log(classes)`` (1 is balanced, near 0
        when one class dominates). NaN when there is no positive count.

    Examples
    --------
    >>> imbalance([10, 10])["entropy"]
    1.0
    >>> imbalance([90, 10])["ratio"]
    9.0
    """
    values = np.asarray(counts, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return {"classes": 0.0, "ratio": math.nan, "entropy": math.nan}
    share = values / values.sum()
    entropy = float(-(share * np.log(share)).sum())
    norm = entropy / math.log(values.size) if values.size > 1 else 1.0
    return {
        "classes": float(values.size),
        "ratio": float(values.max() / values.min()),
        "entropy": round(norm, 12),
    }
