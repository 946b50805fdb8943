"""The evaluation views in a real JupyterLab, driven by headless Chromium.

One notebook builds every evaluation view on the emulator's demo workspace.
The test waits for the plots, saves a screenshot of each view to
``docs/images/``, moves the confusion matrix's threshold slider with the
keyboard and checks the plotted counts changed (and equal what
``clarinb.metrics`` gives at the new threshold), and clicks an off-diagonal
cell to see the inputs behind it listed with their thumbnails.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import screenshot

from clarinb import connect

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).parent / "notebooks" / "eval_views.ipynb"


@pytest.fixture(scope="module")
def page(browser: Any, jupyter_lab: Any) -> Iterator[Any]:
    """The notebook opened in the session's JupyterLab and run: every view on the page."""
    opened = jupyter_lab.open(browser, NOTEBOOK, plots=0)
    try:
        try:
            opened.page.wait_for_selector(".clarinb-compare .js-plotly-plot", timeout=240_000)
        except Exception:
            shot = Path(tempfile.gettempdir()) / "eval_views_failed.png"
            opened.page.screenshot(path=str(shot), full_page=True)  # what the notebook showed
            raise
        opened.page.wait_for_timeout(2000)  # let the last plots finish drawing
        yield opened.page
        assert opened.dialogs == []
    finally:
        opened.close()


#: Whether every visible plotly plot in the first element a selector matches has its data.
_DRAWN = """sel => {
  const e = document.querySelector(sel);
  if (!e) return false;
  const all = e.matches('.js-plotly-plot') ? [e] : e.querySelectorAll('.js-plotly-plot');
  const plots = Array.from(all);
  return plots.filter(g => g.offsetParent !== null).every(g => g.data && g.data.length);
}"""


def _in_view(page: Any, selector: str) -> Any:
    """Scroll the element into view and wait for its visible plots' data.

    JupyterLab renders the cells near the viewport; under load a figure
    brought into view may take seconds to receive its data.
    """
    element = page.locator(selector).first
    element.scroll_into_view_if_needed()
    page.wait_for_function(_DRAWN, arg=selector, timeout=120_000)
    return element


def _shot(page: Any, selector: str, name: str) -> None:
    element = _in_view(page, selector)
    page.wait_for_timeout(300)
    screenshot(element, name)


_Z = (
    "() => { const gd = document.querySelector('.clarinb-confusion .js-plotly-plot');"
    " return JSON.stringify(gd && gd.data && gd.data[0] ? gd.data[0].z : null); }"
)


def _expected_matrix(threshold: float):
    """The demo evaluation's matrix at a threshold, computed here with clarinb.metrics."""
    from clarinb import metrics
    from clarinb.emulator import serve

    with serve(data="demo") as emulator:
        client = connect(emulator=emulator)
        for eid in client.evaluations()["id"]:
            ev = client.evaluation(eid)
            if ev.kind == "classifier" and ev.model_id.startswith("animals"):
                return metrics.confusion_matrix(ev.test_set(), threshold=threshold)
    raise AssertionError("the demo has no animals classifier")


