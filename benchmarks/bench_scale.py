"""The test set at scale: ``TestSetMatrix`` and all-concept curves at 20M predictions.

Sizes: 1,000 concepts x 20,000 inputs (20M predictions), synthetic
single-label scores (seeded): each input has one true concept, scored
higher on average than the others.  Figures, each against a baseline
measured in the same run (medians of interleaved rounds):

(a) ``TestSetMatrix.from_frame`` against the hand-rolled numpy scatter
    ``scores[input_codes, concept_codes] = ts.score`` (float64 and bool
    matrices, no checks), with the peak memory over the input frame
    (tracemalloc; target under 1.5x the frame).
(b) ``matrix_curves`` (every concept's exact ROC AUC and AP, and its ROC and
    PR curves decimated to 512 points) against the loop
    ``for c in concepts: roc_curve(...); precision_recall_curve(...)`` of
    scikit-learn on the inputs x concepts matrices (target >= 1x).
    The same at 100 concepts with half the labels positive (multi-label),
    where the curves have a corner at nearly every score.
(c) With ``CLARINB_BENCH_HUGE=1`` only: the same two at 5,000 concepts x
    50,000 inputs (250M predictions; needs about 6 GB and minutes), time and
    peak memory, no baseline.

Run: ``python benchmarks/bench_scale.py``.
"""

from __future__ import annotations

import gc
import os
import statistics
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from _util import format_seconds, report, timed  # also puts the repository on sys.path

N_CONCEPTS, N_INPUTS = 1_000, 20_000
HUGE_CONCEPTS, HUGE_INPUTS = 5_000, 50_000
ROUNDS = 3
MIB = 2**20


def make_test_set(n_inputs: int, n_concepts: int, seed: int) -> Any:
    """Build a single-label test-set frame shaped as ``clarinb.frames.test_set`` returns it."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    truth_code = rng.integers(0, n_concepts, n_inputs)
    scores = rng.random((n_inputs, n_concepts), dtype=np.float32)
    scores *= 0.6
    rows = np.arange(n_inputs)
    scores[rows, truth_code] += rng.random(n_inputs, dtype=np.float32) * 0.4
    truth = np.zeros((n_inputs, n_concepts), dtype=bool)
    truth[rows, truth_code] = True
    code_type = np.int16 if max(n_inputs, n_concepts) < 2**15 else np.int32
    return pd.DataFrame(
        {
            "input_id": pd.Categorical.from_codes(
                np.repeat(np.arange(n_inputs, dtype=code_type), n_concepts),
                categories=pd.Index([f"input-{i}" for i in range(n_inputs)]),
            ),
            "concept_id": pd.Categorical.from_codes(
                np.tile(np.arange(n_concepts, dtype=code_type), n_inputs),
                categories=pd.Index([f"concept-{j}" for j in range(n_concepts)]),
            ),
            "score": scores.ravel().astype(np.float64),
            "ground_truth": truth.ravel(),
        }
    )


def peak_bytes(fn: Callable[[], Any]) -> tuple[int, Any]:
    """Run ``fn`` once under tracemalloc; return the peak bytes allocated during it."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, result


def medians(fns: dict[str, Callable[[], Any]], rounds: int = ROUNDS) -> dict[str, float]:
    """Median seconds of each function over interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(timed(fn)[0])
    return {name: statistics.median(t) for name, t in times.items()}


def scatter_baseline(ts: Any) -> tuple[np.ndarray, np.ndarray]:
    """Build the hand-rolled matrices: a numpy scatter of the frame's columns."""
    rows = ts["input_id"].cat.codes.to_numpy()
    cols = ts["concept_id"].cat.codes.to_numpy()
    shape = (len(ts["input_id"].cat.categories), len(ts["concept_id"].cat.categories))
    scores = np.zeros(shape)
    truth = np.zeros(shape, dtype=bool)
    scores[rows, cols] = ts["score"].to_numpy()
    truth[rows, cols] = ts["ground_truth"].to_numpy()
    return scores, truth


