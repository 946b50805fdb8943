"""``clarinb demo``: the evaluation explorer on the demo workspace, served by Voila.

One emulator runs in this process; Voila runs a small dashboard notebook whose
kernel reaches the emulator through the usual ``CLARIFAI_*`` variables, as it
would the real API. Works without a display: open the printed URL in any
browser. Ctrl-C, SIGTERM or SIGHUP (a closed terminal) stop Voila (its whole
process group) and the emulator at any moment, start-up included.

Start-up is arranged for the first plot to come soon (see
:mod:`clarinb.cli._voila`): Voila starts first, with a preheated kernel that
runs the dashboard before the page is asked for, while this process builds
the demo workspace; the URL is printed once that kernel runs. ``--notebook``
serves another notebook the same way (the benchmark's bare-figure baseline).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from clarinb._atomic import write_text
from clarinb._deferred import defer_slow_imports
from clarinb._process import StopSignals, port_open, stop_group, stop_signals
from clarinb.cli._voila import PREHEAT_WAIT, PREHEATED, voila_command
from clarinb.errors import ConfigError

__all__ = ["add_parser", "dashboard_notebook", "run"]

DASHBOARD_CELLS = [
    "# clarinb: evaluation explorer (demo workspace)",
    "import clarinb\n\nclient = clarinb.connect()",
    "from clarinb import EvaluationExplorer\n\nEvaluationExplorer(client)",
]
START_TIMEOUT = 120.0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``demo`` and its options."""
    parser = subparsers.add_parser(
        "demo",
        help="serve the evaluation explorer on the demo workspace (Voila)",
        description=(
            "Start the local emulator with the generated demo workspace and serve the "
            "evaluation explorer with Voila; print its URL and run until Ctrl-C."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (%(default)s)")
    parser.add_argument("--port", type=int, default=8866, help="dashboard port (%(default)s)")
    parser.add_argument(
        "--notebook",
        default=None,
        metavar="FILE",
        help="serve this notebook against the demo workspace instead of the explorer",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="start everything, check that the dashboard page answers, stop and exit 0",
    )
    parser.set_defaults(run=run)
    return parser


def dashboard_notebook(folder: Path) -> Path:
    """Write the dashboard notebook into ``folder``; return its path."""
    import nbformat  # noqa: PLC0415 - only needed here

    cells = [nbformat.v4.new_markdown_cell(DASHBOARD_CELLS[0], id="title")]
    cells += [
        nbformat.v4.new_code_cell(src, id=f"code-{i}") for i, src in enumerate(DASHBOARD_CELLS[1:])
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return write_text(folder / "clarinb-demo.ipynb", nbformat.writes(nb))


def _notebook(args: argparse.Namespace, folder: Path) -> Path:
    """Return the notebook to serve, written (or copied) into ``folder``."""
    if args.notebook is None:
        return dashboard_notebook(folder)
    source = Path(args.notebook)
    try:
        return write_text(folder / source.name, source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read --notebook {source}: {exc}") from None


def _check_args(args: argparse.Namespace) -> None:
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, not {args.port}.")
    if importlib.util.find_spec("voila") is None:
        raise ConfigError("the demo needs Voila: install it with 'pip install voila'.")
    with socket.socket() as s:
        try:
            s.bind((args.host, args.port))
        except OSError as exc:
            raise ConfigError(
                f"cannot serve on {args.host}:{args.port} ({exc.strerror}); pick another --port."
            ) from None


def _start_voila(notebook: Path, args: argparse.Namespace, env: dict[str, str]) -> Any:
    home = notebook.parent
    command, folders = voila_command(notebook, args.host, args.port, home)
    with (home / "voila.log").open("wb") as log:  # the child's own output stream
        return subprocess.Popen(
            command,
            env={**env, **folders},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=home,
            start_new_session=True,
        )


def _start_emulator(port: int, pat: str) -> Any:
    from clarinb.emulator import serve  # noqa: PLC0415 - keeps `clarinb --help` fast

    try:
        return serve(data="demo", port=port, pat=pat)
    except OSError as exc:
        raise ConfigError(f"cannot start the emulator on port {port}: {exc}") from None


def _wait_ready(proc: Any, args: argparse.Namespace, log: Path) -> None:
    """Wait until Voila answers and its preheated kernel has started (or a while has passed).

    A page asked for before the pool's kernel has started gets a kernel of its
    own, started and run from the beginning, beside the preheated one.
    """
    deadline = time.monotonic() + START_TIMEOUT
    answered = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise ConfigError(f"Voila exited with code {proc.returncode}: {tail[0]}")
        if answered is None and port_open(args.port, args.host):
            answered = time.monotonic()
        if answered is not None and (
            PREHEATED in log.read_text(errors="replace")
            or time.monotonic() - answered > PREHEAT_WAIT
        ):
            return
        time.sleep(0.1)
    raise ConfigError(f"Voila did not answer on port {args.port} within {START_TIMEOUT:.0f} s.")


def _check_page(url: str, expected: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            page = response.read().decode("utf-8", "replace")
    except OSError as exc:
        raise ConfigError(f"the dashboard at {url} did not answer: {exc}") from None
    if expected not in page:
        raise ConfigError(f"the page at {url} is not the notebook served ({expected!r} missing).")


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Serve the demo until Ctrl-C (or ``stop`` is set); with ``--check``, verify and exit.

    SIGINT, SIGTERM and SIGHUP stop everything at any moment: their handlers
    are installed before anything starts, and Voila runs in its own process
    group, which is stopped as a whole.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options (``host``, ``port``, ``check``, ``notebook``).
    stop : threading.Event, optional
        Stops serving when set.

    Returns
    -------
    int
        The exit code: 0 when the demo ran and was stopped (or the check passed).

    Raises
    ------
    ConfigError
        When Voila is missing, the port is taken or a server does not start.
    """
    with stop_signals() as guard:
        try:
            return _run(args, stop or threading.Event(), guard)
        except KeyboardInterrupt:
            print("clarinb demo: stopped.", file=sys.stderr)
            return 0


def _run(args: argparse.Namespace, event: threading.Event, guard: StopSignals) -> int:
    _check_args(args)
    defer_slow_imports()  # this process writes the notebook with nbformat, hence jsonschema
    from clarinb.emulator.demo._catalog import APP_ID, USER_ID  # noqa: PLC0415

    emulator = None
    proc = None
    tmp = Path(tempfile.mkdtemp(prefix="clarinb-demo-"))
    try:
        # Voila (and its preheated kernel) start first; the emulator's workspace is
        # built meanwhile, at an address and token chosen now for the kernel to use.
        api_port, pat = _free_port(), secrets.token_hex(16)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
        env.update(
            CLARIFAI_API_BASE=f"http://127.0.0.1:{api_port}",
            CLARIFAI_PAT=pat,
            CLARIFAI_USER_ID=USER_ID,
            CLARIFAI_APP_ID=APP_ID,
        )
        notebook = _notebook(args, tmp)
        with guard.hold():
            proc = _start_voila(notebook, args, env)
        emulator = _start_emulator(api_port, pat)
        _wait_ready(proc, args, tmp / "voila.log")
        url = f"http://{args.host}:{args.port}/"
        if args.check:
            _check_page(url, "clarinb" if args.notebook is None else Path(args.notebook).stem)
            print(f"clarinb demo: the explorer answered at {url}", flush=True)
            return 0
        print(
            f"clarinb demo: the evaluation explorer is at {url}\n"
            f"  (API emulator at {emulator.url}, demo workspace)\nPress Ctrl-C to stop.",
            flush=True,
        )
        while not event.wait(0.5):
            if proc.poll() is not None:
                raise ConfigError(f"Voila stopped unexpectedly (exit code {proc.returncode}).")
        return 0
    finally:
        with guard.hold(then_stop=False):
            if proc is not None:
                stop_group(proc)
            if emulator is not None:
                emulator.stop()
            shutil.rmtree(tmp, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
