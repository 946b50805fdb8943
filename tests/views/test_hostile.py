"""Hostile data never becomes markup: every view, its widgets, its figures and the report.

The data comes in by the real path (a snapshot of the demo workspace whose
concept ids and names, input ids, model and dataset ids and names and metadata
were rewritten into markup and script payloads, served by the emulator) and as
synthetic frames. Each view's ``to_html`` page, every HTML widget value in its
``widget_`` tree, every plotly figure (plotly renders ``<b>``, ``<a>``, ``<br>``
in its text) and the report must hold no payload unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import apps, connect, metrics, views
from clarinb._html import from_plotly_text, plotly_text
from clarinb.emulator import serve
from clarinb.errors import ClarinbError
from clarinb.snapshot import take_snapshot, write_snapshot
from tests.views.hostile_data import (
    BOLD,
    CONCEPTS,
    DATASET,
    MODELS,
    OPEN,
    PAYLOADS,
    clean,
    hostile_detection,
    hostile_groups,
    hostile_multilabel_test_set,
    hostile_names,
    hostile_test_set,
    hostile_workspace,
    raw_in_text,
    scan_view,
)

EVALUATIONS = [
    "animals-base-on-v2",
    "animals-large-on-v2",
    "animals-detector-on-v2",
    "animals-large-on-new-uploads",
]


@pytest.fixture(scope="module")
def hostile_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the demo workspace with payloads in its names, ids and metadata."""
    with serve(data="demo") as source:
        workspace = take_snapshot(
            connect(emulator=source), evaluations=EVALUATIONS, dataset_versions=["wildlife/v1"]
        )
    path = tmp_path_factory.mktemp("hostile") / "snapshot.json"
    return write_snapshot(hostile_workspace(workspace), path)


@pytest.fixture(scope="module")
def client(hostile_snapshot: Path) -> Iterator[Any]:
    with serve(data=hostile_snapshot) as emulator:
        yield connect(emulator=emulator)


def _classifiers(client: Any) -> list[Any]:
    return [client.evaluation(i) for i in ("animals-base-on-v2", "animals-large-on-v2")]


def _confusion(client: Any) -> list[Any]:
    ev = _classifiers(client)[0]
    view = views.ConfusionMatrixView.from_evaluation(ev, threshold=0.3)
    view.widget_  # noqa: B018 - built, so that the drill-down below fills its inputs area
    view.set(cell=(CONCEPTS["husky"], CONCEPTS["wolf"]))
    ts = hostile_test_set()
    synthetic = views.ConfusionMatrixView.from_frames(
        test_set=ts, concept_names=hostile_names(ts), normalize="true"
    )
    synthetic.widget_  # noqa: B018
    actual = str(ts["concept_id"].iloc[0])
    synthetic.set(cell=(actual, actual))
    labels = [f"{p}{i}" for i, p in enumerate(PAYLOADS)]
    size = len(labels)
    square = pd.DataFrame(np.arange(size * size).reshape(size, size), index=labels, columns=labels)
    matrix = views.ConfusionMatrixView.from_frames(matrix=square, concept_names=hostile_names(ts))
    return [view, synthetic, matrix]


def _curves(client: Any) -> list[Any]:
    ev = _classifiers(client)[0]
    ts = hostile_test_set()
    return [
        views.CurvesView.from_evaluation(ev, selection="all"),
        views.CurvesView.from_frames(test_set=ts, concept_names=hostile_names(ts)),
    ]


def _thresholds(client: Any) -> list[Any]:
    ev = _classifiers(client)[0]
    ts = hostile_test_set()
    first = str(ts["concept_id"].iloc[0])
    return [
        views.ThresholdView.from_evaluation(ev, overrides={CONCEPTS["husky"]: 0.7}),
        views.ThresholdView.from_frames(
            test_set=ts, concept_names=hostile_names(ts), overrides={first: 0.3}
        ),
    ]


def _explorer(client: Any) -> list[Any]:
    explorer = apps.EvaluationExplorer(client, evaluation_id="animals-base-on-v2")
    for tab in explorer._titles:  # every tab built, so every tab is scanned
        explorer.set(tab=tab)
    failed = apps.EvaluationExplorer(client, evaluation_id="animals-large-on-new-uploads")
    detector = apps.EvaluationExplorer(client, evaluation_id="animals-detector-on-v2")
    for tab in detector._titles:
        detector.set(tab=tab)
    one = apps.EvaluationExplorer.from_evaluation(_classifiers(client)[1])
    # a failed or detector evaluation has no summary figure, so no page
    return [explorer, WidgetOnly(failed), WidgetOnly(detector), one]


