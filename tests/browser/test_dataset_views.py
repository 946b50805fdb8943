"""The dataset and detection views in a real JupyterLab, driven by headless Chromium.

Each notebook starts the emulator's demo workspace in its kernel. The test
waits for the plots, interacts (a click on a concept bar, an IoU picked in a
dropdown, the next input), checks that the plotted data changed as it should,
and saves screenshots to ``docs/images/``.
"""

from __future__ import annotations

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
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

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
TOKEN = "clarinb-browser-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[str]:
    """A JupyterLab serving a copy of the notebooks; yields its base URL."""
    work = tmp_path_factory.mktemp("lab")
    for notebook in (HERE / "notebooks").glob("ds_*.ipynb"):
        shutil.copy(notebook, work / notebook.name)
    # render every cell's output, not only those in view, so all plots are in the page
    settings = work / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = _free_port()
    env = {
        "JUPYTERLAB_SETTINGS_DIR": str(work / ".settings"),
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
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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
def browser() -> Iterator:

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _run_notebook(browser, lab: str, name: str, plots: int):
    page = browser.new_page(viewport={"width": 1300, "height": 2400})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # a workspace of its own, so that no other notebook is restored next to this one
    workspace = Path(name).stem.replace("_", "-")
    page.goto(f"{lab}/lab/workspaces/{workspace}/tree/{name}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:  # a kernel-choice dialog may come up
        accept.first.wait_for(timeout=5_000)
        accept.first.click()
    except PlaywrightTimeout:
        pass
    # the kernel is connected and idle (the indicator alone can read idle too early)
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for(timeout=90_000)
    page.wait_for_timeout(2000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot').length >= {plots}",
            timeout=180_000,
        )
    except Exception:
        page.screenshot(path=str(Path(tempfile.gettempdir()) / f"{name}.failed.png"))
        raise
    page.wait_for_timeout(1500)  # let the last plot finish drawing
    return page, dialogs


def _data(page, plot: int, trace: int, key: str):
    return page.evaluate(
        "([p, t, k]) => Array.from("
        "document.querySelectorAll('.js-plotly-plot')[p].data[t][k] || [])",
        [plot, trace, key],
    )


def _changed(page, plot: int, trace: int, key: str, before) -> None:
    page.wait_for_function(
        "([p, t, k, b]) => JSON.stringify(Array.from("
        "document.querySelectorAll('.js-plotly-plot')[p].data[t][k] || [])) !== JSON.stringify(b)",
        arg=[plot, trace, key, before],
        timeout=30_000,
    )


def _output(page, index: int):
    """The ``index``-th cell output that holds a plot (a view's widget)."""
    return page.locator(".jp-OutputArea-output", has=page.locator(".js-plotly-plot")).nth(index)


def _shot(page, index: int, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    output = _output(page, index)
    output.scroll_into_view_if_needed()
    output.screenshot(path=str(IMAGES / name))


def test_metrics_groups_and_version_diff(lab, browser):
    page, dialogs = _run_notebook(browser, lab, "ds_metrics_groups.ipynb", plots=2)
    try:
        concepts = _data(page, 0, 0, "x")
        per_input = _data(page, 0, 2, "y")
        assert len(concepts) == 15
        _shot(page, 0, "metrics_groups.png")
        # click the first concept's bar: the view drills into that concept's groups
        bar = page.locator(".js-plotly-plot").first.locator(".bars .point path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
        page.mouse.move(x, y)  # plotly clicks the hovered point
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        _changed(page, 0, 2, "y", per_input)
        drilled = _data(page, 0, 2, "y")
        assert sum(drilled) < sum(per_input)
        assert concepts[0] in _output(page, 0).inner_text()
        # the diff view: show input types instead of concepts
        deltas = _data(page, 1, 2, "x")
        _output(page, 1).locator("select").first.select_option("INPUT_TYPE")
        _changed(page, 1, 2, "x", deltas)
        assert set(_data(page, 1, 2, "x")) <= {"image", "video", "text", "audio"}
        _shot(page, 1, "version_diff.png")
        assert dialogs == []
    finally:
        page.close()


def test_detection_views(lab, browser):
    page, dialogs = _run_notebook(browser, lab, "ds_detection.ipynb", plots=2)
    try:
        bars = _data(page, 0, 1, "y")
        _output(page, 0).locator("select").first.select_option(label="0.9")
        _changed(page, 0, 1, "y", bars)
        at_90 = _data(page, 0, 1, "y")
        assert sum(v for v in at_90 if v is not None) < sum(v for v in bars if v is not None)
        _shot(page, 0, "detection.png")
        browser_output = _output(page, 1)
        boxes = _data(page, 1, 0, "x")
        assert any(v is not None for v in boxes)
        image = page.evaluate(
            "() => document.querySelectorAll('.js-plotly-plot')[1].layout.images[0].source"
        )
        assert image.startswith("data:image/png;base64,")
        _shot(page, 1, "detection_browser.png")
        browser_output.get_by_role("button", name="Next").click()
        _changed(page, 1, 0, "x", boxes)
        assert dialogs == []
    finally:
        page.close()
