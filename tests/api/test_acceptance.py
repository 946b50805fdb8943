"""Acceptance: with 30% of responses faulty, paging yields exactly the fault-free list.

The five fault kinds are a 429 with ``Retry-After``, a 503 HTML page, a
dropped connection, a truncated body and a throttle code inside an HTTP 200.
Whether a response fails is drawn from a seeded generator keyed by the request
and its attempt number, so the same requests fail whatever order concurrent
pages arrive in; the failing ones take the five kinds in turn.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import Counter

import pytest

from ._server import ItemList, random_latency

KINDS = ("429", "503html", "drop", "truncate", "throttle200")
RATE = 0.3
PER_PAGE = 20


def faulty(seed: int, log: list[str | None]):
    """Fail 30% of responses, taking the five kinds in turn."""
    turn = itertools.count()
    lock = threading.Lock()

    def fault(request) -> str | None:
        rng = random.Random(f"{seed}|{request.key}|{request.attempt}")
        with lock:
            kind = KINDS[next(turn) % len(KINDS)] if rng.random() < RATE else None
            log.append(kind)
        return kind

    return fault


CASES = [
    ("V2_ListInputs2", "inputs", {}, None, 8),
    ("V2_ListInputs2", "inputs", {}, None, 1),
    ("V2_ListEvaluations3", "eval_metrics", {}, None, 4),
    ("V2_StreamInputs2", "inputs", {}, None, 8),
    ("V2_PostInputsSearches2", "hits", {}, {"searches": [{"query": {}}]}, 8),
    ("V2_ListModelInputs2", "inputs", {"modelId": "m"}, None, 8),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-w{c[4]}" for c in CASES])
@pytest.mark.parametrize("seed", [1, 2])
def test_paging_through_thirty_percent_faults_is_exact(
    server, make_client, sleeps, case, seed
) -> None:
    op, key, params, body, workers = case
    server.routes[op] = ItemList(1234, key, drop_key_when_empty=key == "eval_metrics")
    server.latency = random_latency(0.0, 0.004, seed=seed)
    clean = make_client(max_workers=workers)
    reference = list(clean.paginate(op, per_page=PER_PAGE, body=body, **params))
    assert [item["id"] for item in reference] == [f"it-{i:05d}" for i in range(1234)]
    server.reset()

    log: list[str | None] = []
    server.fault = faulty(seed, log)
    server.retry_after = "1"
    client = make_client(max_workers=workers, max_retries=10)
    got = list(client.paginate(op, per_page=PER_PAGE, body=body, **params))

    assert got == reference
    kinds = Counter(log)
    faults = len(log) - kinds[None]
    assert 0.2 <= faults / len(log) <= 0.45, kinds
    assert set(kinds) == {*KINDS, None}, kinds  # every fault kind happened
    assert any(s >= 1.0 for s in sleeps.calls)  # Retry-After was honoured