def _mistakes(client: Any) -> list[Any]:
    ts = hostile_test_set()
    first = str(ts["input_id"].iloc[0])
    issues = pd.DataFrame(
        {"input_id": [first], "given_label": [BOLD], "suggested_label": [OPEN],
         "label_quality": [0.01]}
    )  # fmt: skip
    synthetic = views.MistakesView.from_frames(
        test_set=ts, concept_names=hostile_names(ts), label_issues=issues, selection=[first]
    )
    synthetic.widget_  # noqa: B018
    return [views.MistakesView.from_evaluation(_classifiers(client)[0], k=3), synthetic]


def _multilabel(client: Any) -> list[Any]:
    ts = hostile_multilabel_test_set()
    names = hostile_names(ts)
    computed = views.MultiLabelConfusionView.from_frames(test_set=ts, concept_names=names)
    computed.widget_  # noqa: B018
    computed.set(search=PAYLOADS[0][:4], cell=(str(ts["concept_id"].iloc[0]), "TP"))
    assert computed.cell_inputs_ is not None
    assert len(computed.cell_inputs_)
    given = views.MultiLabelConfusionView.from_frames(
        test_set=ts, cooccurrence=metrics.cooccurrence(ts), concept_names=names, threshold=0.3
    )
    return [computed, given]


def _slices(client: Any) -> list[Any]:
    ev = _classifiers(client)[0]
    ids = pd.unique(ev.test_set()["input_id"].astype(str))
    keys = pd.Series([PAYLOADS[i % len(PAYLOADS)] for i in range(len(ids))], index=ids, name=BOLD)
    return [
        views.SlicesView.from_evaluation(ev, by="size", n_resamples=50),
        views.SlicesView.from_evaluation(ev, by=keys, n_resamples=50),
    ]


def _compare(client: Any) -> list[Any]:
    ts = hostile_test_set()
    from clarinb import metrics

    frames = {label: metrics.scores(ts) for label in PAYLOADS[:3]}
    return [
        views.CompareView.from_evaluations(_classifiers(client)),
        views.CompareView.from_frames(per_concept=frames, concept_names=hostile_names(ts)),
    ]


def _metrics_groups(client: Any) -> list[Any]:
    demo = views.MetricsGroupsView.from_dataset_version(
        client.dataset_version(DATASET[1], "v2"), top_n=None
    )
    demo.widget_  # noqa: B018
    demo.set(path=[CONCEPTS["night"]])
    synthetic = views.MetricsGroupsView(groups=hostile_groups(), name=BOLD)
    synthetic.widget_  # noqa: B018
    synthetic.set(path=[OPEN])
    return [demo, synthetic]


def _dataset_explorer(client: Any) -> list[Any]:
    explorer = apps.DatasetVersionExplorer(client, DATASET[1])
    explorer.widget_  # noqa: B018
    explorer.export(["COCO"])
    return [explorer]


def _version_diff(client: Any) -> list[Any]:
    groups = hostile_groups()
    other = groups.assign(value=groups["value"].where(groups.index % 3 != 0, BOLD + "new"))
    return [
        views.VersionDiffView.from_dataset_versions(
            client.dataset_version(DATASET[1], "v1"), client.dataset_version(DATASET[1], "v2")
        ),
        views.VersionDiffView(a=groups, b=other, names=(PAYLOADS[0], PAYLOADS[3])),
    ]


def _detection(client: Any) -> list[Any]:
    metrics, curves, _ = hostile_detection()
    return [
        views.DetectionMetricsView.from_evaluation(client.evaluation("animals-detector-on-v2")),
        views.DetectionMetricsView(metrics=metrics, curves=curves, summary={}),
    ]


def _detection_browser(client: Any) -> list[Any]:
    _, _, boxes = hostile_detection()

    def broken(url: str) -> bytes:
        raise ClarinbError(f"cannot fetch {url}")

    return [
        views.DetectionBrowser.from_evaluation(client.evaluation("animals-detector-on-v2")),
        views.DetectionBrowser(boxes=boxes, fetch=broken),
    ]


