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
(c) Threshold updates at the same size, each against the hand-rolled
    update: ``LiveConfusion.frame(t)`` (the confusion matrix, moving only
    the inputs whose top score crosses) against scikit-learn's
    ``confusion_matrix`` of the top-1 predictions plus ``px.imshow`` of it;
    ``ThresholdCounts.frame(t)`` (per-concept TP/FP/FN/TN, P/R/F1) against
    ``precision_recall_fscore_support(truth, scores >= t, average=None)``.
    Target >= 1x; each structure's one-off build is printed too.
(d) The curves figure: ``matrix_curves`` and one ``Scattergl`` trace holding
    every concept's decimated ROC curve, against the plotly ``add_trace``
    loop over ``roc_curve`` (target >= 1x).
(e) Streaming: the peak memory of ``read_test_set_matrix`` on a
    GetEvaluation body's JSON bytes (200 concepts x 20,000 inputs, some
    hundreds of MB) against ``json.loads`` of the same bytes alone, and
    against today's path (``json.loads``, ``frames.test_set``,
    ``TestSetMatrix.from_frame``); each in a fresh subprocess, peak resident
    memory over the bytes already read (Linux: the peak is reset through
    ``/proc/self/clear_refs`` once the bytes are read).
(f) With ``CLARINB_BENCH_HUGE=1`` only: the matrix and curves at 5,000
    concepts x 50,000 inputs (250M predictions; needs about 6 GB and
    minutes), time and peak memory, no baseline.

Every figure prints its peak memory (tracemalloc, over the inputs).

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


def single_label_matrix(n_inputs: int, n_concepts: int, seed: int) -> Any:
    """Build the matrices of :func:`make_test_set` directly (no frame)."""
    from clarinb.metrics import TestSetMatrix

    rng = np.random.default_rng(seed)
    truth_code = rng.integers(0, n_concepts, n_inputs)
    scores = rng.random((n_inputs, n_concepts), dtype=np.float32)
    scores *= 0.6
    rows = np.arange(n_inputs)
    scores[rows, truth_code] += rng.random(n_inputs, dtype=np.float32) * 0.4
    truth = np.zeros((n_inputs, n_concepts), dtype=bool)
    truth[rows, truth_code] = True
    return TestSetMatrix.from_arrays(scores, truth)


def print_peak(name: str, ours: int, base: int, inputs: int) -> None:
    """Print the peak memory of one figure and of its baseline, over the inputs."""
    print(
        f"  peak memory: {name} {ours / MIB:.1f} MiB = {ours / inputs:.3f}x the inputs; "
        f"baseline {base / MIB:.1f} MiB = {base / inputs:.3f}x",
        flush=True,
    )


