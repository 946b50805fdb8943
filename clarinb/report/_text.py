"""How the report words numbers: values with intervals, and the comparison's verdict."""

from __future__ import annotations

import math

from clarinb.metrics import verdict
from clarinb.metrics.compare import PairedComparison
from clarinb.report._analysis import HEADLINE
from clarinb.report._names import metric_name

__all__ = ["interval_text", "verdict_text"]


def _missing(value: float) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def interval_text(value: float, lo: float, hi: float, *, signed: bool = False) -> str:
    """Write ``"0.912 (0.88 to 0.94)"``; ``"n/a"`` without a value; no interval: the value.

    Examples
    --------
    >>> interval_text(0.9123, 0.881, 0.944)
    '0.912 (0.88 to 0.94)'
    >>> interval_text(0.05, 0.01, 0.09, signed=True)
    '+0.050 (+0.01 to +0.09)'
    >>> interval_text(float("nan"), 0.1, 0.2)
    'n/a'
    """
    if _missing(value):
        return "n/a"
    sign = "+" if signed else ""
    text = format(float(value), f"{sign}.3f")
    if _missing(lo) or _missing(hi):
        return text
    return f"{text} ({float(lo):{sign}.2f} to {float(hi):{sign}.2f})"


def verdict_text(paired: PairedComparison) -> str:
    """:func:`clarinb.metrics.verdict` on :data:`HEADLINE`, the metric named readably."""
    line = verdict(paired, HEADLINE)
    return line.replace(f"({HEADLINE},", f"({metric_name(HEADLINE).lower()},", 1)
