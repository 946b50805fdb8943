"""The report's evaluation summary: every MetricsSummary field, "n/a" where it does not apply."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from clarinb import Evaluation
from clarinb.frames.summary import SUMMARY_FIELDS
from clarinb.report._sections import _summary

DATA = Path(__file__).resolve().parent / "data"


def _field(label: object) -> str:
    """The API field of a readable metric label (its tooltip), or the label itself."""
    found = re.search(r'title="([a-z0-9_]+)"', str(label))
    return found.group(1) if found else str(label)


def _values(ev: Evaluation) -> dict[str, str]:
    table: pd.DataFrame = _summary(ev)
    return {_field(k): v for k, v in zip(table.iloc[:, 0], table["value"], strict=True)}


def _load(name: str) -> Evaluation:
    return Evaluation.from_dict(json.loads((DATA / f"{name}.json").read_text()))


def test_a_detector_summary_shows_n_a_for_classifier_metrics() -> None:
    values = _values(_load("get_evaluation_detector_synth"))
    assert set(SUMMARY_FIELDS) <= set(values)
    assert values["macro_avg_roc_auc"] == "n/a"
    assert values["top1_accuracy"] == "n/a"
    assert values["mean_avg_precision_iou_50"] not in ("n/a", "0.0000")


def test_a_classifier_summary_shows_n_a_for_map_and_its_true_zeros() -> None:
    values = _values(_load("get_evaluation_classifier_synth"))
    assert set(SUMMARY_FIELDS) <= set(values)
    assert values["mean_avg_precision_iou_50"] == "n/a"
    assert values["mean_avg_precision_iou_range"] == "n/a"
    assert values["macro_avg_roc_auc"] == "0.9200"
    assert values["top1_accuracy"] == "0.0000"  # applies and omitted: a true 0


def test_a_failed_evaluation_shows_n_a_never_nan() -> None:
    failed = Evaluation.from_dict({"id": "f", "status": {"code": 21317}, "model": {"id": "m"}})
    values = _values(failed)
    assert all(values[name] == "n/a" for name in SUMMARY_FIELDS)
    assert not any("nan" in str(v).lower() for v in values.values())
