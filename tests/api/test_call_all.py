"""Every one of the 50 operations is callable through ``client.call`` and sends what it should."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from clarinb.api import ENDPOINTS

from ._seed import read_seed
from .conftest import SECRET

SCOPE_NAMES = ("userAppId.userId", "userAppId.appId")
SAMPLE = {"string": "s v", "integer": 7, "boolean": True, "array": ["x", "y z"]}
WIRE = {"string": ["s v"], "integer": ["7"], "boolean": ["true"], "array": ["x", "y z"]}


def _sample_body(op_id: str) -> dict:
    keys = [k for k in ENDPOINTS[op_id].body_keys if k != "user_app_id"]
    return {keys[0]: [{"id": "thing-1"}]} if keys else {}


@pytest.mark.parametrize("op", read_seed(), ids=lambda op: op.operation_id)
def test_call_sends_method_path_query_and_body(op, server, client) -> None:
    path_values = {name: f"id {name}/é" for name in op.path_params}
    query = {name: SAMPLE[kind] for name, kind in op.query_params if name not in SCOPE_NAMES}
    body = _sample_body(op.operation_id) if op.has_body else None

    response = client.call(op.operation_id, query=query or None, body=body, **path_values)

    assert response["status"]["code"] == 10000
    (seen,) = server.requests
    assert seen.method == op.method
    expected_path = op.path
    for name, value in path_values.items():
        expected_path = expected_path.replace("{" + name + "}", quote(value, safe=""))
    assert seen.path == expected_path
    assert seen.operation_id == op.operation_id
    expected_query = [(n, w) for n, kind in op.query_params if n in query for w in WIRE[kind]]
    if op.method == "GET" or not op.has_body:
        expected_query += [("userAppId.userId", "u1"), ("userAppId.appId", "a1")]
    assert seen.query == expected_query
    assert seen.headers["Authorization"] == f"Key {SECRET}"
    if op.has_body:
        assert seen.headers["Content-Type"] == "application/json"
        expected_body = dict(body or {})
        if "user_app_id" in ENDPOINTS[op.operation_id].body_keys:
            expected_body["user_app_id"] = {"user_id": "u1", "app_id": "a1"}
        assert seen.body == expected_body
    else:
        assert seen.body is None


def test_call_never_changes_the_callers_body(server, client) -> None:
    body = {"inputs": [{"id": "a"}]}
    before = json.dumps(body)
    client.call("V2_PostInputs2", body=body)
    assert json.dumps(body) == before
    assert server.requests[0].body["user_app_id"] == {"user_id": "u1", "app_id": "a1"}
