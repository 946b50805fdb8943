"""Emulator start-up: a fresh process serving the demo workspace, first answer included.

Each round runs in a new Python process, so the demo workspace is built from
its seed every time (nothing cached).  The baseline, measured in the same
processes, is ``json.loads`` of the same workspace written as JSON: the cost
of merely reading that much data.  Issue 3 asks for a start in under a second.

Run from the repository root::

    python benchmarks/bench_emulator.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import format_seconds, report

ROUNDS = 3
TARGET_SECONDS = 1.0

_CHILD = """
import json, time
t0 = time.perf_counter()
from clarinb import connect
from clarinb.emulator import serve
from clarinb.emulator.demo import build_workspace
t1 = time.perf_counter()
with serve(data="demo") as emu:
    connect(emulator=emu).call("V2_GetInputCount2")
t2 = time.perf_counter()
text = json.dumps(build_workspace())
t3 = time.perf_counter()
json.loads(text)
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "start": t2 - t1, "loads": t4 - t3, "bytes": len(text)}))
"""


def main() -> int:
    """Print the start-up time of the demo emulator against the JSON baseline."""
    runs = []
    for _ in range(ROUNDS):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    start = min(r["start"] for r in runs)
    loads = min(r["loads"] for r in runs)
    size = (
        f"demo workspace, {runs[0]['bytes'] / 1e6:.1f} MB as JSON, fresh process, best of {ROUNDS}"
    )
    print(f"import clarinb.emulator: {format_seconds(min(r['import'] for r in runs))}")
    report(
        "serve(data='demo') to first answer vs json.loads of the workspace",
        start,
        loads,
        sizes=size,
    )
    total = min(r["import"] + r["start"] for r in runs)
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    print(f"import + start-up {format_seconds(total)} (target < {TARGET_SECONDS:g} s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
