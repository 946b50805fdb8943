"""Generator of the example notebooks in this folder, committed with their outputs.

Run ``make notebooks`` (or ``python notebooks/make_notebooks.py [NAME ...]``)
after editing the cells below: each tutorial is run on the demo emulator and
written next to this script with its outputs, made stable and token-free by
``saved_outputs.py``; ``dashboard`` (served by Voila, which runs it on every
visit) is written without outputs. ``--check`` exits 1 when a notebook's cells
differ from the ones below (it does not run anything; ``tests/test_notebooks.py``
checks the outputs are current).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import saved_outputs

from clarinb._atomic import write_text

HERE = Path(__file__).resolve().parent
#: Served by Voila, which runs it on every visit: committed without outputs.
CLEAN = {"dashboard"}

CONNECT = """\
import clarinb

# The real Clarifai API when CLARIFAI_PAT (with CLARIFAI_USER_ID and CLARIFAI_APP_ID) is set,
# otherwise a local emulator serving the demo workspace.
client = clarinb.connect()"""

PICK_DATASET = """\
evaluations = client.evaluations()
DATASET_ID = evaluations["dataset_id"].iloc[0]  # or the id of one of your datasets
versions = client.dataset_versions(DATASET_ID)
versions[["id", "created_at"]]"""

OPEN_CLASSIFIER = """\
# opens on an evaluated single-label classifier; the pickers list every model
EvaluationExplorer(client)"""

NOTEBOOKS: dict[str, list[str | tuple[str, str]]] = {
    "01-quickstart": [
        ("md", "# clarinb quickstart\n\nConnect, then list what the app holds as pandas frames."),
        CONNECT,
        ("md", "## Evaluations, one row each with the summary metrics"),
        'evaluations = client.evaluations()\nevaluations[["id", "model_id", "dataset_id", '
        '"dataset_version_id", "macro_avg_roc_auc", "macro_avg_f1_score"]]',
        ("md", "## Models"),
        'client.models()[["id", "model_type_id", "model_version_id"]]',
        ("md", "## Dataset versions of the first evaluated dataset"),
        PICK_DATASET,
        ("md", "## One evaluation in detail"),
        "ev = client.evaluation(evaluations['id'].iloc[-1])\nev.summary",
        "# per-concept metrics: a classifier's binary metrics, a detector's metrics by class\n"
        'ev.metrics_by_class().head(10) if ev.kind == "detector" else ev.binary_metrics().head(10)',
    ],
    "02-evaluation-explorer": [
        ("md", "# Evaluation explorer\n\nPick a model and an evaluation; browse the tabs."),
        CONNECT,
        "from clarinb import EvaluationExplorer\n"
        "from clarinb.views import ConfusionMatrixView, CurvesView, ThresholdView\n\n"
        + OPEN_CLASSIFIER,
        ("md", "## The views one by one, for one single-label classifier's evaluation"),
        "evs = [client.evaluation(i) for i in client.evaluations()['id']]\n"
        'ev = next(e for e in evs if e.model_kind == "single-label")\nev',
        "ConfusionMatrixView.from_evaluation(ev, threshold=0.5)",
        'CurvesView.from_evaluation(ev, selection="top", k=6, threshold=0.5)',
        "ThresholdView.from_evaluation(ev, threshold=0.5)",
    ],
    "03-dataset-versions": [
        ("md", "# Dataset versions\n\nWhat a version holds, and what changed between two."),
        CONNECT,
        "from clarinb import DatasetVersionExplorer\n"
        "from clarinb.views import MetricsGroupsView, VersionDiffView",
        PICK_DATASET,
        "# the two latest versions: what the last one changed\n"
        'previous, newest = versions["id"].iloc[1], versions["id"].iloc[0]\n'
        "old = client.dataset_version(DATASET_ID, previous)\n"
        "new = client.dataset_version(DATASET_ID, newest)\nnew",
        "MetricsGroupsView.from_dataset_version(new, top_n=15)",
        "VersionDiffView.from_dataset_versions(old, new, top_n=15)",
        "DatasetVersionExplorer(client, DATASET_ID)",
    ],
    "04-model-comparison": [
        ("md", "# Model comparison\n\nSeveral models evaluated on the same dataset version."),
        CONNECT,
        "from clarinb.views import CompareView",
        'listing = client.evaluations()\nok = listing[(listing["code_name"] == "MODEL_EVALUATED")'
        ' & (listing["model_type_id"] != "visual-detector")]\n'
        "evs = [client.evaluation(i) for i in ok['id']]\n"
        "# compare the largest group of models that predict the same concepts\n"
        "groups = {}\nfor ev in evs:\n"
        "    groups.setdefault(frozenset(ev.concepts), []).append(ev)\n"
        "same = max(groups.values(), key=len)[:6]\n[ev.model_id for ev in same]",
        "compare = CompareView.from_evaluations(same)\ncompare",
        "compare.summary_",
    ],
    "05-detection": [
        ("md", "# Detection\n\nAP by class, IoU and object size; boxes drawn over the images."),
        CONNECT,
        "from clarinb.views import DetectionBrowser, DetectionMetricsView",
        'listing = client.evaluations()\ndetector = listing[listing["model_type_id"] == '
        '"visual-detector"]["id"].iloc[0]\nev = client.evaluation(detector)\n'
        'ev.summary[["mean_avg_precision_iou_50", "mean_avg_precision_iou_range"]]',
        "DetectionMetricsView.from_evaluation(ev, iou=0.5)",
        "DetectionBrowser.from_evaluation(ev, threshold=0.3)",
    ],
    "06-is-it-really-better": [
        (
            "md",
            "# Is the new model really better, and what should I relabel?\n\n"
            "A 0.03 difference in average precision on a few dozen positives per concept is often "
            "noise. This notebook compares the models with paired bootstrap intervals, lists the "
            "inputs most likely mislabelled, finds the slice where a model fails, and previews "
            "tagging the suspects for review.",
        ),
        CONNECT,
        "from clarinb import metrics\n"
        "from clarinb.review import tag_inputs\n"
        "from clarinb.views import CompareView, MistakesView, SlicesView",
        ("md", "## The models to compare: evaluated classifiers predicting the same concepts"),
        'listing = client.evaluations()\nok = listing[(listing["code_name"] == "MODEL_EVALUATED")'
        ' & (listing["model_type_id"] != "visual-detector")]\n'
        "evs = [client.evaluation(i) for i in ok['id']]\n"
        "groups = {}\nfor ev in evs:\n"
        "    groups.setdefault(frozenset(ev.concepts), []).append(ev)\n"
        "same = max(groups.values(), key=len)[:6]\n[ev.model_id for ev in same]",
        "CompareView.from_evaluations(same)",
        (
            "md",
            "## Which differences are real\n\n"
            "Each resample draws the same test inputs for both models; a concept counts as better "
            "or worse only when the 95% interval of the difference excludes 0.",
        ),
        "best = same[0]\npaired = {}\nfor other in same[1:]:\n"
        "    paired[other.model_id] = metrics.paired_bootstrap(\n"
        "        other.test_set(), best.test_set(), names=(other.model_id, best.model_id)\n"
        "    )\n"
        "    print(metrics.verdict(paired[other.model_id]))",
        "# the concepts where the difference is beyond noise, largest first\n"
        "first = paired[same[1].model_id].concepts\n"
        'ap = first[first["metric"] == "avg_precision"]\n'
        'ap[ap["verdict"] != "indistinguishable"].sort_values("delta", ascending=False)',
        ("md", "## What to relabel: the inputs whose given label the model most disputes"),
        "mistakes = MistakesView.from_evaluation(best, k=5)\nmistakes",
        "issues = metrics.label_issues(best.test_set())\n"
        'issues.head(10)[["rank", "input_id", "given_label", "suggested_label", "label_quality"]]',
        (
            "md",
            "## Where a model fails: night shots\n\n"
            "The demo's scene tagger labels the night shots; slice the weakest animal model's "
            "test set by that label.",
        ),
        "weakest = same[-1]\nslices = SlicesView.from_evaluation(\n"
        '    weakest, by="concept:night", labels_from=client.evaluation("scene-tagger-on-v2")\n'
        ")\nslices",
        "slices.frame_",
        (
            "md",
            "## Tag the suspects for review\n\n"
            "A dry run (the default) only shows what would change; `dry_run=False` writes "
            '`{"clarinb": {"review": "suspected-label-error"}}` into the inputs\' metadata.',
        ),
        "tag_inputs(client, issues.head(10))",
    ],
    # Voila serves this one: it imports only the explorer, which picks what to open first.
    "dashboard": [
        ("md", "# clarinb: evaluation explorer"),
        CONNECT,
        "from clarinb import EvaluationExplorer\n\n" + OPEN_CLASSIFIER,
    ],
}


def build(cells: list[str | tuple[str, str]]) -> nbformat.NotebookNode:
    """Build a notebook (no outputs) from code strings and ``("md", text)`` pairs."""
    nb = nbformat.v4.new_notebook()
    for i, cell in enumerate(cells):
        if isinstance(cell, tuple):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1], id=f"cell-{i}"))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell, id=f"cell-{i}"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def sources(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """Give what the cells say (type, id, source), outputs aside."""
    return [(c.cell_type, c.get("id", ""), c.source) for c in nb.cells]


def check() -> list[str]:
    """List the notebooks whose cells differ from what this script would write."""
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = HERE / f"{name}.ipynb"
        if not path.exists():
            stale.append(path.name)
            continue
        on_disk, built = nbformat.read(path, as_version=4), build(cells)
        kernel = on_disk.metadata.get("kernelspec") == built.metadata.get("kernelspec")
        clean = name not in CLEAN or path.read_text() == nbformat.writes(built) + "\n"
        if sources(on_disk) != sources(built) or not kernel or not clean:
            stale.append(path.name)
    return stale


def generate(names: list[str]) -> None:
    """Build, run (all but the clean ones) and write the notebooks ``names``."""
    built = {name: build(NOTEBOOKS[name]) for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name in names:
            if name not in CLEAN:
                print(f"running {name}", flush=True)
                nb, record = saved_outputs.execute(built[name], workdir, name)
                built[name] = saved_outputs.normalise(nb, record, workdir)
    saved_outputs.render_images([built[name] for name in names if name not in CLEAN])
    for name in names:
        write_text(HERE / f"{name}.ipynb", nbformat.writes(built[name]) + "\n")


def main(argv: list[str]) -> int:
    """Write every notebook (or those named), or with ``--check`` compare their cells."""
    if "--check" in argv:
        stale = check()
        if stale:
            print("out of date (run make notebooks):", ", ".join(stale))
            return 1
        return 0
    names = [a for a in argv if not a.startswith("-")] or list(NOTEBOOKS)
    unknown = sorted(set(names) - set(NOTEBOOKS))
    if unknown:
        print("no such notebook:", ", ".join(unknown), "; choose from", ", ".join(NOTEBOOKS))
        return 2
    generate(names)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
