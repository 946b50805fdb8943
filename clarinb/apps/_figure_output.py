"""A figure drawn by plotly's own notebook renderer inside an ``Output`` widget.

A ``FigureWidget`` carries plotly's whole widget bundle (about 5 MB of
JavaScript) in its own model, sent to the page and evaluated again for every
figure widget; the first one shown costs the page seconds. A figure that only
needs to be looked at (hover, zoom, no clicks back to Python) is shown
instead as plotly's JSON output, which JupyterLab and Voila draw with the
plotly.js the page has already loaded, cached by the browser, and is saved
with the notebook as it is. The explorer's Summary tab, its first plot, is
drawn this way. (No HTML fragment is added: one loading plotly.js from a CDN
would fail offline and differ at every run.)
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clarinb.views._display import static_bundle

__all__ = ["FIGURE_OUTPUT_CLASS", "FigureOutput"]

#: Class of an output widget holding a figure as plotly JSON (the saved notebooks' too).
FIGURE_OUTPUT_CLASS = "clarinb-saved-figure"


class FigureOutput:
    """An ``Output`` widget showing one figure, redrawn with :meth:`show`.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The figure shown first.
    text : str
        What a front end without plotly's renderer shows instead.
    """

    def __init__(self, figure: go.Figure, text: str = "plotly figure") -> None:
        self.text = text
        self.widget = widgets.Output()
        # the class every figure held as plotly JSON in an output widget carries
        self.widget.add_class(FIGURE_OUTPUT_CLASS)
        self.figure: go.Figure = figure
        self.show(figure)

    def show(self, figure: go.Figure) -> None:
        """Replace the shown figure (one message to the page, drawn anew)."""
        self.figure = figure
        bundle: dict[str, Any] = static_bundle(figure, self.text, html=False)
        self.widget.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
