"""Light and dark themes for every view, as registered plotly templates."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from clarinb import _validate as validate

__all__ = ["THEMES", "count_axis", "template"]

#: A colour-blind-friendly qualitative palette shared by both themes.
COLORWAY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

THEMES = {"light": ("clarinb_light", "plotly_white"), "dark": ("clarinb_dark", "plotly_dark")}


def _register() -> None:
    for name, base in THEMES.values():
        if name in pio.templates:
            continue
        tpl = go.layout.Template(pio.templates[base])
        tpl.layout.colorway = COLORWAY
        tpl.layout.font = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 12}
        tpl.layout.margin = {"l": 60, "r": 20, "t": 50, "b": 50}
        tpl.layout.hoverlabel = {"namelength": -1}
        pio.templates[name] = tpl


def template(theme: str) -> str:
    """Name of the plotly template for a clarinb theme.

    Parameters
    ----------
    theme : {"light", "dark"}
        The theme.

    Returns
    -------
    str
        A template name registered in ``plotly.io.templates``.

    Raises
    ------
    InvalidArgumentError
        For an unknown theme.
    """
    validate.choice(theme, "theme", sorted(THEMES))
    _register()
    return THEMES[theme][0]


def count_axis(top: float, *, from_zero: bool = True) -> dict[str, Any]:
    """Axis settings for whole numbers (counts): integer ticks, never one at 0.5.

    Parameters
    ----------
    top : float
        The largest absolute value on the axis (NaN: unknown).
    from_zero : bool
        Start the axis at 0 (counts); False for values that are whole numbers
        but not a count of the bars (e.g. the number of boxes per input).

    Returns
    -------
    dict
        Plotly axis properties: ``tickformat`` ``",d"``, a ``dtick`` of 1, 2, 5
        or 10 (from 0) when the values are small (plotly would pick 0.5 or
        0.2 there), and ``rangemode`` ``"tozero"`` when ``from_zero``.

    Examples
    --------
    >>> count_axis(3)
    {'tickformat': ',d', 'rangemode': 'tozero', 'tick0': 0, 'dtick': 1}
    >>> count_axis(600)
    {'tickformat': ',d', 'rangemode': 'tozero'}
    """
    props: dict[str, Any] = {"tickformat": ",d"}
    if from_zero:
        props["rangemode"] = "tozero"
    top = abs(top) if math.isfinite(top) else 0.0
    step = next((s for s in (1, 2, 5, 10) if top <= 8 * s), None)
    if step is not None:
        props.update(tick0=0, dtick=step)
    return props
