"""The example notebooks: committed with current outputs, and every cell runs on the demo emulator.

Each notebook is executed once (module fixture) the way ``make notebooks`` runs
it (``notebooks/saved_outputs.py``): with nbclient in the project's kernel,
without ``CLARIFAI_PAT``, so ``clarinb.connect()`` starts the emulator. A
hidden last cell records the emulator's token, so the test can prove no output
shows it. The same run, made stable, must equal the committed file.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

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


def _load(name: str) -> ModuleType:
    """Import a module of the notebooks folder (not a package) by its file."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, NOTEBOOKS / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


saved_outputs = _load("saved_outputs")
make_notebooks = _load("make_notebooks")


def _text(output: dict[str, Any]) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return "\n".join(str(data.get(k, "")) for k in ("text/plain", "text/html"))


class Runs(dict):
    """Notebook name -> (executed notebook, token), each run on first use only.

    ``records[name]`` keeps what the run's hidden cell recorded, for
    :func:`saved_outputs.normalise`.
    """

    def __init__(self, workdir: Path) -> None:
        super().__init__()
        self.workdir = workdir
        self.records: dict[str, dict[str, Any]] = {}

    def __missing__(self, name: str) -> tuple[Any, str]:
        built = make_notebooks.build(make_notebooks.NOTEBOOKS[name])
        nb, self.records[name] = saved_outputs.execute(built, self.workdir, name)
        self[name] = (nb, self.records[name]["token"])
        return self[name]

    def saved(self, name: str) -> Any:
        """The run of ``name`` as ``make notebooks`` would commit it (images aside)."""
        nb, _ = self[name]
        return saved_outputs.normalise(nb, self.records[name], self.workdir)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("notebooks"))


def outputs(nb: Any) -> list[dict[str, Any]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def widgets(nb: Any) -> int:
    return sum(WIDGET in o.get("data", {}) for o in outputs(nb))


def _committed(name: str) -> Any:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def test_committed_notebooks_are_generated() -> None:
    for name in NAMES:
        code = [c for c in _committed(name).cells if c.cell_type == "code"]
        assert code, name
        assert "clarinb.connect()" in code[0].source, f"{name} must start with clarinb.connect()"
    check = [sys.executable, str(NOTEBOOKS / "make_notebooks.py"), "--check"]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0, (
        "a notebook's cells differ from make_notebooks.py: run make notebooks"
    )


def _first_difference(fresh: dict[str, Any], committed: dict[str, Any]) -> str:
    if fresh["metadata"] != committed["metadata"]:
        return "the notebook's metadata (widget state)"
    for index, (a, b) in enumerate(zip(fresh["cells"], committed["cells"], strict=False)):
        if a != b:
            return f"cell {index}"
    return "the number of cells"


def test_committed_outputs_are_current(executed) -> None:
    for name in NAMES:
        if name in make_notebooks.CLEAN:
            nb = _committed(name)
            assert all(not c.outputs for c in nb.cells if c.cell_type == "code"), name
            continue
        fresh = saved_outputs.comparable(executed.saved(name))
        committed = saved_outputs.comparable(_committed(name))
        assert fresh == committed, (
            f"notebooks/{name}.ipynb is out of date ({_first_difference(fresh, committed)} "
            "differs from a fresh run): run make notebooks"
        )


def test_committed_figures_show_without_scripts_or_network() -> None:
    figures = 0
    for name in NAMES:
        nb = _committed(name)
        assert "cdn.plot.ly" not in (NOTEBOOKS / f"{name}.ipynb").read_text(), name
        static = list(saved_outputs.static_outputs(nb))
        assert len(static) == widgets(nb), f"{name}: a view without its static copy"
        for output in static:
            html = output["data"]["text/html"]
            assert html.startswith('<div class="clarinb-static"><img src="data:image/png;base64,')
            assert "<script" not in html, name
        figures += len(static)
    assert figures == 13  # every view of the tutorials


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
