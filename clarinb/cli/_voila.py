"""Starting Voila for ``clarinb demo`` so that the first plot comes quickly.

Three things make the dashboard's first plot wait, and each is dealt with here:

* **Kernel work after the page is asked for.** Voila normally starts a kernel
  and runs the notebook only when the page is requested. With
  ``--preheat_kernel`` it starts one kernel as soon as the server starts and
  runs the notebook in it, so the page is rendered (or half-way) by the time
  a browser asks. After a page takes the kernel, the pool is refilled only
  after :data:`REFILL_DELAY` seconds: a second kernel running the notebook
  straight away would compete with the browser drawing the first page.
* **A slow optional import.** ``jsonschema`` imports ``rfc3987_syntax`` when it
  is installed (it checks the ``iri`` formats), and that package builds an
  Earley parser from its grammar on import: about 2 s of CPU per process
  (6 s of waiting when the cores are busy). Voila's server imports ``jsonschema`` (through
  ``jupyter_events`` and ``nbformat``), and so does every kernel that imports
  plotly's widgets (plotly imports ``nbformat``). Neither the demo's server nor
  its kernels validate ``iri`` formats, so both start with the module marked
  absent (:func:`skip_slow_imports`): jsonschema then leaves those two format
  checks out, as it does when the package is not installed.
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
    "SLOW_OPTIONAL_MODULES",
    "skip_slow_imports",
    "voila_command",
]

#: Modules that are optional to the libraries importing them and slow to import.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)
#: Seconds before Voila starts another kernel once a page has taken the preheated one.
REFILL_DELAY = 15.0
#: What Voila logs once its preheated kernel has started (and runs the notebook).
#: A page asked for before then is not served from that kernel.
PREHEATED = "is filled with"
#: Seconds to wait for :data:`PREHEATED` once the port answers, before going on without it.
PREHEAT_WAIT = 30.0

_SKIP = "from clarinb.cli._voila import skip_slow_imports\nskip_slow_imports()\n"
_MAIN = _SKIP + "from voila.app import main\nmain()\n"


def skip_slow_imports() -> None:
    """Mark :data:`SLOW_OPTIONAL_MODULES` absent in this process, unless already imported.

    An ``import`` of a module set to ``None`` in :data:`sys.modules` raises
    :class:`ImportError`, which the libraries importing these optional
    modules expect and handle.
    """
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


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
