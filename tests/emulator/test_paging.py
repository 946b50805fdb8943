from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clarinb import connect
from clarinb.emulator import Emulator, serve
from clarinb.errors import ApiError


@pytest.fixture(scope="module")
def demo() -> Iterator[Emulator]:
    with serve() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def dclient(demo: Emulator) -> Iterator[Any]:
    with connect(emulator=demo, max_retries=0) as client:
        yield client


def test_default_page_is_the_first_128(dclient: Any) -> None:
    first = dclient.call("V2_ListInputs2")["inputs"]
    assert len(first) == 128
    again = dclient.call("V2_ListInputs2", query={"page": 1, "perPage": 128})["inputs"]
    assert [i["id"] for i in first] == [i["id"] for i in again]


def test_pages_tile_the_list(dclient: Any) -> None:
    everything = [
        i["id"] for i in dclient.call("V2_ListInputs2", query={"perPage": 1000})["inputs"]
    ]
    assert len(everything) == 641
    pages = [
        dclient.call("V2_ListInputs2", query={"page": p, "perPage": 100})["inputs"]
        for p in range(1, 8)
    ]
    assert [len(p) for p in pages] == [100] * 6 + [41]
    assert [i["id"] for p in pages for i in p] == everything
    assert [i["id"] for i in dclient.paginate("V2_ListInputs2", per_page=50)] == everything


def test_per_page_is_capped_at_1000(demo: Emulator) -> None:
    import requests

    headers = {"Authorization": f"Key {demo.pat}"}
    body = requests.get(f"{demo.url}/v2/inputs?per_page=5000", headers=headers, timeout=10).json()
    assert len(body["inputs"]) == 641
    page2 = requests.get(
        f"{demo.url}/v2/inputs?page=2&per_page=5000", headers=headers, timeout=10
    ).json()
    assert page2["inputs"] == []


def test_past_the_end_pages_succeed_empty(dclient: Any) -> None:
    out = dclient.call("V2_ListInputs2", query={"page": 1000, "perPage": 500})
    assert out["status"]["code"] == 10000
    assert out["inputs"] == []
    evals = dclient.call("V2_ListEvaluations3", query={"page": 50})
    assert evals["status"]["code"] == 10000
    assert "eval_metrics" not in evals
    versions = dclient.call("V2_ListDatasetVersions2", datasetId="wildlife", query={"page": 9})
    assert versions["dataset_versions"] == []


def test_page_zero_is_refused(dclient: Any) -> None:
    with pytest.raises(ApiError) as err:
        dclient.call("V2_ListInputs2", query={"page": 0})
    assert err.value.http_status == 400


def test_stream_follows_last_id_over_every_input(dclient: Any) -> None:
    first = dclient.call("V2_StreamInputs2")["inputs"]
    assert len(first) == 20
    streamed = [i["id"] for i in dclient.paginate("V2_StreamInputs2", per_page=64)]
    assert len(streamed) == 641 == len(set(streamed))
    assert streamed == sorted(streamed)
    after = dclient.call("V2_StreamInputs2", query={"lastId": streamed[99], "perPage": 5})["inputs"]
    assert [i["id"] for i in after] == streamed[100:105]


def test_search_pagination_in_the_body(dclient: Any) -> None:
    search = {"searches": [{"query": {"filters": [{"input": {"dataset_ids": ["wildlife"]}}]}}]}
    hits = [
        h["input"]["id"]
        for h in dclient.paginate("V2_PostInputsSearches2", per_page=200, body=search)
    ]
    assert len(hits) == len(set(hits)) > 600


def test_concurrent_paging_under_faults_gives_every_item_once(dclient: Any) -> None:
    expected = [i["id"] for i in dclient.paginate("V2_ListInputs2", per_page=1000)]
    spec = "rate=0.3,seed=11,kinds=429+503+500+drop+truncate+throttle200,retry_after=0"
    with (
        serve(faults=spec) as faulty,
        connect(emulator=faulty, max_workers=8, max_retries=15, retry_backoff=0.0005) as client,
    ):
        got = [i["id"] for i in client.paginate("V2_ListInputs2", per_page=25)]
        assert sum(faulty.fault_counts.values()) > 0
    assert got == expected
