"""How ``clarinb demo`` starts Voila: a preheated kernel, without the slow optional import.

The dashboard's first plot waits on Voila's server and kernel start-up; the
demo serves the notebook from a kernel started (and run) before the page is
asked for, and defers ``rfc3987_syntax`` (seconds to import, optional to
jsonschema) in the server and its kernels until it is used. Timing itself is measured in
``benchmarks/bench_browser.py``; these tests check the behaviour.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import nbformat

from clarinb._deferred import SLOW_OPTIONAL_MODULES
from clarinb.cli._voila import voila_command

PROBE = """\
import json, os, sys
import plotly.graph_objs  # imports nbformat, hence jsonschema
seen = {{
    "preheated": os.environ.get("VOILA_PREHEAT"),
    "slow": [m for m in {slow!r} if type(sys.modules.get(m)).__name__ == "module"],
    "api": os.environ.get("CLARIFAI_API_BASE", ""),
}}
open({out!r}, "w").write(json.dumps(seen))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_a_given_notebook_from_a_preheated_kernel(tmp_path: Path) -> None:
    out = tmp_path / "seen.json"
    notebook = tmp_path / "probe-notebook.ipynb"
    cell = PROBE.format(slow=list(SLOW_OPTIONAL_MODULES), out=str(out))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.write_text(nbformat.writes(nb))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    port = _free_port()
    command = [sys.executable, "-m", "clarinb.cli", "demo", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--notebook", str(notebook), "--check"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stderr
    assert f"answered at http://127.0.0.1:{port}/" in stdout
    seen = json.loads(out.read_text())
    assert seen["preheated"] == "True"
    assert seen["slow"] == []
    assert seen["api"].startswith("http://127.0.0.1:")


def test_the_server_defers_the_slow_import_and_jsonschema_still_checks_iris(tmp_path: Path) -> None:
    command, env = voila_command(tmp_path / "x.ipynb", "127.0.0.1", 8866, tmp_path)
    assert "--preheat_kernel=True" in command
    server_code = command[command.index("-c") + 1]
    assert server_code.endswith("main()\n")
    startup = Path(env["IPYTHONDIR"]) / "profile_default" / "startup" / "00-clarinb-demo.py"
    # the server's start-up and the kernels' start-up file run the same lines first
    code = server_code.replace("from voila.app import main\nmain()\n", "") + (
        "import sys, jsonschema\n"
        f"print([m for m in {list(SLOW_OPTIONAL_MODULES)!r} "
        "if type(sys.modules.get(m)).__name__ == 'module'])\n"
        "checker = jsonschema.FormatChecker()\n"
        "jsonschema.validate('https://example.org/a', {'format': 'iri'}, format_checker=checker)\n"
        "assert not checker.conforms('http://[', 'iri')\n"
    )
    assert startup.read_text() in code
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
