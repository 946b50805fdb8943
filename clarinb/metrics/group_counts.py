"""Counts of one metrics-group type at one level: bars, per-input counts, bins, balance, diffs.

Every function takes the rows of a :func:`clarinb.metrics.groups.groups_frame`
(one level's, or a whole version's for :func:`version_diff`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from clarinb import _validate as validate
from clarinb.metrics.groups import COUNT_COLUMNS, GROUP_TYPES, root_path

__all__ = [
    "BINNED_TYPES",
    "COUNT_TYPES",
    "SORTS",
    "bar_data",
    "bin_width",
    "binned_data",
    "count_data",
    "imbalance",
    "nothing_counted",
    "version_diff",
]

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
#: The orders of a categorical group type's bars.
SORTS = ("count", "name")


def _counts(rows: pd.DataFrame, metric: str) -> np.ndarray:
    validate.choice(metric, "metric", COUNT_COLUMNS)
    return rows[metric].astype("Float64").fillna(0).to_numpy(dtype=float)


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

    Raises
    ------
    InvalidArgumentError
        For an unknown metric or sort, a ``top_n`` that is not a positive int
        or None, or a ``search`` that is not a string.
    """
    validate.choice(sort, "sort", SORTS)
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


def nothing_counted(data: pd.DataFrame) -> bool:
    """Tell whether a panel's data counts nothing: no rows, no count, or only the value 0.

    ``data`` is one panel of the level data: a count-valued type (``value``
    per input, ``count``) counts nothing when every counted input has 0 of
    the thing; the other types when no count is above 0.

    Examples
    --------
    >>> nothing_counted(pd.DataFrame({"value": [0.0], "count": [641]}))
    True
    >>> nothing_counted(pd.DataFrame({"value": [0.0, 1.0], "count": [481, 160]}))
    False
    """
    counts = pd.to_numeric(data["count"], errors="coerce").fillna(0).to_numpy() > 0
    if "value" in data:
        counts &= pd.to_numeric(data["value"], errors="coerce").fillna(0).to_numpy() != 0
    return not bool(counts.any())


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


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def version_diff(
    a: pd.DataFrame, b: pd.DataFrame, group_type: str = "CONCEPT_ID", metric: str = "inputs_count"
) -> pd.DataFrame:
    """Compare the counts of one group type in two versions, largest change first.

    Only the top-level groups of each version are compared.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Metrics-groups frames of the two versions.
    group_type : str
        E.g. ``"CONCEPT_ID"``, ``"INPUT_TYPE"``, ``"CONCEPTS_COUNT"``.
    metric : str
        The count compared.

    Returns
    -------
    pandas.DataFrame
        ``value`` (label), ``a``, ``b`` (0 where absent), ``delta`` (b - a) and
        ``change``: ``"added"``, ``"removed"``, ``"changed"`` or ``"same"``.

    Raises
    ------
    InvalidArgumentError
        For an unknown group type or metric.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"parent_path": "", "type": "CONCEPT_ID", "value": ["cat"],
    ...                   "inputs_count": [3]})
    >>> b = pd.DataFrame({"parent_path": "", "type": "CONCEPT_ID", "value": ["dog"],
    ...                   "inputs_count": [2]})
    >>> version_diff(a, b)[["value", "change"]].values.tolist()
    [['cat', 'removed'], ['dog', 'added']]
    """
    validate.choice(group_type, "group_type", GROUP_TYPES)
    validate.choice(metric, "metric", COUNT_COLUMNS)
    sides = []
    for frame, side in ((a, "a"), (b, "b")):
        rows = frame[(frame["parent_path"] == root_path(frame)) & (frame["type"] == group_type)]
        counts = pd.to_numeric(rows[metric], errors="coerce").astype(float).fillna(0.0)
        sides.append(
            pd.DataFrame({"value": [_label(v) for v in rows["value"]], side: counts.to_numpy()})
            .groupby("value", as_index=False)[side]
            .sum()
        )
    merged = sides[0].merge(sides[1], on="value", how="outer", indicator=True)
    merged[["a", "b"]] = merged[["a", "b"]].fillna(0.0)
    merged["delta"] = merged["b"] - merged["a"]
    merged["change"] = np.select(
        [merged["_merge"] == "right_only", merged["_merge"] == "left_only", merged["delta"] != 0],
        ["added", "removed", "changed"],
        "same",
    )
    merged = merged.drop(columns="_merge")
    order = merged["delta"].abs().to_numpy()
    merged = merged.iloc[np.lexsort((merged["value"].to_numpy(), -order))]
    return merged.reset_index(drop=True)
