"""The dataset and detection views in the session's JupyterLab, driven by headless Chromium.

Each notebook starts the emulator's demo workspace in its kernel. The tests
wait for the plots, interact (a click on a concept bar, a group type and an
IoU picked in dropdowns, the next input), check that the plotted data changed
as it should, and save screenshots to ``docs/images/``.
"""

from __future__ import annotations

import re
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
    wait_plot_data,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).parent / "notebooks"
GROUPS, DIFF = ".clarinb-metrics-groups", ".clarinb-version-diff"
DETECTION, BOXES = ".clarinb-detection", ".clarinb-detection-browser"
LABEL_TRACE, SELECTED_TRACE = 4, 5  # DetectionBrowser's box labels, its selected box


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
        page.locator(f"{DIFF} select").first.select_option(label="Input types")
        kinds = wait_plot_changed(page, "x", deltas, trace=2, within=DIFF)
        assert set(kinds) <= {"image", "video", "text", "audio"}
        assert opened.dialogs == []
    finally:
        opened.close()


def _texts(page: Any, selector: str) -> list[str]:
    """The text of every SVG text element matching ``selector``."""
    return [t.strip() for t in page.locator(selector).all_text_contents()]


def test_detection_views(browser, jupyter_lab):
    opened = _open(browser, jupyter_lab, "ds_detection.ipynb", plots=2)
    page = opened.page
    try:
        page.locator(DETECTION).scroll_into_view_if_needed()
        # AP by object size: trace 1 is "all sizes", its AP on x, one row per class
        at_50 = wait_plot_data(page, "x", lambda v: len(v) > 0, trace=1, within=DETECTION)
        classes = _texts(page, f"{DETECTION} .subplot.xy .yaxislayer-above .ytick text")
        assert len(classes) == len(at_50) == 20  # every class labelled, none skipped
        assert "tabby cat" in classes
        sizes = _texts(page, f"{DETECTION} .legendtext")
        assert any(s.startswith("area small") for s in sizes)
        assert any(s.startswith("area large") for s in sizes)
        page.locator(f"{DETECTION} select").first.select_option(label="0.9")
        at_90 = wait_plot_changed(page, "x", at_50, trace=1, within=DETECTION)
        assert sum(v or 0 for v in at_90) < sum(v or 0 for v in at_50)
        screenshot(page.locator(DETECTION), "detection")
        page.locator(BOXES).scroll_into_view_if_needed()
        labels = wait_plot_data(page, "text", lambda v: len(v) > 0, trace=LABEL_TRACE, within=BOXES)
        page.wait_for_timeout(1000)  # let it draw
        image = page.evaluate(
            f"() => document.querySelector('{BOXES} .js-plotly-plot').layout.images[0].source"
        )
        assert image.startswith("data:image/png;base64,")
        # every box's label is drawn: class, score (predictions) and outcome
        drawn = _texts(page, f"{BOXES} .textpoint text")
        assert sorted(drawn) == sorted(labels)
        assert any(re.fullmatch(r"\S.* 0\.\d\d (TP|FP)", t) for t in drawn)
        assert all(re.fullmatch(r"\S.* ((\d\.\d\d )?(TP|FP)|FN|found)", t) for t in drawn)
        legend = _texts(page, f"{BOXES} .legendtext")
        for outcome in ("TP: predicted", "FP: predicted", "FN: object"):
            assert any(t.startswith(outcome) for t in legend), legend
        # a click on a table row highlights its box and marks the row
        rows = page.locator(f"{BOXES} .clarinb-box-row")
        assert rows.count() == len(labels)
        rows.first.click()
        outline = wait_plot_data(
            page,
            "x",
            lambda xs: any(v is not None for v in xs),
            trace=SELECTED_TRACE,
            within=BOXES,
        )
        assert len([v for v in outline if v is not None]) == 5
        page.wait_for_function(
            "sel => Array.from(document.querySelectorAll(sel))"
            ".some(t => t.textContent.startsWith('selected: '))",
            arg=f"{BOXES} .legendtext",
        )
        assert "mod-warning" in (rows.first.get_attribute("class") or "")
        screenshot(page.locator(BOXES), "detection_browser")
        page.locator(BOXES).get_by_role("button", name="Next").click()
        wait_plot_changed(page, "text", labels, trace=LABEL_TRACE, within=BOXES)
        assert opened.dialogs == []
    finally:
        opened.close()
