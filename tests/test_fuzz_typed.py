"""Fuzz: hostile bodies, frames, files and arguments give a result or a ClarinbError, nothing else.

Every test here draws hostile inputs (unhashable ids, nulls where numbers are
expected, infinities, NaN strings, huge ints, duplicated labels, empty test
sets, non-frames, nested junk) and asserts only that the call returns or
raises a :class:`~clarinb.errors.ClarinbError` (``SystemExit`` 0/1/2 for the
command line).  It covers every :mod:`clarinb.frames` function, the ``from_*``
constructors and state-change methods of every view, the snapshot loader and
the ``clarinb`` command.

Under ``CI=true`` the runs are derandomized (see ``tests/conftest.py``);
``make fuzz`` explores at random with ten times the examples.  Whatever a
random run finds becomes a fixed ``@example`` on the test that found it, next
to the fix, so that CI replays it for ever.
"""

from __future__ import annotations

import copy
import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_paths import json_paths, replaced

from clarinb import connect, frames
from clarinb.errors import ClarinbError, InvalidArgumentError

DATA = Path(__file__).resolve().parent / "data"
#: 1 normally, 10 under the ``fuzz`` profile: every budget below scales with it.
SCALE = settings().max_examples / 100


def budget(n: int) -> Any:
    """Settings of a fuzz test with ``n`` examples (scaled by the active profile)."""
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def typed(call: Callable[[], Any]) -> Any:
    """Run ``call``: a result or a ClarinbError passes; any other exception (or warning) fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return call()
        except ClarinbError:
            return None


# -- hostile JSON ----------------------------------------------------------------------------
SAMPLES = {
    p.stem: json.loads(p.read_text())
    for p in sorted(DATA.glob("*.json"))
    if p.name != "empty_pages_synth.json"
}

KEYS = [
    "id", "value", "name", "concept", "concepts", "eval_metrics", "evalMetrics", "summary",
    "test_set", "input", "data", "image", "url", "predicted_concepts", "ground_truth_concepts",
    "predicted_annotation", "ground_truth_annotation", "regions", "region_info",
    "bounding_box", "top_row", "left_col", "bottom_row", "right_col", "binary_metrics",
    "metrics_by_class", "roc_curve", "precision_recall_curve", "fpr", "tpr", "thresholds",
    "precision", "recall", "iou", "area_name", "num_pos", "confusion_matrix", "matrix",
    "concept_ids", "actual", "predicted", "row", "col", "count", "status", "code",
    "dataset_version_metrics_groups", "metrics", "type", "parent_path", "inputs_count",
    "macro_avg_roc_auc", "mean_avg_precision_iou_50", "image_info", "width", "height",
]  # fmt: skip

HOSTILE_SCALARS = [
    None, True, False, 0, -1, 1, 2**64, -(2**70), 10**400 // 10**300, 0.5, -0.0, 1e308,
    math.inf, -math.inf, math.nan, "NaN", "Infinity", "-Infinity", "1e400", "12", "",
    "x", "<b>x</b>", "\u0000", "²",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(HOSTILE_SCALARS),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=3)), inner, max_size=4),
    ),
    max_leaves=20,
)


@st.composite
def mutated(draw: st.DrawFn, body: Any, times: int = 2) -> Any:
    """A body with up to ``times`` parts replaced by hostile values ({} and [] ids included)."""
    for _ in range(draw(st.integers(0, times))):
        path = draw(st.sampled_from(json_paths(body)))
        new = draw(st.one_of(json_values, st.sampled_from([{}, [], [{}], {"id": {}}])))
        body = replaced(body, path, new)
    return body


# -- frames -------------------------------------------------------------------------------------
FRAME_FUNCTIONS = sorted(frames.__all__)


@pytest.mark.parametrize("name", FRAME_FUNCTIONS)
@budget(400)
@given(body=json_values)
def test_frames_on_arbitrary_json(name: str, body: Any) -> None:
    result = typed(lambda: getattr(frames, name)(body))
    assert result is None or isinstance(result, pd.DataFrame)


@pytest.mark.parametrize("name", FRAME_FUNCTIONS)
@budget(400)
@given(data=st.data())
def test_frames_on_mutated_bodies(name: str, data: st.DataObject) -> None:
    body = data.draw(mutated(data.draw(st.sampled_from(sorted(SAMPLES.values(), key=str)))))
    result = typed(lambda: getattr(frames, name)(body))
    assert result is None or isinstance(result, pd.DataFrame)


@budget(150)
@given(data=st.data())
def test_frames_options(data: st.DataObject) -> None:
    """The keyword arguments of the frames functions (curve source, matrix normalisation)."""
    body = data.draw(st.sampled_from([CLASSIFIER, DETECTOR]))
    option = data.draw(st.one_of(scalars, st.sampled_from(["binary_metrics", "true", [], {}])))
    name = data.draw(st.sampled_from(["roc_curves", "pr_curves", "confusion_matrix"]))
    keyword = "normalize" if name == "confusion_matrix" else "source"
    result = typed(lambda: getattr(frames, name)(body, **{keyword: option}))
    assert result is None or isinstance(result, pd.DataFrame)


# -- base frames for the views --------------------------------------------------------------
def _test_set_body(n_inputs: int = 6) -> dict[str, Any]:
    entries = []
    for i in range(n_inputs):
        truth = ("cat", "dog", "bird")[i % 3]
        entries.append(
            {
                "input": {"id": f"in{i}", "data": {"image": {"url": f"https://x.test/{i}.png"}}},
                "predicted_concepts": [
                    {"id": c, "value": round(0.15 + 0.1 * ((i + j) % 7), 2)}
                    for j, c in enumerate(("cat", "dog", "bird"))
                ],
                "ground_truth_concepts": [{"id": truth, "value": 1}],
            }
        )
    return {"id": "ev1", "test_set": entries}


def _detector_body() -> dict[str, Any]:
    def region(concept: str, score: float, top: float) -> dict[str, Any]:
        box = {"top_row": top, "left_col": 0.1, "bottom_row": top + 0.3, "right_col": 0.6}
        return {
            "region_info": {"bounding_box": box},
            "data": {"concepts": [{"id": concept, "value": score}]},
        }

    entries = [
        {
            "input": {
                "id": f"img{i}",
                "data": {"image": {"url": f"https://x.test/{i}.jpg", "image_info": {}}},
            },
            "predicted_annotation": {"data": {"regions": [region("cat", 0.8, 0.1)]}},
            "ground_truth_annotation": {"data": {"regions": [region("cat", 1.0, 0.2)]}},
        }
        for i in range(3)
    ]
    body = copy.deepcopy(SAMPLES["get_evaluation_detector_synth"])
    inner = frames_part(body)
    inner["test_set"] = entries
    return body


def frames_part(body: dict[str, Any]) -> dict[str, Any]:
    inner = body.get("eval_metrics", body)
    return inner if isinstance(inner, dict) else body


CLASSIFIER = SAMPLES["get_evaluation_classifier_synth"]
DETECTOR = _detector_body()
GROUPS_BODY = SAMPLES["dataset_version_metrics_groups_synth"]
TEST_SET = frames.test_set(_test_set_body())
CM = frames.confusion_matrix(CLASSIFIER)
BM = frames.binary_metrics(CLASSIFIER)
ROC = frames.roc_curves(CLASSIFIER)
PR = frames.pr_curves(CLASSIFIER)
DET_METRICS = frames.metrics_by_class(DETECTOR)
DET_CURVES = frames.pr_curves(DETECTOR, "metrics_by_class")
GROUPS = frames.dataset_version_metrics_groups(GROUPS_BODY)


BOXES = frames.test_set_boxes(DETECTOR)

NON_FRAMES = [None, [[1, 2], [3, 4]], {}, "x", 3, [], {"a": [1]}, np.zeros((2, 2))]
CELL_VALUES = [
    None, math.nan, math.inf, -math.inf, "NaN", "x", "", {}, [], 10**30, -1, True, 2.5, "<b>",
]  # fmt: skip


def _set_column(f: pd.DataFrame, position: int, values: list[Any]) -> pd.DataFrame:
    """``f`` with the column at ``position`` replaced by ``values`` (any objects, lists too)."""
    column = np.empty(len(values), dtype=object)
    column[:] = values
    out = f.copy()
    out.isetitem(position, pd.Series(column, index=f.index, dtype=object))
    return out


def _edit(f: pd.DataFrame, kind: int, position: int, row: int, value: Any) -> pd.DataFrame:
    """One hostile edit of a frame (``position`` picks a column, ``row`` a row)."""
    if kind == 0:
        return f.iloc[:0]
    if kind == 1:
        return f.drop(columns=f.columns[position])
    if kind == 2 and len(f):
        values = list(f.iloc[:, position])
        values[row % len(f)] = value
        return _set_column(f, position, values)
    if kind == 3:
        return _set_column(f, position, [value] * len(f))
    if kind == 4 and len(f):
        return pd.concat([f, f.iloc[:1]])
    if kind == 5 and len(f):
        return f.set_axis([f.index[0]] * len(f), axis=0)
    if kind == 6:
        return pd.concat([f, f.iloc[:, [position]]], axis=1)
    if kind == 7:
        return f.head(1)
    if kind == 8:
        return f.T
    labels = list(f.columns)
    labels[position] = value if isinstance(value, str | int | float) or value is None else "x"
    return f.set_axis(labels, axis=1)


@st.composite
def hostile_frame(draw: st.DrawFn, base: pd.DataFrame, *, none: bool = False) -> Any:
    """``base`` after up to three hostile edits, or something that is not a frame at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(NON_FRAMES if not none else [None, *NON_FRAMES]))
    f = base.copy()
    for _ in range(draw(st.integers(0, 3))):
        if not len(f.columns):
            break
        kind = draw(st.integers(0, 9))
        position = draw(st.integers(0, len(f.columns) - 1))
        row = draw(st.integers(0, 99))
        f = _edit(f, kind, position, row, draw(st.sampled_from(CELL_VALUES)))
    return f