def bench_updates() -> None:
    """Figure (c): threshold updates against scikit-learn (+ plotly) at 20M predictions."""
    import plotly.express as px
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    from clarinb.metrics import LiveConfusion, ThresholdCounts

    m = single_label_matrix(N_INPUTS, N_CONCEPTS, seed=0)
    k = m.n_concepts
    sizes = f"{k:,} concepts x {m.n_inputs:,} inputs, matrix {m.nbytes / MIB:.0f} MiB"
    build_seconds, (build_peak, live) = timed(lambda: peak_bytes(lambda: LiveConfusion(m)))
    print(
        f"LiveConfusion build (once per test set): {format_seconds(build_seconds)}, peak "
        f"{build_peak / MIB:.1f} MiB = {build_peak / m.nbytes:.3f}x the matrix [{sizes}]",
        flush=True,
    )
    # The hand-rolled update: top-1 read once, then per threshold the predictions,
    # scikit-learn's matrix and a heatmap of it.
    actual = np.argmax(m.labels, axis=1)
    top = np.argmax(m.scores, axis=1)
    best = m.scores.max(axis=1).astype(np.float64)
    labels = np.arange(k + 1)
    thresholds = iter(np.tile([0.5, 0.62, 0.45, 0.7], 1000))

    def confusion_base() -> Any:
        t = next(thresholds)
        counts = confusion_matrix(actual, np.where(best >= t, top, k), labels=labels)
        return px.imshow(counts[:k])

    def confusion_ours() -> Any:
        return live.frame(float(next(thresholds)))

    got = live.counts(0.5)
    want = confusion_matrix(actual, np.where(best >= 0.5, top, k), labels=labels)[:k]
    assert np.array_equal(got, want)
    times = medians({"ours": confusion_ours, "base": confusion_base}, rounds=5)
    report(
        "LiveConfusion.frame(t) update vs confusion_matrix + px.imshow",
        times["ours"],
        times["base"],
        sizes=sizes,
        target=1.0,
    )
    bare = medians(
        {
            "ours": confusion_ours,
            "base": lambda: confusion_matrix(
                actual, np.where(best >= next(thresholds), top, k), labels=labels
            ),
        },
        rounds=5,
    )
    report(
        "LiveConfusion.frame(t) update vs confusion_matrix alone (no figure)",
        bare["ours"],
        bare["base"],
        sizes=sizes,
    )
    view = medians(
        {
            "ours": lambda: live.counts(float(next(thresholds)), copy=False),
            "base": confusion_base,
        },
        rounds=5,
    )
    report(
        "LiveConfusion.counts(t, copy=False) update vs confusion_matrix + px.imshow",
        view["ours"],
        view["base"],
        sizes=sizes,
        target=1.0,
    )
    print_peak(
        "LiveConfusion.frame",
        peak_bytes(confusion_ours)[0],
        peak_bytes(confusion_base)[0],
        m.nbytes,
    )

    build_seconds, (build_peak, counts) = timed(lambda: peak_bytes(lambda: ThresholdCounts(m)))
    print(
        f"ThresholdCounts build (once per test set): {format_seconds(build_seconds)}, peak "
        f"{build_peak / MIB:.1f} MiB = {build_peak / m.nbytes:.3f}x the matrix [{sizes}]",
        flush=True,
    )

    def prf_base() -> Any:
        return precision_recall_fscore_support(
            m.labels, m.scores >= next(thresholds), average=None, zero_division=0
        )

    def prf_ours() -> Any:
        return counts.frame(float(next(thresholds)))

    ours = counts.frame(0.5)
    assert np.allclose(
        ours["f1"],
        precision_recall_fscore_support(
            m.labels, m.scores >= np.float32(0.5), average=None, zero_division=0
        )[2],
    )
    times = medians({"ours": prf_ours, "base": prf_base}, rounds=5)
    report(
        "ThresholdCounts.frame(t) update vs precision_recall_fscore_support",
        times["ours"],
        times["base"],
        sizes=sizes,
        target=1.0,
    )
    print_peak("ThresholdCounts.frame", peak_bytes(prf_ours)[0], peak_bytes(prf_base)[0], m.nbytes)


def curves_figure(m: Any) -> Any:
    """``matrix_curves`` and one Scattergl trace of every concept's ROC curve."""
    import plotly.graph_objects as go

    from clarinb.metrics import matrix_curves

    roc = matrix_curves(m).roc
    codes = roc["concept_id"].cat.codes.to_numpy()
    breaks = np.flatnonzero(np.diff(codes)) + 1  # a gap between concepts
    x = np.insert(roc["fpr"].to_numpy(), breaks, np.nan)
    y = np.insert(roc["tpr"].to_numpy(), breaks, np.nan)
    return go.Figure(go.Scattergl(x=x, y=y, mode="lines"))


