"""Numbers written as text: "n/a" where a value is missing or undefined, never "nan"."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["NA", "interval_text", "number_text"]

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


def interval_text(value: Any, lo: Any, hi: Any, spec: str = ".3f") -> str:
    """Write a value with its interval, ``"0.912 [0.890, 0.931]"``; "n/a" where undefined.

    Parameters
    ----------
    value, lo, hi : float or None
        The estimate and the interval's ends.
    spec : str
        A format spec, as for :func:`format`.

    Returns
    -------
    str
        ``"n/a"`` when the value is missing; ``"<value> [n/a]"`` when only
        the interval is.

    Examples
    --------
    >>> interval_text(0.5, 0.4, 0.61), interval_text(0.5, None, 0.6), interval_text(None, 0, 1)
    ('0.500 [0.400, 0.610]', '0.500 [n/a]', 'n/a')
    """
    shown = number_text(value, spec)
    if shown == NA:
        return NA
    ends = number_text(lo, spec), number_text(hi, spec)
    return f"{shown} [{NA}]" if NA in ends else f"{shown} [{ends[0]}, {ends[1]}]"