names = st.one_of(st.sampled_from(["cat", "dog", "bird", "", "(none)", "<b>x</b>"]), scalars)
thresholds = st.one_of(st.sampled_from([0.0, 0.5, 1.0, -1, 2, math.nan, math.inf, "0.5"]), scalars)
positive_ints = st.one_of(st.sampled_from([1, 3, 40, 0, -2, "auto", None, 2.0, True]), scalars)
names_map = st.one_of(
    st.none(), st.just({"cat": "Cat"}), st.just({1: 2}), st.just([("cat", "x")]), scalars
)


def _kwargs(data: st.DataObject, spec: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """Draw some of the keyword arguments of ``spec``."""
    chosen = data.draw(st.sets(st.sampled_from(sorted(spec))))
    return {key: data.draw(spec[key], label=key) for key in sorted(chosen)}


def _then(data: st.DataObject, view: Any, calls: dict[str, Callable[[Any], Any]]) -> None:
    """After a view was built, call up to two of its methods with hostile arguments."""
    if view is None:
        return
    for _ in range(data.draw(st.integers(0, 2))):
        name = data.draw(st.sampled_from(sorted(calls)))
        typed(lambda name=name: calls[name](view))


# -- views: every from_* constructor and state change ------------------------------------
@budget(350)
@given(data=st.data())
def test_confusion_matrix_view(data: st.DataObject) -> None:
    from clarinb.views import ConfusionMatrixView

    matrix = data.draw(hostile_frame(CM, none=True))
    test_set = data.draw(st.one_of(st.none(), hostile_frame(TEST_SET)))
    kwargs = _kwargs(
        data,
        {
            "normalize": st.sampled_from([None, "true", "pred", "all", "rows", 1, {}]),
            "order": st.sampled_from(["body", "name", "error", "cluster", "x", None, []]),
            "top_n": positive_ints,
            "threshold": thresholds,
            "concept_names": names_map,
            "theme": st.sampled_from(["light", "dark", "x", None, [], {}]),
        },
    )
    view = typed(
        lambda: ConfusionMatrixView.from_frames(matrix=matrix, test_set=test_set, **kwargs).plot()
    )
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(threshold=data.draw(thresholds)).figure_,
            "set_cell": lambda v: v.set(cell=(data.draw(names), data.draw(names))).cell_inputs_,
            "widget_": lambda v: v.widget_,
            "frame_": lambda v: v.frame_,
        },
    )


