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
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
IMAGES = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TOKEN = "clarinb-eval-views"
NOTEBOOK = "eval_views.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def eval_lab(tmp_path_factory) -> Iterator[str]:
    """A JupyterLab serving a copy of the evaluation notebook; yields its base URL."""
    work = tmp_path_factory.mktemp("eval_lab")
    shutil.copy(HERE / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(work / ".config"),
        "JUPYTER_RUNTIME_DIR": str(work / ".runtime"),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={work}", "--allow-root", "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def page(eval_lab: str) -> Iterator:
    """The notebook opened and run: every cell's output on the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            tab = chromium.new_page(viewport={"width": 1400, "height": 1100})
            dialogs: list[str] = []
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            tab.goto(f"{eval_lab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
            tab.wait_for_selector(".jp-Notebook", timeout=90_000)
            accept = tab.locator(".jp-Dialog .jp-mod-accept")
            if accept.count():
                accept.first.click()
            tab.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
            )
            for attempt in range(2):  # "Run All" fired too early can do nothing: try once more
                tab.get_by_role("menuitem", name="Run", exact=True).click()
                tab.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                try:
                    tab.wait_for_selector(".jp-OutputArea-output", timeout=60_000)
                    break
                except Exception:
                    if attempt:
                        raise
            try:
                tab.wait_for_selector(".clarinb-compare .js-plotly-plot", timeout=240_000)
            except Exception:
                tab.screenshot(path=str(Path(tempfile.gettempdir()) / "eval_views_failed.png"))
                raise
            tab.wait_for_timeout(2000)  # let the last plots finish drawing
            yield tab
            assert dialogs == []
        finally:
            chromium.close()


def _shot(page, selector: str, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    element = page.locator(selector).first
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    element.screenshot(path=str(IMAGES / name))


_Z = (
    "() => { const gd = document.querySelector('.clarinb-confusion .js-plotly-plot');"
    " return JSON.stringify(gd && gd.data && gd.data[0] ? gd.data[0].z : null); }"
)


def _expected_matrix(threshold: float):
    """The demo evaluation's matrix at a threshold, computed here with clarinb.metrics."""
    from clarinb import metrics
    from clarinb.emulator import serve

    with serve(data="demo") as emulator:
        client = emulator.client()
        for eid in client.evaluations()["id"]:
            ev = client.evaluation(eid)
            if ev.kind == "classifier" and ev.model_id.startswith("animals"):
                return metrics.confusion_matrix(ev.test_set(), threshold=threshold)
    raise AssertionError("the demo has no animals classifier")


def test_confusion_threshold_by_keyboard_and_cell_click(page) -> None:
    plot = ".clarinb-confusion .js-plotly-plot"
    page.wait_for_selector(plot)
    page.wait_for_function(f"() => ({_Z})() !== 'null'")
    _shot(page, ".clarinb-confusion", "confusion.png")
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
    _shot(page, ".clarinb-confusion", "confusion_drilldown.png")


def test_every_view_renders(page) -> None:
    for selector, image in [
        (".clarinb-curves", "curves.png"),
        (".clarinb-thresholds", "thresholds.png"),
        (".clarinb-explorer", "explorer.png"),
        (".clarinb-compare", "compare.png"),
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
    tabs = page.locator(".clarinb-explorer .lm-TabBar-tab").all_inner_texts()
    assert [t.strip() for t in tabs[:5]] == [
        "Summary",
        "Confusion",
        "Curves",
        "Thresholds",
        "Test set",
    ]
