"""The explorers' user-visible fixes of issue 13, in a real JupyterLab on the demo workspace.

One notebook shows two evaluation explorers and a dataset explorer. The
tests check what a user sees: the explorer opens on an evaluated
single-label classifier without an error; its one threshold reaches the
Confusion and Thresholds tabs; picking the multi-label scene-tagger shows
the per-concept binary confusion view; the Test set tab's "wrong" filter
keeps only wrong inputs, with thumbnails; and after "New version" and
Confirm the dataset explorer's picker and panels show the new version.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import press_slider, wait_for_plots

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).parent / "notebooks" / "explorer_truth.ipynb"
DEFAULT, MULTILABEL, VERSIONS = ".t-default", ".t-multilabel", ".t-versions"


@pytest.fixture(scope="module")
def page(browser: Any, jupyter_lab: Any) -> Iterator[Any]:
    """The notebook opened in the session's JupyterLab and run to its last cell."""
    opened = jupyter_lab.open(browser, NOTEBOOK, plots=0)
    try:
        try:
            opened.page.wait_for_selector(f"{VERSIONS} .clarinb-metrics-groups", timeout=240_000)
        except Exception:
            shot = Path(tempfile.gettempdir()) / "explorer_truth_failed.png"
            opened.page.screenshot(path=str(shot), full_page=True)  # what the notebook showed
            raise
        yield opened.page
        assert opened.dialogs == []
    finally:
        opened.close()


def _near(page: Any, selector: str) -> Any:
    """The first element matching ``selector``, scrolled into view (lab renders what is near)."""
    element = page.locator(selector).first
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    return element


def _open_tab(page: Any, within: str, title: str) -> None:
    _near(page, within).locator(".lm-TabBar-tab", has_text=title).first.click()


def _wait_text(page: Any, selector: str, pattern: str, timeout: int = 60_000) -> str:
    """Wait until the first ``selector`` element's text matches ``pattern``; return the text."""
    page.wait_for_function(
        "([sel, pat]) => { const e = document.querySelector(sel);"
        " return !!e && new RegExp(pat).test(e.textContent); }",
        arg=[selector, pattern],
        timeout=timeout,
    )
    return str(page.locator(selector).first.text_content())


def test_explorer_opens_on_an_evaluated_single_label_classifier(page) -> None:
    _near(page, DEFAULT)
    wait_for_plots(page, within=DEFAULT)
    status = _near(page, f"{DEFAULT} .clarinb-message").inner_text()
    assert "animals-large on v2: a single-label evaluation" in status, status
    assert page.locator(f"{DEFAULT} .clarinb-error").count() == 0
    shown = page.locator(DEFAULT).first.inner_text()
    assert "Could not" not in shown, shown[:400]
    assert "no metrics to show" not in shown, shown[:400]


def test_one_threshold_reaches_confusion_and_thresholds(page) -> None:
    for title in ("Confusion", "Thresholds"):  # both built at the starting threshold
        _open_tab(page, DEFAULT, title)
    _wait_text(page, f"{DEFAULT} .clarinb-thresholds .clarinb-threshold .widget-readout", "0.50")
    press_slider(page, within=f"{DEFAULT} > .widget-hbox", presses=20)  # the explorer's slider
    readout = f"{DEFAULT} .clarinb-thresholds .clarinb-threshold .widget-readout"
    assert _wait_text(page, readout, r"^\s*0\.70\s*$").strip() == "0.70"
    _open_tab(page, DEFAULT, "Confusion")
    readout = f"{DEFAULT} .clarinb-confusion .clarinb-threshold .widget-readout"
    assert _wait_text(page, readout, r"^\s*0\.70\s*$").strip() == "0.70"
    page.wait_for_function(
        "(sel) => { const gd = document.querySelector(sel);"
        " return gd && gd.layout && gd.layout.title.text.includes('threshold 0.70'); }",
        arg=f"{DEFAULT} .clarinb-confusion .js-plotly-plot",
        timeout=30_000,
    )