def bench_curves_figure() -> None:
    """Figure (d): the all-concept ROC figure against the plotly add_trace loop."""
    import plotly.graph_objects as go
    from sklearn.metrics import roc_curve

    m = single_label_matrix(N_INPUTS, N_CONCEPTS, seed=0)
    sizes = f"{m.n_concepts:,} concepts x {m.n_inputs:,} inputs, matrix {m.nbytes / MIB:.0f} MiB"

    def loop() -> Any:
        fig = go.Figure()
        for c in range(m.n_concepts):
            fpr, tpr, _ = roc_curve(m.labels[:, c], m.scores[:, c])
            fig.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines"))
        return fig

    times = medians({"ours": lambda: curves_figure(m), "base": loop}, rounds=3)
    report(
        "matrix_curves + one Scattergl trace vs plotly add_trace loop over roc_curve",
        times["ours"],
        times["base"],
        sizes=sizes,
        target=1.0,
    )
    print_peak(
        "curves figure", peak_bytes(lambda: curves_figure(m))[0], peak_bytes(loop)[0], m.nbytes
    )


STREAM_CONCEPTS = 200

_PEAK_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
raw = Path(sys.argv[2]).read_bytes()
import numpy, pandas, ijson  # imports before the baseline reading
from clarinb import frames
from clarinb.metrics import TestSetMatrix, read_test_set_matrix
def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
before = status("VmRSS")
start = time.perf_counter()
if sys.argv[3] == "stream":
    m = read_test_set_matrix(raw)
elif sys.argv[3] == "loads":
    body = json.loads(raw)
else:
    m = TestSetMatrix.from_frame(frames.test_set(json.loads(raw)))
