"""Hostile data in a real browser: no dialog, no script from the data runs.

A snapshot of the demo workspace has its concept ids and names, input ids,
model and dataset ids and metadata rewritten into markup and script payloads
(each would set ``window.__pwned`` and most raise a dialog). Every view's
``to_html`` page and the report are opened from file:// in Chromium, and one
JupyterLab notebook shows every view on the same data; the payloads must show
as text and never run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import NOTEBOOK, new_page, wait_for_plots

from clarinb import connect
from clarinb.emulator import serve
from clarinb.errors import ClarinbError
from clarinb.report import write_report
from clarinb.snapshot import take_snapshot, write_snapshot
from tests.views.hostile_data import CONCEPTS, SCRIPT, hostile_workspace
from tests.views.test_hostile import BUILDERS, EVALUATIONS, WidgetOnly

pytestmark = pytest.mark.browser

HOSTILE_NOTEBOOK = Path(__file__).parent / "notebooks" / "hostile_views.ipynb"
_PWNED = "() => typeof window.__pwned"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with serve(data="demo") as source:
        workspace = take_snapshot(
            connect(emulator=source), evaluations=EVALUATIONS, dataset_versions=["wildlife/v1"]
        )
    path = tmp_path_factory.mktemp("hostile-browser") / "hostile_snapshot.json"
    return write_snapshot(hostile_workspace(workspace), path)


@pytest.fixture(scope="module")
def pages(snapshot: Path) -> list[Path]:
    """Every view's page on the hostile data, and the report."""
    folder = snapshot.parent
    written = []
    with serve(data=snapshot) as emulator:
        client = connect(emulator=emulator)
        for name, build in sorted(BUILDERS.items()):
            for n, item in enumerate(build(client)):
                view = item.view if isinstance(item, WidgetOnly) else item
                try:
                    written.append(view.to_html(folder / f"{name}-{n}.html"))
                except ClarinbError:
                    assert isinstance(item, WidgetOnly)  # a failure message has no page
        written.append(write_report(folder / "report.html", client))
    return written


def _open_offline(browser: Any, path: Path) -> tuple[Any, list[str]]:
    opened = new_page(browser)
    requests: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    opened.page.route("**/*", only_files)
    opened.page.goto(path.as_uri())
    return opened, requests


def test_pages_run_no_script_from_the_data(browser: Any, pages: list[Path]) -> None:
    assert len(pages) >= 20
    for path in pages:
        opened, requests = _open_offline(browser, path)
        try:
            page = opened.page
            plots = path.read_text(encoding="utf-8").count('class="plotly-graph-div"')
            if plots:
                wait_for_plots(page, plots, timeout=60_000)
            page.wait_for_timeout(300)
            assert opened.dialogs == [], path.name
            assert page.evaluate(_PWNED) == "undefined", path.name
            assert page.locator("img[src=x], svg[onload]").count() == 0, path.name
            text = path.read_text(encoding="utf-8")
            # plotly.js and one per plot; a report unpacks its gzipped plotly.js into one more
            packed = int("DecompressionStream" in text)
            assert page.locator("script").count() == text.count("<script") + packed, path.name
            assert text.count("<script") == plots + 1 + packed, path.name
            assert requests == [], path.name
        finally:
            opened.close()


def test_payloads_show_as_text(browser: Any, pages: list[Path]) -> None:
    page_of = {p.name: p for p in pages}
    opened, _ = _open_offline(browser, page_of["ThresholdView-0.html"])
    try:
        text = opened.page.inner_text("body")
        assert f"{SCRIPT}husky" in text  # the concept id, in the table and in the JSON
        assert opened.dialogs == []
    finally:
        opened.close()


@pytest.fixture(scope="module")
def notebook(browser: Any, jupyter_lab: Any, snapshot: Path) -> Iterator[Any]:
    """The notebook showing every view on the hostile data, run in the session's JupyterLab."""
    shutil.copy(snapshot, jupyter_lab.root / "hostile_snapshot.json")
    opened = jupyter_lab.open(browser, HOSTILE_NOTEBOOK, plots=0)
    try:
        opened.page.wait_for_selector(
            f"{NOTEBOOK} .clarinb-detection-browser .js-plotly-plot", timeout=300_000
        )
        wait_for_plots(opened.page, 10, within=NOTEBOOK)
        yield opened
    finally:
        opened.close()


def test_notebook_runs_no_script_from_the_data(notebook: Any) -> None:
    page = notebook.page
    errors = page.locator(f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type*='error']")
    assert errors.count() == 0, errors.first.inner_text()
    for selector in (
        ".clarinb-confusion", ".clarinb-curves", ".clarinb-thresholds", ".clarinb-explorer",
        ".clarinb-compare", ".clarinb-metrics-groups", ".clarinb-dataset-explorer",
        ".clarinb-version-diff", ".clarinb-detection", ".clarinb-detection-browser",
    ):  # fmt: skip
        assert page.locator(f"{NOTEBOOK} {selector}").count() >= 1, selector
    inputs = page.locator(f"{NOTEBOOK} .clarinb-confusion .clarinb-inputs").first.inner_text()
    assert CONCEPTS["husky"] in inputs  # the drill-down heading shows the id as text
    page.wait_for_timeout(1000)
    assert notebook.dialogs == []
    assert page.evaluate(_PWNED) == "undefined"
    assert page.locator(f"{NOTEBOOK} img[src=x], {NOTEBOOK} svg[onload]").count() == 0
