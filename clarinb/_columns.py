"""Reading a frame's columns in place: a categorical's codes, and whether a column has gaps.

Kept apart from the validators and the metrics' readers, which both use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["category_codes", "has_missing"]


def category_codes(values: pd.Series) -> np.ndarray:
    """Return a categorical column's codes in place (``.cat.codes`` copies them, 2 bytes a row)."""
    return np.asarray(values.array.codes)


def has_missing(values: pd.Series) -> bool:
    """Whether a column holds missing values; a categorical's codes are read without a mask."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = category_codes(values)
        return bool(len(codes)) and int(codes.min()) < 0
    return bool(values.hasnans)
