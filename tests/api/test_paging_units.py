"""The page loops on their own: exact, ordered, bounded, and failing cleanly."""

from __future__ import annotations

import random
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clarinb.api._paging import iter_cursor, iter_pages, list_items
from clarinb.errors import ResponseFormatError


def pages_of(items: list[dict], seed: int = 0, jitter: float = 0.0):
    rng = random.Random(seed)
    lock = threading.Lock()

    def fetch(page: int, per_page: int) -> list[dict]:
        with lock:
            pause = rng.uniform(0, jitter)
        if pause:
            time.sleep(pause)
        return items[(page - 1) * per_page : page * per_page]

    return fetch


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(0, 300),
    per_page=st.integers(1, 40),
    workers=st.integers(1, 9),
    seed=st.integers(0, 1000),
)
def test_iter_pages_yields_every_item_once_in_order(total, per_page, workers, seed) -> None:
    items = [{"id": str(i)} for i in range(total)]
    fetch = pages_of(items, seed, jitter=0.001)
    pages = iter_pages(lambda p: fetch(p, per_page), per_page, workers)
    got = [item for page in pages for item in page]
    assert got == items


def test_no_more_than_max_workers_requests_at_once() -> None:
    items = [{"id": str(i)} for i in range(200)]
    active = 0
    peak = 0
    lock = threading.Lock()
    inner = pages_of(items)

    def fetch(page: int) -> list[dict]:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.002)
        with lock:
            active -= 1
        return inner(page, 10)

    assert sum(len(p) for p in iter_pages(fetch, 10, 3)) == 200
    assert 1 < peak <= 3


def test_a_failing_page_raises_after_earlier_pages() -> None:
    def fetch(page: int) -> list[dict]:
        if page == 4:
            raise RuntimeError("page 4 broke")
        return [{"id": f"{page}-{i}"} for i in range(5)]

    seen: list[str] = []
    pages = iter_pages(fetch, 5, 4)
    with pytest.raises(RuntimeError, match="page 4"):
        seen.extend(item["id"] for page in pages for item in page)
    assert len(seen) == 15


def test_iter_cursor_passes_the_last_id() -> None:
    items = [{"id": f"i{n:03d}"} for n in range(25)]
    calls: list[str | None] = []

    def fetch(last_id: str | None) -> list[dict]:
        calls.append(last_id)
        start = 0 if last_id is None else [i["id"] for i in items].index(last_id) + 1
        return items[start : start + 10]

    assert [i for page in iter_cursor(fetch, 10) for i in page] == items
    assert calls == [None, "i009", "i019"]


def test_iter_cursor_never_repeats_items_when_the_server_ignores_the_cursor() -> None:
    page = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert list(iter_cursor(lambda last: page, 3)) == [page]
    overlapping = {None: page, "c": [{"id": "c"}, {"id": "d"}, {"id": "e"}]}
    got = list(iter_cursor(lambda last: overlapping.get(last, []), 3))
    assert got == [page, [{"id": "d"}, {"id": "e"}]]


def test_iter_cursor_stops_at_items_without_ids() -> None:
    assert list(iter_cursor(lambda last: [{"x": 1}] * 3, 3)) == [[{"x": 1}] * 3]


def test_list_items() -> None:
    assert list_items({"inputs": [{"id": "a"}]}, "inputs", "op") == [{"id": "a"}]
    assert list_items({"status": {}}, "inputs", "op") == []
    with pytest.raises(ResponseFormatError, match="op returned 'inputs' as dict"):
        list_items({"inputs": {}}, "inputs", "op")