@budget(300)
@given(data=st.data())
def test_curves_view(data: st.DataObject) -> None:
    from clarinb.views import CurvesView

    use_test_set = data.draw(st.booleans())
    roc = pr = bm = None
    if not use_test_set or data.draw(st.booleans()):
        roc, pr = data.draw(hostile_frame(ROC, none=True)), data.draw(hostile_frame(PR, none=True))
        bm = data.draw(st.one_of(st.none(), hostile_frame(BM)))
    test_set = data.draw(hostile_frame(TEST_SET)) if use_test_set else None
    kwargs = _kwargs(
        data,
        {
            "threshold": thresholds,
            "selection": st.sampled_from(
                ["all", "top", "bottom", "auto", ["cat"], ["zzz"], "x", 3]
            ),
            "k": positive_ints,
            "averages": st.sampled_from([True, False, None, "x"]),
            "concept_names": names_map,
        },
    )
    view = typed(
        lambda: CurvesView.from_frames(
            roc=roc, pr=pr, binary_metrics=bm, test_set=test_set, **kwargs
        )
    )
    _then(
        data,
        view,
        {
            "set threshold": lambda v: v.set(threshold=data.draw(thresholds)),
            "set selection": lambda v: v.set(
                selection=data.draw(
                    st.sampled_from(["all", "top", "bottom", ["cat"], "x", None, 3, [{}]])
                ),
                k=data.draw(st.one_of(st.just(10), positive_ints)),
            ),
            "results": lambda v: (v.selected_, v.scores_, v.frame_),
            "figure_": lambda v: v.figure_,
        },
    )


