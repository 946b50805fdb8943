"""A view in a notebook leaves a static copy of its figure beside the live widget.

The copy is what a notebook saved and reopened without a kernel, nbviewer
and GitHub can show; the live widget hides it while it runs.
"""

from __future__ import annotations

import json

import nbformat
import plotly.graph_objects as go
from nbclient import NotebookClient

from clarinb.views._display import LIVE_CLASS, static_bundle

WIDGET = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"

CELL = """\
import plotly.graph_objects as go
from clarinb.views import View

class Bars(View):
    title = "bars"
    def _build_figure(self):
        return go.Figure(go.Bar(x=["a <b>", "b"], y=[1, 2]))

Bars()"""


def test_a_view_cell_saves_its_widget_and_a_static_figure() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["display_data", "display_data"]
    live, static = outputs
    assert WIDGET in live["data"]
    assert PLOTLY in static["data"]
    assert static["data"][PLOTLY]["data"][0]["x"] == ["a <b>", "b"]
    assert "clarinb-static" in static["data"]["text/html"]
    assert "<Bars" in static["data"]["text/plain"]


def test_the_live_widget_hides_the_static_copy_after_it() -> None:
    from clarinb.views._display import live

    box = live(go.FigureWidget())
    assert LIVE_CLASS in box._dom_classes
    style = box.children[0].value
    assert style.startswith("<style>")
    assert f":has(.{LIVE_CLASS}) + .jp-OutputArea-child" in style
    assert "display: none" in style


def test_the_static_html_escapes_no_script_out_of_the_data() -> None:
    bundle = static_bundle(go.Figure(go.Bar(x=["</script><script>alert(1)</script>"])), "v")
    html = bundle["text/html"]
    assert "alert(1)</script>" not in html
    json.dumps(bundle)