print(time.perf_counter() - start, status("VmHWM") - before, len(raw))
"""


def write_body(path: Any, n_inputs: int, n_concepts: int, seed: int) -> None:
    """Write a GetEvaluation body (JSON, every concept scored per input) to ``path``."""
    m = single_label_matrix(n_inputs, n_concepts, seed)
    names = [f'{{"id":"concept-{j}","value":' for j in range(n_concepts)]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"status":{"code":10000},"eval_metrics":{"id":"bench","test_set":[')
        for i in range(n_inputs):
            row = m.scores[i].tolist()
            preds = ",".join(f"{names[j]}{row[j]!r}}}" for j in range(n_concepts))
            truth = int(np.argmax(m.labels[i]))
            out.write(
                ("," if i else "")
                + f'{{"input":{{"id":"input-{i}"}},"predicted_concepts":[{preds}],'
                + f'"ground_truth_concepts":[{{"id":"concept-{truth}","value":1}}]}}'
            )
        out.write("]}}")


def bench_streaming() -> None:
    """Figure (e): peak memory of the streaming read against json.loads, in subprocesses."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from _util import ROOT

    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "evaluation.json"
        write_body(body, N_INPUTS, STREAM_CONCEPTS, seed=3)
        results = {}
        for mode in ("stream", "loads", "frames"):
            done = subprocess.run(
                [sys.executable, "-c", _PEAK_CHILD, str(ROOT), str(body), mode],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, peak, size = done.stdout.split()
            results[mode] = (float(seconds), int(peak), int(size))
    size = results["stream"][2]
    cells = N_INPUTS * STREAM_CONCEPTS
    sizes = (
        f"{STREAM_CONCEPTS:,} concepts x {N_INPUTS:,} inputs = {cells:,} predictions, "
        f"body {size / MIB:.0f} MiB, matrix {cells * 5 / MIB:.0f} MiB"
    )
    stream, loads, frames_path = results["stream"], results["loads"], results["frames"]
    report(
        "read_test_set_matrix peak memory vs json.loads of the body",
        stream[1] / MIB,
        loads[1] / MIB,
        unit="MiB",
        sizes=sizes,
        target=1.0,
    )
    report(
        "read_test_set_matrix peak memory vs json.loads + frames.test_set + from_frame",
        stream[1] / MIB,
        frames_path[1] / MIB,
        unit="MiB",
        sizes=sizes,
    )
    print(
        f"  times: streaming {format_seconds(stream[0])}, json.loads alone "
        f"{format_seconds(loads[0])}, json.loads + frames + matrix "
        f"{format_seconds(frames_path[0])}",
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
    """Figure (f): build and curves at 5,000 concepts x 50,000 inputs."""
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
    bench_huge_updates(m, sizes)


def bench_huge_updates(m: Any, sizes: str) -> None:
    """Threshold structures at the huge size: one-off build, then an update, with peaks."""
    from clarinb.metrics import LiveConfusion, ThresholdCounts

    for name, build, update in (
        ("LiveConfusion (.frame)", LiveConfusion, lambda s, t: s.frame(t)),
        ("LiveConfusion (.counts, no copy)", LiveConfusion, lambda s, t: s.counts(t, copy=False)),
        ("ThresholdCounts", ThresholdCounts, lambda s, t: s.frame(t)),
    ):
        seconds, (peak, made) = timed(lambda build=build: peak_bytes(lambda: build(m)))
        update(made, 0.5)
        moves = iter([0.62, 0.45, 0.7, 0.5])  # every update moves the threshold
        step = medians(
            {"update": lambda made=made, update=update, moves=moves: update(made, next(moves))},
            rounds=3,
        )
        step_peak = peak_bytes(lambda made=made, update=update: update(made, 0.45))[0]
        print(
            f"{name}: build {format_seconds(seconds)} (under tracemalloc), peak "
            f"{peak / MIB:.0f} MiB = {peak / m.nbytes:.2f}x the matrix; update "
            f"{format_seconds(step['update'])}, peak {step_peak / MIB:.1f} MiB [{sizes}]",
            flush=True,
        )


def confusion_baseline(scores: np.ndarray, labels: np.ndarray, threshold: float) -> Any:
    """Draw the hand-rolled confusion figure: top-1, scikit-learn's matrix, ``px.imshow``."""
    import plotly.express as px
    from sklearn.metrics import confusion_matrix

    k = scores.shape[1]
    top = np.argmax(scores, axis=1)
    best = np.take_along_axis(scores, top[:, None], axis=1)[:, 0]
    predicted = np.where(best >= threshold, top, k)
    counts = confusion_matrix(np.argmax(labels, axis=1), predicted, labels=np.arange(k + 1))
    return px.imshow(counts[:k])


def threshold_baseline(scores: np.ndarray, labels: np.ndarray, threshold: float) -> Any:
    """Draw the hand-rolled threshold table: ``precision_recall_fscore_support``, ``go.Table``."""
    import plotly.graph_objects as go
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(
        labels, scores >= threshold, average=None, zero_division=0
    )
    names = [f"concept-{j}" for j in range(len(p))]
    header = {"values": ["concept", "precision", "recall", "F1", "support"]}
    return go.Figure(go.Table(header=header, cells={"values": [names, p, r, f, s]}))


def view_row(
    name: str, fns: dict[str, Callable[[], Any]], sizes: str, inputs: int, rounds: int = ROUNDS
) -> float:
    """Time ``ours`` against ``base`` (interleaved medians), print the ratio and both peaks."""
    times = medians(fns, rounds=rounds)
    ratio = report(name, times["ours"], times["base"], sizes=sizes, target=1.0)
    ours, base = peak_bytes(fns["ours"])[0], peak_bytes(fns["base"])[0]
    print_peak(name.split(" vs ", maxsplit=1)[0], ours, base, inputs)
    return ratio


def bench_views_20m() -> None:
    """Figure (g): ConfusionMatrixView and ThresholdView at 1,000 x 20,000 against the baselines."""
    import plotly.express as px
    from sklearn.metrics import confusion_matrix

    from clarinb.metrics import TestSetMatrix
    from clarinb.views import ConfusionMatrixView, ThresholdView

    ts = make_test_set(N_INPUTS, N_CONCEPTS, seed=0)
    m = TestSetMatrix.from_frame(ts)
    frame_bytes = int(ts.memory_usage(deep=True).sum())
    sizes = (
        f"{N_CONCEPTS:,} concepts x {N_INPUTS:,} inputs, frame {frame_bytes / MIB:.0f} MiB, "
        f"matrix {m.nbytes / MIB:.0f} MiB"
    )
    moves = iter(np.tile([0.5, 0.62, 0.45, 0.7], 10_000).tolist())

    # Builds: the view and its figure, against the same figure by hand from the same input.
    view_row(
        "ConfusionMatrixView(test_set=frame, threshold=0.5).figure_ vs numpy scatter + "
        "confusion_matrix + px.imshow",
        {
            "ours": lambda: ConfusionMatrixView(test_set=ts, threshold=0.5).figure_,
            "base": lambda: confusion_baseline(*scatter_baseline(ts), 0.5),
        },
        sizes,
        frame_bytes,
    )
    view_row(
        "ConfusionMatrixView(test_set=matrix, threshold=0.5).figure_ vs confusion_matrix + "
        "px.imshow",
        {
            "ours": lambda: ConfusionMatrixView(test_set=m, threshold=0.5).figure_,
            "base": lambda: confusion_baseline(m.scores, m.labels, 0.5),
        },
        sizes,
        m.nbytes,
    )

    # Updates: the baseline reads the top-1 once, then per threshold a matrix and a heatmap.
    k = m.n_concepts
    top = np.argmax(m.scores, axis=1)
    best = m.scores.max(axis=1).astype(np.float64)
    actual = np.argmax(m.labels, axis=1)
    labels = np.arange(k + 1)

    def confusion_update() -> Any:
        t = next(moves)
        return px.imshow(confusion_matrix(actual, np.where(best >= t, top, k), labels=labels)[:k])

    figure_view = ConfusionMatrixView(test_set=ts, threshold=0.5)
    _ = figure_view.figure_
    ratios = [
        view_row(
            "ConfusionMatrixView.set(threshold=t).figure_ vs confusion_matrix + px.imshow",
            {
                "ours": lambda: figure_view.set(threshold=next(moves)).figure_,
                "base": confusion_update,
            },
            sizes,
            frame_bytes,
            rounds=7,
        )
    ]
    widget_view = ConfusionMatrixView(test_set=ts, threshold=0.5)
    _ = widget_view.widget_
    ratios.append(
        view_row(
            "ConfusionMatrixView.set(threshold=t) with its live widget vs confusion_matrix + "
            "px.imshow",
            {"ours": lambda: widget_view.set(threshold=next(moves)), "base": confusion_update},
            sizes,
            frame_bytes,
            rounds=7,
        )
    )
    update = medians({"update": lambda: figure_view.set(threshold=next(moves)).figure_}, 7)
    print(
        f"  ConfusionMatrixView threshold update (figure): {format_seconds(update['update'])} "
        f"(target < 100 ms: {'met' if update['update'] < 0.1 else 'NOT met'})",
        flush=True,
    )
    figure_view = widget_view = None
    gc.collect()

    view_row(
        "ThresholdView(test_set=frame).figure_ vs numpy scatter + "
        "precision_recall_fscore_support + go.Table",
        {
            "ours": lambda: ThresholdView(test_set=ts, threshold=0.5).figure_,
            "base": lambda: threshold_baseline(*scatter_baseline(ts), 0.5),
        },
        sizes,
        frame_bytes,
    )
    view_row(
        "ThresholdView(test_set=matrix).figure_ vs precision_recall_fscore_support + go.Table",
        {
            "ours": lambda: ThresholdView(test_set=m, threshold=0.5).figure_,
            "base": lambda: threshold_baseline(m.scores, m.labels, 0.5),
        },
        sizes,
        m.nbytes,
    )
    table_view = ThresholdView(test_set=ts, threshold=0.5)
    _ = table_view.figure_
    first = timed(lambda: table_view.set(threshold=0.55).figure_)[0]
    second = timed(lambda: table_view.set(threshold=0.6).figure_)[0]
    print(
        f"ThresholdView first threshold change (one pass over the matrix): "
        f"{format_seconds(first)}; second (sorts the scores once: ThresholdCounts): "
        f"{format_seconds(second)} [{sizes}]",
        flush=True,
    )
    base_update = {"base": lambda: threshold_baseline(m.scores, m.labels, next(moves))}
    view_row(
        "ThresholdView.set(threshold=t).figure_ vs precision_recall_fscore_support + go.Table",
        {"ours": lambda: table_view.set(threshold=next(moves)).figure_, **base_update},
        sizes,
        frame_bytes,
        rounds=5,
    )
    widget_table = ThresholdView(test_set=ts, threshold=0.5)
    _ = widget_table.widget_
    widget_table.set(threshold=0.55)  # one pass over the matrix
    widget_table.set(threshold=0.6)  # builds ThresholdCounts
    view_row(
        "ThresholdView.set(threshold=t) with its live widget vs "
        "precision_recall_fscore_support + go.Table",
        {"ours": lambda: widget_table.set(threshold=next(moves)), **base_update},
        sizes,
        frame_bytes,
        rounds=5,
    )


def html_megabytes(view: Any) -> float:
    """Write ``view.to_html`` to a temporary file and return its size in MB."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = view.to_html(Path(tmp) / "view.html")
        return path.stat().st_size / 1e6


def bench_views_huge() -> None:
    """Figure (h): both views at 5,000 x 50,000 from the matrix: build, update, to_html size."""
    from clarinb.views import ConfusionMatrixView, ThresholdView

    m = single_label_matrix(HUGE_INPUTS, HUGE_CONCEPTS, seed=1)
    sizes = (
        f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs = "
        f"{HUGE_CONCEPTS * HUGE_INPUTS:,} predictions, matrix {m.nbytes / MIB:.0f} MiB"
    )
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("ConfusionMatrixView (default top-N)",
         lambda: ConfusionMatrixView(test_set=m, threshold=0.5)),
        ("ConfusionMatrixView (top_n=None: every concept asked for)",
         lambda: ConfusionMatrixView(test_set=m, threshold=0.5, top_n=None)),
        ("ThresholdView", lambda: ThresholdView(test_set=m, threshold=0.5)),
    ]  # fmt: skip
    for name, make in cases:
        gc.collect()
        seconds, view = timed(lambda make=make: make().plot())
        gc.collect()
        peak = peak_bytes(lambda make=make: make().plot())[0]
        step = timed(lambda view=view: view.set(threshold=0.62).figure_)[0]
        again = timed(lambda view=view: view.set(threshold=0.45).figure_)[0]
        megabytes = html_megabytes(view)
        print(
            f"{name}: build + figure {format_seconds(seconds)} (target < 10 s: "
            f"{'met' if seconds < 10 else 'NOT met'}), peak {peak / MIB:.0f} MiB = "
            f"{peak / m.nbytes:.2f}x the matrix (target < 2x: "
            f"{'met' if peak < 2 * m.nbytes else 'NOT met'}); set(threshold) first "
            f"{format_seconds(step)}, then {format_seconds(again)}; to_html {megabytes:.1f} MB "
            f"(target < 20 MB: {'met' if megabytes < 20 else 'NOT met'}) [{sizes}]",
            flush=True,
        )
        view = None


def main() -> None:
    if os.environ.get("CLARINB_BENCH_ONLY") == "views":  # the view figures alone
        bench_views_20m()
        if os.environ.get("CLARINB_BENCH_HUGE") == "1":
            bench_views_huge()
        return
    bench_20m()
    gc.collect()
    bench_dense_positives()
    gc.collect()
    bench_updates()
    gc.collect()
    bench_curves_figure()
    gc.collect()
    bench_streaming()
    gc.collect()
    bench_views_20m()
    gc.collect()
    if os.environ.get("CLARINB_BENCH_HUGE") == "1":
        bench_huge()
        gc.collect()
        bench_views_huge()
    else:
        print(
            f"{HUGE_CONCEPTS:,} concepts x {HUGE_INPUTS:,} inputs: skipped (about 6 GB and "
            "minutes; set CLARINB_BENCH_HUGE=1 to run it)",
            flush=True,
        )


if __name__ == "__main__":
    main()