@budget(500)
@given(data=st.data())
def test_threshold_view(data: st.DataObject) -> None:
    from clarinb.views import ThresholdView

    test_set = data.draw(hostile_frame(TEST_SET, none=True))
    kwargs = _kwargs(
        data,
        {
            "threshold": thresholds,
            "overrides": st.one_of(
                names_map, st.just({"cat": 0.3}), st.just({"cat": 5}), st.just({"zz": 0.1})
            ),
            "sort": st.sampled_from(["f1", "precision", "x", None, 3]),
            "ascending": st.sampled_from([True, False, "x"]),
            "concept_names": names_map,
        },
    )
    view = typed(lambda: ThresholdView.from_frames(test_set=test_set, **kwargs).plot())
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(threshold=data.draw(thresholds)).figure_,
            "set_overrides": lambda v: (
                v.set(overrides={data.draw(names): data.draw(thresholds)}).figure_
            ),
            "sort": lambda v: (
                v.set(sort=data.draw(st.sampled_from(["f1", "recall", "x", None]))).figure_
            ),
            "table_": lambda v: v.table_,
            "to_json": lambda v: v.to_json(indent=data.draw(st.sampled_from([None, 2, -1, "x"]))),
        },
    )


@budget(250)
@given(data=st.data())
def test_compare_view(data: st.DataObject) -> None:
    from clarinb.views import CompareView

    labels = data.draw(st.lists(st.sampled_from(["a", "b", "c", "", "<i>"]), max_size=3))
    per_concept: Any = {label: data.draw(hostile_frame(BM)) for label in labels}
    if data.draw(st.integers(0, 9)) == 0:
        per_concept = data.draw(st.sampled_from(NON_FRAMES))
    kwargs = _kwargs(
        data,
        {
            "metric": st.sampled_from(["roc_auc", "f1", "x", None]),
            "baseline": st.one_of(st.sampled_from(["a", "b", "zz"]), scalars),
            "concept": names,
            "intersect": st.booleans(),
            "curves": st.one_of(st.none(), st.just({"a": (ROC, PR)}), st.just({"a": 3})),
            "matrices": st.one_of(st.none(), st.just({"a": CM}), st.just({"a": "x"})),
            "dataset_versions": st.one_of(st.none(), st.just({"a": "v1", "b": "v2"})),
            "concept_names": names_map,
        },
    )
    view = typed(lambda: CompareView.from_frames(per_concept=per_concept, **kwargs))
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(
                **_kwargs(
                    data,
                    {
                        "metric": st.sampled_from(["f1", "x"]),
                        "baseline": names,
                        "concept": names,
                        "bogus": scalars,
                    },
                )
            ),
            "deltas": lambda v: (v.deltas_, v.summary_, v.frame_),
            "figure_": lambda v: v.figure_,
        },
    )


