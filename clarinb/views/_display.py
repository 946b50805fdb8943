"""How a view shows itself in a notebook: the live widget, and a static figure beside it.

A widget output needs its kernel: a notebook saved and reopened without one,
nbviewer and GitHub show "model not found" or nothing in its place. So a
view displays two outputs: the live widget, then a static copy of its figure
(plotly's own JSON mimetype, which JupyterLab draws without a kernel, and an
HTML fragment for nbviewer). While the widget is live it carries a rule that
hides the output right after it, so a running notebook shows the figure once.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from clarinb._html import figure_html, html_widget, tag

__all__ = ["LIVE_CLASS", "live", "static_bundle"]

#: Class of the box holding a live view; the rule below hides the static copy after it.
LIVE_CLASS = "clarinb-live"
_HIDE_STATIC = (
    f".jp-OutputArea-child:has(.{LIVE_CLASS}) + .jp-OutputArea-child, "
    f".output_area:has(.{LIVE_CLASS}) + .output_area {{ display: none; }}"
)


def live(widget: Any) -> Any:
    """Wrap a view's widget for display: marked live, with the rule hiding its static copy."""
    import ipywidgets as widgets  # noqa: PLC0415

    box = widgets.VBox([html_widget(tag("style", _HIDE_STATIC)), widget])
    box.add_class(LIVE_CLASS)
    return box


def static_bundle(figure: go.Figure, text: str, *, html: bool = True) -> dict[str, Any]:
    """Make the static copy of a figure as a display bundle (plotly JSON, HTML, plain text).

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The view's ``figure_``.
    text : str
        Plain-text stand-in (the view's repr).
    html : bool, default True
        Add the HTML fragment for nbviewer (which loads plotly.js from its
        CDN); without it, only front ends with plotly's renderer draw it.
    """
    spec = figure.to_plotly_json()
    bundle: dict[str, Any] = {
        "application/vnd.plotly.v1+json": {
            "data": spec["data"],
            "layout": spec["layout"],
            "config": {"displaylogo": False},
        },
        "text/plain": text,
    }
    if html:
        bundle["text/html"] = str(
            tag("div", figure_html(figure, plotlyjs="cdn"), **{"class": "clarinb-static"})
        )
    return bundle
