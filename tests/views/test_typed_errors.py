"""Bad input to a view gives an InvalidArgumentError naming the argument, never another exception.

One test per case found by fuzzing (see ``tests/test_fuzz_typed.py``), plus the
thumbnails of inputs whose image URL is malformed: they show a message.
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import _validate as validate
from clarinb import connect
from clarinb.emulator import serve
from clarinb.emulator.server import demo_workspace
from clarinb.errors import InvalidArgumentError
from clarinb.views import (
    CompareView,
    ConfusionMatrixView,
    CurvesView,
    DetectionBrowser,
    DetectionMetricsView,
    MetricsGroupsView,
    ThresholdView,
    VersionDiffView,
)

BAD_URL = "http://[::1"


def _groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parent_path": "",
            "type": "CONCEPT_ID",
            "value": ["cat", "dog"],
            "inputs_count": [3, 5],
        }
    )


def test_confusion_matrix_from_a_list_names_the_matrix() -> None:
    with pytest.raises(InvalidArgumentError, match=r"must be a pandas DataFrame, not \[\["):
        ConfusionMatrixView.from_frames(matrix=[[1, 2], [3, 4]])


def test_confusion_matrix_with_duplicated_labels() -> None:
    matrix = pd.DataFrame([[1, 2], [3, 4]], index=["cat", "cat"], columns=["cat", "dog"])
    with pytest.raises(InvalidArgumentError, match=r"row labels must be unique.*cat"):
        ConfusionMatrixView.from_frames(matrix=matrix)


@pytest.mark.parametrize("value", [math.inf, -1.0, "x"])
def test_confusion_matrix_with_bad_counts(value: Any) -> None:
    matrix = pd.DataFrame([[1, value], [3, 4]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(InvalidArgumentError, match="matrix must hold"):
        ConfusionMatrixView.from_frames(matrix=matrix)


def test_empty_test_set_is_refused_alike_by_every_evaluation_view(test_set: pd.DataFrame) -> None:
    empty = test_set.iloc[:0]
    for build in (
        lambda: CurvesView.from_frames(test_set=empty),
        lambda: ThresholdView.from_frames(test_set=empty),
        lambda: ConfusionMatrixView.from_frames(test_set=empty),
    ):
        with pytest.raises(InvalidArgumentError, match="test set is empty"):
            build()


def test_test_set_with_unhashable_concept_ids(test_set: pd.DataFrame) -> None:
    bad = test_set.astype({"concept_id": object})
    bad.loc[0, "concept_id"] = "placeholder"
    bad.at[0, "concept_id"] = {}
    with pytest.raises(InvalidArgumentError, match="concept_id of the test set must be a string"):
        ThresholdView.from_frames(test_set=bad)


def test_metrics_groups_from_none() -> None:
    with pytest.raises(InvalidArgumentError, match="metrics-groups frame must be a pandas"):
        MetricsGroupsView.from_frames(groups=None)


def test_infinite_counts_in_metrics_groups() -> None:
    groups = _groups().assign(inputs_count=[3.0, math.inf])
    with pytest.raises(InvalidArgumentError, match="'inputs_count' holds infinite values"):
        MetricsGroupsView.from_frames(groups=groups)
    with pytest.raises(InvalidArgumentError, match="infinite"):
        VersionDiffView.from_frames(a=_groups(), b=groups)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("where", [0, -1])
def test_an_infinite_score_anywhere_in_a_long_test_set(dtype: str, where: int) -> None:
    """The float column is read in place, a block at a time: the last block is checked too."""
    n = (1 << 20) + 5
    scores = np.full(n, 0.5)
    scores[where] = -math.inf
    ts = pd.DataFrame(
        {
            "input_id": np.arange(n) // 2,
            "concept_id": np.arange(n) % 2,
            "score": pd.Series(scores).astype(dtype),
            "ground_truth": False,
        }
    )
    with pytest.raises(InvalidArgumentError, match="'score' holds infinite values"):
        validate.evaluation_test_set(ts)
    validate.evaluation_test_set(ts.assign(score=pd.Series(np.full(n, 0.5)).astype(dtype)))


def test_detector_summary_with_a_null_map() -> None:
    metrics = pd.DataFrame(
        {"concept_id": ["cat"], "iou": [0.5], "area_name": "all", "avg_precision": [0.8]}
    )
    view = DetectionMetricsView.from_frames(
        metrics=metrics, summary={"mean_avg_precision_iou_50": None}
    )
    assert view.map_["reported mAP@0.5"] == 0.0  # omitted or null: proto3's 0
    with pytest.raises(InvalidArgumentError, match=r"summary\.mean_avg_precision_iou_50"):
        DetectionMetricsView.from_frames(
            metrics=metrics, summary={"mean_avg_precision_iou_50": "x"}
        )
    with pytest.raises(InvalidArgumentError, match="summary must be a mapping"):
        DetectionMetricsView.from_frames(metrics=metrics, summary=True)


def test_compare_view_set_checks_before_changing() -> None:
    a = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.8, 0.9]})
    b = pd.DataFrame({"concept_id": ["x", "y"], "roc_auc": [0.85, 0.7]})
    view = CompareView.from_frames(per_concept={"old": a, "new": b})
    with pytest.raises(InvalidArgumentError, match="metric must be one of"):
        view.set(metric="nope")
    assert view.metric == "roc_auc"
    with pytest.raises(InvalidArgumentError, match="the curves of 'old'"):
        CompareView.from_frames(per_concept={"old": a, "new": b}, curves={"old": 3})


def test_from_a_read_model_without_one() -> None:
    with pytest.raises(InvalidArgumentError, match=r"evaluation must be a clarinb\.Evaluation"):
        DetectionMetricsView.from_evaluation(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"client\.evaluation\(evaluation_id\)"):
        DetectionBrowser.from_evaluation("ev-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"version must be a clarinb\.DatasetVersion"):
        MetricsGroupsView.from_dataset_version({"id": "v1"})  # type: ignore[arg-type]


def test_messages_name_the_argument_and_the_fix() -> None:
    with pytest.raises(InvalidArgumentError) as err:
        validate.positive_int(-1, "top_n", or_none=True)
    assert str(err.value) == "top_n must be a positive integer or None, not -1."
    with pytest.raises(InvalidArgumentError) as err:
        validate.frame([1], "the test set", hint="build it with clarinb.frames.test_set()")
    assert str(err.value) == (
        "the test set must be a pandas DataFrame, not [1]; build it with clarinb.frames.test_set()."
    )


def test_curves_of_the_demo_detector_warn_of_nothing(eval_demo: Any) -> None:
    """A detector has no ROC AUC: the macro average says n/a, with no 'Mean of empty slice'."""
    evaluation = eval_demo.evaluation("animals-detector-on-v2")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        view = CurvesView.from_evaluation(evaluation)
    names = [trace.name for trace in view.figure_.data if trace.name]
    assert any("macro average (AUC n/a)" in name for name in names), names


@pytest.fixture(scope="module")
def bad_url_client() -> Any:
    """The demo workspace with the first test-set input of every evaluation at a malformed URL."""
    ws = dict(demo_workspace())
    ws["evaluations"] = copy.deepcopy(ws["evaluations"])
    for evaluation in ws["evaluations"]:
        entries = evaluation.get("test_set") or []
        if entries:
            entries[0]["input"]["data"]["image"]["url"] = BAD_URL
    with serve(data=ws) as emulator:
        yield connect(emulator=emulator)


def test_bad_image_url_shows_a_message_in_the_drilldown(bad_url_client: Any) -> None:
    evaluation = bad_url_client.evaluation("animals-base-on-v2")
    view = ConfusionMatrixView.from_evaluation(evaluation)
    ts = evaluation.test_set()
    first = ts["input_id"].astype(str).iloc[0]
    row = ts[(ts["input_id"] == first) & ts["ground_truth"]]
    top = ts[ts["input_id"] == first].nlargest(1, "score")
    cell = (str(row["concept_id"].iloc[0]), str(top["concept_id"].iloc[0]))
    inputs = view.set(cell=cell).cell_inputs_
    assert first in set(inputs["input_id"])
    view.widget_  # noqa: B018 - built after the cell was set: its inputs are listed
    grid = view._inputs.children[1]
    texts = [
        " ".join(str(w.value) for w in getattr(box, "children", (box,)) if hasattr(w, "value"))
        for box in grid.children
    ]
    shown = next(t for t in texts if first in t)
    assert "not a valid" in shown


def test_bad_image_url_leaves_the_detection_browser_usable(bad_url_client: Any) -> None:
    evaluation = bad_url_client.evaluation("animals-detector-on-v2")
    body = evaluation.to_dict() if hasattr(evaluation, "to_dict") else None
    if body is None:
        body = bad_url_client.call(
            "V2_GetEvaluation2",
            evaluationId="animals-detector-on-v2",
            query={"fields.testSet": True},
        )
    view = DetectionBrowser.from_evaluation(body, fetch=bad_url_client.download)
    assert view.figure_.layout.images[0].visible is False
    assert "image not loaded" in view._note_html()
    view.set(input_id=view.inputs_[1])
    assert view.figure_ is not None


def test_detection_browser_with_missing_concept_ids() -> None:
    # Found by the fuzz: a missing concept id (NaN) beside string ids broke sorting them.
    from clarinb.frames.regions import BOX_COLUMNS
    from clarinb.views import DetectionBrowser

    rows = []
    for i, concept in enumerate(["cat", None, "dog"]):
        row = dict.fromkeys(BOX_COLUMNS, 0.5)
        row.update(input_id=f"img{i}", image_url=f"https://x.test/{i}.jpg", concept_id=concept)
        row.update(kind="gt", top=0.1, left=0.1, bottom=0.4, right=0.6, width=10.0, height=10.0)
        rows.append(row)
    view = DetectionBrowser(boxes=pd.DataFrame(rows), fetch=lambda url: b"")
    assert view.concepts_ == ["cat", "dog"]