def _from_groups(cls: Any) -> Callable[..., Any]:
    """``cls.from_dataset_version(s)`` over raw metrics-groups bodies, wrapped by DatasetVersion."""
    from clarinb import DatasetVersion

    def version(groups: Any) -> Any:
        return DatasetVersion.from_dict({"id": "v"}, metrics_groups=groups)

    def build(**kwargs: Any) -> Any:
        if "groups" in kwargs:
            return cls.from_dataset_version(version(kwargs.pop("groups")), **kwargs)
        a, b = version(kwargs.pop("a")), version(kwargs.pop("b"))
        return cls.from_dataset_versions(a, b, **kwargs)

    return build


@budget(300)
@given(data=st.data())
def test_metrics_groups_view(data: st.DataObject) -> None:
    from clarinb.views import MetricsGroupsView

    if data.draw(st.booleans()):
        groups = data.draw(hostile_frame(GROUPS, none=True))
        build = MetricsGroupsView.from_frames
    else:
        groups = data.draw(st.one_of(mutated(GROUPS_BODY), st.sampled_from(NON_FRAMES)))
        build = _from_groups(MetricsGroupsView)
    kwargs = _kwargs(
        data,
        {
            "metric": st.sampled_from(["inputs_count", "regions_count", "x", None]),
            "sort": st.sampled_from(["count", "name", "x", None]),
            "top_n": positive_ints,
            "search": st.one_of(st.sampled_from(["", "cat", "("]), scalars),
            "name": names,
        },
    )
    view = typed(lambda: build(groups=groups, **kwargs))
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(top_n=data.draw(positive_ints)),
            "drill": lambda v: v.set(path=[*v.path, data.draw(names)]),
            "up": lambda v: v.set(path=v.path[:-1]),
            "widget_": lambda v: v.widget_,
        },
    )


@budget(250)
@given(data=st.data())
def test_version_diff_view(data: st.DataObject) -> None:
    from clarinb.views import VersionDiffView

    if data.draw(st.booleans()):
        a, b = data.draw(hostile_frame(GROUPS, none=True)), data.draw(hostile_frame(GROUPS))
        build = VersionDiffView.from_frames
    else:
        a, b = data.draw(mutated(GROUPS_BODY)), data.draw(mutated(GROUPS_BODY))
        build = _from_groups(VersionDiffView)
    kwargs = _kwargs(
        data,
        {
            "group_type": st.sampled_from(["CONCEPT_ID", "x", None]),
            "metric": st.sampled_from(["inputs_count", "x", None]),
            "top_n": positive_ints,
            "names": st.sampled_from([("a", "b"), ("a",), "ab", None, (1, 2)]),
        },
    )
    view = typed(lambda: build(a=a, b=b, **kwargs))
    _then(
        data,
        view,
        {"set": lambda v: v.set(top_n=data.draw(positive_ints), metric=data.draw(names))},
    )


@budget(300)
@given(data=st.data())
def test_detection_metrics_view(data: st.DataObject) -> None:
    from clarinb.views import DetectionMetricsView

    kwargs = _kwargs(
        data,
        {
            "iou": thresholds,
            "area": names,
            "concept": names,
            "summary": st.one_of(names_map, st.just({"mean_avg_precision_iou_50": None})),
        },
    )
    if data.draw(st.booleans()):
        metrics = data.draw(hostile_frame(DET_METRICS, none=True))
        curves = data.draw(st.one_of(st.none(), hostile_frame(DET_CURVES)))
        view = typed(
            lambda: DetectionMetricsView.from_frames(metrics=metrics, curves=curves, **kwargs)
        )
    else:
        body = data.draw(mutated(DETECTOR))
        kwargs.pop("summary", None)
        view = typed(lambda: DetectionMetricsView.from_evaluation(body, **kwargs))
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(iou=data.draw(thresholds), area=data.draw(names)),
            "figure_": lambda v: v.figure_,
            "map_": lambda v: v.map_,
        },
    )


class _Downloader:
    """A client stand-in whose ``download`` fails like a bad URL does."""

    def download(self, url: str) -> bytes:
        raise InvalidArgumentError(f"not a valid URL: {url!r}")


