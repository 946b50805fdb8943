"""Starting Voila for ``clarinb demo`` so that the first plot comes quickly.

Three things make the dashboard's first plot wait, and each is dealt with here:

* **Kernel work after the page is asked for.** Voila normally starts a kernel
  and runs the notebook only when the page is requested. With
  ``--preheat_kernel`` it starts one kernel as soon as the server starts and
  runs the notebook in it, so the page is rendered (or half-way) by the time
  a browser asks. After a page takes the kernel, the pool is refilled only
  after :data:`REFILL_DELAY` seconds: a second kernel running the notebook
  straight away would compete with the browser drawing the first page.
* **A slow optional import.** ``jsonschema`` builds a grammar on import
  (``rfc3987_syntax``, seconds of CPU). Voila's server imports it (through
  ``jupyter_events`` and ``nbformat``), and so does every kernel drawing
  plotly's widgets; both start with it deferred until first used
  (:func:`clarinb._deferred.defer_slow_imports`), which neither the server nor
  the dashboard ever does.
* **Jupyter's folders.** The server and its kernels use their own config,
  runtime and IPython folders under the demo's temporary folder, so the
  user's settings neither slow nor break the demo.
"""

from __future__ import annotations

import sys
from pathlib import Path

from clarinb._atomic import write_text

__all__ = [
    "PREHEATED",
    "PREHEAT_WAIT",
    "REFILL_DELAY",
    "voila_command",
]

#: Seconds before Voila starts another kernel once a page has taken the preheated one.
REFILL_DELAY = 15.0
#: What Voila logs once its preheated kernel has started (and runs the notebook).
#: A page asked for before then is not served from that kernel.
PREHEATED = "is filled with"
#: Seconds to wait for :data:`PREHEATED` once the port answers, before going on without it.
PREHEAT_WAIT = 30.0

_SKIP = "from clarinb._deferred import defer_slow_imports\ndefer_slow_imports()\n"
_MAIN = _SKIP + "from voila.app import main\nmain()\n"


def voila_command(
    notebook: Path, host: str, port: int, home: Path
) -> tuple[list[str], dict[str, str]]:
    """Return the command line serving ``notebook`` with a preheated kernel, and its environment.

    Parameters
    ----------
    notebook : Path
        The notebook to serve.
    host, port : str, int
        Where the dashboard is served.
    home : Path
        A folder of the demo's own, for Jupyter's config, runtime and IPython folders.

    Returns
    -------
    (list of str, dict)
        The command, and the environment variables to add to the server's
        (its kernels inherit them).
    """
    env = {}
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (home / sub).mkdir(exist_ok=True)
        env[var] = str(home / sub)
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    write_text(startup / "00-clarinb-demo.py", _SKIP)
    command = [
        sys.executable, "-c", _MAIN, str(notebook), "--no-browser", f"--port={port}",
        f"--Voila.ip={host}", "--ServerApp.allow_root=True",
        "--preheat_kernel=True", "--pool_size=1",
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY:g}",
    ]  # fmt: skip
    return command, env
