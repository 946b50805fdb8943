"""The browser fixtures themselves: a slider moved by keyboard changes a plot, in Lab and Voila."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from browser_helpers import (
    NOTEBOOK,
    new_page,
    plot_data,
    press_slider,
    wait_for_plots,
    wait_plot_changed,
)

pytestmark = pytest.mark.browser

SOURCE = """\
import ipywidgets as widgets
import plotly.graph_objects as go

slider = widgets.IntSlider(value=2, min=1, max=9, description="power")
fig = go.FigureWidget(
    data=[go.Heatmap(z=[[i**2 for i in range(4)], [i**3 for i in range(4)]])],
    layout={"title": {"text": "smoke"}, "height": 300},
)

def update(change):
    fig.data[0].z = [[i ** change["new"] for i in range(4)], [i**3 for i in range(4)]]

slider.observe(update, names="value")
widgets.VBox([slider, fig])
"""


@pytest.fixture(scope="module")
def smoke_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smoke") / "smoke_slider.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


def test_slider_changes_plot_in_jupyterlab(browser, jupyter_lab, smoke_notebook) -> None:
    opened = jupyter_lab.open(browser, smoke_notebook, plots=1)
    try:
        page = opened.page
        before = plot_data(page, "z", within=NOTEBOOK)
        assert before[0] == [0, 1, 4, 9]
        press_slider(page, within=NOTEBOOK, presses=1)
        after = wait_plot_changed(page, "z", before, within=NOTEBOOK)
        assert after[0] == [0, 1, 8, 27]
        assert opened.dialogs == []
    finally:
        opened.close()


def test_slider_changes_plot_in_voila(browser, voila, smoke_notebook) -> None:
    url = voila(smoke_notebook)
    opened = new_page(browser)
    try:
        page = opened.page
        page.goto(url)
        wait_for_plots(page, 1)
        title = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.title.text")
        assert title == "smoke"  # layout passed to the constructor survives in Voila
        before = plot_data(page, "z")
        press_slider(page, presses=2)
        after = wait_plot_changed(page, "z", before)
        assert after[0] in ([0, 1, 8, 27], [0, 1, 16, 81])
        assert opened.dialogs == []
    finally:
        opened.close()