@dataclass
class WidgetOnly:
    """A view that may have no page (``to_html`` raising ClarinbError): its widget is scanned."""

    view: Any


BUILDERS: dict[str, Callable[[Any], list[Any]]] = {
    "ConfusionMatrixView": _confusion,
    "CurvesView": _curves,
    "ThresholdView": _thresholds,
    "EvaluationExplorer": _explorer,
    "CompareView": _compare,
    "MetricsGroupsView": _metrics_groups,
    "DatasetVersionExplorer": _dataset_explorer,
    "VersionDiffView": _version_diff,
    "DetectionMetricsView": _detection,
    "DetectionBrowser": _detection_browser,
    "MistakesView": _mistakes,
    "SlicesView": _slices,
    "MultiLabelConfusionView": _multilabel,
}


def test_every_view_is_covered() -> None:
    assert set(BUILDERS) == (set(views.__all__) | set(apps.__all__)) - {"View"}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_view_escapes_hostile_data(name: str, client: Any, tmp_path: Path) -> None:
    built = BUILDERS[name](client)
    assert built
    for n, item in enumerate(built):
        view = item.view if isinstance(item, WidgetOnly) else item
        assert type(view).__name__ == name
        page = True
        if isinstance(item, WidgetOnly):
            try:
                view.to_html(tmp_path / "none.html")
            except ClarinbError:
                page = False
        found = scan_view(view, tmp_path / f"{name}-{n}.html", page=page)
        assert len(found["scanned"]) >= 2
        assert clean(found) == {}, f"{name} #{n}"


def test_payloads_reach_the_views(client: Any, tmp_path: Path) -> None:
    """The data does carry the payloads (escaped) into what the views show."""
    ev = client.evaluation("animals-base-on-v2")
    assert ev.model_id == MODELS["animals-base"]
    text = views.ThresholdView.from_evaluation(ev).to_html(tmp_path / "t.html").read_text()
    assert "&lt;/pre&gt;&lt;script&gt;window.__pwned=1;alert(1337)&lt;/script&gt;husky" in text
    figure = views.ConfusionMatrixView.from_evaluation(ev).figure_
    assert "&lt;b&gt;x&lt;/b&gt;malamute" in figure.layout.xaxis.ticktext


def test_report_escapes_hostile_data(hostile_snapshot: Path) -> None:
    from clarinb.report import build_report

    with serve(data=hostile_snapshot) as emulator:
        text = build_report(connect(emulator=emulator), title=f"Report {PAYLOADS[0]}")
    assert raw_in_text(text) == []
    assert "&lt;b&gt;x&lt;/b&gt;base" in text  # the model id, shown as text


def test_one_html_writer() -> None:
    """Only ``clarinb/_html.py`` escapes, builds HTML widgets or calls a ``to_html`` writer."""
    package = Path(views.__file__).resolve().parents[1]
    forbidden = re.compile(
        r"^\s*(import html\b|from html\b|import markupsafe|from markupsafe)"
        r"|widgets\.HTML(Math)?\(|\.to_html\(",
        re.MULTILINE,
    )
    offenders = [
        f"{path.relative_to(package)}: {match.group(0).strip()}"
        for path in sorted(package.rglob("*.py"))
        if path != package / "_html.py"
        for match in forbidden.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_clicks_map_escaped_labels_back_to_the_data() -> None:
    """Figures hold escaped labels; a click still reaches the raw concept id."""
    ts = hostile_test_set()
    view = views.ConfusionMatrixView.from_frames(test_set=ts)
    view.widget_  # noqa: B018
    heat = view.figure_.data[0]
    x, y = heat.x[0], heat.y[0]
    assert from_plotly_text(x) in set(ts["concept_id"])
    assert x not in set(ts["concept_id"])  # escaped in the figure
    view._on_click(heat, SimpleNamespace(xs=[x], ys=[y]), None)
    expected = len(metrics.cell_inputs(ts, from_plotly_text(y), from_plotly_text(x)))
    assert expected > 0
    assert view._inputs.children[0].value.endswith(f": {expected} inputs")

    groups = views.MetricsGroupsView(groups=hostile_groups())
    groups.widget_  # noqa: B018
    bars = groups.figure_.data[0]
    index = list(bars.x).index(plotly_text(OPEN))
    groups._on_click(bars, SimpleNamespace(point_inds=[index]), None)
    assert groups.path == (OPEN,)