@budget(300)
@given(data=st.data())
def test_detection_browser(data: st.DataObject) -> None:
    from clarinb.views import DetectionBrowser

    kwargs = _kwargs(
        data,
        {
            "threshold": thresholds,
            "concept": names,
            "fetch": st.sampled_from([None, _Downloader().download]),
        },
    )
    if data.draw(st.booleans()):
        boxes = data.draw(hostile_frame(BOXES, none=True))
        view = typed(lambda: DetectionBrowser(boxes=boxes, **kwargs))
    else:
        body = data.draw(mutated(DETECTOR))
        kwargs.pop("fetch", None)
        view = typed(lambda: DetectionBrowser.from_evaluation(body, fetch=_Downloader().download))
    _then(
        data,
        view,
        {
            "set": lambda v: v.set(threshold=data.draw(thresholds), concept=data.draw(names)),
            "select": lambda v: v.set(input_id=data.draw(st.one_of(names, st.integers(-5, 5)))),
            "figure_": lambda v: v.figure_,
        },
    )


CLASSIFIER_WITH_TEST_SET = dict(CLASSIFIER, **_test_set_body(4))
EVALUATION_VIEWS = ["ConfusionMatrixView", "CurvesView", "ThresholdView", "MistakesView"]


@budget(60)
@given(data=st.data())
def test_evaluation_views_from_bodies(data: st.DataObject) -> None:
    """``from_evaluation`` of every evaluation view, and the explorer, on mutated bodies."""
    from clarinb import apps, views

    body = data.draw(mutated(CLASSIFIER_WITH_TEST_SET))
    name = data.draw(st.sampled_from([*EVALUATION_VIEWS, "EvaluationExplorer"]))
    owner = apps if name == "EvaluationExplorer" else views
    view = typed(lambda: getattr(owner, name).from_evaluation(body))
    if view is not None and name != "EvaluationExplorer":
        typed(lambda: view.figure_)  # views only store their frames: drawing computes


@budget(80)
@given(data=st.data())
def test_mistakes_from_frames(data: st.DataObject) -> None:
    from clarinb.views import MistakesView

    kwargs = _kwargs(
        data, {"concept_names": names_map, "threshold": thresholds, "k": positive_ints}
    )
    test_set = data.draw(hostile_frame(TEST_SET), label="test_set")
    view = typed(lambda: MistakesView.from_frames(test_set=test_set, **kwargs))
    if view is not None:
        typed(lambda: view.figure_)


@budget(200)
@given(data=st.data())
def test_client_constructors_refuse_bad_arguments(data: st.DataObject) -> None:
    """``from_evaluation``, ``from_dataset_version(s)`` and the explorers, given junk."""
    from clarinb import apps, views

    client = data.draw(st.sampled_from([None, "client", 3, {}, object()]))
    ids = [data.draw(names) for _ in range(3)]
    calls: dict[str, Callable[[], Any]] = {
        "detection": lambda: views.DetectionMetricsView.from_evaluation(client),
        "browser": lambda: views.DetectionBrowser.from_evaluation(client),
        "groups": lambda: views.MetricsGroupsView.from_dataset_version(client),
        "diff": lambda: views.VersionDiffView.from_dataset_versions(client, client),
        "dataset": lambda: apps.DatasetVersionExplorer(
            client,
            ids[0],
            poll_interval=data.draw(st.one_of(st.just(1.0), scalars)),
            max_polls=data.draw(positive_ints),
        ),
        "explorer": lambda: apps.EvaluationExplorer(client, evaluation_id=ids[0]),
    }
    typed(calls[data.draw(st.sampled_from(sorted(calls)))])


# -- snapshots and the command line ------------------------------------------------------------
def _workspace() -> dict[str, Any]:
    """A small valid snapshot: one dataset version with its metrics groups, one evaluation."""
    evaluation = copy.deepcopy(frames_part(CLASSIFIER))
    evaluation["test_set"] = _test_set_body(4)["test_set"]
    return {
        "format": "clarinb-workspace/1",
        "user_id": "me",
        "app_id": "app",
        "datasets": [{"id": "ds"}],
        "dataset_versions": [{"id": "v1", "dataset_id": "ds"}],
        "metrics_groups": {"ds/v1": GROUPS_BODY["dataset_version_metrics_groups"]},
        "evaluations": [evaluation],
    }


WORKSPACE = _workspace()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the fuzzed files (overwritten by each example)."""
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module", autouse=True)
def _no_credentials() -> Any:
    """No token or scope from the environment: the command line reads only what it is given."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("CLARIFAI_PAT", "CLARIFAI_USER_ID", "CLARIFAI_APP_ID", "CLARIFAI_API_BASE"):
            mp.delenv(name, raising=False)
        yield


