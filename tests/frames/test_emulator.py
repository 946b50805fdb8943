"""Frames, metrics, Evaluation and the Client helpers on the demo emulator's responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clarinb import connect, frames, metrics
from clarinb.emulator import serve
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import EvaluationFailedError


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with serve(data="demo") as emu:
        yield connect(emulator=emu)


@pytest.fixture(scope="module")
def listing(client: Any) -> pd.DataFrame:
    return client.evaluations(show_failed=True)


def test_evaluations_listing(client: Any, listing: pd.DataFrame) -> None:
    assert listing["id"].is_unique
    assert (listing["code"] > 0).all()
    evaluated = listing[listing["code_name"] == "MODEL_EVALUATED"]
    assert len(evaluated) >= 2
    assert set(client.evaluations()["id"]) == set(evaluated["id"])  # failed ones hidden
    detectors = client.evaluations(model_type_id="visual-detector")
    assert set(detectors["model_type_id"]) == {"visual-detector"}
    assert (detectors["mean_avg_precision_iou_50"] > 0).all()
    with pytest.raises(InvalidArgumentError, match="sort_by"):
        client.evaluations(sort_by="nonsense")
    with pytest.raises(InvalidArgumentError, match="no filter 'model_type'"):
        client.evaluations(model_type="visual-detector")
    by_f1 = client.evaluations(sort_by="f1", sort_ascending=True)
    assert set(by_f1["id"]) == set(evaluated["id"])


def _first(listing: pd.DataFrame, model_type: str) -> str:
    rows = listing[(listing["model_type_id"] == model_type) & (listing["code"] == 21300)]
    return str(rows["id"].iloc[0])


def test_classifier_served_metrics_equal_local_recomputation(
    client: Any, listing: pd.DataFrame
) -> None:
    ev = client.evaluation(_first(listing, "visual-classifier"))
    assert ev.kind == "classifier"
    ts = ev.test_set()
    assert ts["input_id"].dtype == "category"
    assert ts["score"].dtype == np.float64
    served = ev.binary_metrics().set_index("concept_id")
    local = metrics.scores(ts).set_index("concept_id").loc[served.index]
    np.testing.assert_array_equal(local["num_pos"], served["num_pos"])
    np.testing.assert_allclose(local["roc_auc"], served["roc_auc"], atol=1e-6)
    np.testing.assert_allclose(local["avg_precision"], served["avg_precision"], atol=1e-6)
    counts = ev.label_counts().set_index("concept_id")["count"]
    positives = ts[ts["ground_truth"]].groupby("concept_id", observed=True).size()
    assert counts.to_dict() == positives.loc[counts.index].to_dict()
    cm = ev.confusion_matrix()
    assert cm.shape[0] == cm.shape[1]
    assert set(cm.index) <= set(ts["concept_id"].cat.categories)
    roc = ev.roc_curves()
    assert set(roc["concept_id"].cat.categories) == set(served.index)
    assert roc["fpr"].between(0, 1).all()
    assert set(ev.concepts) == set(served.index)


def test_detector_evaluation(client: Any, listing: pd.DataFrame) -> None:
    ev = client.evaluation(_first(listing, "visual-detector"))
    assert ev.kind == "detector"
    by_class = ev.metrics_by_class()
    ious = sorted(by_class["iou"].unique())
    assert 0.8 in ious
    assert 0.9 in ious
    assert len(by_class[by_class["iou"] == 0.8]) > 0
    regions = ev.test_set_regions()
    boxes = regions[["top_row", "left_col", "bottom_row", "right_col"]]
    assert boxes.stack().between(0, 1).all()
    assert regions["ground_truth"].any()
    assert (~regions["ground_truth"]).any()
    assert (regions["width"] > 0).all()
    ts = ev.test_set()
    best = regions[~regions["ground_truth"]].groupby(["input_id", "concept_id"])["score"].max()
    scored = ts.set_index(["input_id", "concept_id"])["score"].astype(float)
    for key, value in best.head(20).items():
        assert scored.loc[key] == pytest.approx(value)
    pr = ev.pr_curves()
    assert {"area_name", "iou"} <= set(pr.columns)


def test_failed_evaluation(client: Any, listing: pd.DataFrame) -> None:
    failed = listing[listing["code"].between(21310, 21317)]
    assert len(failed) > 0
    ev = client.evaluation(str(failed["id"].iloc[0]))
    assert ev.is_failed
    with pytest.raises(EvaluationFailedError, match=str(ev.code)):
        ev.test_set()


def test_dataset_helpers(client: Any, listing: pd.DataFrame) -> None:
    dataset_id = str(listing["dataset_id"].iloc[-1])
    versions = client.dataset_versions(dataset_id)
    assert len(versions) >= 1
    assert versions["code_name"].str.startswith("DATASET_VERSION").all()
    version = str(versions["id"].iloc[0])
    groups = client.dataset_version_metrics(dataset_id, version)
    assert groups["inputs_count"].dtype == "Int64"
    concepts = client.dataset_version_metrics(dataset_id, version, types="CONCEPT_ID")
    assert set(concepts["type"]) == {"CONCEPT_ID"}
    assert len(concepts) == (groups["type"] == "CONCEPT_ID").sum()
    by_number = client.dataset_version_metrics(dataset_id, version, types=[10])
    pd.testing.assert_frame_equal(by_number, concepts)
    with pytest.raises(InvalidArgumentError, match="metrics group type"):
        client.dataset_version_metrics(dataset_id, version, types=["NOPE"])
    raw = list(
        client.paginate(
            "V2_ListDatasetVersionMetricsGroups2", datasetId=dataset_id, datasetVersionId=version
        )
    )
    matrix = frames.region_location_matrix(raw)
    assert matrix.to_numpy().sum() > 0


def test_resource_helpers(client: Any) -> None:
    models = client.models()
    assert models["id"].is_unique
    assert "visual-detector" in set(models["model_type_id"])
    types = client.model_types()
    assert types.set_index("id").loc["visual-detector", "evaluation_type"] == "Detection"
    inputs = client.inputs()
    assert len(inputs) > 128  # more than one page
    assert inputs["id"].is_unique
    assert str(inputs["created_at"].dtype).startswith("datetime64")
    orders = client.label_orders()
    assert orders["code_name"].str.startswith("LABEL_ORDER").all()
    jobs = client.input_add_jobs()
    assert jobs["success_count"].dtype == "Int64"
