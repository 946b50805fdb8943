"""Timing the first plot a page shows, in JupyterLab and in Voila (for ``bench_browser.py``).

The servers and the page helpers are the browser tests' own
(``tests/browser/browser_helpers.py``); this module adds what only timing
needs: notebooks written from cell sources, one cell run with the moment it
was started, and the moment the first plot is visible, both read from the
page's own clock (``performance.now()``, checked on every animation frame).

A plot is *visible* when a ``.js-plotly-plot`` has drawn its traces
(``_fullData`` and an SVG) and takes up room on screen: a plot in a hidden tab
or a static copy hidden by CSS does not count.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import _util  # noqa: F401 - puts the repository on sys.path

from tests.browser.browser_helpers import (
    NOTEBOOK,
    JupyterLab,
    jupyter_env,
    new_page,
    stop_group,
)

__all__ = [
    "VISIBLE_PLOT_JS",
    "lab_cell_to_plot",
    "lab_pick_to_plot",
    "launch_to_plot",
    "shut_down_kernels",
    "write_notebook",
    "clarinb_command",
]

#: ``performance.now()`` once a plot is visible (in the ``i``-th element matching
#: ``scope``, or anywhere when ``scope`` is empty), else ``false``.
VISIBLE_PLOT_JS = """([scope, i]) => {
  const root = scope ? document.querySelectorAll(scope)[i] : document;
  for (const g of root ? root.querySelectorAll('.js-plotly-plot') : []) {
    const r = g.getBoundingClientRect();
    if (g._fullData && g._fullData.length && g.querySelector('.main-svg')
        && g.offsetParent !== null && r.width > 0 && r.height > 0) {
      return performance.now();
    }
  }
  return false;
}"""

#: Whether the ``i``-th cell has started (``[*]``) or, with ``done``, finished (``[n]``).
_CELL_JS = """([sel, i, done]) => {
  const cell = document.querySelectorAll(sel)[i];
  const prompt = cell && cell.querySelector('.jp-InputPrompt');
  return !!prompt && (done ? /\\[\\d+\\]/ : /\\[(\\*|\\d+)\\]/).test(prompt.textContent);
}"""


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write a notebook of code cells (no outputs) to ``path``; return the path."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src, id=f"cell-{i}") for i, src in enumerate(cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path.write_text(nbformat.writes(nb))
    return path


def lab_cell_to_plot(
    browser: Any, lab: JupyterLab, notebook: Path, timeout: float = 120.0
) -> tuple[float, float]:
    """Seconds from running a notebook's last cell to its first visible plot, in JupyterLab.

    The notebook opens in a fresh kernel; every cell but the last runs first
    (untimed, one after the other), then the last one is run and timed.

    Returns
    -------
    (float, float)
        Seconds until the kernel finished the cell (its prompt shows a
        number), and until the first plot of its output was visible.
    """
    opened = lab.open(browser, notebook, run_all=False, plots=0)
    page = opened.page
    cells = f"{NOTEBOOK} .jp-Notebook .jp-Cell"
    try:
        count = len(json.loads(notebook.read_text())["cells"])
        page.wait_for_function(  # JupyterLab draws the cells a little after the notebook
            "([sel, n]) => document.querySelectorAll(sel).length >= n",
            arg=[cells, count],
            timeout=timeout * 1000,
        )
        for i in range(count - 1):
            _run_cell(page, cells, i)
            page.wait_for_function(_CELL_JS, arg=[cells, i, True], timeout=timeout * 1000)
        start = _run_cell(page, cells, count - 1)
        try:
            shown = page.wait_for_function(
                VISIBLE_PLOT_JS, arg=[cells, count - 1], polling="raf", timeout=timeout * 1000
            ).json_value()
        except Exception as exc:  # Playwright's TimeoutError: say what the cell shows
            text = page.locator(cells).nth(count - 1).inner_text()[-800:]
            raise RuntimeError(
                f"{notebook.name}: no plot within {timeout:.0f} s; cell: {text}"
            ) from exc
        done = page.wait_for_function(
            f"(a) => ({_CELL_JS})(a) && performance.now()",
            arg=[cells, count - 1, True],
            polling="raf",
            timeout=timeout * 1000,
        ).json_value()
        return (float(done) - start) / 1000, (float(shown) - start) / 1000
    finally:
        opened.close()


#: Mark the plots shown now, so that :data:`NEW_PLOT_JS` waits for another one.
_MARK_PLOTS_JS = """([sel, i]) => {
  for (const g of document.querySelectorAll(sel)[i].querySelectorAll('.js-plotly-plot')) {
    g.__clarinbOld = true;
  }
}"""
#: ``performance.now()`` once a plot not marked by :data:`_MARK_PLOTS_JS` is visible.
NEW_PLOT_JS = VISIBLE_PLOT_JS.replace("g._fullData &&", "!g.__clarinbOld && g._fullData &&")


def lab_pick_to_plot(
    browser: Any, lab: JupyterLab, notebook: Path, pick: str, timeout: float = 120.0
) -> float:
    """Seconds from picking ``pick`` in the first drop-down of the last cell to its new plot.

    The notebook runs in a fresh kernel first (untimed) and its last cell's
    first plot is awaited; then the option labelled ``pick`` is chosen, as a
    user switching model in the explorer would, and the clock runs until a
    plot other than the ones shown before is visible.
    """
    opened = lab.open(browser, notebook, run_all=False, plots=0)
    page = opened.page
    cells = f"{NOTEBOOK} .jp-Notebook .jp-Cell"
    try:
        count = len(json.loads(notebook.read_text())["cells"])
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length >= n",
            arg=[cells, count],
            timeout=timeout * 1000,
        )
        for i in range(count):
            _run_cell(page, cells, i)
            page.wait_for_function(_CELL_JS, arg=[cells, i, True], timeout=timeout * 1000)
        page.wait_for_function(
            VISIBLE_PLOT_JS, arg=[cells, count - 1], polling="raf", timeout=timeout * 1000
        )
        page.evaluate(_MARK_PLOTS_JS, [cells, count - 1])
        start = float(page.evaluate("() => performance.now()"))
        page.locator(cells).nth(count - 1).locator("select").first.select_option(label=pick)
        shown = page.wait_for_function(
            NEW_PLOT_JS, arg=[cells, count - 1], polling="raf", timeout=timeout * 1000
        ).json_value()
        return (float(shown) - start) / 1000
    finally:
        opened.close()


def _run_cell(page: Any, cells: str, i: int, attempts: int = 5) -> float:
    """Run the ``i``-th cell with Ctrl+Enter; return the page's clock when the key was pressed.

    A key pressed while JupyterLab is still settling can be lost: the cell is
    tried again (and the clock taken again) until its prompt shows it started.
    """
    for _ in range(attempts):
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():  # a kernel choice or notice raised late: accept it
            dialog.first.click()
        page.locator(cells).nth(i).locator(".jp-InputArea-editor").click()
        start = float(page.evaluate("() => performance.now()"))
        page.keyboard.press("Control+Enter")
        try:
            page.wait_for_function(_CELL_JS, arg=[cells, i, False], timeout=10_000)
            return start
        except Exception:  # Playwright's TimeoutError: the key was lost, press it again
            continue
    raise RuntimeError(f"cell {i} never started")


def shut_down_kernels(lab: JupyterLab) -> None:
    """Shut down every kernel of the JupyterLab server (each timed run starts a fresh one)."""
    base, token = lab.url, lab.token
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as r:
        sessions = json.loads(r.read())
    for session in sessions:
        request = urllib.request.Request(
            f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()


def launch_to_plot(
    browser: Any, command: list[str], home: Path, timeout: float = 120.0
) -> tuple[float, float]:
    """Launch a server command that prints its URL; time the launch to the first visible plot.

    The command (``clarinb demo ...``) runs in its own process group with
    Jupyter folders under ``home``; as soon as it prints a line holding
    ``http://`` the page is opened, as a user clicking the printed URL would.
    The server is stopped with Ctrl-C (SIGINT), then its whole group.

    Returns
    -------
    (float, float)
        Seconds from launch to the printed URL, and from launch to the first visible plot.
    """
    env = jupyter_env(home)
    env.pop("CLARIFAI_PAT", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=home, text=True,
    )  # fmt: skip
    url: list[str] = []
    lines: list[str] = []
    printed = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if not url and "http://" in line:
                url.append(line[line.index("http://") :].split()[0])
                printed.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    opened = None
    try:
        if not printed.wait(timeout):
            raise RuntimeError(f"{command[-3:]} printed no URL in {timeout:.0f} s: {lines[-3:]}")
        at_url = time.perf_counter() - start
        opened = new_page(browser, height=1100)
        opened.page.goto(url[0], wait_until="commit", timeout=timeout * 1000)
        opened.page.wait_for_function(
            VISIBLE_PLOT_JS, arg=["", 0], polling="raf", timeout=timeout * 1000
        )
        return at_url, time.perf_counter() - start
    finally:
        if opened is not None:
            opened.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop_group(proc)  # type: ignore[arg-type]
        reader.join(timeout=5)


def clarinb_command(*args: str) -> list[str]:
    """Return the ``clarinb`` command line run with this interpreter and the repository's code."""
    return [sys.executable, "-m", "clarinb.cli", *args]
