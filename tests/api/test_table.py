"""The endpoint table holds exactly the seed's 50 operations and agrees with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from clarinb.api import ENDPOINTS, match_route
from clarinb.api.client import BaseClient

from ._seed import read_seed

SEED_OPS = read_seed()
ROOT = Path(__file__).resolve().parents[2]


def test_seed_reader_finds_fifty_distinct_operations() -> None:
    ids = [op.operation_id for op in SEED_OPS]
    assert len(ids) == 50
    assert len(set(ids)) == 50


def test_table_has_exactly_the_seed_operations_in_seed_order() -> None:
    assert list(ENDPOINTS) == [op.operation_id for op in SEED_OPS]


@pytest.mark.parametrize("op", SEED_OPS, ids=lambda op: op.operation_id)
def test_row_agrees_with_seed(op) -> None:
    row = ENDPOINTS[op.operation_id]
    assert row.method == op.method
    assert row.path == op.path
    assert list(row.path_params) == op.path_params
    assert list(row.path_params) == re.findall(r"\{(\w+)\}", op.path)
    assert list(row.query_params) == op.query_params
    assert row.has_body == op.has_body
    if row.paging == "page":
        assert {"page", "perPage"} <= set(row.query_types)
        assert row.list_key
    if row.paging == "last_id":
        assert {"lastId", "perPage"} <= set(row.query_types)
    if row.paging == "body":
        assert "pagination" in row.body_keys
        assert row.method == "POST"


def test_paging_modes_are_the_expected_ones() -> None:
    modes = {op_id: e.paging for op_id, e in ENDPOINTS.items() if e.paging}
    assert modes["V2_StreamInputs2"] == "last_id"
    assert modes["V2_PostInputsSearches2"] == "body"
    assert modes["V2_PostModelsSearches2"] == "body"
    assert modes["V2_ListEvaluations3"] == "page"
    assert ENDPOINTS["V2_ListEvaluations3"].list_key == "eval_metrics"
    assert ENDPOINTS["V2_ListDatasetVersionMetricsGroups2"].list_key == (
        "dataset_version_metrics_groups"
    )
    assert set(modes.values()) == {"page", "body", "last_id"}
    assert ENDPOINTS["V2_GetEvaluation2"].paging is None


@pytest.mark.parametrize("op", SEED_OPS, ids=lambda op: op.operation_id)
def test_match_route_finds_each_operation_from_a_concrete_path(op) -> None:
    concrete = op.path
    values = {name: f"v-{name}" for name in op.path_params}
    for name, value in values.items():
        concrete = concrete.replace("{" + name + "}", value)
    found = match_route(op.method, concrete)
    assert found is not None
    endpoint, params = found
    assert endpoint.operation_id == op.operation_id
    assert params == values


def test_literal_segments_win_over_placeholders() -> None:
    found = match_route("GET", "/v2/inputs/status")
    assert found is not None
    assert found[0].operation_id == "V2_GetInputCount2"
    assert match_route("GET", "/v2/nowhere") is None


def test_client_operations_lists_all_fifty() -> None:
    assert BaseClient.endpoint("V2_GetEvaluation2").method == "GET"
    assert len(ENDPOINTS) == 50


def test_generated_table_is_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_endpoints.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_generated_file_says_it_is_generated() -> None:
    head = (ROOT / "clarinb" / "api" / "_endpoints.py").read_text(encoding="utf-8")[:300]
    assert "GENERATED" in head
    assert "scripts/gen_endpoints.py" in head
