"""Light and dark themes for every view, as registered plotly templates."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from clarinb import _validate as validate

__all__ = ["THEMES", "template"]

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
