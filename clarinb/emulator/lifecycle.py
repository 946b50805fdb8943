"""Resources that change state over time: they move one step on each read.

Evaluations go queued -> evaluating -> evaluated, dataset versions pending ->
in progress -> ready, exports pending -> success, jobs queued -> running ->
completed.  Each read of such a resource (a get or a list that shows it)
advances it one step, and so does the passing of :data:`STEP_SECONDS`, so a
client that polls sees every state and one that waits is never stuck.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from clarinb.emulator.store import Item
from clarinb.emulator.wire import status, timestamp

__all__ = ["STEP_SECONDS", "advance", "start"]

#: Seconds after which a resource moves on by itself, even if nobody reads it.
STEP_SECONDS = 0.5


def start(item: Item, codes: Sequence[int], description: str | None = None) -> Item:
    """Put a new resource in the first of ``codes`` and remember its schedule."""
    item["status"] = status(codes[0], description)
    item["_steps"] = list(codes)
    item["_reads"] = 0
    item["_born"] = time.monotonic()
    return item


def advance(item: Item, on_final: Callable[[Item], None] | None = None) -> Item:
    """Move a resource on by one read; call ``on_final`` when it reaches its last state.

    ``on_final`` may replace the status (a failure instead of success).
    Resources without a schedule are returned unchanged.
    """
    steps = item.get("_steps")
    if not steps:
        return item
    item["_reads"] += 1
    elapsed = time.monotonic() - item["_born"]
    by_time = len(steps) if STEP_SECONDS <= 0 else int(elapsed / STEP_SECONDS)
    index = min(len(steps) - 1, max(item["_reads"], by_time))
    current = steps.index(item["status"]["code"]) if item["status"]["code"] in steps else 0
    if index > current:
        item["status"] = status(steps[index])
        if "modified_at" in item:  # only resources whose message has the field carry it
            item["modified_at"] = timestamp()
        if index == len(steps) - 1:
            for key in ("_steps", "_reads", "_born"):
                item.pop(key, None)
            if on_final is not None:
                on_final(item)
    return item
