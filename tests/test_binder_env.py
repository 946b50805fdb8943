"""The Binder environment, built from the ``binder/`` files alone, runs every notebook.

The repository's files (as git sees them) are copied to a temporary folder, a
fresh virtual environment gets ``binder/requirements.txt``, ``binder/postBuild``
runs there (installing clarinb from the copy) and the notebooks execute with
nbclient in that environment, through ``binder/start``, with no Clarifai
token. pip's cache keeps this to a few minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))

RUNNER = """
import json, sys
import nbformat
from nbclient import NotebookClient

results = {}
for name in sys.argv[2:]:
    nb = nbformat.read(f"notebooks/{name}", as_version=4)
    check = "import sys, clarinb\\nprint(sys.prefix)\\nprint(clarinb.__file__)"
    nb.cells.append(nbformat.v4.new_code_cell(check))
    resources = {"metadata": {"path": "notebooks"}}  # run where Jupyter would, as on Binder
    NotebookClient(nb, timeout=600, kernel_name="python3", resources=resources).execute()
    prefix, package = nb.cells[-1].outputs[0]["text"].split()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    results[name] = {"prefix": prefix, "package": package, "errors": len(errors)}
with open(sys.argv[1], "w") as f:
    json.dump(results, f)
"""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)
    assert done.returncode == 0, f"{cmd[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def binder_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files (tracked or new, not ignored) in a temporary folder."""
    listed = _run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT
    ).stdout
    copy = tmp_path_factory.mktemp("binder") / "repo"
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / rel)
    return copy


def test_binder_files_exist_and_are_executable() -> None:
    binder = ROOT / "binder"
    assert (binder / "requirements.txt").is_file()
    for script in ("postBuild", "start"):
        path = binder / script
        assert path.read_text().startswith("#!/usr/bin/env bash")
        assert os.access(path, os.X_OK), f"binder/{script} must be executable"
    start = (binder / "start").read_text()
    assert 'exec "$@"' in start
    assert "unset CLARIFAI_PAT" in start


def test_fresh_environment_runs_every_notebook(binder_copy: Path) -> None:
    env_dir = binder_copy.parent / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLARIFAI_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["CLARIFAI_PAT"] = "must-be-dropped-by-binder-start"  # start removes it
    home = binder_copy.parent / "jupyter"
    env["JUPYTER_DATA_DIR"] = str(home / "data")  # only the new environment's kernel
    env["JUPYTER_CONFIG_DIR"] = str(home / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    env["IPYTHONDIR"] = str(home / "ipython")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet"]
    pip += ["--disable-pip-version-check"]
    _run([*pip, "-r", "binder/requirements.txt"], cwd=binder_copy, env=env)
    _run(["bash", "binder/postBuild"], cwd=binder_copy, env=env)
    settings = env_dir / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(settings.read_text())["@jupyterlab/apputils-extension:notification"]
    out = binder_copy.parent / "results.json"
    runner = binder_copy.parent / "runner.py"
    runner.write_text(RUNNER)
    command = ["binder/start", "python", str(runner), str(out), *NOTEBOOKS]
    _run(command, cwd=binder_copy, env=env, timeout=1800)
    results = json.loads(out.read_text())
    assert sorted(results) == NOTEBOOKS
    for name, result in results.items():
        assert result["errors"] == 0, name
        assert Path(result["prefix"]).resolve() == env_dir.resolve(), name
        # clarinb was installed into the new environment, not imported from a source tree
        assert Path(result["package"]).resolve().is_relative_to(env_dir.resolve()), name
