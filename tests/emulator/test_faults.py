from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from tiny import tiny_workspace

from clarinb import connect
from clarinb.emulator import Emulator, Faults, parse_faults, serve
from clarinb.emulator.faults import KINDS, FaultPlan

SPEC = "rate=0.3,seed=7,kinds=429+503+500+drop+truncate+throttle200,latency=0.0005,retry_after=0"


def _requests() -> list[tuple[str, dict[str, Any]]]:
    """1,000 calls that are safe to repeat: lists, gets, evaluation fields, searches."""
    calls: list[tuple[str, dict[str, Any]]] = []
    ids = [f"in-{n:02d}" for n in range(12)] + ["video-1"]
    while len(calls) < 1000:
        n = len(calls)
        calls += [
            ("V2_GetInput2", {"inputId": ids[n % len(ids)]}),
            ("V2_ListInputs2", {"query": {"page": 1 + n % 4, "perPage": 4}}),
            ("V2_GetEvaluation2", {"evaluationId": "eval-1", "query": {"fields.testSet": True}}),
            ("V2_PostInputsSearches2", {"body": {"searches": [{"id": "saved-cats"}]}}),
            ("V2_ListModels3", {}),
            ("V2_StreamInputs2", {"query": {"perPage": 3, "lastId": ids[n % len(ids)]}}),
            ("V2_GetDatasetVersion2", {"datasetId": "pets", "datasetVersionId": "v1"}),
            (
                "V2_ListDatasetVersionMetricsGroups2",
                {"datasetId": "pets", "datasetVersionId": "v1"},
            ),
        ]
    return calls[:1000]


def _run(emulator: Emulator) -> list[str]:
    out = []
    with connect(emulator=emulator, max_retries=12, retry_backoff=0.0005) as client:
        for operation, kwargs in _requests():
            body = client.call(operation, **kwargs)
            body["status"].pop("req_id", None)
            out.append(json.dumps(body, sort_keys=True).replace(emulator.url, "BASE"))
    return out


def test_a_thousand_requests_with_faults_match_a_fault_free_run() -> None:
    with serve(data=tiny_workspace()) as clean:
        expected = _run(clean)
    with serve(data=tiny_workspace(), faults=SPEC) as faulty:
        got = _run(faulty)
        counts = faulty.fault_counts
    assert len(got) == 1000
    assert got == expected
    assert set(counts) == set(KINDS)
    assert all(n > 0 for n in counts.values())
    assert sum(counts.values()) > 300


def test_fault_sequence_is_repeatable() -> None:
    faults = parse_faults("rate=0.5,seed=3")
    assert faults is not None
    first = [FaultPlan(faults).next() for _ in range(1)]
    plan_a, plan_b = FaultPlan(faults), FaultPlan(faults)
    assert [plan_a.next() for _ in range(200)] == [plan_b.next() for _ in range(200)]
    assert first[0] == FaultPlan(faults).next()


def test_429_carries_retry_after_and_a_throttled_body() -> None:
    with serve(data=tiny_workspace(), faults="rate=1,kinds=429,retry_after=2") as emu:
        response = requests.get(
            f"{emu.url}/v2/inputs", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
        )
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json()["status"]["code"] == 11005


def test_throttle_inside_http_200() -> None:
    with serve(data=tiny_workspace(), faults="rate=1,kinds=throttle200") as emu:
        response = requests.get(
            f"{emu.url}/v2/inputs", headers={"Authorization": f"Key {emu.pat}"}, timeout=5
        )
    assert response.status_code == 200
    assert response.json()["status"]["code"] == 11005


def test_truncated_and_dropped_answers() -> None:
    headers = {"Authorization": "Key x"}
    with serve(data=tiny_workspace(), pat="x", faults="rate=1,kinds=truncate") as emu:
        body = requests.get(f"{emu.url}/v2/inputs", headers=headers, timeout=5).content
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
    with (
        serve(data=tiny_workspace(), pat="x", faults="rate=1,kinds=drop") as emu,
        pytest.raises(requests.ConnectionError),
    ):
        requests.get(f"{emu.url}/v2/inputs", headers=headers, timeout=5)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("rate=2", "between 0 and 1"),
        ("kinds=429+teapot", "teapot"),
        ("speed=3", "unknown fault setting 'speed'"),
        ("rate", "write name=value"),
        ("seed=x", "bad fault setting"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_faults(spec)


def test_spec_and_dataclass_agree() -> None:
    assert parse_faults("rate=0.2,seed=1,kinds=500+drop,latency=0.1") == Faults(
        rate=0.2, seed=1, kinds=("500", "drop"), latency=0.1
    )
    assert parse_faults(None) is None
