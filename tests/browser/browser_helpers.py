"""Servers and page helpers for the browser tests (the fixtures live in ``conftest.py``).

Import what you need in a browser test module with
``from browser_helpers import plot_data, press_slider, ...``: this folder has
no ``__init__.py``, so pytest puts it on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarinb._process import port_open, stop_group

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BIN = Path(sys.executable).parent
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def jupyter_env(home: Path) -> dict[str, str]:
    """The environment for a Jupyter server with its own config, runtime and IPython folders."""
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("CLARIFAI_PAT", None)  # notebooks under test use the emulator, never a real account
    return env


def wait_until(ready: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    """Poll ``ready()`` for up to two minutes; raise if the process exits or time runs out."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before it was ready")
        if ready():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{what} was not ready within two minutes")


@dataclass
class OpenPage:
    """A browser page and the messages of every JavaScript dialog it raised (all dismissed)."""

    page: Any
    dialogs: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Close the page."""
        self.page.close()


def new_page(browser: Any, width: int = 1400, height: int = 1000) -> OpenPage:
    """Open a page that records and dismisses every ``alert``/``confirm``/``prompt``."""
    page = browser.new_page(viewport={"width": width, "height": height})
    opened = OpenPage(page)

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


@dataclass
class JupyterLab:
    """One running JupyterLab server: its URL, token and root folder."""

    url: str
    token: str
    root: Path

    def add(self, notebook: Path | str, name: str | None = None) -> str:
        """Copy a notebook into the server's root; return its name there."""
        source = Path(notebook)
        target = name or source.name
        shutil.copy(source, self.root / target)
        return target

    def open(
        self, browser: Any, notebook: Path | str, *, run_all: bool = True, plots: int = 1
    ) -> OpenPage:
        """Open a notebook (copied in first if it is a path outside the root) and run it.

        The notebook opens alone in a fresh JupyterLab workspace named after it.
        Waits for the kernel to be idle, runs every cell through the Run menu
        and waits until at least ``plots`` ``.js-plotly-plot`` elements exist
        (pass ``plots=0`` not to wait for any). Close the returned page when done.
        """
        path = Path(notebook)
        name = path.name if path.parent == self.root or not path.exists() else self.add(path)
        opened = new_page(browser)
        page = opened.page
        # a workspace per notebook, reset: no tab restored from an earlier page joins this one
        workspace = re.sub(r"[^a-z0-9-]", "-", Path(name).stem.lower())
        page.goto(f"{self.url}/lab/workspaces/{workspace}/tree/{name}?reset&token={self.token}")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        if accept.count():
            accept.first.click()
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
        )
        if run_all:
            run_all_cells(page)
        if plots:
            wait_for_plots(page, plots, within=NOTEBOOK)
        return opened