def test_confusion_threshold_by_keyboard_and_cell_click(page) -> None:
    plot = ".clarinb-confusion .js-plotly-plot"
    page.wait_for_selector(plot)
    _in_view(page, ".clarinb-confusion")
    page.wait_for_function(f"() => ({_Z})() !== 'null'")
    _shot(page, ".clarinb-confusion", "confusion")
    before = json.loads(page.evaluate(_Z))
    assert sum(map(sum, before)) > 0
    handle = page.locator(".clarinb-confusion .clarinb-threshold .noUi-handle").first
    handle.click()
    for _ in range(20):
        handle.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.clarinb-confusion .js-plotly-plot')"
        ".layout.title.text.includes('threshold 0.70')",
        timeout=30_000,
    )
    # the plotted counts become clarinb.metrics' counts at 0.70 on the same evaluation
    axes = page.evaluate(
        "() => { const t = document.querySelector('.clarinb-confusion .js-plotly-plot').data[0];"
        " return [Array.from(t.y), Array.from(t.x)]; }"
    )
    expected = _expected_matrix(0.70).loc[axes[0], axes[1]].to_numpy().tolist()
    try:
        page.wait_for_function(
            f"(e) => ({_Z})() === e",
            arg=json.dumps(expected, separators=(",", ":")),
            timeout=30_000,
        )
    finally:
        after = json.loads(page.evaluate(_Z))
    assert after == expected
    assert sum(row[-1] for row in after) > sum(row[-1] for row in before)  # more "(none)"
    # click the largest off-diagonal cell: its inputs are listed with thumbnails
    cell = page.evaluate(
        """() => {
        const gd = document.querySelector('.clarinb-confusion .js-plotly-plot');
        const z = gd.data[0].z; let best = [-1, 0, 0];
        for (let i = 0; i < z.length; i++) for (let j = 0; j < z[i].length - 1; j++)
            if (i !== j && z[i][j] > best[0]) best = [z[i][j], i, j];
        const fl = gd._fullLayout, r = gd.getBoundingClientRect();
        return {count: best[0], x: r.left + fl.xaxis._offset + fl.xaxis.l2p(best[2]),
                y: r.top + fl.yaxis._offset + fl.yaxis.l2p(best[1])};
    }"""
    )
    assert cell["count"] > 0
    page.mouse.click(cell["x"], cell["y"])
    listing = page.locator(".clarinb-confusion .clarinb-inputs").first
    listing.locator("img").first.wait_for(timeout=30_000)
    count = int(cell["count"])
    text = listing.inner_text()
    assert f"{count} input" in text, text[:300]
    assert listing.locator(".clarinb-inputs-table tbody tr").count() == count
    _shot(page, ".clarinb-confusion", "confusion_drilldown")


def test_every_view_renders(page) -> None:
    for selector, image in [
        (".clarinb-curves", "curves"),
        (".clarinb-thresholds", "thresholds"),
        (".clarinb-explorer", "explorer"),
        (".clarinb-compare", "compare"),
    ]:
        page.wait_for_selector(selector)
        _shot(page, selector, image)
    roc = page.evaluate(
        "() => document.querySelector('.clarinb-curves .js-plotly-plot').data.map(t => t.name)"
    )
    assert any("(AUC " in name for name in roc)
    assert any(name.startswith("threshold") for name in roc)
    table = page.locator(".clarinb-thresholds .clarinb-table").first
    assert table.locator("tbody tr").count() == 20
    page.locator(".clarinb-explorer").first.scroll_into_view_if_needed()  # lab renders what is near
    page.wait_for_timeout(500)
    tabs = page.locator(".clarinb-explorer .lm-TabBar-tab").all_inner_texts()
    assert [t.strip() for t in tabs[:8]] == [
        "Summary",
        "Confusion",
        "Curves",
        "Thresholds",
        "Compare",
        "Mistakes",
        "Slices",
        "Test set",
    ]


def test_mistakes_and_slices_render_and_react(page) -> None:
    """The issue-14 views draw in JupyterLab, and the explorer's new tabs build when opened."""
    from browser_helpers import plot_data, wait_for_plots

    wait_for_plots(page, within=".clarinb-mistakes")
    kinds = [plot_data(page, "name", within=".clarinb-mistakes", trace=t) for t in (0, 1)]
    assert kinds == ["false positives", "missed positives"]
    assert "Likely label errors" in page.inner_text(".clarinb-mistakes")
    _shot(page, ".clarinb-mistakes .js-plotly-plot", "mistakes")  # the figure: the list is long
    wait_for_plots(page, within=".clarinb-slices")
    slices = plot_data(page, "y", within=".clarinb-slices")
    assert slices[0].startswith("night (n=116)"), slices  # the weak slice comes first
    _shot(page, ".clarinb-slices", "slices")
    explorer = page.locator(".clarinb-explorer").first
    explorer.scroll_into_view_if_needed()
    for tab, selector in (
        ("Compare", ".clarinb-compare"),
        ("Mistakes", ".clarinb-mistakes"),
        ("Slices", ".clarinb-slices"),
    ):
        explorer.locator(".lm-TabBar-tab", has_text=tab).first.click()
        wait_for_plots(page, within=f".clarinb-explorer {selector}", timeout=120_000)
