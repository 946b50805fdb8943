"""The example notebooks: committed clean, and every cell runs on the demo emulator.

Each notebook is executed once (module fixture) with nbclient in the project's
kernel, without ``CLARIFAI_PAT``, so ``clarinb.connect()`` starts the emulator.
A last cell, added to the in-memory copy only, writes the emulator's token to a
file so the test can prove no output shows it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = [
    "01-quickstart",
    "02-evaluation-explorer",
    "03-dataset-versions",
    "04-model-comparison",
    "05-detection",
    "06-is-it-really-better",
    "dashboard",
]
WIDGET = "application/vnd.jupyter.widget-view+json"


def _text(output: dict[str, Any]) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return "\n".join(str(data.get(k, "")) for k in ("text/plain", "text/html"))


def execute(path: Path, workdir: Path) -> tuple[nbformat.NotebookNode, str]:
    """Run a notebook's copy in a fresh kernel; return it (outputs filled) and the token."""
    nb = nbformat.read(path, as_version=4)
    token_file = workdir / f"{path.stem}.token"
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import pathlib\npathlib.Path({str(token_file)!r}).write_text("
            "clarinb.connect().settings.pat)"
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARIFAI_")}
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    nb.cells.pop()
    return nb, token_file.read_text()


class Runs(dict):
    """Notebook name -> (executed notebook, token), each run on first use only."""

    def __init__(self, workdir: Path) -> None:
        super().__init__()
        self.workdir = workdir

    def __missing__(self, name: str) -> tuple[Any, str]:
        self[name] = execute(NOTEBOOKS / f"{name}.ipynb", self.workdir)
        return self[name]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("notebooks"))


def outputs(nb: Any) -> list[dict[str, Any]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def widgets(nb: Any) -> int:
    return sum(WIDGET in o.get("data", {}) for o in outputs(nb))


def test_committed_notebooks_are_clean_and_generated() -> None:
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code, name
        assert "clarinb.connect()" in code[0].source, f"{name} must start with clarinb.connect()"
        assert all(not c.outputs and c.execution_count is None for c in code), name
    check = [sys.executable, str(NOTEBOOKS / "make_notebooks.py"), "--check"]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0


def test_no_output_contains_the_token(executed) -> None:
    for name in NAMES:
        nb, token = executed[name]
        assert len(token) >= 16, name
        assert token not in json.dumps(outputs(nb)), name
        assert "local demo emulator" in _text(outputs(nb)[0]), name


def test_quickstart_lists_frames(executed) -> None:
    nb, _ = executed["01-quickstart"]
    texts = [_text(o) for o in outputs(nb)]
    assert any("animals-base-on-v2" in t and "<table" in t for t in texts)
    assert any("visual-detector" in t and "animals-detector" in t for t in texts)
    assert any("v1" in t and "v3" in t for t in texts)
    assert any("macro_avg_roc_auc" in t for t in texts)


def test_view_notebooks_display_widgets(executed) -> None:
    assert widgets(executed["02-evaluation-explorer"][0]) == 4
    assert widgets(executed["03-dataset-versions"][0]) == 3
    assert widgets(executed["05-detection"][0]) == 2
    assert widgets(executed["dashboard"][0]) == 1


def test_comparison_picks_models_with_the_same_concepts(executed) -> None:
    nb, _ = executed["04-model-comparison"]
    texts = [_text(o) for o in outputs(nb)]
    assert any(t.strip() == "['animals-large', 'animals-base', 'animals-mobile']" for t in texts)
    summary = next(t for t in texts if "roc_auc" in t and "animals-mobile" in t)
    assert "avg_precision" in summary
    assert widgets(nb) == 1


def test_detection_summary_has_map(executed) -> None:
    nb, _ = executed["05-detection"]
    summary = next(_text(o) for o in outputs(nb) if "mean_avg_precision_iou_50" in _text(o))
    value = float(summary.split("mean_avg_precision_iou_50")[1].split()[0])
    assert 0 < value <= 1


def _plain(output: dict[str, Any]) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    return str(output.get("data", {}).get("text/plain", ""))


def test_really_better_gives_the_verdicts_label_errors_and_the_night_slice(executed) -> None:
    nb, _ = executed["06-is-it-really-better"]
    texts = [_plain(o) for o in outputs(nb)]
    lines = [line for t in texts for line in t.splitlines()]
    verdicts = [line for line in lines if "paired bootstrap intervals" in line]
    assert verdicts[0].startswith("animals-large beats animals-base on ")
    assert verdicts[1].startswith("animals-large beats animals-mobile on ")
    assert any("given_label" in t and "suggested_label" in t for t in texts)
    slices = next(t for t in texts if "n_inputs" in t and "not night" in t).splitlines()
    night, rest = slices[1].split(), slices[2].split()
    assert night[1] == "night"  # the worst slice of animals-mobile comes first
    assert rest[1:3] == ["not", "night"]
    assert float(night[3]) < float(rest[4])  # accuracy on night shots below the rest's
    preview = next(t for t in texts if "applied" in t and "suspected-label-error" in t)
    rows = [line.split() for line in preview.splitlines()[1:]]
    assert len(rows) == 10
    assert all(row[-1] == "False" for row in rows)  # a dry run applies nothing
    assert widgets(nb) == 3