_STARTED_JS = """() => Array.from(document.querySelectorAll('.jp-InputPrompt'))
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""


def run_all_cells(page: Any, attempts: int = 6) -> None:
    """Run every cell from the Run menu, retrying until a cell has started.

    "Run All Cells" fired while the kernel is still connecting can do nothing;
    a retry only happens when no cell shows ``[*]`` or an execution count yet.
    """
    for _ in range(attempts):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(_STARTED_JS, timeout=10_000)
            return
        except Exception:  # Playwright's TimeoutError: try the menu again
            page.keyboard.press("Escape")
    raise RuntimeError("Run All Cells never started a cell")


def start_lab(home: Path, token: str = "clarinb-browser-tests") -> tuple[JupyterLab, Any]:
    """Start JupyterLab in its own process group; return it and the process."""
    root = home / "root"
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log = (home / "lab.log").open("wb")
    proc = subprocess.Popen(
        command, env=jupyter_env(home), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=root,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    try:
        wait_until(ready, proc, "JupyterLab")
    except BaseException:
        stop_group(proc)
        raise
    return JupyterLab(url, token, root), proc


def start_voila(notebook: Path, home: Path, port: int | None = None) -> tuple[str, Any]:
    """Serve one notebook with Voila in its own process group; return its URL and the process.

    Readiness is checked on the TCP port only: every page load starts a kernel.
    """
    port = port or free_port()
    command = [
        str(BIN / "voila"), str(notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--ServerApp.allow_root=True",
    ]  # fmt: skip
    log = (home / f"voila-{port}.log").open("wb")
    proc = subprocess.Popen(
        command, env=jupyter_env(home), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=notebook.parent,
    )  # fmt: skip
    try:
        wait_until(lambda: port_open(port), proc, "Voila")
    except BaseException:
        stop_group(proc)
        raise
    return f"http://127.0.0.1:{port}/", proc


#: The notebook shown in a JupyterLab page: scope DOM look-ups to it, so that a
#: panel restored from another notebook never answers for this one.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def wait_for_plots(page: Any, count: int = 1, timeout: int = 240_000, *, within: str = "") -> None:
    """Wait until ``count`` plotly plots (under ``within``) have data, then let them draw."""
    page.wait_for_function(
        "([n, sel]) => { const p = document.querySelectorAll(sel);"
        " return p.length >= n && Array.from(p).slice(0, n).every(g => g.data); }",
        arg=[count, f"{within} .js-plotly-plot".strip()],
        timeout=timeout,
    )
    page.wait_for_timeout(1000)


_DATA_JS = """([sel, p, t, k]) => {
  const plot = document.querySelectorAll(sel)[p];
  let value = plot && plot.data && plot.data[t] ? plot.data[t][k] : undefined;
  if (value && value.bdata !== undefined && plot._fullData && plot._fullData[t]) {
    value = plot._fullData[t][k];  // base64-encoded arrays are decoded in _fullData only
  }
  return JSON.stringify(value === undefined ? null : value,
                        (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));
}"""


def plot_data(page: Any, key: str, *, plot: int = 0, trace: int = 0, within: str = "") -> Any:
    """The plotted ``data[trace][key]`` of the ``plot``-th plotly plot (under ``within``).

    Typed arrays come back as lists, and base64-encoded arrays (as static HTML from
    ``fig.to_html()`` holds them) are read decoded; a missing trace or key gives ``None``.
    """
    selector = f"{within} .js-plotly-plot".strip()
    return json.loads(page.evaluate(_DATA_JS, [selector, plot, trace, key]))


def wait_plot_changed(
    page: Any, key: str, before: Any, *, plot: int = 0, trace: int = 0, within: str = ""
) -> Any:
    """Wait until ``plot_data(...)`` differs from ``before``; return the new value."""
    selector = f"{within} .js-plotly-plot".strip()
    page.wait_for_function(
        f"([args, b]) => ({_DATA_JS})(args) !== JSON.stringify(b)",
        arg=[[selector, plot, trace, key], before],
        timeout=30_000,
    )
    return plot_data(page, key, plot=plot, trace=trace, within=within)


def wait_plot_data(
    page: Any,
    key: str,
    check: Callable[[Any], bool],
    *,
    plot: int = 0,
    trace: int = 0,
    within: str = "",
    timeout: float = 60.0,
) -> Any:
    """Poll ``plot_data(...)`` until ``check(value)`` is true; return the value.

    Use it when a view replaces its plot while reloading (the data passes
    through ``None`` or an intermediate state before the one to assert on).
    """
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = plot_data(page, key, plot=plot, trace=trace, within=within)
        try:
            if check(value):
                return value
        except (TypeError, ValueError, KeyError, IndexError):
            pass
        page.wait_for_timeout(250)
    raise AssertionError(f"plot data {key!r} never passed the check; last value: {value!r}")


def press_slider(page: Any, within: str = "", presses: int = 1, key: str = "ArrowRight") -> None:
    """Move the first ipywidgets slider under ``within`` by pressing ``key`` on its handle."""
    handle = page.locator(f"{within} .widget-slider .noUi-handle".strip()).first
    handle.scroll_into_view_if_needed()
    handle.click()
    for _ in range(presses):
        handle.press(key)


def screenshot(target: Any, name: str) -> Path:
    """Save a screenshot of a page or locator as ``docs/images/<name>.png``.

    Names are deterministic and lower-case (letters, digits, ``-`` and ``_``), so
    each run overwrites the README's images instead of adding new ones.
    """
    if not _NAME.match(name):
        raise ValueError(f"screenshot name {name!r}: use lower-case letters, digits, - and _")
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{name}.png"
    if hasattr(target, "scroll_into_view_if_needed"):
        target.scroll_into_view_if_needed()
    target.screenshot(path=str(path))
    return path
