"""The dataset and detection views in the session's JupyterLab, driven by headless Chromium.

Each notebook starts the emulator's demo workspace in its kernel. The tests
wait for the plots, interact (a click on a concept bar, a group type and an
IoU picked in dropdowns, the next input), check that the plotted data changed
as it should, and save screenshots to ``docs/images/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    OpenPage,
    new_page,
    plot_data,
    run_all_cells,
    screenshot,
    wait_for_plots,
    wait_plot_changed,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).parent / "notebooks"
GROUPS, DIFF = ".clarinb-metrics-groups", ".clarinb-version-diff"
DETECTION, BOXES = ".clarinb-detection", ".clarinb-detection-browser"


def _open(browser: Any, lab: Any, notebook: str, plots: int) -> OpenPage:
    """Open a notebook in a workspace of its own (no other notebook restored beside it), run it."""
    name = lab.add(NOTEBOOKS / notebook)
    opened = new_page(browser, height=2400)  # tall, so whole views fit in screenshots
    page = opened.page
    workspace = Path(name).stem.replace("_", "-")
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{name}?reset&token={lab.token}")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:  # a kernel-choice dialog may come up
        accept.first.wait_for(timeout=5_000)
        accept.first.click()
    except PlaywrightTimeout:
        pass
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for(timeout=90_000)
    run_all_cells(page)
    wait_for_plots(page, plots)
    return opened


def test_metrics_groups_and_version_diff(browser, jupyter_lab):
    opened = _open(browser, jupyter_lab, "ds_metrics_groups.ipynb", plots=2)
    page = opened.page
    try:
        concepts = plot_data(page, "x", within=GROUPS)
        per_input = plot_data(page, "y", trace=2, within=GROUPS)
        assert len(concepts) == 15
        screenshot(page.locator(GROUPS), "metrics_groups")
        # click the first concept's bar: the view drills into that concept's own groups
        bar = page.locator(f"{GROUPS} .js-plotly-plot .bars .point path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
        page.mouse.move(x, y)  # plotly clicks the hovered point
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        drilled = wait_plot_changed(page, "y", per_input, trace=2, within=GROUPS)
        assert sum(drilled) < sum(per_input)
        assert concepts[0] in page.locator(GROUPS).inner_text()
        # the version diff: input types instead of concepts
        screenshot(page.locator(DIFF), "version_diff")
        deltas = plot_data(page, "x", trace=2, within=DIFF)
        page.locator(f"{DIFF} select").first.select_option("INPUT_TYPE")
        kinds = wait_plot_changed(page, "x", deltas, trace=2, within=DIFF)
        assert set(kinds) <= {"image", "video", "text", "audio"}
        assert opened.dialogs == []
    finally:
        opened.close()


def test_detection_views(browser, jupyter_lab):
    opened = _open(browser, jupyter_lab, "ds_detection.ipynb", plots=2)
    page = opened.page
    try:
        at_50 = plot_data(page, "y", trace=1, within=DETECTION)
        page.locator(f"{DETECTION} select").first.select_option(label="0.9")
        at_90 = wait_plot_changed(page, "y", at_50, trace=1, within=DETECTION)
        assert sum(v or 0 for v in at_90) < sum(v or 0 for v in at_50)
        screenshot(page.locator(DETECTION), "detection")
        truth = plot_data(page, "x", within=BOXES)
        assert any(v is not None for v in truth)
        image = page.evaluate(
            f"() => document.querySelector('{BOXES} .js-plotly-plot').layout.images[0].source"
        )
        assert image.startswith("data:image/png;base64,")
        screenshot(page.locator(BOXES), "detection_browser")
        page.locator(BOXES).get_by_role("button", name="Next").click()
        wait_plot_changed(page, "x", truth, within=BOXES)
        assert opened.dialogs == []
    finally:
        opened.close()
