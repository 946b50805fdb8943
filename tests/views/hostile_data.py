"""Hostile data for the escaping tests: payloads, a hostile workspace, and output scanners.

Every payload, if it ever became markup, would set ``window.__pwned`` (and
most raise a dialog); the browser tests assert neither happens. The scanners
here walk what clarinb writes (HTML text, widget values, plotly figures) and
return every payload found unescaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

#: Markup and script payloads put into names, ids and metadata.
SCRIPT = "</pre><script>window.__pwned=1;alert(1337)</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
BOLD = "<b>x</b>"
SVG = '"\'><svg onload="window.__pwned=1;alert(2)">'
#: Markup without the separators of metrics-group paths (``/ : = |``), for drill-downs.
OPEN = "<b><i>"
PAYLOADS = (SCRIPT, IMG, BOLD, SVG, OPEN)

#: Concept id (and name) -> hostile id (and name) in the hostile workspace.
CONCEPTS = {
    "husky": SCRIPT + "husky",
    "wolf": IMG + "wolf",
    "malamute": BOLD + "malamute",
    "lynx": SVG + "lynx",
    "night": OPEN + "night",
}
#: Model id -> hostile model id.
MODELS = {"animals-base": BOLD + "base", "animals-large": SVG + "large"}
#: The dataset whose id becomes hostile.
DATASET = ("wildlife", SCRIPT + "wildlife")


def _walk(value: Any, swap: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, swap) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, swap) for v in value]
    if isinstance(value, str):
        return swap.get(value, value)
    return value


def hostile_workspace(workspace: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a workspace (demo or snapshot) so that its names, ids and metadata are payloads.

    Concept ids and names, input ids, model ids and names, a dataset id, the
    descriptions of datasets and versions, input metadata and a failed
    evaluation's status description all carry markup. Media paths and the
    image table keep their keys, so images still load.
    """
    swap = {**CONCEPTS, **MODELS, DATASET[0]: DATASET[1], "tabby cat": BOLD + "tabby cat"}
    for n, item in enumerate(workspace.get("inputs", [])):
        swap[str(item["id"])] = f"{PAYLOADS[n % len(PAYLOADS)]}{n}"
    images = workspace.get("images")
    out = _walk({k: v for k, v in workspace.items() if k != "images"}, swap)
    if images is not None:
        out["images"] = images
    out["metrics_groups"] = {
        key.replace(DATASET[0] + "/", DATASET[1] + "/", 1): groups
        for key, groups in out.get("metrics_groups", {}).items()
    }
    for groups in out["metrics_groups"].values():  # a concept's groups sit under its id
        for group in groups:
            head, _, concept = str(group.get("parent_path", "")).rpartition("/")
            if concept in swap and head:
                group["parent_path"] = f"{head}/{swap[concept]}"
    for n, dataset in enumerate(out.get("datasets", [])):
        dataset["description"] = PAYLOADS[n % len(PAYLOADS)]
    for n, version in enumerate(out.get("dataset_versions", [])):
        version["description"] = PAYLOADS[(n + 1) % len(PAYLOADS)]
    for n, model in enumerate(out.get("models", [])):
        model["name"] = PAYLOADS[n % len(PAYLOADS)] + str(model.get("id"))
    for n, item in enumerate(out.get("inputs", [])):
        item.setdefault("data", {})["metadata"] = {"note": PAYLOADS[n % len(PAYLOADS)]}
    for ev in out.get("evaluations", []):
        if ev.get("status", {}).get("code") != 21300:
            ev["status"]["description"] = SCRIPT
    return out


# -- synthetic frames ---------------------------------------------------------------------
def hostile_test_set(n_inputs: int = 60) -> pd.DataFrame:
    """A single-label test set whose concept ids and input ids are all payloads."""
    rng = np.random.default_rng(0)
    concepts = [f"{p}{i}" for i, p in enumerate(PAYLOADS)]
    inputs = [f"{PAYLOADS[j % len(PAYLOADS)]}in{j}" for j in range(n_inputs)]
    truth = rng.integers(0, len(concepts), n_inputs)
    scores = rng.random((n_inputs, len(concepts))) * 0.6
    scores[np.arange(n_inputs), truth] += 0.35
    gt = np.zeros_like(scores, dtype=bool)
    gt[np.arange(n_inputs), truth] = True
    return pd.DataFrame(
        {
            "input_id": np.repeat(inputs, len(concepts)),
            "concept_id": np.tile(concepts, n_inputs),
            "score": np.round(np.clip(scores, 0, 1), 4).ravel(),
            "ground_truth": gt.ravel(),
        }
    )


def hostile_multilabel_test_set(n_inputs: int = 60) -> pd.DataFrame:
    """The :func:`hostile_test_set`, multi-label: every fourth input also has the next concept."""
    ts = hostile_test_set(n_inputs)
    k = ts["concept_id"].nunique()
    truth = ts["ground_truth"].to_numpy().reshape(n_inputs, k)
    extra = np.roll(truth, 1, axis=1) & (np.arange(n_inputs) % 4 == 0)[:, None]
    return ts.assign(ground_truth=(truth | extra).ravel())


def hostile_names(test_set: pd.DataFrame) -> dict[str, str]:
    """Display names (payloads too) for the concepts of :func:`hostile_test_set`."""
    ids = list(dict.fromkeys(test_set["concept_id"].astype(str)))
    return {c: f"{PAYLOADS[(i + 1) % len(PAYLOADS)]}name{i}" for i, c in enumerate(ids)}


