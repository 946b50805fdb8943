"""Timing and reporting helpers shared by every ``benchmarks/bench_*.py``.

Benchmarks state their sizes and print each figure as a ratio against a
baseline measured in the same run, so that numbers from different machines
can be compared.

Examples
--------
>>> from benchmarks._util import best_of, report
>>> base = best_of(lambda: sorted(range(10_000)))
>>> fast = best_of(lambda: list(range(10_000)))
>>> report("list vs sorted", fast, base, sizes="10,000 ints")  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "best_of", "format_seconds", "report", "timed", "touch_memory"]

#: The repository root; benchmarks put it on ``sys.path`` so ``import clarinb``
#: and ``import tests...`` work when run as ``python benchmarks/bench_x.py``.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once and return ``(seconds, result)``."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def touch_memory(gib: float) -> tuple[float, float]:
    """Write up to ``gib`` GiB of new memory once and free it; return (GiB, seconds).

    On a virtual machine the first write to memory the guest has not used
    since it booted can cost many times a page fault, because the host backs
    it only then: writing 4 GiB took 15 s in a fresh process the first time
    and 1.2 s the next.  A benchmark that allocates gigabytes calls this
    first, so that its figures measure the code and not the host.  The
    seconds are printed by the caller, so the effect stays visible.  Takes at
    most 80% of the memory available now.
    """
    import os

    import numpy as np

    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    except (ValueError, OSError, AttributeError):
        available = gib
    size = min(gib, 0.8 * available)
    start = time.perf_counter()
    block = np.empty(int(size * 2**30), dtype=np.uint8)
    block.fill(1)
    del block
    return size, time.perf_counter() - start


def best_of(fn: Callable[[], Any], repeat: int = 5, warmup: int = 0) -> float:
    """Return the fastest of ``repeat`` runs of ``fn``, in seconds.

    Parameters
    ----------
    fn : callable
        The work to time; called with no arguments.
    repeat : int
        Timed runs; the minimum is the least noisy estimate of the cost.
    warmup : int
        Untimed runs first (imports, caches, JIT-like warm-up of pools).
    """
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, not {repeat!r}")
    for _ in range(warmup):
        fn()
    return min(timed(fn)[0] for _ in range(repeat))


def format_seconds(seconds: float) -> str:
    """Format a duration with a unit that keeps three significant digits."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} us"


def report(
    name: str,
    value: float,
    baseline: float,
    *,
    unit: str = "s",
    sizes: str = "",
    higher_is_better: bool = False,
    target: float | None = None,
) -> float:
    """Print one benchmark figure next to its baseline and return the ratio.

    Parameters
    ----------
    name : str
        What was measured.
    value, baseline : float
        The measurement and the baseline measured in the same run, in ``unit``.
    unit : str
        ``"s"`` (durations are formatted for reading) or any other unit label.
    sizes : str
        The sizes of the problem, printed with the figure ("20,000 items").
    higher_is_better : bool
        For throughputs: the ratio is ``value / baseline`` instead of
        ``baseline / value``.
    target : float, optional
        The ratio aimed at; the line says whether it was met.

    Returns
    -------
    float
        The speed-up ratio (> 1 means ``value`` is better than ``baseline``).
    """
    if higher_is_better:
        ratio = value / baseline if baseline else float("inf")
    else:
        ratio = baseline / value if value else float("inf")

    def show(x: float) -> str:
        return format_seconds(x) if unit == "s" else f"{x:.4g} {unit}"

    line = f"{name}: {show(value)} vs baseline {show(baseline)} -> {ratio:.2f}x"
    if target is not None:
        line += f" (target >= {target:g}x: {'met' if ratio >= target else 'NOT met'})"
    if sizes:
        line += f" [{sizes}]"
    print(line, flush=True)
    return ratio
