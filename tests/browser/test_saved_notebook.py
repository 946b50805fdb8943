"""A committed tutorial notebook, opened without running it, shows its figures.

The evaluation explorer notebook is opened as committed in JupyterLab and its
kernel shut down before any cell runs: every view's figure is drawn from the
saved outputs. The same file rendered by nbconvert's HTML exporter (what
nbviewer serves) and opened from ``file://`` with every network request
refused shows every figure too.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_helpers import NOTEBOOK, new_page
from nbconvert import HTMLExporter

pytestmark = pytest.mark.browser

SAVED = Path(__file__).resolve().parents[2] / "notebooks" / "02-evaluation-explorer.ipynb"
#: The figures of the notebook's four views, by the start of their titles.
TITLES = [
    "ROC AUC per concept",
    "Confusion matrix (single-label) at threshold 0.50",
    "ROC and precision-recall curves",
    "Metrics per concept at the threshold",
]

#: The plotly widgets among the live views (the curves view draws ROC and PR apart, the
#: threshold view's live table is not a figure).

_SEEN_JS = """(sel) => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot'))
  .filter(p => p.getBoundingClientRect().height > 100 && p.data && p.data.length)
  .map(p => { const t = p.querySelector('.gtitle');
              const drawn = p.querySelectorAll('.trace, .hm, .table').length;
              return [t ? t.textContent : '', p.data.length, drawn]; })"""


def _sessions(lab: Any, name: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{lab.url}/api/sessions?token={lab.token}") as r:
        return [s for s in json.load(r) if s["path"] == name]


def _shut_down_kernel(page: Any, lab: Any, name: str) -> None:
    """Delete the notebook's session as soon as it starts: its kernel stops before any cell ran."""
    for _ in range(120):
        sessions = _sessions(lab, name)
        if sessions:
            break
        page.wait_for_timeout(500)
    assert sessions, f"JupyterLab started no session for {name}"
    for session in sessions:
        request = urllib.request.Request(
            f"{lab.url}/api/sessions/{session['id']}?token={lab.token}", method="DELETE"
        )
        urllib.request.urlopen(request).close()
    page.wait_for_selector(f"{NOTEBOOK} .jp-Toolbar >> text=No Kernel", timeout=60_000)
    assert _sessions(lab, name) == []


def _scroll_through(page: Any, within: str = "") -> tuple[dict[str, tuple[int, int]], str]:
    """Scroll the notebook top to bottom; every plot drawn (title -> traces) and all text seen.

    Only the plots under ``within`` (a selector inside the notebook) count.
    """
    seen: dict[str, tuple[int, int]] = {}
    text = []
    scroller = page.locator(f"{NOTEBOOK} .jp-WindowedPanel-outer").first
    for _ in range(60):
        page.wait_for_timeout(400)
        for title, traces, drawn in page.evaluate(_SEEN_JS, f"{NOTEBOOK} {within}".strip()):
            seen[title] = (traces, drawn)
        text.append(page.locator(NOTEBOOK).inner_text())
        at_end = scroller.evaluate(
            "e => { const end = e.scrollTop + e.clientHeight >= e.scrollHeight - 2;"
            " e.scrollTop += 400; return end; }"
        )
        if at_end:
            break
    return seen, "\n".join(text)


def test_a_saved_notebook_shows_its_figures_in_jupyterlab_without_a_kernel(
    browser: Any, jupyter_lab: Any
) -> None:
    name = jupyter_lab.add(SAVED, "saved-explorer.ipynb")
    opened = jupyter_lab.open(browser, jupyter_lab.root / name, run_all=False, plots=0)
    try:
        page = opened.page
        _shut_down_kernel(page, jupyter_lab, name)
        seen, text = _scroll_through(page)
        for title in TITLES:
            drawn = [counts for shown, counts in seen.items() if shown.startswith(title)]
            assert drawn, f"no figure titled {title!r}; figures seen: {sorted(seen)}"
            assert all(traces > 0 and on_page > 0 for traces, on_page in drawn), title
        assert "VBox(children=" not in text  # a widget's saved repr says what it is instead
        assert "interactive view: run the cell to use it" in text
        assert opened.dialogs == []
    finally:
        opened.close()


_IMAGES_JS = """() => Array.from(document.querySelectorAll('.clarinb-static img'))
  .map(i => [i.alt, i.complete && i.naturalWidth > 0, i.getBoundingClientRect().height])"""


def test_a_saved_notebook_rendered_by_nbconvert_shows_its_figures_offline(
    browser: Any, tmp_path: Path
) -> None:
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(SAVED, as_version=4))
    path = tmp_path / "saved-explorer.html"
    path.write_text(body, encoding="utf-8")
    opened = new_page(browser)
    refused: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    try:
        page = opened.page
        page.route("**/*", only_files)
        page.goto(path.as_uri())
        page.wait_for_timeout(1000)
        images = page.evaluate(_IMAGES_JS)
        for title in TITLES:
            shown = [(ok, height) for alt, ok, height in images if alt.startswith(title)]
            assert shown, f"no image of {title!r}; images: {[alt for alt, _, _ in images]}"
            assert all(ok and height > 200 for ok, height in shown), title
        assert "model not found" not in page.inner_text("body")
    finally:
        opened.close()
