"""Page loops, so that users never write one.

``iter_pages`` fetches numbered pages concurrently but hands them back in
order; ``iter_cursor`` follows a ``lastId`` cursor.  Both stop at the first
empty or short page and never repeat or skip an item.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from clarinb.errors import ResponseFormatError

__all__ = ["iter_cursor", "iter_pages", "list_items"]

Items = list[dict[str, Any]]


def iter_pages(fetch: Callable[[int], Items], per_page: int, max_workers: int) -> Iterator[Items]:
    """Yield pages 1, 2, ... in order until one is empty or shorter than ``per_page``.

    Parameters
    ----------
    fetch : callable
        ``fetch(page_number) -> items``; called from worker threads.
    per_page : int
        Requested page size; a shorter page is the last one.
    max_workers : int
        Pages requested at once (1 fetches sequentially).
    """
    if max_workers <= 1:
        page = 1
        while True:
            items = fetch(page)
            if items:
                yield items
            if len(items) < per_page:
                return
            page += 1
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="clarinb-page")
    pending: deque[Future[Items]] = deque()
    next_page = 1
    try:
        for _ in range(max_workers):
            pending.append(pool.submit(fetch, next_page))
            next_page += 1
        while pending:
            items = pending.popleft().result()
            if items:
                yield items
            if len(items) < per_page:
                return
            pending.append(pool.submit(fetch, next_page))
            next_page += 1
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


def iter_cursor(
    fetch: Callable[[str | None], Items], per_page: int, key: str = "id"
) -> Iterator[Items]:
    """Yield pages following a cursor: each request passes the last item's ``key``.

    Stops at a short page, at an item without the key, or when the server
    sends items already yielded (a cursor it ignored): those are not repeated.

    Parameters
    ----------
    fetch : callable
        ``fetch(last_id) -> items``; ``last_id`` is ``None`` for the first page.
    per_page : int
        Requested page size; a shorter page is the last one.
    key : str
        The item field that serves as the cursor.
    """
    last: str | None = None
    seen: set[Any] = set()
    while True:
        items = fetch(last)
        # A server that ignores or rewinds the cursor must not make items repeat.
        fresh = [item for item in items if item.get(key) is None or item.get(key) not in seen]
        seen.update(item.get(key) for item in fresh)
        if fresh:
            yield fresh
        if len(items) < per_page or len(fresh) < len(items):
            return
        cursor = items[-1].get(key)
        if not cursor:
            return
        last = cursor


def list_items(response: dict[str, Any], key: str, operation_id: str) -> Items:
    """Return the items of a list response; a missing list key means no items.

    Raises
    ------
    ResponseFormatError
        When the list key holds something other than a list.
    """
    items = response.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ResponseFormatError(
            f"{operation_id} returned {key!r} as {type(items).__name__}, not a list"
        )
    return items