def hostile_groups() -> pd.DataFrame:
    """A metrics-groups frame whose concept values and paths are payloads."""
    rows: list[dict[str, Any]] = [
        {"parent_path": "", "type": "TOTAL", "value": "total", "inputs_count": 40},
        {"parent_path": "", "type": "INPUT_TYPE", "value": IMG, "inputs_count": 40},
    ]
    for i, payload in enumerate(PAYLOADS):
        rows.append(
            {"parent_path": "", "type": "CONCEPT_ID", "value": payload, "inputs_count": 10 + i}
        )
        rows.append(
            {"parent_path": payload, "type": "CONCEPT_ID", "value": f"{SVG}{i}", "inputs_count": 3}
        )
    return pd.DataFrame(rows)


def hostile_detection() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Metrics by class, PR curves and boxes whose concept ids, areas and inputs are payloads."""
    concepts = [f"{p}{i}" for i, p in enumerate(PAYLOADS)]
    metrics = pd.DataFrame(
        [
            {"concept_id": c, "iou": iou, "area_name": area, "avg_precision": 0.2 + 0.1 * i}
            for i, c in enumerate(concepts)
            for iou in (0.5, 0.75)
            for area in ("all", BOLD)
        ]
    )
    point = {"area_name": "all", "iou": 0.5}
    curves = pd.DataFrame(
        [
            {**point, "concept_id": c, "threshold": t, "precision": 1 - t / 2, "recall": t}
            for c in concepts
            for t in (0.1, 0.5, 0.9)
        ]
    )
    box = {"image_url": IMG, "width": 100.0, "height": 80.0, "score": 0.9}
    box.update({"top": 0.1, "left": 0.1, "bottom": 0.6, "right": 0.7})
    boxes = pd.DataFrame(
        [
            {**box, "input_id": f"{SCRIPT}{n}", "kind": kind, "concept_id": concepts[n]}
            for n in range(len(concepts))
            for kind in ("ground truth", "predicted")
        ]
    )
    return metrics, curves, boxes


# -- scanners -----------------------------------------------------------------------------
def _json_forms(payload: str) -> set[str]:
    """A payload as it appears inside JSON embedded in HTML (plotly escapes <, > and /)."""
    dumped = json.dumps(payload)[1:-1]
    angled = dumped.replace("<", "\\u003c").replace(">", "\\u003e")
    return {
        dumped,
        angled,
        angled.replace("/", "\\/"),
        angled.replace("/", "\\u002f"),
    }


def raw_in_text(text: str) -> list[str]:
    """Payloads present unescaped in HTML text, or unescaped inside embedded figure JSON."""
    found = [p for p in PAYLOADS if p in text]
    found += [p for p in PAYLOADS for form in _json_forms(p) if form in text]
    return sorted(set(found))


def strings(value: Any) -> Iterator[str]:
    """Every string inside nested dicts, lists, tuples and numpy arrays."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
    elif isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        for item in value.ravel().tolist():
            yield from strings(item)


def raw_in_figure(figure: Any) -> list[str]:
    """Payloads present unescaped in any string of a plotly figure (plotly renders markup)."""
    texts = list(strings(figure.to_plotly_json()))
    return sorted({p for p in PAYLOADS for t in texts if p in t})


def walk_widgets(widget: Any) -> Iterator[Any]:
    """A widget and every widget below it (box children, tab and accordion children)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk_widgets(child)


def html_values(root: Any) -> list[str]:
    """The values of every HTML widget under ``root``."""
    import ipywidgets as widgets

    return [w.value for w in walk_widgets(root) if isinstance(w, widgets.HTML | widgets.HTMLMath)]


def figures_under(root: Any) -> list[Any]:
    """Every plotly ``FigureWidget`` under ``root``."""
    import plotly.graph_objects as go

    return [w for w in walk_widgets(root) if isinstance(w, go.FigureWidget)]


def scan_view(view: Any, path: Any, *, page: bool = True) -> dict[str, list[str]]:
    """Write the view's page and scan it, its widget tree and its figures.

    With ``page=False`` only the widget tree is scanned (an explorer showing a
    failure has no figure, so no page).

    Returns
    -------
    dict
        Where each payload was found unescaped (empty when clean), and how many
        outputs were scanned under the key ``"scanned"`` (as strings, one per output).
    """
    problems: dict[str, list[str]] = {}
    scanned: list[str] = []
    figures = {}
    if page:
        text = view.to_html(path).read_text(encoding="utf-8")
        scanned.append(f"file {path.name}")
        if raw_in_text(text):
            problems["to_html"] = raw_in_text(text)
        figures["figure_"] = view.figure_
    for name in ("roc_figure_", "pr_figure_"):
        if getattr(view, name, None) is not None:
            figures[name] = getattr(view, name)
    figures.update({f"figures_[{k}]": f for k, f in getattr(view, "figures_", {}).items()})
    root = view.widget_
    for n, value in enumerate(html_values(root)):
        scanned.append(f"widget value {n}")
        if raw_in_text(value):
            problems[f"HTML widget {n}: {value[:120]!r}"] = raw_in_text(value)
    for n, live in enumerate(figures_under(root)):
        figures[f"widget figure {n}"] = live
    for name, figure in figures.items():
        scanned.append(f"figure {name}")
        if raw_in_figure(figure):
            problems[name] = raw_in_figure(figure)
    problems["scanned"] = scanned
    return problems


def clean(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """The problems only (drops the ``scanned`` list)."""
    return {k: v for k, v in found.items() if k != "scanned"}


def any_raw(texts: Iterable[str]) -> list[str]:
    """Payloads found unescaped in any of the texts."""
    return sorted({p for t in texts for p in raw_in_text(t)})
