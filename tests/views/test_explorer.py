from __future__ import annotations

import pandas as pd
import pytest

from clarinb import metrics
from clarinb.errors import ClarinbError, TransportError
from clarinb.views import EvaluationExplorer
from clarinb.views._source import FrameParts
from tests.views.conftest import synthetic_test_set


class FakeEvaluation:
    """Stands in for clarinb.Evaluation: the explorer only reads these."""

    def __init__(self, eid: str, model: str, ts: pd.DataFrame | None, failed: bool = False):
        self.id, self.model_id, self.dataset_version_id = eid, model, "dv1"
        self.is_failed, self.status = failed, "MODEL_EVALUATION_FAILED" if failed else "OK"
        self._ts = ts

    def test_set(self) -> pd.DataFrame:
        if self._ts is None:
            raise ClarinbError("the evaluation body has no test_set")
        return self._ts

    def binary_metrics(self) -> pd.DataFrame:
        if self._ts is None:
            return pd.DataFrame({"concept_id": ["a", "b"], "roc_auc": [0.7, 0.9],
                                 "avg_precision": [0.6, 0.8], "f1": [0.5, 0.7]})  # fmt: skip
        return metrics.scores(self._ts).merge(metrics.at_threshold(self._ts, 0.5))

    def roc_curves(self) -> pd.DataFrame:
        return metrics.curves(self._ts)[0]

    def pr_curves(self) -> pd.DataFrame:
        return metrics.curves(self._ts)[1]

    def confusion_matrix(self) -> pd.DataFrame:
        return pd.DataFrame([[3, 1], [0, 4]], index=["a", "b"], columns=["a", "b"])


class FakeClient:
    def __init__(self) -> None:
        ts = synthetic_test_set(seed=2)
        self.store = {
            "e1": FakeEvaluation("e1", "model-a", ts),
            "e2": FakeEvaluation("e2", "model-a", synthetic_test_set(seed=4)),
            "e3": FakeEvaluation("e3", "model-b", None),
            "bad": FakeEvaluation("bad", "model-c", None, failed=True),
        }
        self.fetched: list[str] = []

    def evaluations(self, show_failed: bool = False) -> pd.DataFrame:
        shown = [e for e in self.store.values() if show_failed or not e.is_failed]
        return pd.DataFrame({
            "id": [e.id for e in shown],
            "model_id": [e.model_id for e in shown],
            "code": [21317 if e.is_failed else 21300 for e in shown],
            "code_name": ["MODEL_EVALUATION_FAILED" if e.is_failed else "MODEL_EVALUATED"
                          for e in shown],
        })  # fmt: skip

    def evaluation(self, eid: str):
        self.fetched.append(eid)
        if eid == "gone":
            raise TransportError("connection refused")
        return self.store[eid]


@pytest.fixture
def explorer() -> EvaluationExplorer:
    return EvaluationExplorer(FakeClient())


def test_dropdowns_follow_the_listing(explorer: EvaluationExplorer) -> None:
    assert explorer._model.options == ("model-a", "model-b", "model-c")
    assert [v for _, v in explorer._evaluation.options] == ["e1", "e2"]
    tabs = explorer.tab_contents
    assert set(explorer.views_) == {"confusion", "curves", "thresholds"}
    assert "inputs" in tabs["Test set"][0].value
    assert explorer._progress.value == 5
    explorer._evaluation.value = "e2"
    assert explorer.client.fetched == ["e1", "e2"]
    expected = metrics.confusion_matrix(synthetic_test_set(seed=4))
    heat = explorer.views_["confusion"].figure_.data[0]
    assert heat.z[0][0] == expected.iloc[0, 0]


def test_missing_test_set_and_failed_evaluation_are_messages(explorer) -> None:
    explorer._model.value = "model-b"
    assert explorer._evaluation.value == "e3"
    tabs = explorer.tab_contents
    assert "no test set" in tabs["Thresholds"][0].value
    assert "no test set" in tabs["Test set"][0].value
    assert "clarinb-message" in tabs["Curves"][0].value  # no curves in this body: a message
    assert "Could not show" in explorer._status.value
    explorer._model.value = "model-c"
    assert "failed" in explorer._status.value
    assert all("failed" in t[0].value for t in explorer.tab_contents.values())


def test_network_error_is_a_message(explorer) -> None:
    explorer.select("gone")
    assert "TransportError" in explorer._status.value
    assert "connection refused" in explorer._status.value
    assert "Traceback" not in explorer._status.value


def test_listing_error_is_a_message() -> None:
    class Broken(FakeClient):
        def evaluations(self, show_failed: bool = False):
            raise TransportError("timed out")

    view = EvaluationExplorer(Broken())
    assert "Could not list evaluations" in view._status.value
    assert "timed out" in view._status.value


def test_from_frames_and_html(tmp_path) -> None:
    ts = synthetic_test_set(seed=1)
    view = EvaluationExplorer.from_frames("demo", test_set=ts, theme="dark")
    assert view.widget_.children[0].layout.display == "none"
    assert set(view.views_) == {"confusion", "thresholds"}
    # curves come from the test set when there are no curve frames: a message otherwise
    text = view.to_html(tmp_path / "ex.html").read_text()
    assert text.count("Plotly.newPlot") >= 2
    assert isinstance(FrameParts("x").label, str)


def test_demo_workspace(demo_classifiers, eval_demo) -> None:
    first, second = list(demo_classifiers)[:2]
    view = EvaluationExplorer(eval_demo, evaluation_id=demo_classifiers[first].id)
    assert view._model.value == first
    assert set(view.views_) == {"confusion", "curves", "thresholds"}
    assert first in view.tab_contents["Summary"][0].value
    view._model.value = second
    assert view.parts.evaluation.model_id == second
    expected = metrics.confusion_matrix(view.parts.test_set)
    assert view.views_["confusion"].matrix_.equals(expected)
    assert "inputs" in view.tab_contents["Test set"][0].value


def test_detector_evaluation_points_to_detection_views(eval_demo) -> None:
    listing = eval_demo.evaluations()
    detector = next(
        i for i in listing["id"] if eval_demo.evaluation(i).kind == "detector"
    )  # the demo has one
    view = EvaluationExplorer(eval_demo, evaluation_id=detector)
    assert "DetectionMetricsView" in view._status.value
    assert detector in view.tab_contents["Summary"][1].value
    assert view.views_ == {}


def test_demo_lists_the_failed_evaluation_and_explains_it(eval_demo) -> None:
    view = EvaluationExplorer(eval_demo)
    listing = view.listing
    failed = listing.loc[listing["code"] != 21300, "id"].tolist()
    assert failed, "the demo workspace has a failed evaluation"
    # The explorer opens on a classifier's evaluation that succeeded ...
    assert view.parts is not None
    assert not view.parts.evaluation.is_failed
    assert view.parts.evaluation.kind == "classifier"
    assert set(view.views_) == {"confusion", "curves", "thresholds"}
    # ... and picking the failed one shows why, inside the widget.
    view.select(failed[0])
    assert view.views_ == {}
    assert "NEED_LABELS" in view._status.value or "label" in view._status.value.lower()
