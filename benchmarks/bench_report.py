"""The static report's size in bytes: the demo workspace, and 1,000 concepts.

The issue's budget: under 4 MB for the demo's report, plotly.js included.
At 1,000 concepts the report holds three synthetic single-label evaluations
of the same inputs (so they are compared) built by
:func:`bench_frames.evaluation_text`; each figure keeps its own limits
(worst and best concepts' curves, the largest confusions, the largest
differences), so the size should grow with the per-concept tables only.
Printed: bytes of each report against the 4 MB budget, of plotly.js packed,
and the build times.

Run: ``python benchmarks/bench_report.py`` (``BENCH_REPORT_INPUTS`` to scale).
"""

from __future__ import annotations

import json
import os
import time

from _util import report  # also puts the repository on sys.path
from bench_frames import evaluation_text

from clarinb import Evaluation, connect
from clarinb._plotlyjs import packed_plotlyjs
from clarinb.emulator import serve
from clarinb.report import build_report

BUDGET = 4_000_000
N_CONCEPTS = int(os.environ.get("BENCH_REPORT_CONCEPTS", "1000"))
N_INPUTS = int(os.environ.get("BENCH_REPORT_INPUTS", "1000"))


def _synthetic(seed: int) -> Evaluation:
    body = json.loads(evaluation_text(N_CONCEPTS, N_INPUTS, seed=seed))
    body["eval_metrics"]["id"] = f"synthetic-{seed}"
    body["eval_metrics"].setdefault("model", {})["id"] = f"model-{seed}"
    return Evaluation.from_dict(body)


def main() -> None:
    """Build both reports and print their sizes."""
    start = time.perf_counter()
    with serve(data="demo") as emulator:
        demo = len(build_report(connect(emulator=emulator)).encode())
    demo_time = time.perf_counter() - start
    print(f"plotly.js packed: {len(packed_plotlyjs()):,} bytes", flush=True)
    report("demo report", demo, BUDGET, unit="bytes", target=1, sizes="5 evaluations")
    print(f"demo report built in {demo_time:.1f} s", flush=True)
    evs = [_synthetic(seed) for seed in range(3)]
    start = time.perf_counter()
    large = len(build_report(None, evs).encode())
    large_time = time.perf_counter() - start
    sizes = f"{N_CONCEPTS:,} concepts x {N_INPUTS:,} inputs, 3 evaluations"
    report(f"report at {N_CONCEPTS:,} concepts", large, BUDGET, unit="bytes", sizes=sizes)
    print(f"report at {N_CONCEPTS:,} concepts built in {large_time:.1f} s", flush=True)


if __name__ == "__main__":
    main()
