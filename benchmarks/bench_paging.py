"""Paging speed: concurrent page fetches against sequential ones.

Serves 20,000 items from a loopback server that adds 20 ms to every
response, then pages through them with ``per_page=128``: once sequentially
(``max_workers=1``) and once with the client's defaults.  Prints both times
and the speed-up (issue 2 aims for at least 5x).

Run from the repository root::

    python benchmarks/bench_paging.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import format_seconds, report, timed
from clarinb.api.client import BaseClient
from tests.api._server import FakeApi, ItemList

N_ITEMS = 20_000
PER_PAGE = 128
LATENCY = 0.020
TARGET = 5.0


def page_through(url: str, **options: object) -> int:
    with BaseClient("bench-token", "bench", "bench", url, **options) as client:  # type: ignore[arg-type]
        ids = [item["id"] for item in client.paginate("V2_ListInputs2", per_page=PER_PAGE)]
    if ids != [f"it-{i:05d}" for i in range(N_ITEMS)]:
        raise SystemExit("paging returned the wrong items")
    return len(ids)


def main() -> None:
    with FakeApi() as server:
        server.routes["V2_ListInputs2"] = ItemList(N_ITEMS)
        page_through(server.url, max_workers=1)  # warm-up: imports, first connections
        server.reset()
        server.latency = LATENCY
        sequential, _ = timed(lambda: page_through(server.url, max_workers=1))
        requests_sequential = len(server.requests)
        server.reset()
        concurrent, _ = timed(lambda: page_through(server.url))
        requests_concurrent = len(server.requests)
    defaults = BaseClient("t", "u", "a", "http://127.0.0.1:1").settings
    sizes = (
        f"{N_ITEMS:,} items, per_page={PER_PAGE}, {LATENCY * 1000:.0f} ms added per response, "
        f"max_workers={defaults.max_workers} vs 1, loopback"
    )
    print(f"sequential: {format_seconds(sequential)} ({requests_sequential} requests)")
    print(f"defaults:   {format_seconds(concurrent)} ({requests_concurrent} requests)")
    report("paginate, defaults vs sequential", concurrent, sequential, sizes=sizes, target=TARGET)


if __name__ == "__main__":
    main()
