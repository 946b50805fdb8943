from __future__ import annotations

import math
from pathlib import Path

import pytest
from schema_gen import OUTPUT, build_schema

from clarinb.emulator import lifecycle
from clarinb.emulator._schema import SCHEMA
from clarinb.emulator.wire import is_zero, render, status, timestamp


def test_generated_schema_is_current() -> None:
    assert Path(OUTPUT).read_text().startswith("# GENERATED FILE")
    assert build_schema() == SCHEMA


def test_int64_fields_become_strings_and_wrappers_keep_zero() -> None:
    out = render({"format": 1, "size": 2048, "status": {"code": 64200}}, "DatasetVersionExport")
    assert out == {"format": 1, "size": "2048", "status": {"code": 64200}}
    metrics = render({"inputs_count": 0, "regions_count": 5}, "DatasetVersionMetrics")
    assert metrics == {"inputs_count": "0", "regions_count": "5"}


def test_zero_values_are_left_out_except_always_emitted_fields() -> None:
    out = render({"id": "cat", "name": "", "value": 0.0}, "Concept")
    assert out == {"id": "cat", "value": 0.0}
    summary = render({"mean_avg_precision_iou_50": 0.0}, "MetricsSummary")
    assert "mean_avg_precision_iou_50" not in summary
    assert summary["macro_avg_f1_score"] == 0
    assert summary["macro_avg_roc_auc"] == 0


def test_concept_value_is_emitted_even_when_missing() -> None:
    assert render({"id": "dog"}, "Concept") == {"id": "dog", "value": 0}


def test_list_keys_of_multi_responses() -> None:
    assert render({"status": status(10000)}, "MultiInputResponse")["inputs"] == []
    assert "eval_metrics" not in render({"status": status(10000)}, "MultiEvalMetricsResponse")


def test_non_finite_floats_and_free_json() -> None:
    out = render(
        {
            "roc_auc": math.nan,
            "f1": math.inf,
            "concept": {"id": "x", "metadata": {"a": 0, "b": ""}},
        },
        "BinaryMetrics",
    )
    assert out["roc_auc"] == "NaN"
    assert out["f1"] == "Infinity"
    assert out["concept"]["metadata"] == {"a": 0, "b": ""}


def test_private_keys_are_never_sent() -> None:
    assert render({"id": "a", "_steps": [1]}, "Input") == {"id": "a"}


def test_timestamp_is_rfc3339_utc() -> None:
    assert timestamp().endswith("Z")
    assert "T" in timestamp()


@pytest.mark.parametrize(
    ("value", "zero"),
    [
        (0, True),
        (0.0, True),
        ("", True),
        ([], True),
        (False, True),
        (None, True),
        (1, False),
        ("a", False),
    ],
)
def test_is_zero(value: object, zero: bool) -> None:
    assert is_zero(value) is zero


def test_enum_names_become_numbers() -> None:
    out = render(
        {"request_origin": "MANUAL", "status": {"code": "DATASET_VERSION_READY"}}, "DatasetVersion"
    )
    assert out == {"request_origin": 1, "status": {"code": 64015}}
    groups = render({"type": "CONCEPT_ID", "value": "cat"}, "DatasetVersionMetricsGroup")
    assert groups == {"type": 10, "value": "cat"}
    assert (
        render({"type": "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET"}, "DatasetVersionMetricsGroup")
        == {}
    )


def test_zero_int64_is_left_out_whether_number_or_string() -> None:
    assert render({"bytes_remaining": 0}, "PostModelVersionsUploadResponse") == {}
    assert render({"bytes_remaining": "0"}, "PostModelVersionsUploadResponse") == {}
    assert render({"bytes_remaining": 7}, "PostModelVersionsUploadResponse") == {
        "bytes_remaining": "7"
    }


@pytest.mark.parametrize("message", sorted(SCHEMA))
def test_render_never_sends_a_key_the_message_does_not_have(message: str) -> None:
    fields = SCHEMA[message]
    strangers = {
        k: "x" for k in ("modified_at", "created_at", "id", "not_a_field") if k not in fields
    }
    nested = {
        k: {"not_a_field": 1} for k, code in fields.items() if code.lstrip("[").startswith("M:")
    }
    out = render({**strangers, **nested}, message)
    assert set(out) <= set(fields)
    for key, value in out.items():
        if isinstance(value, dict) and fields[key].startswith("M:"):
            assert "not_a_field" not in value


def test_a_lifecycle_step_stamps_only_resources_that_have_modified_at() -> None:
    export = lifecycle.start({"format": 3}, (64201, 64200))
    lifecycle.advance(export)
    assert export["status"]["code"] == 64200
    assert "modified_at" not in export
    version = lifecycle.start({"id": "v", "modified_at": "then"}, (64005, 64010))
    lifecycle.advance(version)
    assert version["modified_at"] != "then"
