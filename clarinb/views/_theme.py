"""Light and dark themes for every view, as registered plotly templates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from clarinb import _validate as validate

__all__ = ["THEMES", "count_axis", "score_axis", "template"]

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


def score_axis(values: Any, title: str, *, top: float = 1.0) -> dict[str, Any]:
    """Axis settings for scores in [0, 1], zoomed to the values and saying so.

    Bars of 0.87 and 0.99 look alike on an axis from 0; the axis starts on a
    round value (a multiple of 0.05) just under the lowest value instead, and
    its title says where it starts.

    Parameters
    ----------
    values : array-like
        The values drawn (NaN ignored).
    title : str
        The axis title.
    top : float
        The end of the axis.

    Returns
    -------
    dict
        Plotly axis properties ``range`` and ``title``.

    Examples
    --------
    >>> score_axis([0.87, 0.99], "ROC AUC")["title"]["text"]
    'ROC AUC (axis starts at 0.80, not 0)'
    >>> score_axis([0.02, 0.99], "F1")["range"]
    [0.0, 1.0]
    """
    shown = np.asarray(values, dtype=float).ravel()
    finite = shown[np.isfinite(shown)]
    low = max(0.0, float(finite.min()) - 0.05) if finite.size else 0.0
    low = float(np.floor(low * 20) / 20)
    text = title + (f" (axis starts at {low:.2f}, not 0)" if low > 0 else "")
    return {"range": [low, top], "title": {"text": text}}
