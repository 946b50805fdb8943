"""Shared fixtures for the browser tests: one Chromium, one JupyterLab, Voila on demand.

Every test here drives Debian's ``/usr/bin/chromium`` with Playwright's Python
package (never ``playwright install``) and is marked ``@pytest.mark.browser``.
Start-up is expensive (20-30 s for JupyterLab), so the servers and the browser
are **session-scoped**: keep browser tests few and purposeful, and open
several notebooks in the one server.

Fixtures
--------
``browser``
    A Playwright ``Browser`` (headless Chromium, launched as root, no network
    services). ``browser_helpers.new_page(browser)`` gives an ``OpenPage``
    whose ``dialogs`` list records every ``alert()`` (assert it stays empty).
``jupyter_lab``
    A ``JupyterLab`` (``url``, ``token``, ``root``) started once per session
    with its own config, runtime and IPython folders. ``jupyter_lab.open(browser,
    PATH, plots=N)`` copies the notebook in, opens it, waits for an idle
    kernel, runs all cells from the Run menu and waits for ``N`` plotly plots;
    it returns an ``OpenPage`` (close it when done).
``voila``
    A function ``voila(PATH) -> URL`` serving a notebook with Voila; every
    server started is stopped at the end of the session. Opening the URL runs
    the notebook in a fresh kernel.

Page helpers (``from browser_helpers import ...``)
---------------------------------------------------
``wait_for_plots(page, n)``, ``plot_data(page, "z", plot=0, trace=0,
within=".my-view")``, ``wait_plot_changed(page, "z", before, ...)``,
``press_slider(page, within=".my-view", presses=5)`` (keyboard on the
ipywidgets handle) and ``screenshot(locator_or_page, "name")`` (writes
``docs/images/name.png``).

Notes for view authors
----------------------
- In Voila, layout set with ``FigureWidget.update_layout()`` before display is
  lost: pass ``layout=`` to the ``go.FigureWidget(...)`` constructor.
- Give each view's outer box a CSS class (``.clarinb-<view>``) so a test can
  scope its selectors with ``within=``.
- Kernels here never see ``CLARIFAI_PAT``: notebooks connect to the emulator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, JupyterLab, start_lab, start_voila, stop_group


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright, shared by the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """One JupyterLab server for the session; stopped (its whole process group) at the end."""
    lab, proc = start_lab(tmp_path_factory.mktemp("jupyter_lab"))
    try:
        yield lab
    finally:
        stop_group(proc)


@pytest.fixture(scope="session")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], str]]:
    """Serve a notebook with Voila: ``url = voila(path)``; all servers stop at session end."""
    home = tmp_path_factory.mktemp("voila")
    procs: list[Any] = []

    def serve(notebook: Path) -> str:
        url, proc = start_voila(Path(notebook).resolve(), home)
        procs.append(proc)
        return url

    try:
        yield serve
    finally:
        for proc in procs:
            stop_group(proc)
