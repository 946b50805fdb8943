"""Readable metric names (from :mod:`clarinb._names`) with the API field as a tooltip."""

from __future__ import annotations

from clarinb._html import Markup, tag
from clarinb._names import METRIC_NAMES, readable

__all__ = ["METRIC_NAMES", "metric_label", "metric_name"]


def metric_name(field: str) -> str:
    """Return the readable name of ``field`` (the field itself when it has none)."""
    return readable(field)


def metric_label(field: str) -> Markup:
    """Return the readable name of ``field`` with the field as its tooltip (``title``)."""
    return tag("span", metric_name(field), title=field)
