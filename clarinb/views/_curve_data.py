"""Curve points shaped for drawing: evenly thinned per concept; what the curve views read.

The maths (areas, averages, operating points) is in :mod:`clarinb.metrics`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clarinb._columns import category_codes

__all__ = ["concepts_of_test_set", "present_ids", "thin"]


def thin(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """Keep at most ``limit`` evenly spaced rows of each concept's curve, ends included.

    Rows keep their order within each concept; concepts are grouped in
    first-seen order.  ``None`` keeps everything.

    Examples
    --------
    >>> import pandas as pd
    >>> points = pd.DataFrame({"concept_id": ["a"] * 5, "fpr": range(5)})
    >>> thin(points, 3)["fpr"].tolist()
    [0, 2, 4]
    """
    codes, _ = pd.factorize(frame["concept_id"])
    order = np.argsort(codes, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1]
    sizes = np.diff(np.r_[starts, len(order)])
    if limit is None or (sizes <= limit).all():
        return frame.iloc[order]
    picks = []
    for start, size in zip(starts, sizes, strict=True):
        if size <= limit:
            picks.append(order[start : start + size])
        else:
            idx = np.unique(np.linspace(0, size - 1, limit).round().astype(int))
            picks.append(order[start + idx])
    return frame.iloc[np.concatenate(picks)]


def concepts_of_test_set(ts: pd.DataFrame) -> list[str]:
    """List the concept ids with rows in a test set, in the order the metrics give them."""
    return present_ids(ts["concept_id"])


def present_ids(column: pd.Series) -> list[str]:
    """List the ids in a test-set column: a categorical's used categories in order, else sorted.

    Counts a categorical's codes instead of turning every row into a string.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):  # codes counted, no string per row
        codes = category_codes(column)
        used = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0
        return [str(c) for c in column.cat.categories[used]]
    return sorted({str(c) for c in pd.unique(column)})