def bench_20m() -> None:
    """Figures (a) and (b) at 1,000 concepts x 20,000 inputs."""
    from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

    from clarinb.metrics import TestSetMatrix, matrix_curves

    ts = make_test_set(N_INPUTS, N_CONCEPTS, seed=0)
    frame_bytes = int(ts.memory_usage(deep=True).sum())
    sizes = (
        f"{N_CONCEPTS:,} concepts x {N_INPUTS:,} inputs = {N_CONCEPTS * N_INPUTS:,} predictions, "
        f"frame {frame_bytes / MIB:.0f} MiB"
    )

    # (a) The matrix from the frame.
    build = medians(
        {"ours": lambda: TestSetMatrix.from_frame(ts), "base": lambda: scatter_baseline(ts)}
    )
    report("TestSetMatrix.from_frame vs numpy scatter", build["ours"], build["base"], sizes=sizes)
    peak, m = peak_bytes(lambda: TestSetMatrix.from_frame(ts))
    base_peak, (scores, truth) = peak_bytes(lambda: scatter_baseline(ts))
    print(
        f"TestSetMatrix.from_frame peak memory over the frame: {peak / MIB:.0f} MiB = "
        f"{peak / frame_bytes:.2f}x the frame (target < 1.5x: "
        f"{'met' if peak < 1.5 * frame_bytes else 'NOT met'}); matrix {m.nbytes / MIB:.0f} MiB; "
        f"numpy scatter baseline {base_peak / MIB:.0f} MiB",
        flush=True,
    )

    # (b) All-concept curves.
    def loop() -> None:
        for c in range(N_CONCEPTS):
            roc_curve(truth[:, c], scores[:, c])
            precision_recall_curve(truth[:, c], scores[:, c])

    got = matrix_curves(m)
    s32 = m.scores.astype(np.float64)
    for c in (0, 1, N_CONCEPTS - 1):  # the same numbers before timing
        want = roc_auc_score(m.labels[:, c], s32[:, c])
        assert abs(got.scores["roc_auc"].iloc[c] - want) < 1e-9, (c, want)
    curves = medians({"ours": lambda: matrix_curves(m), "base": loop})
    report(
        "matrix_curves (exact AUC/AP, ROC+PR decimated to 512) vs "
        "roc_curve+precision_recall_curve loop",
        curves["ours"],
        curves["base"],
        sizes=sizes,
        target=1.0,
    )
    curve_peak, got = peak_bytes(lambda: matrix_curves(m))
    print(
        f"matrix_curves peak memory: {curve_peak / MIB:.0f} MiB = "
        f"{curve_peak / m.nbytes:.2f}x the matrix; points drawn: ROC {len(got.roc):,}, "
        f"PR {len(got.pr):,} (at most 512 per curve)",
        flush=True,
    )


def bench_dense_positives() -> None:
    """Figure (b) again where half the labels are positive: every point is a corner."""
    from sklearn.metrics import precision_recall_curve, roc_curve

    from clarinb.metrics import TestSetMatrix, matrix_curves

    rng = np.random.default_rng(2)
    n_concepts = N_CONCEPTS // 10
    scores = rng.random((N_INPUTS, n_concepts))
    truth = rng.random((N_INPUTS, n_concepts)) < 0.5
    m = TestSetMatrix.from_arrays(scores, truth)

    def loop() -> None:
        for c in range(n_concepts):
            roc_curve(truth[:, c], scores[:, c])
            precision_recall_curve(truth[:, c], scores[:, c])

    curves = medians({"ours": lambda: matrix_curves(m), "base": loop})
    report(
        "matrix_curves vs the scikit-learn loop, half the labels positive (multi-label)",
        curves["ours"],
        curves["base"],
        sizes=f"{n_concepts:,} concepts x {N_INPUTS:,} inputs = {n_concepts * N_INPUTS:,} scores",
        target=1.0,
    )


def bench_huge() -> None:
    """Figure (c): build and curves at 5,000 concepts x 50,000 inputs."""
    from clarinb.metrics import TestSetMatrix, matrix_curves

    huge = make_test_set(HUGE_INPUTS, HUGE_CONCEPTS, seed=1)
    huge_bytes = int(huge.memory_usage(deep=True).sum())
    sizes = (
        f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs = "
        f"{HUGE_CONCEPTS * HUGE_INPUTS:,} predictions, frame {huge_bytes / MIB:.0f} MiB"
    )
    seconds, (peak, m) = timed(lambda: peak_bytes(lambda: TestSetMatrix.from_frame(huge)))
    print(
        f"TestSetMatrix.from_frame: {format_seconds(seconds)} (under tracemalloc), peak over "
        f"the frame {peak / MIB:.0f} MiB = {peak / huge_bytes:.2f}x the frame [{sizes}]",
        flush=True,
    )
    huge = None
    gc.collect()
    seconds = timed(lambda: matrix_curves(m))[0]
    curve_peak = peak_bytes(lambda: matrix_curves(m))[0]
    print(
        f"matrix_curves: {format_seconds(seconds)}, peak {curve_peak / MIB:.0f} MiB = "
        f"{curve_peak / m.nbytes:.2f}x the matrix [{sizes}]",
        flush=True,
    )


def main() -> None:
    bench_20m()
    gc.collect()
    bench_dense_positives()
    if os.environ.get("CLARINB_BENCH_HUGE") == "1":
        bench_huge()
    else:
        print(
            f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs: skipped (about 6 GB and "
            "minutes; set CLARINB_BENCH_HUGE=1 to run it)",
            flush=True,
        )


if __name__ == "__main__":
    main()