NOT_SNAPSHOTS = ["", "{", "[]", "null", '{"format": 1}', "\u00ff\u00fe", "1e999", "[" * 5000]


@st.composite
def snapshot_text(draw: st.DrawFn) -> str:
    """A snapshot file's text: the small workspace mutated, or not JSON at all."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(
            st.sampled_from(["", "{", "[]", "null", '{"format": 1}', "\u00ff\u00fe", "1e999"])
        )
    if kind == 1:
        return json.dumps(draw(json_values), allow_nan=True)
    return json.dumps(draw(mutated(WORKSPACE, times=3)), allow_nan=True)


@budget(250)
@given(text=snapshot_text())
def test_snapshot_loading(scratch: Path, text: str) -> None:
    """A snapshot file is served, listed and read, or refused with a ClarinbError."""
    from clarinb.emulator import serve

    path = scratch / "snapshot.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")

    def load() -> None:
        with serve(data=path) as emulator:
            client = connect(emulator=emulator, max_retries=0)
            for row in client.evaluations(show_failed=True).itertuples():
                evaluation = client.evaluation(str(row.id))
                typed(evaluation.test_set)
                typed(evaluation.binary_metrics)

    typed(load)


#: Words the fuzzed command lines are made of (values that are valid, invalid and hostile).
ARGV_WORDS = [
    "report", "snapshot", "serve", "demo", "--snapshot", "--demo", "--evaluation",
    "--dataset-version", "-o", "--output", "--title", "--no-images", "--user-id", "--app-id",
    "--api-base", "--data", "--faults", "--pat", "--host", "--check", "--version", "-h", "x",
    "", "-", "ds/v1", "nope/v9", "/", "ds/", "one", "two", "http://[::1", "ftp://x",
    "rate=2", "kinds=nope", "<script>", "\u0000", "99999", "-1", "0",
]  # fmt: skip


def _run(argv: list[str]) -> int:
    from clarinb.cli import main

    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


@budget(150)
@given(data=st.data())
def test_command_line(scratch: Path, data: st.DataObject) -> None:
    """``report``/``snapshot`` on fuzzed files and arguments; ``serve``/``demo`` on bad ports.

    The exit code is 0, 1 or 2 and no other exception escapes.
    """
    snapshot = scratch / "cli-snapshot.json"
    snapshot.write_text(data.draw(snapshot_text()), encoding="utf-8", errors="surrogatepass")
    files = {"SNAPSHOT": str(snapshot), "OUT": str(scratch / "out.html"), "DIR": str(scratch)}
    words = data.draw(st.lists(st.sampled_from([*ARGV_WORDS, *files]), max_size=7))
    words = [files.get(w, w) for w in words]
    command = data.draw(st.sampled_from(["report", "report", "snapshot", "serve", "demo"]))
    if command == "report":
        argv = ["report", "--snapshot", str(snapshot), "-o", files["OUT"], *words]
    elif command == "snapshot":  # without --demo or a token: refused before any request
        argv = ["snapshot", "-o", files["OUT"], *[w for w in words if w != "--demo"]]
    else:  # a port out of range: refused before anything starts
        bad_port = data.draw(st.sampled_from(["-1", "65536", "99999", "x", "1e3", ""]))
        argv = [command, *[w for w in words if w not in ("--check",)], "--port", bad_port]
    code = _run(argv)
    assert code in (0, 1, 2), (argv, code)


@budget(40)
@given(data=st.data())
def test_to_html_paths_and_titles(scratch: Path, data: st.DataObject) -> None:
    """``to_html`` writes the page, or refuses a bad path or title with a ClarinbError."""
    from clarinb.views import ConfusionMatrixView

    path = data.draw(
        st.sampled_from(
            [scratch, scratch / "page.html", scratch / "missing" / "x.html", "", 3, None, b"x"]
        )
    )
    title = data.draw(st.one_of(st.none(), names))
    view = ConfusionMatrixView.from_frames(matrix=CM)
    result = typed(lambda: view.to_html(path, title=title))  # type: ignore[arg-type]
    assert result is None or Path(result).is_file()