def test_test_set_wrong_filter_shows_wrong_inputs_with_thumbnails(page) -> None:
    _open_tab(page, DEFAULT, "Test set")
    panel = f"{DEFAULT} .clarinb-test-set"
    _near(page, panel).locator(".widget-toggle-button", has_text="all").first.click()
    # once "all" applies, every input matches (a back-reference to the total)
    heading = _wait_text(page, f"{panel} p", r"(\d+) inputs; .* of the \1 that match")
    found = re.findall(r"(\d+) inputs; (\d+) wrong.* of the (\d+)", heading)[0]
    total, wrong, matched = map(int, found)
    assert matched == total > wrong > 0, heading
    page.locator(f"{panel} .widget-toggle-button", has_text="wrong").first.click()
    heading = _wait_text(page, f"{panel} p", rf"of the {wrong} that match")
    rows = page.locator(f"{panel} .clarinb-inputs-table tbody tr")
    assert rows.count() == min(wrong, 100), heading
    correct = page.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel))"
        ".map(r => r.lastElementChild.textContent.trim())",
        f"{panel} .clarinb-inputs-table tbody tr",
    )
    assert set(correct) == {"False"}, correct[:10]
    images = f"{panel} img"
    assert page.locator(images).count() == min(rows.count(), 24)  # a screenful of thumbnails
    listed = page.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel))"
        ".map(r => r.firstElementChild.textContent.trim())",
        f"{panel} .clarinb-inputs-table tbody tr",
    )
    captions = page.locator(f"{panel} .clarinb-thumbnail + * small").all_inner_texts()
    assert captions, "no thumbnail captions"
    assert set(captions) <= set(listed)  # the thumbnails are of wrong inputs
    page.wait_for_function(
        "(sel) => Array.from(document.querySelectorAll(sel))"
        ".every(i => i.complete && i.naturalWidth > 0)",
        arg=images,
        timeout=30_000,
    )


def test_multi_label_evaluation_gets_per_concept_binary_confusion(page) -> None:
    _near(page, MULTILABEL).locator(".widget-dropdown select").first.select_option("scene-tagger")
    _wait_text(page, f"{MULTILABEL} .clarinb-message", "scene-tagger on v2: a multi-label")
    _open_tab(page, MULTILABEL, "Confusion")
    wait_for_plots(page, within=f"{MULTILABEL} .clarinb-multilabel")
    title = page.evaluate(
        "(sel) => document.querySelector(sel).layout.title.text",
        f"{MULTILABEL} .clarinb-multilabel .js-plotly-plot",
    )
    assert title.startswith("Multi-label classifier: per-concept confusion"), title
    assert page.locator(f"{MULTILABEL} .clarinb-confusion").count() == 0  # no single-label matrix


_PICKED = (
    "(sel) => { const s = document.querySelector(sel);"
    " return s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].textContent : null; }"
)


def test_dataset_explorer_follows_a_new_version(page) -> None:
    picker = f"{VERSIONS} .widget-dropdown select"
    assert page.evaluate(_PICKED, picker) == "v3"
    _near(page, VERSIONS).locator("button", has_text="New version").first.click()
    _near(page, VERSIONS).locator("button", has_text="Confirm").first.click()
    page.wait_for_function(
        f"(sel) => !['v1', 'v2', 'v3', null].includes(({_PICKED})(sel))", arg=picker,
        timeout=60_000,
    )  # fmt: skip
    new_id = page.evaluate(_PICKED, picker)
    crumbs = f"{VERSIONS} .clarinb-metrics-groups b"
    _wait_text(page, crumbs, re.escape(f"/ {new_id}"))
    wait_for_plots(page, within=f"{VERSIONS} .clarinb-metrics-groups")
    assert page.locator(f"{VERSIONS} .clarinb-metrics-groups .clarinb-card").count() > 0
    status = page.locator(f"{VERSIONS} > .widget-html").first.inner_text()
    assert f"{new_id}: ready" in status, status
