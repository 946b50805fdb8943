"""Numbers written as text: "n/a" where a value is missing or undefined, never "nan"."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["NA", "number_text"]

#: How a value that is missing or does not apply is written.
NA = "n/a"


def number_text(value: Any, spec: str = ".3f") -> str:
    """Format a number with ``spec``; NaN and ``None`` give ``"n/a"``.

    Parameters
    ----------
    value : float, int or None
        The number (numpy scalars too).
    spec : str
        A format spec, as for :func:`format`.

    Returns
    -------
    str

    Examples
    --------
    >>> number_text(0.25), number_text(float("nan")), number_text(0.0, ".4f")
    ('0.250', 'n/a', '0.0000')
    """
    if value is None:
        return NA
    number = float(value)
    return NA if math.isnan(number) else format(number, spec)
